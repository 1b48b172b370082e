"""Loader throughput against a naive loader and a plain numpy copy of the same bytes, in one run, on one core.

    python examples/python/bench_loader.py [--dir DIR] [--histories 8000] [--per-row 4] [--n 1000]

Writes (or reuses) synthetic Arrow outputs in the connector's layout under DIR (normalized and rows), then for each
(loader and copy passes alternate --repeat times; the fastest of each is reported, medians in the JSON):
* loader: every example of every day through TrainingInputsDataset (shuffled per day, batch 1024: each batch a
  random set of examples, gathered in ascending history order; the loop holds batch k while k+1 is made, as a
  training loop does); also unshuffled (file order: the same gathers, but sequential reads), which separates the
  loader's own cost from random access;
* numpy copy: the same number of history bytes copied with np.copyto in batch-sized blocks from the mapped
  file into a preallocated array (the bandwidth bound for moving those bytes on one core);
* naive: pyarrow ``to_pylist`` per file and a Python list per example, as a script would do it, on the first
  --naive-examples examples, converted to tensors;
* rows layout: pyarrow allocations while reading (must be 0) and tracemalloc's peak per batch against the batch
  tensors' own bytes.
Prints a JSON object (with the 1-minute load average before and after each layout: the machine may be shared) and
markdown table rows.
"""
import argparse
import json
import os
import sys
import time
import tracemalloc

import numpy as np
import pyarrow as pa
import torch

# the loader from the installed package (pip install examples/python); naive_loader.py next to this script
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from training_inputs_torch import synthetic  # noqa: E402
from training_inputs_torch.dataset import TrainingInputsDataset  # noqa: E402


def loader_pass(root, batch_size, shuffle=True):
    ds = TrainingInputsDataset(root, batch_size=batch_size, seed=0, shuffle=shuffle)
    examples, history_bytes = 0, 0
    start = time.perf_counter()
    for b in ds:
        examples += b["is_order"].numel()
        history_bytes += b["actions"].nbytes + b["action_types"].nbytes
    return time.perf_counter() - start, examples, history_bytes


def numpy_copy_pass(root, total_bytes, n, batch_size):
    """Copies total_bytes of history rows with np.copyto, batch-sized blocks of consecutive rows read in order
    through the first day's mapped histories (wrapping around), into one preallocated batch array."""
    ds = TrainingInputsDataset(root)
    day = ds.open_day(ds.dates[0])
    flat_a = day.sources[0].actions_flat.numpy()
    flat_t = day.sources[0].types_flat.numpy()
    # the distinct history rows of the first day, in file order, as (start offset) pairs
    a_rows = np.unique(day.a_start.numpy())
    t_rows = np.unique(day.t_start.numpy())
    # contiguous runs of rows (a record batch each): copy whole blocks of up to batch_size rows out of them
    blocks = []
    for rows, flat in ((a_rows, flat_a), (t_rows, flat_t)):
        breaks = np.flatnonzero(np.diff(rows) != n) + 1
        runs = []
        for run in np.split(rows, breaks):
            for i in range(0, len(run), batch_size):
                part = run[i:i + batch_size]
                runs.append(flat[part[0]:part[0] + len(part) * n].reshape(len(part), n))
        blocks.append(runs)
    dst_a = np.empty((batch_size, n), np.int32)
    dst_t = np.empty((batch_size, n), np.int8)
    copied, i = 0, 0
    start = time.perf_counter()
    while copied < total_bytes:
        sa, st = blocks[0][i % len(blocks[0])], blocks[1][i % len(blocks[1])]
        np.copyto(dst_a[:len(sa)], sa)
        np.copyto(dst_t[:len(st)], st)
        copied += sa.nbytes + st.nbytes
        i += 1
    return time.perf_counter() - start, copied


def naive_pass(root, limit):
    """The obvious script: to_pylist rows, a Python list per example, torch.tensor per batch."""
    import naive_loader
    start = time.perf_counter()
    examples, history_bytes = naive_loader.load(root, limit)
    return time.perf_counter() - start, examples, history_bytes


