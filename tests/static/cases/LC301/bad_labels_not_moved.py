"""Inputs moved, labels reach the loss on the CPU."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
model = nn.Linear(10, 2)
model.cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for inputs, labels in loader:
    inputs = inputs.cuda(non_blocking=True)
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)  # expect: LC301
    loss.backward()
    optimizer.step()
