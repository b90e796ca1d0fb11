"""Inference-only script with eval() but autograd still recording."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))
model.load_state_dict(torch.load("weights.pt"))
model.eval()
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=8)

predictions = []
for (inputs,) in loader:
    logits = model(inputs)  # expect: LC202
    predictions.append(logits.argmax(dim=1).tolist())
