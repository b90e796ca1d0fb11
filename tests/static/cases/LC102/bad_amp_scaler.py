"""AMP: the clear sits between scaler.scale(loss).backward() and scaler.step()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.cuda.amp.GradScaler()
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    inputs, labels = inputs.to(device), labels.to(device)
    with torch.autocast("cuda"):
        loss = criterion(model(inputs), labels)
    scaler.scale(loss).backward()
    optimizer.zero_grad()  # expect: LC102
    scaler.step(optimizer)
    scaler.update()
