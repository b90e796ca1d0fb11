"""A regression net whose forward() ends in a Linear(16, 1) head; the target is flattened to 1-D."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(8, 16)
        self.head = nn.Linear(16, 1)

    def forward(self, x):
        return self.head(F.relu(self.hidden(x)))


def train(model, optimizer, batches):
    model.train()
    for inputs, targets in batches:
        inputs = inputs.view(-1, 8)
        targets = targets.view(-1)
        optimizer.zero_grad()
        loss = F.l1_loss(model(inputs), targets)  # expect: LC601
        loss.backward()
        optimizer.step()


model = Regressor()
train(model, torch.optim.Adam(model.parameters()), [])
