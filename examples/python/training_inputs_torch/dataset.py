"""A ``torch.utils.data`` dataset over a ``training-inputs`` output directory.

What "zero copy" means here, precisely:

* Arrow files (uncompressed, the writer's default) are memory-mapped with ``pa.memory_map``; pyarrow allocates
  nothing to read them (``pa.total_allocated_bytes()`` does not move). The history columns ``actions``
  (FixedSizeList<int32>[N]) and ``action_types`` (FixedSizeList<int8>[N]) are never copied into Python objects,
  numpy arrays or any intermediate buffer.
* Each whole mapped file is viewed as one flat torch tensor (no copy), and an overlapping strided view of it,
  ``as_strided(flat, (len - N + 1, N), (1, 1))``, makes "the N elements starting at element e" addressable as
  row ``e``. Every history row of every record batch in the file is then one row of that view, so a batch is
  produced by ONE vectorised ``torch.index_select(view, 0, starts, out=batch_slice)`` per file the batch touches:
  history bytes are copied exactly once, from the page cache straight into the batch tensor.
* Rows layout: one example per impressed item, so a history row is repeated for each item of its impression
  row. The repetition is that same index gather (the start offset of the row appears once per item); there is
  no per-example Python code and no allocation for history bytes beyond the batch tensors themselves.
* Normalized layout: examples carry ``history_index`` into the sibling histories file; the gather goes from the
  histories file's mapping into the batch tensor (again one ``index_select`` per histories file touched).
* Exploded layout: examples are rows; same gather, one start per row.
* The batch tensors are necessarily a copy (they are shuffled); a view of the mapping would be possible only for
  an unshuffled contiguous range of one record batch, which training never asks for.
* Compressed Arrow (zstd) and Parquet files cannot be mapped: they are decoded into memory once per day that
  is iterated, and the same gather then reads from that memory instead of the page cache.

Small per-example metadata (item id, label, customer id, history start offset) is materialised per day as
numpy arrays: O(examples) bytes, independent of N.

Iteration is day by day (ascending ``as_of_date``). Each epoch draws a fresh permutation of each day's examples
from ``(seed, epoch, day)``; the permutation is split across ``world_size * num_workers`` shards by taking every
``num_shards``-th element, so across all ranks and DataLoader workers each example appears exactly once per
epoch. Use ``torch.utils.data.DataLoader(dataset, batch_size=None, num_workers=k)``: the dataset yields batches.

Order within a batch: a batch is a random SET of examples (consecutive ``batch_size`` elements of the shard's
permuted order); inside it, examples come sorted by their position in the day's files (``example_index``
ascending). The writer stores examples in history order (``history_index`` non-decreasing within an examples
file; the rows / exploded layouts store one history row per row), so the gather reads each file's history rows
in increasing address order, and examples sharing a history (normalized: several impressed items of one
impression) are adjacent, their second read served from cache. Which examples form a batch, and the order of the
batches, are the shuffle; the order inside a batch carries no information a model should use.

Batch history storage is recycled: each iterator keeps a few batch-sized blocks and reuses one only when nothing
references the batch made in it any more (its tensors, every view of them and every ``.numpy()`` of them were
dropped), so a training loop that drops each batch pays no fresh page faults for the next one, and a batch that is
kept is never overwritten.
"""
import datetime
import glob
import json
import os
import warnings
import weakref

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import torch

EPOCH = datetime.date(1970, 1, 1)


class TrainingInputsError(Exception):
    """The directory is not a committed training-inputs output this loader can read."""


