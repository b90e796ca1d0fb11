"""A step-based while loop over an iterator (nanoGPT style) without zero_grad."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

max_iters = 100
it = 0
batches = iter(loader)
while it < max_iters:
    inputs, labels = next(batches)
    loss = criterion(model(inputs), labels)
    loss.backward()
    optimizer.step()  # expect: LC101
    it += 1
