"""Inference over a loader whose name does not say it holds held-out data, with a model that
is never put in eval mode: nothing in the source says this is evaluation, so stay silent."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
model.load_state_dict(torch.load("weights.pt"))
loader = DataLoader(TensorDataset(torch.randn(32, 10)), batch_size=8)

embeddings = []
for (inputs,) in loader:
    embeddings.append(model(inputs))
