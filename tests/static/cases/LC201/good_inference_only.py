"""An inference-only script: load weights, eval(), predict."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))
model.load_state_dict(torch.load("weights.pt"))
model.eval()
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=8)

predictions = []
with torch.inference_mode():
    for (inputs,) in loader:
        predictions.append(model(inputs).argmax(dim=1))
