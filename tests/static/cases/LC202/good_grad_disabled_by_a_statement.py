"""`torch.set_grad_enabled(False)` called as a statement: grad stays off for the rest of the function."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.1), nn.Linear(10, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
val_loader = DataLoader(TensorDataset(torch.randn(16, 10), torch.randint(0, 2, (16,))), batch_size=8)


def run_eval(model, val_loader):
    model.eval()
    torch.set_grad_enabled(False)
    correct = 0
    for inputs, labels in val_loader:
        correct += (model(inputs).argmax(1) == labels).sum().item()
    torch.set_grad_enabled(True)
    return correct


for epoch in range(3):
    model.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()
    print(run_eval(model, val_loader))
