"""A trainer class clipping scaled gradients."""
import torch
import torch.nn as nn


class Trainer:
    def __init__(self, model, loader, max_norm=1.0):
        self.model = model.cuda()
        self.loader = loader
        self.max_norm = max_norm
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-4)
        self.scaler = torch.cuda.amp.GradScaler()

    def train_epoch(self):
        for inputs, targets in self.loader:
            inputs, targets = inputs.cuda(), targets.cuda()
            self.optimizer.zero_grad()
            with torch.cuda.amp.autocast():
                loss = nn.functional.mse_loss(self.model(inputs), targets)
            self.scaler.scale(loss).backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), self.max_norm)  # expect: LC111
            self.scaler.step(self.optimizer)
            self.scaler.update()
