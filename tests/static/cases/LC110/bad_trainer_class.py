"""A trainer wrapping its model in DDP, accumulating over micro-batches."""
import torch
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP


class Trainer:
    def __init__(self, model, loader, accum_steps=4):
        self.model = DDP(model)
        self.loader = loader
        self.accum_steps = accum_steps
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-4)

    def train_epoch(self):
        for step, (inputs, targets) in enumerate(self.loader):
            loss = nn.functional.mse_loss(self.model(inputs), targets) / self.accum_steps
            loss.backward()  # expect: LC110
            if (step + 1) % self.accum_steps == 0:
                self.optimizer.step()
                self.optimizer.zero_grad()
