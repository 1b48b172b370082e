import tracemalloc

import numpy as np
import pyarrow as pa
import pytest
import torch

import naive
from training_inputs_torch.dataset import TrainingInputsDataset, TrainingInputsError, read_manifest


def collect(dataset):
    return [b for b in dataset]


def keys(batches):
    return [(int(d), int(i)) for b in batches for d, i in zip(b["as_of_date"], b["example_index"])]


def test_batches_have_the_documented_shapes_and_dtypes(synthetic_output):
    root, _ = synthetic_output
    batch = next(iter(TrainingInputsDataset(root, batch_size=8)))
    assert batch["impression_item_id"].shape == (8,) and batch["impression_item_id"].dtype == torch.int32
    assert batch["actions"].shape == (8, 16) and batch["actions"].dtype == torch.int32
    assert batch["action_types"].shape == (8, 16) and batch["action_types"].dtype == torch.int8
    assert batch["is_order"].shape == (8,) and batch["is_order"].dtype == torch.bool
    assert batch["customer_id"].dtype == torch.int64 and batch["as_of_date"].dtype == torch.int32


def test_every_example_equals_the_naive_reading(synthetic_output):
    root, count = synthetic_output
    expected = naive.examples(root)
    assert len(expected) == count
    seen = 0
    for b in TrainingInputsDataset(root, batch_size=13, seed=3):
        for j, key in enumerate(zip(b["as_of_date"].tolist(), b["example_index"].tolist())):
            customer, item, order, actions, types = expected[key]
            assert b["customer_id"][j].item() == customer
            assert b["impression_item_id"][j].item() == item
            assert b["is_order"][j].item() == order
            assert b["actions"][j].tolist() == actions
            assert b["action_types"][j].tolist() == types
            seen += 1
    assert seen == count


@pytest.mark.parametrize("world_size,workers", [(1, 0), (3, 0), (2, 2)])
def test_each_example_exactly_once_per_epoch_across_ranks_and_workers(synthetic_output, world_size, workers):
    root, count = synthetic_output
    for epoch in (0, 1):
        seen = []
        for rank in range(world_size):
            ds = TrainingInputsDataset(root, batch_size=10, seed=5, rank=rank, world_size=world_size)
            ds.set_epoch(epoch)
            loader = torch.utils.data.DataLoader(ds, batch_size=None, num_workers=workers)
            seen += keys(list(loader))
        assert len(seen) == count
        assert len(set(seen)) == count


def test_days_come_in_order_and_are_reshuffled_each_epoch_reproducibly(synthetic_output):
    root, _ = synthetic_output
    ds = TrainingInputsDataset(root, batch_size=10, seed=7)
    epoch0 = keys(collect(ds))
    days = [d for d, _ in epoch0]
    assert days == sorted(days)
    again = keys(collect(TrainingInputsDataset(root, batch_size=10, seed=7)))
    assert again == epoch0
    ds.set_epoch(1)
    epoch1 = keys(collect(ds))
    assert sorted(epoch1) == sorted(epoch0) and epoch1 != epoch0
    other_seed = keys(collect(TrainingInputsDataset(root, batch_size=10, seed=8)))
    assert other_seed != epoch0


def test_no_shuffle_reads_in_file_order(synthetic_output):
    root, count = synthetic_output
    got = keys(collect(TrainingInputsDataset(root, batch_size=10, shuffle=False)))
    assert got == sorted(got) and len(got) == count


def test_reading_maps_files_and_allocates_only_the_batch_tensors(synthetic_output):
    root, _ = synthetic_output
    ds = TrainingInputsDataset(root, batch_size=32, shuffle=True)
    date = ds.dates[0]
    before = pa.total_allocated_bytes()
    day = ds.open_day(date)
    order = ds.day_order(date, len(day))[:32].copy()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        batch = day.batch(order)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert pa.total_allocated_bytes() == before, "memory-mapped Arrow reads allocate nothing in pyarrow"
    history_bytes = batch["actions"].nbytes + batch["action_types"].nbytes
    index_bytes = 4 * 8 * len(order) + 4096  # sorted copy and per-file index slices of the batch indices
    assert peak - base <= history_bytes + index_bytes, (peak - base, history_bytes)
    # the gather wrote straight into the numpy-allocated batch storage: no intermediate buffer
    actions, types = batch["actions"], batch["action_types"]
    # both history tensors lie in one block, the one allocation tracemalloc saw
    assert types.data_ptr() == actions.data_ptr() + actions.nbytes
    # the flat source tensors alias the mapping, they are not copies of it
    src = day.sources[0]
    assert src.actions_flat.untyped_storage().nbytes() >= src.actions.shape[1] * 4


def test_not_committed_output_is_rejected(tmp_path):
    with pytest.raises(TrainingInputsError, match="not a committed"):
        read_manifest(str(tmp_path))


def test_bad_rank_is_rejected(synthetic_output):
    with pytest.raises(ValueError, match="rank 2 not in"):
        TrainingInputsDataset(synthetic_output[0], rank=2, world_size=2)


