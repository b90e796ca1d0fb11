"""A library test: hooks are attached to a freshly built model, then one forward checks dtypes.
Handing the model to a utility does not train it or load weights."""
import torch
import torch.nn as nn

from mylib.hooks import attach_layerwise_casting_hooks


class ModelForTest(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(3, 4)
        self.batchnorm = nn.BatchNorm1d(4)
        self.linear2 = nn.Linear(4, 5)

    def forward(self, x):
        return self.linear2(self.batchnorm(self.linear1(x)))


def test_layerwise_upcasting_inference():
    test_model = ModelForTest()
    inputs = torch.randn(2, 3)
    attach_layerwise_casting_hooks(test_model, storage_dtype=torch.float16, compute_dtype=torch.float32)
    with torch.no_grad():
        _ = test_model(inputs)
