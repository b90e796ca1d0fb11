"""nanoGPT-style periodic evaluation inside a while loop without eval()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
val_loader = DataLoader(TensorDataset(torch.randn(32, 10), torch.randint(0, 2, (32,))), batch_size=8)

it = 0
batches = iter(train_loader)
while it < 1000:
    if it % 100 == 0:
        with torch.no_grad():
            for inputs, labels in val_loader:
                val_loss = criterion(model(inputs), labels)  # expect: LC201
        print(it, val_loss.item())
    inputs, labels = next(batches)
    optimizer.zero_grad(set_to_none=True)
    loss = criterion(model(inputs), labels)
    loss.backward()
    optimizer.step()
    it += 1
