"""The same inference script with a Dropout model whose weights are loaded: both rules apply."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.2), nn.Linear(32, 2))
model.load_state_dict(torch.load("weights.pt"))
test_loader = DataLoader(TensorDataset(torch.randn(32, 10)), batch_size=8)

predictions = []
for (inputs,) in test_loader:
    predictions.extend(model(inputs).argmax(1).tolist())  # expect: LC201, LC202
