"""The loader over outputs the CLI wrote (run-tests.sh sets TRAINING_INPUTS_CLI_OUTPUTS): Arrow rows and Arrow
normalized, against the CLI's stock Parquet run of the same inputs as Spark wrote it (read here by pyarrow)."""
import collections
import datetime
import glob
import json
import math
import os

import numpy as np
import pyarrow.parquet as pq
import pytest
import torch

from training_inputs_torch import training as train
from training_inputs_torch.dataset import TrainingInputsDataset

OUTPUTS = os.environ.get("TRAINING_INPUTS_CLI_OUTPUTS")


@pytest.fixture(autouse=True)
def cli_outputs():
    """No silent skip: without the CLI's outputs these tests fail, saying how to get them."""
    if not OUTPUTS or not os.path.isdir(OUTPUTS):
        pytest.fail(f"TRAINING_INPUTS_CLI_OUTPUTS={OUTPUTS!r} is not a folder of CLI outputs: run "
                    "examples/python/run-tests.sh, which writes them")
EPOCH = datetime.date(1970, 1, 1)


def spark_examples(parquet_root):
    """Every (as_of_date, customer, item, is_order, actions, action_types) of the stock Parquet output."""
    files = sorted(glob.glob(os.path.join(parquet_root, "as_of_date=*", "*.parquet")))
    assert files, f"no Parquet files under {parquet_root}"
    found = collections.Counter()
    n = None
    for path in files:
        date = os.path.basename(os.path.dirname(path)).split("=", 1)[1]
        day = (datetime.date.fromisoformat(date) - EPOCH).days
        for row in pq.read_table(path, columns=["customer_id", "impressions", "actions", "action_types"]).to_pylist():
            n = len(row["actions"])
            actions = np.asarray(row["actions"], dtype=np.int32).tobytes()
            types = np.asarray(row["action_types"], dtype=np.int8).tobytes()
            for imp in row["impressions"]:
                found[(day, row["customer_id"], imp["item_id"], bool(imp["is_order"]), actions, types)] += 1
    return found, n


def loader_examples(batches):
    found = collections.Counter()
    for b in batches:
        for j in range(b["is_order"].numel()):
            found[(int(b["as_of_date"][j]), int(b["customer_id"][j]), int(b["impression_item_id"][j]),
                   bool(b["is_order"][j]), b["actions"][j].numpy().tobytes(),
                   b["action_types"][j].numpy().tobytes())] += 1
    return found


@pytest.fixture(scope="module")
def expected():
    return spark_examples(os.path.join(OUTPUTS, "parquet-rows"))


@pytest.mark.parametrize("name", ["arrow-rows", "arrow-normalized", "parquet-rows"])
def test_loader_reads_exactly_what_spark_wrote(expected, name):
    found, n = expected
    root = os.path.join(OUTPUTS, name)
    ds = TrainingInputsDataset(root, batch_size=64, seed=11)
    fmt, layout = name.split("-")
    assert ds.manifest["fileFormat"] == fmt and ds.layout == layout and ds.history_length == n
    if fmt == "arrow":
        with open(os.path.join(root, "_manifest.json")) as f:
            assert json.load(f)["layout"] == layout
    batches = list(ds)
    b = batches[0]
    assert b["actions"].dtype == torch.int32 and b["actions"].shape[1] == n
    assert b["action_types"].dtype == torch.int8 and b["action_types"].shape[1] == n
    assert b["impression_item_id"].dtype == torch.int32 and b["is_order"].dtype == torch.bool
    assert sum(found.values()) > 0
    got = loader_examples(batches)
    assert sum(got.values()) == sum(found.values())
    assert got == found
    # padding: action_types == 0 exactly where actions == 0 (item ids are never 0 in the generated inputs)
    some = torch.cat([x["action_types"] for x in batches[:4]])
    assert bool(((some == 0) == (torch.cat([x["actions"] for x in batches[:4]]) == 0)).all())


@pytest.mark.parametrize("layout", ["rows", "normalized"])
def test_each_example_once_per_epoch_across_two_ranks_and_two_workers(expected, layout):
    root = os.path.join(OUTPUTS, "arrow-" + layout)
    total = sum(expected[0].values())
    seen = []
    for rank in range(2):
        ds = TrainingInputsDataset(root, batch_size=32, seed=2, rank=rank, world_size=2)
        ds.set_epoch(3)
        for b in torch.utils.data.DataLoader(ds, batch_size=None, num_workers=2):
            seen += list(zip(b["as_of_date"].tolist(), b["example_index"].tolist()))
    assert len(seen) == total and len(set(seen)) == total


def test_training_steps_run_on_the_cli_output():
    losses = train.train(os.path.join(OUTPUTS, "arrow-normalized"), batch_size=32, max_steps=5, dim=16, layers=1,
                         item_buckets=4096, log_every=0, out=lambda line: None)
    assert len(losses) == 5 and all(math.isfinite(x) for x in losses)