def test_a_batch_is_a_random_set_sorted_within_and_the_epoch_covers_every_example_once(synthetic_output):
    """The documented order: batch membership is the (seed, epoch, day) shuffle; inside a batch, examples come in
    ascending example_index (file order, which is history order), so the gather reads history rows forwards."""
    root, count = synthetic_output
    ds = TrainingInputsDataset(root, batch_size=10, seed=11)
    everything = {(d, i) for d, i in keys(collect(TrainingInputsDataset(root, batch_size=10, shuffle=False)))}
    assert len(everything) == count
    memberships = []
    for epoch in (0, 1):
        ds.set_epoch(epoch)
        batches = collect(ds)
        for b in batches:
            index = b["example_index"].tolist()
            assert index == sorted(index) and len(set(index)) == len(index)
            assert len(set(b["as_of_date"].tolist())) == 1
        seen = keys(batches)
        assert len(seen) == count and set(seen) == everything
        memberships.append([frozenset(b["example_index"].tolist()) for b in batches])
        # the sets are exactly the day permutation's consecutive chunks, sorted: reproducible from (seed, epoch, day)
        expected = []
        for date in ds.dates:
            day = ds.open_day(date)
            order = ds.day_order(date, len(day))
            expected += [frozenset(order[s:s + 10].tolist()) for s in range(0, len(order), 10)]
        assert memberships[-1] == expected
    assert memberships[0] != memberships[1]
    # batches are random sets, not file-order runs: some batch of the shuffled epoch is not a contiguous range
    assert any(max(s) - min(s) + 1 != len(s) for s in memberships[0])


def test_the_gather_reads_each_files_history_rows_in_increasing_order(synthetic_output):
    root, _ = synthetic_output
    ds = TrainingInputsDataset(root, batch_size=16, seed=2)
    for date in ds.dates:
        day = ds.open_day(date)
        order = ds.day_order(date, len(day))
        for s in range(0, len(order), 16):
            index = np.sort(order[s:s + 16])
            lo = 0
            for hi in np.searchsorted(index, day.file_ends):
                for starts in (day.a_start, day.t_start):
                    part = starts[torch.from_numpy(index[lo:hi])]
                    assert bool((part[1:] >= part[:-1]).all()), "history rows of one file must be read forwards"
                lo = int(hi)


def test_batches_kept_by_the_caller_are_never_overwritten(synthetic_output):
    """Batch storage is recycled only once nothing references it: keeping whole batches, or only a view of one,
    keeps its bytes intact while iteration goes on."""
    root, count = synthetic_output
    expected = naive.examples(root)
    ds = TrainingInputsDataset(root, batch_size=7, seed=4)
    kept = collect(ds)  # every batch held at once
    views = []
    for b in ds:  # only a view of each batch's first row held (a tensor view, and a numpy view of the last row)
        views.append((int(b["as_of_date"][0]), int(b["example_index"][0]), b["actions"][0], b["action_types"][0]))
        views.append((int(b["as_of_date"][-1]), int(b["example_index"][-1]), b["actions"].numpy()[-1],
                      b["action_types"].numpy()[-1]))
    for b in kept:
        for j, key in enumerate(zip(b["as_of_date"].tolist(), b["example_index"].tolist())):
            assert b["actions"][j].tolist() == expected[key][3]
            assert b["action_types"][j].tolist() == expected[key][4]
    for date, index, actions, types in views:
        assert actions.tolist() == expected[(date, index)][3] and types.tolist() == expected[(date, index)][4]
    assert sum(b["is_order"].numel() for b in kept) == count


def test_dropped_batch_storage_is_reused(synthetic_output):
    root, _ = synthetic_output
    ds = TrainingInputsDataset(root, batch_size=8, seed=1, dates=None)
    pointers = []
    for b in ds:  # the loop variable holds batch k while batch k+1 is made, so two blocks alternate
        if b["is_order"].numel() == 8:
            pointers.append(b["actions"].data_ptr())
    assert len(pointers) > 4 and len(set(pointers)) <= 4, len(set(pointers))


def test_a_later_batch_allocates_no_history_bytes(synthetic_output):
    """Batch 1 needs a second block (batch 0 is still held in ``b`` while it is made); from batch 2 on, the block
    of the batch just dropped is reused: its traced peak stays below the batch's history bytes."""
    root, _ = synthetic_output
    it = iter(TrainingInputsDataset(root, batch_size=80, seed=3))  # 240 examples a day: 3 full batches
    b = next(it)

    def traced_next():
        tracemalloc.start()
        try:
            base, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            batch = next(it)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return batch, peak - base

    b, fresh = traced_next()
    b, reused = traced_next()
    history_bytes = b["actions"].nbytes + b["action_types"].nbytes
    assert b["actions"].shape[0] == 80
    assert fresh >= history_bytes > reused, (fresh, reused, history_bytes)
