"""A closure that reads the output is handed to an imported step function: it may backpropagate."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from optim_utils import step_with

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

model.eval()
for epoch in range(3):
    for inputs, labels in loader:
        outputs = model(inputs)

        def objective():
            return criterion(outputs, labels)

        step_with(objective, optimizer)
