"""The GradScaler steps the optimizer."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
scaler = torch.cuda.amp.GradScaler(enabled=torch.cuda.is_available())
for inputs, labels in train_loader:
    optimizer.zero_grad()
    with torch.autocast("cuda", enabled=torch.cuda.is_available()):
        loss = criterion(model(inputs), labels)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
