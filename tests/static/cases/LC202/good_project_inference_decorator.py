"""A project's own decorator factory wrapping inference_mode/no_grad (YOLOv5's
smart_inference_mode style), defined in the same file, and one imported under such a name."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from utils.torch_utils import select_inference_mode


def smart_inference_mode(torch_1_9=True):
    def decorate(fn):
        return (torch.inference_mode if torch_1_9 else torch.no_grad)()(fn)

    return decorate


@smart_inference_mode()
def run(model, loader):
    model.eval()
    return [model(images).argmax(1) for images, _ in loader]


@select_inference_mode()
def validate(model, loader):
    model.eval()
    total = 0.0
    for images, labels in loader:
        total += nn.functional.cross_entropy(model(images), labels).item()
    return total / len(loader)


model = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.Linear(16, 3))
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randint(0, 3, (32,))), batch_size=8)
run(model, loader)
validate(model, loader)
