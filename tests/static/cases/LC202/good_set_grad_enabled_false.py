"""torch.set_grad_enabled(False) around an evaluation in eval mode."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))
model.eval()
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=8)

with torch.set_grad_enabled(False):
    outputs = [model(x) for (x,) in loader]
