"""A load_model() helper restores trained weights but never calls eval(); predictions follow."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def load_model(path):
    model = nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 3))
    model.load_state_dict(torch.load(path, map_location="cpu"))
    return model


classifier = load_model("classifier.pt")
loader = DataLoader(TensorDataset(torch.randn(40, 8)), batch_size=8)
with torch.no_grad():
    labels = [classifier(x).argmax(1) for (x,) in loader]  # expect: LC201
