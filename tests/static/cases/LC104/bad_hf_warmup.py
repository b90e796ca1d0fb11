"""transformers-style warmup schedule stepped before the optimizer in a while loop."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from transformers import get_linear_schedule_with_warmup

model = nn.Linear(10, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
lr_scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=10, num_training_steps=100)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

completed_steps = 0
data = iter(loader)
while completed_steps < 100:
    inputs, labels = next(data)
    loss = criterion(model(inputs), labels)
    loss.backward()
    lr_scheduler.step()  # expect: LC104
    optimizer.step()
    optimizer.zero_grad()
    completed_steps += 1