def rows_allocation(root, batch_size):
    ds = TrainingInputsDataset(root, batch_size=batch_size)
    before = pa.total_allocated_bytes()
    day = ds.open_day(ds.dates[0])
    order = ds.day_order(ds.dates[0], len(day))[:batch_size].copy()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    batch = day.batch(order)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"pyarrow_allocated_bytes": pa.total_allocated_bytes() - before,
            "traced_peak_bytes_per_batch": peak - base,
            "batch_history_tensor_bytes": batch["actions"].nbytes + batch["action_types"].nbytes,
            "batch_examples": len(order)}


def interleaved(fns, repeat):
    """Runs the passes alternately ``repeat`` times (so they see the same machine load) and keeps each one's
    fastest run, and the median seconds."""
    runs = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            runs[i].append(fn())
    return [(min(r, key=lambda x: x[0]), float(np.median([x[0] for x in r]))) for r in runs]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dir", default="/tmp/training-inputs-bench")
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--histories", type=int, default=8000, help="histories (impression rows) per day")
    p.add_argument("--per-row", type=int, default=4, help="impressed items per row")
    p.add_argument("--days", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=1024)
    p.add_argument("--naive-examples", type=int, default=2000)
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(1)
    dates = [f"2025-03-{10 + d:02d}" for d in range(a.days)]
    result = {"n": a.n, "histories_per_day": a.histories, "per_row": a.per_row, "days": a.days,
              "batch_size": a.batch_size, "torch": torch.__version__, "pyarrow": pa.__version__, "layouts": {}}
    for layout in ("normalized", "rows"):
        root = os.path.join(a.dir, f"{layout}-n{a.n}-h{a.histories}-p{a.per_row}-d{a.days}")
        if not os.path.exists(os.path.join(root, "_SUCCESS")):
            synthetic.write(root, layout=layout, n=a.n, dates=dates, customers=a.histories, per_row=a.per_row,
                            files=1, items=100_000)
        load_before = os.getloadavg()[0]
        loader_pass(root, a.batch_size)  # warm the page cache
        hbytes = loader_pass(root, a.batch_size)[2]
        (loader, loader_median), (copy, copy_median), (ordered, _) = interleaved(
            [lambda: loader_pass(root, a.batch_size), lambda: numpy_copy_pass(root, hbytes, a.n, a.batch_size),
             lambda: loader_pass(root, a.batch_size, shuffle=False)], a.repeat)
        secs, examples, hbytes = loader
        copy_secs, copy_bytes = copy
        naive_secs, naive_examples, _ = naive_pass(root, a.naive_examples)
        r = {"examples": examples, "history_bytes": hbytes, "loader_seconds": secs,
             "loader_examples_per_s": examples / secs, "loader_history_gb_per_s": hbytes / secs / 1e9,
             "numpy_copy_gb_per_s": copy_bytes / copy_secs / 1e9,
             "median_loader_history_gb_per_s": hbytes / loader_median / 1e9,
             "unshuffled_loader_history_gb_per_s": ordered[2] / ordered[0] / 1e9,
             "median_numpy_copy_gb_per_s": copy_bytes / copy_median / 1e9,
             "naive_examples": naive_examples, "naive_examples_per_s": naive_examples / naive_secs,
             "load_average_1min": [load_before, os.getloadavg()[0]]}
        r["loader_vs_numpy_copy"] = r["loader_history_gb_per_s"] / r["numpy_copy_gb_per_s"]
        r["loader_vs_naive"] = r["loader_examples_per_s"] / r["naive_examples_per_s"]
        if layout == "rows":
            r["allocation"] = rows_allocation(root, a.batch_size)
        result["layouts"][layout] = r
    print(json.dumps(result, indent=2))
    print("| layout | N | examples | loader examples/s | loader history GB/s | numpy copy GB/s | loader/copy "
          "| unshuffled loader GB/s | naive examples/s | loader/naive | load avg |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for layout, r in result["layouts"].items():
        print(f"| {layout} | {a.n} | {r['examples']} | {r['loader_examples_per_s']:,.0f} | "
              f"{r['loader_history_gb_per_s']:.2f} | {r['numpy_copy_gb_per_s']:.2f} | "
              f"{r['loader_vs_numpy_copy']:.2f}x | {r['unshuffled_loader_history_gb_per_s']:.2f} | "
              f"{r['naive_examples_per_s']:,.0f} | {r['loader_vs_naive']:,.0f}x | "
              f"{r['load_average_1min'][0]:.1f}-{r['load_average_1min'][1]:.1f} |")


if __name__ == "__main__":
    main()
