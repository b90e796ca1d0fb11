"""Validation with grad enabled every epoch; the imported early-stopping object that follows is
handed the model and a Python number (.item()), never a tensor of the validation forwards: it
cannot run their backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from callbacks import EarlyStopping

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
val_loader = DataLoader(TensorDataset(torch.randn(32, 10), torch.randint(0, 2, (32,))), batch_size=8)
stopper = EarlyStopping(patience=3)

for epoch in range(20):
    model.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    val_loss = 0.0
    for inputs, labels in val_loader:
        outputs = model(inputs)  # expect: LC202
        val_loss += criterion(outputs, labels).item()
    stopper.check(val_loss, model)
    if stopper.should_stop:
        break