def read_manifest(root):
    """The ``_manifest.json`` of a committed output; raises if ``_SUCCESS`` or the manifest is missing.

    A plain Spark Parquet output (the CLI's default ``run`` / ``demo --out``: ``as_of_date=*/part-*.parquet``, arrays
    as lists, no manifest) is described by an equivalent manifest built from its files.
    """
    manifest_path = os.path.join(root, "_manifest.json")
    if not os.path.exists(manifest_path) and os.path.exists(os.path.join(root, "_SUCCESS")):
        return _stock_parquet_manifest(root)
    if not os.path.exists(os.path.join(root, "_SUCCESS")) or not os.path.exists(manifest_path):
        raise TrainingInputsError(f"{root} is not a committed training-inputs output (no _SUCCESS or manifest)")
    with open(manifest_path) as f:
        manifest = json.load(f)
    if manifest.get("formatVersion") != 1:
        raise TrainingInputsError(f"unsupported manifest formatVersion {manifest.get('formatVersion')!r}")
    return manifest


def _stock_parquet_manifest(root):
    files = sorted(glob.glob(os.path.join(root, "as_of_date=*", "*.parquet")))
    if not files:
        raise TrainingInputsError(f"{root} has _SUCCESS but neither a manifest nor as_of_date=*/*.parquet files")
    names = pq.read_schema(files[0]).names
    layout = "exploded" if "impression_item_id" in names else "rows"
    n = None
    entries = []
    for path in files:
        meta = pq.read_metadata(path)
        if n is None and meta.num_rows:
            first = pq.ParquetFile(path).read_row_group(0, columns=["actions"]).column("actions")[0]
            n = len(first)
        entries.append({"path": os.path.relpath(path, root), "kind": layout, "rows": meta.num_rows,
                        "as_of_date": os.path.basename(os.path.dirname(path)).split("=", 1)[1]})
    return {"formatVersion": 1, "fileFormat": "parquet", "layout": layout, "historyLength": n or 0,
            "files": entries}


class _HistorySource:
    """One file's history columns as flat tensors plus overlapping (starts, N) views over them."""

    def __init__(self, actions_flat, types_flat, n):
        self.actions_flat = actions_flat
        self.types_flat = types_flat
        self.actions = torch.as_strided(actions_flat, (max(actions_flat.numel() - n + 1, 0), n), (1, 1))
        self.types = torch.as_strided(types_flat, (max(types_flat.numel() - n + 1, 0), n), (1, 1))


