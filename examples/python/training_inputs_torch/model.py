"""A small transformer that scores an impressed item against the customer's action history.

Item ids are arbitrary 32-bit ints (large, possibly negative), so they are hashed into a fixed table:
``bucket = 1 + (id * 0x9E3779B1 mod 2**32) mod (buckets - 1)`` for non-zero ids and ``0`` for the padding id 0
(a multiplicative hash, so ids that differ by a multiple of the table size do not collide systematically).
Distinct ids may share a bucket; size the table (``item_buckets``) well above the number of distinct items.
The same embedding table serves history items and the candidate, so the model can compare them.
"""
import torch
from torch import nn

_GOLDEN = 0x9E3779B1


def hash_items(ids, buckets):
    """Maps int32/int64 item ids to ``[0, buckets)``; 0 (padding) stays 0, every other id lands in ``[1, buckets)``."""
    x = ids.to(torch.int64) & 0xFFFFFFFF
    h = (x * _GOLDEN) & 0xFFFFFFFF
    return torch.where(ids == 0, torch.zeros_like(h), 1 + h % (buckets - 1))


class HistoryTransformer(nn.Module):
    """Encoder over ``[candidate] + history``; the candidate position's output gives the logit of ``is_order``.

    Inputs: ``impression_item_id [B]``, ``actions [B, N]``, ``action_types [B, N]`` (0 = padding, masked out of
    attention). Action types 1..3 (click, add-to-cart, order) get their own embedding; the candidate uses type 4.
    """

    CANDIDATE_TYPE = 4

    def __init__(self, item_buckets=1 << 16, dim=32, heads=2, layers=2, max_len=1000, dropout=0.0):
        super().__init__()
        self.item_buckets = item_buckets
        self.items = nn.Embedding(item_buckets, dim, padding_idx=0)
        self.types = nn.Embedding(self.CANDIDATE_TYPE + 1, dim, padding_idx=0)
        self.positions = nn.Embedding(max_len + 1, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, dim_feedforward=2 * dim, dropout=dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = nn.Linear(dim, 1)

    def forward(self, impression_item_id, actions, action_types):
        b, n = actions.shape
        candidate = hash_items(impression_item_id, self.item_buckets).unsqueeze(1)
        history = hash_items(actions, self.item_buckets)
        tokens = torch.cat([candidate, history], dim=1)
        types = torch.cat([torch.full((b, 1), self.CANDIDATE_TYPE, device=actions.device, dtype=torch.int64),
                           action_types.to(torch.int64)], dim=1)
        positions = torch.arange(n + 1, device=actions.device).unsqueeze(0)
        x = self.items(tokens) + self.types(types) + self.positions(positions)
        padding = types == 0  # the candidate (type 4) is never padding, so no row is fully masked
        return self.head(self.encoder(x, src_key_padding_mask=padding)[:, 0]).squeeze(1)


def loss_fn(model, batch, device):
    logits = model(batch["impression_item_id"].to(device, non_blocking=True),
                   batch["actions"].to(device, non_blocking=True),
                   batch["action_types"].to(device, non_blocking=True))
    target = batch["is_order"].to(device, non_blocking=True).float()
    return nn.functional.binary_cross_entropy_with_logits(logits, target)
