"""Summing loss tensors under no_grad keeps no graph."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

model.eval()
val_loss = 0.0
with torch.no_grad():
    for inputs, labels in loader:
        val_loss += criterion(model(inputs), labels)
print(val_loss.item() / len(loader))
