"""Model smoke tests: build each architecture and run a forward on random input."""
import pytest
import torch
import torch.nn as nn
import torchvision


class TinyNet(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5), nn.Linear(8, classes))

    def forward(self, x):
        return self.layers(x)


def test_tiny_net_output_shape():
    net = TinyNet(classes=3)
    out = net(torch.randn(5, 8))
    assert out.shape == (5, 3)


@pytest.mark.parametrize("classes", [2, 10])
def test_resnet_head(classes):
    model = torchvision.models.resnet18(num_classes=classes)
    logits = model(torch.randn(2, 3, 64, 64))
    assert logits.shape == (2, classes)


def test_batches_of_one():
    net = TinyNet(classes=4)
    net.eval()
    with torch.no_grad():
        assert net(torch.randn(1, 8)).shape == (1, 4)
