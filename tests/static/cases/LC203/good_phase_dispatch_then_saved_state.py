"""One loop function serves every phase and sets the mode the phase needs (train() for
Phase.TRAIN, eval() otherwise); after training one test call, then the model's state is
packed by another module's helper straight into torch.save: the helper trains nothing."""
import enum

import run_utils

import torch
import torch.nn as nn


class Phase(enum.Enum):
    TRAIN = 0
    VAL = 1
    TEST = 2


model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5), nn.Linear(8, 2))
optimizer = torch.optim.Adam(model.parameters())
loss_fn = nn.CrossEntropyLoss()
features, labels = torch.randn(64, 8), torch.randint(0, 2, (64,))


def run_phase(phase, epoch=0):
    if phase == Phase.TRAIN:
        model.train()
    else:
        model.eval()
    scores = model(features)
    loss = loss_fn(scores, labels)
    if phase == Phase.TRAIN:
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    accuracy = (scores.argmax(-1) == labels).float().mean().item()
    if phase == Phase.TEST:
        return accuracy


for epoch in range(5):
    run_phase(phase=Phase.TRAIN, epoch=epoch)
    with torch.no_grad():
        run_phase(phase=Phase.VAL, epoch=epoch)

test_acc = run_phase(phase=Phase.TEST)
torch.save(run_utils.get_training_state({"epochs": 5}, model), "model.pth")
