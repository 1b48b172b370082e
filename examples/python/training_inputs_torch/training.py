"""Trains HistoryTransformer on a training-inputs output: ``python -m training_inputs_torch.training OUTPUT_DIR``
(or ``python examples/python/train.py OUTPUT_DIR``).

Runs on the GPU when one is present (``--device`` overrides). Prints one line per logged step and a final
``loss first=... last=...`` line; exits non-zero when a loss is not finite.
"""
import argparse
import math
import time

import torch

from training_inputs_torch.dataset import TrainingInputsDataset
from training_inputs_torch.model import HistoryTransformer, loss_fn


def train(root, epochs=1, batch_size=64, lr=3e-3, seed=0, workers=0, device=None, max_steps=None, log_every=10,
          dim=32, layers=2, item_buckets=1 << 14, out=print):
    torch.manual_seed(seed)
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    dataset = TrainingInputsDataset(root, batch_size=batch_size, seed=seed)
    loader = torch.utils.data.DataLoader(dataset, batch_size=None, num_workers=workers,
                                         pin_memory=device.type == "cuda", persistent_workers=False)
    model = HistoryTransformer(item_buckets=item_buckets, dim=dim, layers=layers,
                               max_len=dataset.history_length).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses, step, start = [], 0, time.perf_counter()
    for epoch in range(epochs):
        dataset.set_epoch(epoch)
        for batch in loader:
            loss = loss_fn(model, batch, device)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            value = loss.item()
            if not math.isfinite(value):
                raise FloatingPointError(f"loss {value} at step {step}")
            losses.append(value)
            if log_every and step % log_every == 0:
                out(f"epoch {epoch} step {step} loss {value:.4f}")
            step += 1
            if max_steps is not None and step >= max_steps:
                break
        if max_steps is not None and step >= max_steps:
            break
    out(f"device {device} steps {step} seconds {time.perf_counter() - start:.1f} "
        f"loss first={losses[0]:.4f} last={losses[-1]:.4f}" if losses else "no batches")
    return losses


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("root")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--device")
    p.add_argument("--max-steps", type=int)
    p.add_argument("--item-buckets", type=int, default=1 << 14, help="size of the hashed item embedding table")
    a = p.parse_args()
    train(a.root, a.epochs, a.batch_size, a.lr, a.seed, a.workers, a.device, a.max_steps, item_buckets=a.item_buckets)


if __name__ == "__main__":
    main()
