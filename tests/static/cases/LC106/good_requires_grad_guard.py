"""One epoch function for training and validation: it backpropagates only when the loss has a
graph (`if loss.requires_grad:`), and validation calls it under no_grad()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.2), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters())
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
val_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)


def run_epoch(model, loader, optimizer=None):
    total = 0.0
    for inputs, labels in loader:
        loss = nn.functional.cross_entropy(model(inputs), labels)
        if loss.requires_grad:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total += loss.item()
    return total / len(loader)


for epoch in range(3):
    model.train()
    train_loss = run_epoch(model, train_loader, optimizer)
    model.eval()
    with torch.no_grad():
        val_loss = run_epoch(model, val_loader)
