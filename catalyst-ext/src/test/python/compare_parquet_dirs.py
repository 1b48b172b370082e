"""Reads two Parquet directories (hive-partitioned) with pyarrow and DuckDB; prints one JSON line saying whether
each reader sees the same rows in both. Used by WholePageParquetWritesTest: our writer's files against Spark's."""
import json
import sys

import duckdb
import pyarrow.dataset as ds


def rows(path):
    table = ds.dataset(path, format="parquet", partitioning="hive").to_table()
    return table.schema, sorted(json.dumps(r, sort_keys=True, default=str) for r in table.to_pylist())


def duck(path):
    con = duckdb.connect()
    cols = [c[0] for c in con.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}/*/*.parquet')").fetchall()]
    hashed = ", ".join(f"hash({c})" for c in cols)
    return con.sql(f"SELECT count(*), sum(hash({hashed}))::VARCHAR FROM read_parquet('{path}/*/*.parquet')").fetchone()


def main():
    ours, spark = sys.argv[1], sys.argv[2]
    ours_schema, ours_rows = rows(ours)
    spark_schema, spark_rows = rows(spark)
    duck_ours, duck_spark = duck(ours), duck(spark)
    print(json.dumps({
        "pyarrow_rows": len(ours_rows),
        "pyarrow_same_schema": ours_schema.equals(spark_schema),
        "pyarrow_same_rows": ours_rows == spark_rows,
        "duckdb_rows": duck_ours[0],
        "duckdb_same": duck_ours == duck_spark,
    }))


if __name__ == "__main__":
    main()
