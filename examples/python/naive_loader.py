"""The naive baseline the benchmark compares against: what a script without the loader does.

pyarrow ``to_pylist`` of each file (one Python dict per row, a Python int per history element), the examples
assembled in Python and turned into tensors batch by batch.
"""
import json
import os

import pyarrow as pa
import torch


def _rows(path):
    return pa.ipc.open_file(pa.memory_map(path, "r")).read_all().to_pylist()


def load(root, limit, batch_size=1024):
    """Reads up to ``limit`` examples; returns (examples, history bytes of the produced tensors)."""
    with open(os.path.join(root, "_manifest.json")) as f:
        m = json.load(f)
    kind = "examples" if m["layout"] == "normalized" else m["layout"]
    items, labels, actions, types = [], [], [], []
    examples = history_bytes = 0

    def flush():
        nonlocal history_bytes
        if items:
            batch = {"impression_item_id": torch.tensor(items, dtype=torch.int32),
                     "actions": torch.tensor(actions, dtype=torch.int32),
                     "action_types": torch.tensor(types, dtype=torch.int8),
                     "is_order": torch.tensor(labels, dtype=torch.bool)}
            history_bytes += batch["actions"].nbytes + batch["action_types"].nbytes
            for x in (items, labels, actions, types):
                x.clear()

    for e in m["files"]:
        if e["kind"] != kind:
            continue
        path = os.path.join(root, e["path"])
        if m["layout"] == "normalized":
            hist = _rows(path.replace(".examples.", ".histories."))
            pairs = ((r["impression_item_id"], r["is_order"], hist[r["history_index"]]) for r in _rows(path))
        else:
            pairs = ((i["item_id"], i["is_order"], r) for r in _rows(path) for i in r["impressions"])
        for item, label, h in pairs:
            items.append(item)
            labels.append(label)
            actions.append(h["actions"])
            types.append(h["action_types"])
            examples += 1
            if len(items) == batch_size:
                flush()
            if examples >= limit:
                flush()
                return examples, history_bytes
    flush()
    return examples, history_bytes
