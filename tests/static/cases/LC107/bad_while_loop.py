"""A while loop re-creating SGD with momentum each step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

step = 0
batches = iter(loader)
while step < 100:
    inputs, labels = next(batches)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # expect: LC107
    opt.zero_grad()
    criterion(model(inputs), labels).backward()
    opt.step()
    step += 1
