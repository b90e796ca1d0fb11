"""A trainer that builds an epoch StepLR and steps it in its batch loop."""
import torch
import torch.nn as nn
from torch.optim.lr_scheduler import StepLR


class Trainer:
    def __init__(self, model, train_loader, epochs=20):
        self.model = model
        self.train_loader = train_loader
        self.epochs = epochs
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.scheduler = StepLR(self.optimizer, step_size=10, gamma=0.5)

    def train_epoch(self):
        for inputs, targets in self.train_loader:
            self.optimizer.zero_grad()
            loss = nn.functional.mse_loss(self.model(inputs), targets)
            loss.backward()
            self.optimizer.step()
            self.scheduler.step()  # expect: LC114

    def fit(self):
        for _ in range(self.epochs):
            self.train_epoch()
