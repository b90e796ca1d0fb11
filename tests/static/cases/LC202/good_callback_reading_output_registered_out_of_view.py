"""A function of the file that reads the latest output is registered with imported code, which
may call it from the step function that follows and backpropagate what it returns."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from stepping import register_penalty, run_step

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
outputs = None


def activation_penalty():
    return outputs.pow(2).mean()


register_penalty(activation_penalty)
model.eval()
for epoch in range(3):
    for inputs, labels in loader:
        outputs = model(inputs)
        run_step(model, optimizer)
