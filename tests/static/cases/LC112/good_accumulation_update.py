"""Accumulation with AMP, stepping and updating together every k batches."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
scaler = torch.cuda.amp.GradScaler()
accumulation_steps = 4

for i, (inputs, labels) in enumerate(loader):
    inputs, labels = inputs.to(device), labels.to(device)
    with torch.autocast(device_type=device.type):
        loss = criterion(model(inputs), labels) / accumulation_steps
    scaler.scale(loss).backward()
    if (i + 1) % accumulation_steps == 0:
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad()
