import pytest
import torch

# the package as installed (pip install examples/python), not the source folder: run-tests.sh runs from tests/
from training_inputs_torch import synthetic

torch.set_num_threads(1)


@pytest.fixture(scope="session", params=["rows", "exploded", "normalized"])
def synthetic_output(request, tmp_path_factory):
    root = str(tmp_path_factory.mktemp("synthetic-" + request.param))
    count = synthetic.write(root, layout=request.param, n=16, customers=40, per_row=3, files=2, batch_rows=7)
    return root, count
