"""Inference with trained weights loaded, but the model is never switched to eval()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 32)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


model = Net()
model.load_state_dict(torch.load("net.pt"))
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=16)
predictions = []
with torch.no_grad():
    for (inputs,) in loader:
        predictions.append(model(inputs).argmax(1))  # expect: LC201
