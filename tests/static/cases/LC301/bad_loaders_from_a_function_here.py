"""The look-alike: the loader comes from a function of this file, which builds a plain DataLoader
over CPU tensors, and the loop never moves the batch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def get_loaders():
    data = TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)))
    return DataLoader(data, batch_size=8), DataLoader(data, batch_size=8)


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader, val_loader = get_loaders()
for inputs, labels in train_loader:
    loss = nn.functional.cross_entropy(model(inputs), labels.to(device))  # expect: LC301
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
