"""Plain directory readers of an output folder, no manifest, no Spark: DuckDB globbing DIR/*/*.parquet (as docs/publishing.md shows it)
and pyarrow.dataset over DIR (hive partitioning; names starting with '_' or '.' ignored, pyarrow's default).

Prints one JSON object, per reader: rows, the sums of customer_id and of every actions element, and the sorted
as_of_date values; CrashSafetyTest compares them with what spark.read.parquet finds after each kill.
"""
import json
import sys

import duckdb
import pyarrow.compute as pc
import pyarrow.dataset as ds


def duckdb_view(root):
    con = duckdb.connect()
    glob = root.rstrip("/") + "/*/*.parquet"
    row = con.execute(
        "SELECT count(*), coalesce(sum(customer_id), 0), "
        "coalesce(sum(list_sum(actions)), 0), list_sort(list_distinct(list(CAST(as_of_date AS VARCHAR)))) "
        "FROM read_parquet(?, hive_partitioning = true)", [glob]).fetchone()
    return {"rows": row[0], "customers_sum": int(row[1]), "actions_sum": int(row[2]), "dates": row[3]}


def pyarrow_view(root):
    table = ds.dataset(root, format="parquet", partitioning="hive").to_table(
        columns=["as_of_date", "customer_id", "actions"])
    actions = pc.list_flatten(table.column("actions"))
    dates = sorted({str(d) for d in table.column("as_of_date").to_pylist()})
    return {"rows": table.num_rows, "customers_sum": int(pc.sum(table.column("customer_id")).as_py() or 0),
            "actions_sum": int(pc.sum(actions).as_py() or 0), "dates": dates}


if __name__ == "__main__":
    root = sys.argv[1]
    print(json.dumps({"duckdb": duckdb_view(root), "pyarrow": pyarrow_view(root)}))
