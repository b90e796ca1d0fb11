"""A no_grad() accuracy check on held-back data inside each training step, with Dropout on: its
output is only logged, never trained on, so it is an evaluation in train mode."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.3), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
x_val, y_val = torch.randn(16, 10), torch.randint(0, 2, (16,))

for epoch in range(3):
    for inputs, labels in loader:
        with torch.no_grad():
            val_acc = (model(x_val).argmax(1) == y_val).float().mean().item()  # expect: LC201
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        print(loss.item(), val_acc)
