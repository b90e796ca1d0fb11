"""The epoch runs in an imported function: it is assumed to step the optimizer."""
import torch
import torch.nn as nn

from engine import train_one_epoch

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30)

for epoch in range(90):
    train_one_epoch(model, optimizer, epoch)
    lr_scheduler.step()
