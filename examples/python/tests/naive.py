"""The obvious reader: pyarrow to_pylist, one Python dict per example. The loader must agree with it."""
import datetime
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq

EPOCH = datetime.date(1970, 1, 1)


def _table(path, fmt):
    return pa.ipc.open_file(pa.memory_map(path, "r")).read_all() if fmt == "arrow" else pq.read_table(path)


def examples(root):
    """{(epoch_day, example_index): (customer_id, item, is_order, actions, action_types)} in file order per day."""
    with open(os.path.join(root, "_manifest.json")) as f:
        m = json.load(f)
    fmt, layout = m["fileFormat"], m["layout"]
    kind = "examples" if layout == "normalized" else layout
    out = {}
    for date in sorted({e["as_of_date"] for e in m["files"]}):
        day = (datetime.date.fromisoformat(date) - EPOCH).days
        i = 0
        for e in sorted((e for e in m["files"] if e["as_of_date"] == date and e["kind"] == kind),
                        key=lambda e: e["path"]):
            path = os.path.join(root, e["path"])
            rows = _table(path, fmt).to_pylist()
            if layout == "normalized":
                hist = _table(path.replace(".examples.", ".histories."), fmt).to_pylist()
                for r in rows:
                    h = hist[r["history_index"]]
                    out[(day, i)] = (r["customer_id"], r["impression_item_id"], bool(r["is_order"]), h["actions"],
                                     h["action_types"])
                    i += 1
            elif layout == "rows":
                for r in rows:
                    for imp in r["impressions"]:
                        out[(day, i)] = (r["customer_id"], imp["item_id"], bool(imp["is_order"]), r["actions"],
                                         r["action_types"])
                        i += 1
            else:
                for r in rows:
                    out[(day, i)] = (r["customer_id"], r["impression_item_id"], bool(r["is_order"]), r["actions"],
                                     r["action_types"])
                    i += 1
    return out
