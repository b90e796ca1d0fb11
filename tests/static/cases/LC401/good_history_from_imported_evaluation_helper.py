"""`evaluate_model(model, train_loader, val_loader)` of an installed package returns numbers
(it runs under no_grad and calls .item()); its name ends like a model's, but it is a function
handed the model, not a model."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from mybook.chapter5 import evaluate_model

model = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.1), nn.Linear(10, 2))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
val_loader = DataLoader(TensorDataset(torch.randn(16, 10), torch.randint(0, 2, (16,))), batch_size=8)

train_losses, val_losses = [], []
for epoch in range(3):
    model.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(inputs), labels)
        loss.backward()
        optimizer.step()
    train_loss, val_loss = evaluate_model(model, train_loader, val_loader)
    train_losses.append(train_loss)
    val_losses.append(val_loss)
