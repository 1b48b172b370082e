import math

import numpy as np
import torch

from training_inputs_torch import training as train
from training_inputs_torch import synthetic
from training_inputs_torch.model import hash_items


def test_hash_keeps_padding_and_maps_large_and_negative_ids_into_the_table():
    ids = torch.tensor([0, 1, -1, 2**31 - 1, -2**31, 123456789], dtype=torch.int32)
    h = hash_items(ids, 1000)
    assert h[0] == 0
    assert bool(((h[1:] >= 1) & (h[1:] < 1000)).all())
    assert len(set(h[1:].tolist())) == 5


def test_a_few_steps_learn_the_signal(tmp_path):
    root = str(tmp_path / "out")
    synthetic.write(root, layout="normalized", n=16, customers=100, per_row=4, files=1, items=300,
                    dates=("2025-03-10", "2025-03-11"))
    losses = train.train(root, epochs=3, batch_size=64, lr=5e-3, dim=16, layers=1, item_buckets=1024, log_every=0,
                         out=lambda line: None)
    assert all(math.isfinite(x) for x in losses)
    k = len(losses) // 4
    assert np.mean(losses[-k:]) < np.mean(losses[:k]) - 0.05, losses
