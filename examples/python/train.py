"""Trains HistoryTransformer on a training-inputs output: ``python examples/python/train.py OUTPUT_DIR``.

A script over the installed package (``pip install examples/python``; setup-venv.sh does it):
``training_inputs_torch.training`` holds the loop.
"""
from training_inputs_torch.training import main

if __name__ == "__main__":
    main()
