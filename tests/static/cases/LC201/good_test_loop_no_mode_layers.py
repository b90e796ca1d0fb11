"""A test loop over test_loader, model never put in eval mode, but it has no Dropout or
BatchNorm (and the loop runs under no_grad): nothing differs between the modes."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Conv1d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(32, 2))
model.load_state_dict(torch.load("weights.pt"))
test_loader = DataLoader(TensorDataset(torch.randn(32, 1, 10)), batch_size=8)

with torch.no_grad():
    predictions = [model(inputs).argmax(1) for (inputs,) in test_loader]
    for (inputs,) in test_loader:
        predictions.append(model(inputs).argmax(1))
