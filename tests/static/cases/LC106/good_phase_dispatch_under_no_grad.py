"""One loop function serves every phase: backward() runs only under `if phase == Phase.TRAIN`,
and the call under torch.no_grad() passes another phase, so no backward runs there."""
import enum

import torch
import torch.nn as nn


class Phase(enum.Enum):
    TRAIN = 0
    VAL = 1


model = nn.Linear(8, 2)
optimizer = torch.optim.Adam(model.parameters())
loss_fn = nn.CrossEntropyLoss()
x, y = torch.randn(32, 8), torch.randint(0, 2, (32,))


def run_phase(phase, epoch=0):
    if phase == Phase.TRAIN:
        model.train()
    else:
        model.eval()
    loss = loss_fn(model(x), y)
    if phase == Phase.TRAIN:
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


for epoch in range(5):
    run_phase(phase=Phase.TRAIN, epoch=epoch)
    with torch.no_grad():
        run_phase(phase=Phase.VAL, epoch=epoch)
