"""An inference-only script over a test loader, no eval(), no no_grad(): the model has no
Dropout/BatchNorm, so the mode does not matter (no LC201), but the graphs are wasted (LC202)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
model.load_state_dict(torch.load("weights.pt"))
test_loader = DataLoader(TensorDataset(torch.randn(32, 10)), batch_size=8)

predictions = []
for (inputs,) in test_loader:
    predictions.extend(model(inputs).argmax(1).tolist())  # expect: LC202
