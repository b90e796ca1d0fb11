"""accelerate: prepared loaders yield batches already on the device."""
import torch
import torch.nn as nn
from accelerate import Accelerator
from torch.utils.data import DataLoader, TensorDataset

accelerator = Accelerator()
model = nn.Linear(10, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
train_dataloader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
model, optimizer, train_dataloader = accelerator.prepare(model, optimizer, train_dataloader)

for epoch in range(3):
    for inputs, labels in train_dataloader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        accelerator.backward(loss)
        optimizer.step()
