"""Optional clipping, on scaled gradients."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
parser = argparse.ArgumentParser()
parser.add_argument("--clip-grad", type=float, default=0.0)
args = parser.parse_args()
scaler = torch.cuda.amp.GradScaler()

for inputs, labels in loader:
    inputs, labels = inputs.to(device), labels.to(device)
    optimizer.zero_grad()
    with torch.autocast(device_type=device.type):
        loss = criterion(model(inputs), labels)
    scaler.scale(loss).backward()
    if args.clip_grad > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip_grad)  # expect: LC111
    scaler.step(optimizer)
    scaler.update()