def _tensor_over(buffer, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # read-only memory: torch warns that writes would be undefined; none happen
        return torch.frombuffer(buffer, dtype=dtype) if len(buffer) else torch.empty(0, dtype=dtype)


def _history_column(batch, name, n, np_dtype):
    column = batch.column(name)
    if not (pa.types.is_fixed_size_list(column.type) and column.type.list_size == n):
        raise TrainingInputsError(f"{name} is {column.type}, expected fixed_size_list[{n}]")
    if column.type.value_type != pa.from_numpy_dtype(np.dtype(np_dtype)):
        raise TrainingInputsError(f"{name} has {column.type.value_type} elements, expected {np_dtype}")
    if column.offset != 0 or column.null_count != 0:
        raise TrainingInputsError(f"{name}: sliced or null history arrays are not produced by the writer")
    values = column.values
    return values.buffers()[1], values.offset


def _open_history_file(path, fmt, n):
    """Returns (source, starts_actions, starts_types, keep): element start offsets of each row in file order."""
    if fmt == "arrow":
        mapped = pa.memory_map(path, "r")
        whole = mapped.read_buffer(mapped.size())  # zero-copy: a Buffer over the whole mapping
        batches = [b for b in _arrow_batches(mapped)]
        a_starts, t_starts, in_map = [], [], True
        for b in batches:
            a_buf, a_off = _history_column(b, "actions", n, "int32")
            t_buf, t_off = _history_column(b, "action_types", n, "int8")
            a_byte = a_buf.address + 4 * a_off - whole.address
            t_byte = t_buf.address + t_off - whole.address
            if not (0 <= a_byte <= whole.size and 0 <= t_byte <= whole.size) or a_byte % 4:
                in_map = False  # compressed buffers were decoded into memory: fall back below
                break
            rows = np.arange(b.num_rows, dtype=np.int64) * n
            a_starts.append(a_byte // 4 + rows)
            t_starts.append(t_byte + rows)
        if in_map:
            actions_flat = _tensor_over(memoryview(whole)[: whole.size - whole.size % 4], torch.int32)
            types_flat = _tensor_over(memoryview(whole), torch.int8)
            starts = (_concat(a_starts), _concat(t_starts))
            return _HistorySource(actions_flat, types_flat, n), starts[0], starts[1], (mapped, whole)
        table = pa.Table.from_batches(batches)
    else:
        table = pq.read_table(path)
    # decoded in memory (zstd Arrow, Parquet): one contiguous copy per file, then the same gather
    actions = _fixed_matrix(table.column("actions"), n, np.int32)
    types = _fixed_matrix(table.column("action_types"), n, np.int8)
    starts = np.arange(actions.shape[0], dtype=np.int64) * n
    source = _HistorySource(torch.from_numpy(actions.reshape(-1)), torch.from_numpy(types.reshape(-1)), n)
    return source, starts, starts.copy(), (actions, types)


def _fixed_matrix(chunked, n, np_dtype):
    for c in chunked.chunks:
        if not pa.types.is_fixed_size_list(c.type) and len(c) and (
                pc.min(c.value_lengths()).as_py() != n or pc.max(c.value_lengths()).as_py() != n):
            raise TrainingInputsError(f"history arrays are not all of length {n}")
    parts = [c.flatten().to_numpy(zero_copy_only=False).astype(np_dtype, copy=False) for c in chunked.chunks]
    flat = np.concatenate(parts) if parts else np.empty(0, np_dtype)
    return np.ascontiguousarray(flat).reshape(-1, n)


def _arrow_batches(source):
    reader = pa.ipc.open_file(source)
    return [reader.get_batch(i) for i in range(reader.num_record_batches)]


def _concat(parts, dtype=np.int64):
    if len(parts) == 1 and parts[0].flags.writeable and parts[0].dtype == dtype:
        return parts[0]  # one file: no copy (read-only zero-copy views of the mapping are copied below)
    return np.concatenate(parts) if parts else np.empty(0, dtype)


class _BatchBuffers:
    """Recycles batch history storage: one uint8 block per batch holds ``actions`` then ``action_types``. A block
    is handed out again only when the two array views the batch tensors were made from are gone: ``torch.from_numpy``
    keeps its array alive for as long as the tensor, or any view or ``.numpy()`` of it, exists, so a weak reference
    to each array tells exactly whether anything of the batch is still referenced. A batch the caller keeps is
    never overwritten; one it dropped is reused without new page faults."""

    def __init__(self, keep=4):
        self.keep = keep
        self.entries = []  # [block, (weakref to actions array, weakref to types array)]

    def arrays(self, b, n):
        nbytes = b * n * 5
        for entry in self.entries:
            if entry[0].nbytes == nbytes and all(ref() is None for ref in entry[1]):
                break
        else:
            entry = [np.empty(nbytes, dtype=np.uint8), ()]
            if len(self.entries) >= self.keep:
                self.entries.pop(0)
            self.entries.append(entry)
        actions, types = _split_block(entry[0], b, n)
        entry[1] = (weakref.ref(actions), weakref.ref(types))
        return actions, types


def _split_block(block, b, n):
    return block[: b * n * 4].view(np.int32).reshape(b, n), block[b * n * 4:].view(np.int8).reshape(b, n)


def _read_table(path, fmt, columns):
    if fmt == "arrow":
        return pa.Table.from_batches(_arrow_batches(pa.memory_map(path, "r"))).select(columns)
    return pq.read_table(path, columns=columns)


def _bools(chunked):
    return chunked.fill_null(False).to_numpy(zero_copy_only=False).astype(np.bool_)


class _Day:
    """The examples of one as_of_date: per-example metadata arrays plus the history sources they point into."""

    def __init__(self, root, manifest, date, entries):
        n = manifest["historyLength"]
        fmt = manifest["fileFormat"]
        layout = manifest["layout"]
        self.date = date
        self.sources = []
        self._keep = []
        items, labels, customers, a_starts, t_starts = [], [], [], [], []
        example_kind = "examples" if layout == "normalized" else layout
        for entry in sorted((e for e in entries if e["kind"] == example_kind), key=lambda e: e["path"]):
            path = os.path.join(root, entry["path"])
            if layout == "normalized":
                hist_path = path[: -len(".examples." + fmt)] + ".histories." + fmt
                source, a_row, t_row, keep = _open_history_file(hist_path, fmt, n)
                table = _read_table(path, fmt, ["customer_id", "impression_item_id", "is_order", "history_index"])
                index = table.column("history_index").to_numpy().astype(np.int64)
                if index.size and (index.min() < 0 or index.max() >= a_row.size):
                    raise TrainingInputsError(f"{path}: history_index outside its histories file")
                item = table.column("impression_item_id").to_numpy()
                label = _bools(table.column("is_order"))
                customer = table.column("customer_id").to_numpy()
                a_start, t_start = a_row[index], t_row[index]
            else:
                source, a_row, t_row, keep = _open_history_file(path, fmt, n)
                if layout == "rows":
                    table = _read_table(path, fmt, ["customer_id", "impressions"])
                    impressions = table.column("impressions").combine_chunks()
                    lengths = impressions.value_lengths().fill_null(0).to_numpy(zero_copy_only=False)
                    row_of = np.repeat(np.arange(len(impressions), dtype=np.int64), lengths)
                    elements = impressions.flatten()
                    item = elements.field("item_id").to_numpy(zero_copy_only=False)
                    label = _bools(elements.field("is_order"))
                else:
                    table = _read_table(path, fmt, ["customer_id", "impression_item_id", "is_order"])
                    row_of = np.arange(table.num_rows, dtype=np.int64)
                    item = table.column("impression_item_id").to_numpy()
                    label = _bools(table.column("is_order"))
                customer = table.column("customer_id").to_numpy()[row_of]
                a_start, t_start = a_row[row_of], t_row[row_of]
            self.sources.append(source)
            self._keep.append(keep)
            items.append(np.asarray(item, dtype=np.int32))
            labels.append(label)
            customers.append(np.asarray(customer, dtype=np.int64))
            a_starts.append(a_start)
            t_starts.append(t_start)
        self.item = torch.from_numpy(_concat(items, np.int32))
        self.is_order = torch.from_numpy(_concat(labels, np.bool_))
        self.customer = torch.from_numpy(_concat(customers, np.int64))
        self.a_start = torch.from_numpy(_concat(a_starts))
        self.t_start = torch.from_numpy(_concat(t_starts))
        # examples are stored file by file, so sorted example indices group by file: boundaries per file
        self.file_ends = np.cumsum([len(s) for s in a_starts], dtype=np.int64)
        self.n = n
        self.epoch_day = (datetime.date.fromisoformat(date) - EPOCH).days

    def __len__(self):
        return int(self.item.numel())

    def batch(self, indices, buffers=None):
        """The batch of the given example indices, in ascending index order (so each file's examples form one
        contiguous slice and its history rows are read in increasing address order). ``buffers``: a
        ``_BatchBuffers`` to take the history storage from (default: a fresh allocation)."""
        indices = np.sort(indices)
        index_t = torch.from_numpy(indices)
        b = len(indices)
        # One block holds both history tensors (fewer page faults than two), made by numpy so that tracemalloc
        # accounts for it: the allocation checks compare it with the batch's history bytes.
        if buffers is not None:
            actions, types = buffers.arrays(b, self.n)
        else:
            actions, types = _split_block(np.empty(b * self.n * 5, dtype=np.uint8), b, self.n)
        actions, types = torch.from_numpy(actions), torch.from_numpy(types)
        cuts = np.searchsorted(indices, self.file_ends)
        lo = 0
        for f, hi in enumerate(cuts):
            hi = int(hi)
            if hi > lo:
                part = index_t[lo:hi]
                src = self.sources[f]
                torch.index_select(src.actions, 0, torch.index_select(self.a_start, 0, part), out=actions[lo:hi])
                torch.index_select(src.types, 0, torch.index_select(self.t_start, 0, part), out=types[lo:hi])
            lo = hi
        return {
            "impression_item_id": torch.index_select(self.item, 0, index_t),
            "actions": actions,
            "action_types": types,
            "is_order": torch.index_select(self.is_order, 0, index_t),
            "customer_id": torch.index_select(self.customer, 0, index_t),
            "as_of_date": torch.full((b,), self.epoch_day, dtype=torch.int32),
            "example_index": index_t,
        }


class TrainingInputsDataset(torch.utils.data.IterableDataset):
    """Batches of training examples from a ``training-inputs`` output directory, day by day.

    Each yielded batch is a dict of tensors: ``impression_item_id [B] int32``, ``actions [B, N] int32``,
    ``action_types [B, N] int8``, ``is_order [B] bool``, and keys ``customer_id [B] int64``,
    ``as_of_date [B] int32`` (days since 1970-01-01) and ``example_index [B] int64`` (the example's position in
    its day, in file order: ``(as_of_date, example_index)`` identifies an example). A batch is a random set of
    examples; within it they are sorted by ``example_index`` (their position in the files, which is history order:
    the gather then reads history rows in increasing address order). The shuffle is which examples share a batch
    and the order of the batches.

    ``rank`` / ``world_size`` default to ``torch.distributed`` when it is initialised, else 0 / 1. DataLoader
    workers are detected with ``get_worker_info()``. Call ``set_epoch(e)`` before each epoch (as with
    DistributedSampler) to reshuffle; the same ``(seed, epoch)`` gives the same batches.
    """

    def __init__(self, root, batch_size=256, seed=0, shuffle=True, dates=None, rank=None, world_size=None):
        super().__init__()
        self.root = root
        self.manifest = read_manifest(root)
        if self.manifest["layout"] not in ("rows", "exploded", "normalized"):
            raise TrainingInputsError(f"unknown layout {self.manifest['layout']!r}")
        if batch_size <= 0:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        self.history_length = self.manifest["historyLength"]
        self.layout = self.manifest["layout"]
        all_dates = sorted({e["as_of_date"] for e in self.manifest["files"]})
        self.dates = [d for d in all_dates if dates is None or d in set(dates)]
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        if rank is None or world_size is None:
            dist = torch.distributed.is_available() and torch.distributed.is_initialized()
            rank = torch.distributed.get_rank() if dist else 0
            world_size = torch.distributed.get_world_size() if dist else 1
        if not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} not in [0, {world_size})")
        self.rank, self.world_size = rank, world_size
        self.epoch = 0

    def set_epoch(self, epoch):
        self.epoch = epoch

    def open_day(self, date):
        """The day's examples, with its files mapped (public for tests and benchmarks)."""
        return _Day(self.root, self.manifest, date, [e for e in self.manifest["files"] if e["as_of_date"] == date])

    def _shard(self):
        info = torch.utils.data.get_worker_info()
        workers, worker = (info.num_workers, info.id) if info is not None else (1, 0)
        return self.rank * workers + worker, self.world_size * workers

    def day_order(self, date, count):
        """The epoch's order of a day's examples (before sharding)."""
        if not self.shuffle:
            return np.arange(count, dtype=np.int64)
        day_number = (datetime.date.fromisoformat(date) - EPOCH).days
        rng = np.random.default_rng([self.seed, self.epoch, day_number])
        return rng.permutation(count).astype(np.int64)

    def __iter__(self):
        shard, shards = self._shard()
        buffers = _BatchBuffers()
        for date in self.dates:
            day = None  # unmap the previous day before mapping the next
            day = self.open_day(date)
            mine = self.day_order(date, len(day))[shard::shards]
            for start in range(0, len(mine), self.batch_size):
                yield day.batch(mine[start:start + self.batch_size], buffers)
