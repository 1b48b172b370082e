"""Writes synthetic outputs in the connector's on-disk layout with pyarrow, for loader tests and benchmarks at sizes
the Spark job cannot produce quickly on a laptop.

The layout mirrors ``connector/`` (FileKind, StoredSchemas, Manifest): ``as_of_date=YYYY-MM-DD/part-NNNNN-<job>``
files, ``.arrow`` for rows / exploded, ``.histories.arrow`` + ``.examples.arrow`` for normalized, Arrow record
batches of ``batch_rows`` rows, a ``_manifest.json`` listing the files and ``_SUCCESS``. Tests that compare with
Spark read outputs written by the real CLI instead.

The signal: an impressed item is ordered exactly when it also occurs in the customer's history, so a model that
compares the candidate with the history can learn it.
"""
import datetime
import json
import os

import numpy as np
import pyarrow as pa

JOB = "synthetic"


def _fixed(values, n, value_type):
    return pa.FixedSizeListArray.from_arrays(pa.array(values.reshape(-1), type=value_type), n)


def _impressions_type():
    return pa.list_(pa.field("item", pa.struct([pa.field("item_id", pa.int32(), nullable=False),
                                                 pa.field("is_order", pa.bool_(), nullable=False)]),
                             nullable=False))


def _history(rng, customers, n, items):
    lengths = rng.integers(0, n + 1, customers)
    actions = rng.integers(1, items, (customers, n), dtype=np.int32)
    types = rng.integers(1, 4, (customers, n), dtype=np.int8)
    pad = np.arange(n)[None, :] >= lengths[:, None]
    actions[pad] = 0
    types[pad] = 0
    return actions, types


def _impressions(rng, actions, per_row, items):
    """Per row, ``per_row`` items, half drawn from the history (ordered), half not (not ordered)."""
    rows = actions.shape[0]
    item = rng.integers(1, items, (rows, per_row), dtype=np.int32)
    from_history = rng.random((rows, per_row)) < 0.5
    picks = rng.integers(0, actions.shape[1], (rows, per_row))
    hist_item = np.take_along_axis(actions, picks, axis=1)
    use = from_history & (hist_item != 0)
    item = np.where(use, hist_item, item)
    order = np.array([[it in set(actions[r]) for it in item[r]] for r in range(rows)]) if rows * per_row < 200_000 \
        else use
    return item, order


def _write_arrow(path, table, batch_rows):
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        for batch in table.to_batches(max_chunksize=batch_rows):
            writer.write_batch(batch)
    return os.path.getsize(path)


def write(root, layout="rows", n=32, dates=("2025-03-10", "2025-03-11"), customers=50, per_row=3, files=2,
          items=1000, seed=0, batch_rows=1024):
    """Writes one output; returns the number of examples (impressed items)."""
    rng = np.random.default_rng(seed)
    os.makedirs(root, exist_ok=True)
    entries, examples = [], 0
    for date in dates:
        part_dir = f"as_of_date={date}"
        os.makedirs(os.path.join(root, part_dir), exist_ok=True)
        for shard in range(files):
            base = f"{part_dir}/part-{shard:05d}-{JOB}"
            cust = np.arange(shard * customers, (shard + 1) * customers, dtype=np.int64) * 7919 + 1
            actions, types = _history(rng, customers, n, items)
            item, order = _impressions(rng, actions, per_row, items)
            examples += item.size
            a_col, t_col = _fixed(actions, n, pa.int32()), _fixed(types, n, pa.int8())
            if layout == "rows":
                offsets = pa.array(np.arange(customers + 1, dtype=np.int32) * per_row)
                struct_type = _impressions_type().value_type
                structs = pa.StructArray.from_arrays(
                    [pa.array(item.reshape(-1)), pa.array(order.reshape(-1))], fields=list(struct_type))
                imp = pa.ListArray.from_arrays(offsets, structs, type=_impressions_type())
                ranking = pa.array([f"r{date}-{c}" for c in cust])
                kinds = {"rows": pa.table([ranking, pa.array(cust), imp, a_col, t_col],
                                          names=["ranking_id", "customer_id", "impressions", "actions",
                                                 "action_types"])}
            elif layout == "exploded":
                rep = np.repeat(np.arange(customers), per_row)
                kinds = {"exploded": pa.table(
                    [pa.array([f"r{date}-{c}" for c in cust[rep]]), pa.array(cust[rep]),
                     pa.array(item.reshape(-1)), pa.array(order.reshape(-1)),
                     _fixed(actions[rep], n, pa.int32()), _fixed(types[rep], n, pa.int8())],
                    names=["ranking_id", "customer_id", "impression_item_id", "is_order", "actions",
                           "action_types"])}
            else:
                rep = np.repeat(np.arange(customers, dtype=np.int32), per_row)
                kinds = {"histories": pa.table([pa.array(cust), a_col, t_col],
                                               names=["customer_id", "actions", "action_types"]),
                         "examples": pa.table([pa.array(cust[rep]), pa.array(item.reshape(-1)),
                                               pa.array(order.reshape(-1)), pa.array(rep)],
                                              names=["customer_id", "impression_item_id", "is_order",
                                                     "history_index"])}
            for kind, table in kinds.items():
                suffix = f".{kind}" if layout == "normalized" else ""
                rel = f"{base}{suffix}.arrow"
                size = _write_arrow(os.path.join(root, rel), table, batch_rows)
                entries.append({"path": rel, "as_of_date": date, "kind": kind, "shard": base, "rows": table.num_rows,
                                "bytes": size, "checksum": ""})
    manifest = {"formatVersion": 1, "writerVersion": "synthetic", "jobId": JOB,
                "committedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(), "fileFormat": "arrow",
                "layout": layout, "compression": "none", "historyLength": n, "partitionColumn": "as_of_date",
                "files": entries}
    with open(os.path.join(root, "_manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    open(os.path.join(root, "_SUCCESS"), "w").close()
    return examples
