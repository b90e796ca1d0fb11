"""The scaled loss kept in a name, clip imported by name."""
from torch.nn.utils import clip_grad_norm_

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
scaler = torch.amp.GradScaler("cuda")

for inputs, labels in loader:
    inputs, labels = inputs.to(device), labels.to(device)
    optimizer.zero_grad()
    with torch.autocast(device_type=device.type):
        loss = criterion(model(inputs), labels)
    scaled = scaler.scale(loss)
    scaled.backward()
    clip_grad_norm_(model.parameters(), max_norm=5.0)  # expect: LC111
    scaler.step(optimizer)
    scaler.update()
