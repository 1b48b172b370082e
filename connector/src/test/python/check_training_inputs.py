"""Independent readers check training-inputs output: pyarrow and DuckDB, no Spark.

Arrow files are memory-mapped and `actions` / `action_types` viewed as (rows, N) numpy arrays without allocating
(pa.total_allocated_bytes() unchanged); Parquet is read by pyarrow as FixedSizeList (from the ARROW:schema
metadata) and by DuckDB. Prints one JSON object of row counts and sums, which the Java test compares with Spark.
Exits non-zero on the first violated expectation.
"""
import argparse
import json
import os

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def manifest_files(root, kind):
    with open(os.path.join(root, "_manifest.json")) as f:
        manifest = json.load(f)
    return [os.path.join(root, e["path"]) for e in manifest["files"] if e["kind"] == kind]


def check(condition, message):
    if not condition:
        raise SystemExit("FAILED: " + message)


def fixed_matrix(column, n, dtype):
    check(pa.types.is_fixed_size_list(column.type) and column.type.list_size == n,
          f"expected fixed_size_list<{dtype}>[{n}], found {column.type}")
    check(column.type.value_type == pa.from_numpy_dtype(np.dtype(dtype)),
          f"expected {dtype} elements, found {column.type.value_type}")
    check(column.offset == 0 and column.null_count == 0, "no offset, no nulls")
    values = column.values.to_numpy(zero_copy_only=True)
    return values.reshape(-1, n)


def arrow_layout(root, n, kind):
    """Maps every file of the kind; returns rows and sums, asserting nothing was allocated."""
    before = pa.total_allocated_bytes()
    rows, actions_sum, types_sum, keep = 0, 0, 0, []
    for path in manifest_files(root, kind):
        source = pa.memory_map(path, "r")
        reader = pa.ipc.open_file(source)
        for i in range(reader.num_record_batches):
            batch = reader.get_batch(i)
            actions = fixed_matrix(batch.column("actions"), n, "int32")
            types = fixed_matrix(batch.column("action_types"), n, "int8")
            check(actions.shape == (batch.num_rows, n), f"actions shape {actions.shape}")
            check(not actions.flags.owndata and not actions.flags.writeable, "a read-only view, not a copy")
            rows += batch.num_rows
            actions_sum += int(actions.sum(dtype=np.int64))
            types_sum += int(types.sum(dtype=np.int64))
            keep.append((actions, types))
    allocated = pa.total_allocated_bytes() - before
    check(allocated == 0, f"reading {root} allocated {allocated} bytes; memory-mapped reads must allocate none")
    return {"rows": rows, "actions_sum": actions_sum, "action_types_sum": types_sum}


def arrow_normalized(root, n):
    histories = arrow_layout(root, n, "histories")
    examples = 0
    gathered_sum = 0
    for path in manifest_files(root, "examples"):
        table = pa.ipc.open_file(pa.memory_map(path, "r")).read_all()
        hist_path = path.replace(".examples.arrow", ".histories.arrow")
        hist = pa.ipc.open_file(pa.memory_map(hist_path, "r")).read_all()
        matrix = np.concatenate([c.values.to_numpy().reshape(-1, n) for c in hist.column("actions").chunks])
        index = table.column("history_index").to_numpy()
        check(index.size == 0 or index.max() < matrix.shape[0], "history_index within its histories file")
        gathered_sum += int(matrix[index].sum(dtype=np.int64))
        examples += table.num_rows
    histories["examples"] = examples
    histories["gathered_actions_sum"] = gathered_sum
    return histories


def parquet_layout(root, n):
    rows, actions_sum, types_sum = 0, 0, 0
    for path in manifest_files(root, "rows") + manifest_files(root, "exploded"):
        table = pq.read_table(path)
        for column, dtype in (("actions", pa.int32()), ("action_types", pa.int8())):
            t = table.schema.field(column).type
            check(pa.types.is_fixed_size_list(t) and t.list_size == n and t.value_type == dtype,
                  f"pyarrow reads {column} as {t}, expected fixed_size_list<{dtype}>[{n}]")
        for chunk in table.column("actions").chunks:
            actions_sum += int(fixed_matrix(chunk, n, "int32").sum(dtype=np.int64))
        for chunk in table.column("action_types").chunks:
            types_sum += int(fixed_matrix(chunk, n, "int8").sum(dtype=np.int64))
        rows += table.num_rows
    return {"rows": rows, "actions_sum": actions_sum, "action_types_sum": types_sum}


def duckdb_parquet(root, n):
    files = manifest_files(root, "rows") + manifest_files(root, "exploded")
    rel = duckdb.sql(
        "select count(*), min(len(actions)), max(len(actions)), sum(list_sum(actions)), "
        "sum(list_sum(action_types)), count(distinct as_of_date) "
        f"from read_parquet({files!r}, hive_partitioning = true)")
    count, min_len, max_len, actions_sum, types_sum, dates = rel.fetchone()
    check(min_len == n and max_len == n, f"DuckDB sees list lengths {min_len}..{max_len}, expected {n}")
    return {"rows": count, "actions_sum": int(actions_sum or 0), "action_types_sum": int(types_sum or 0),
            "dates": dates}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--arrow-rows")
    parser.add_argument("--arrow-normalized")
    parser.add_argument("--parquet-rows")
    parser.add_argument("--parquet-exploded")
    args = parser.parse_args()
    out = {}
    if args.arrow_rows:
        out["arrow_rows"] = arrow_layout(args.arrow_rows, args.n, "rows")
    if args.arrow_normalized:
        out["arrow_normalized"] = arrow_normalized(args.arrow_normalized, args.n)
    if args.parquet_rows:
        out["parquet_rows"] = parquet_layout(args.parquet_rows, args.n)
        out["duckdb_parquet_rows"] = duckdb_parquet(args.parquet_rows, args.n)
    if args.parquet_exploded:
        out["parquet_exploded"] = parquet_layout(args.parquet_exploded, args.n)
        out["duckdb_parquet_exploded"] = duckdb_parquet(args.parquet_exploded, args.n)
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
