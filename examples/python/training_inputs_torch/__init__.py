"""PyTorch loader for training-inputs outputs (see README.md)."""
__version__ = "0.1.0"
