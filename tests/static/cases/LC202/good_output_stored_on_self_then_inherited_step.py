"""A trainer keeps the output on self and calls a step method it inherits from an imported base
class: that method can reach self.output."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from framework import BaseTrainer


class FrozenStatsTrainer(BaseTrainer):
    def __init__(self, loader):
        self.model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2))
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.01)
        self.loader = loader

    def fit(self, epochs):
        self.model.eval()
        for epoch in range(epochs):
            for inputs, labels in self.loader:
                self.output = self.model(inputs)
                self.target = labels
                self.backward_and_step(self.optimizer)


trainer = FrozenStatsTrainer(DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8))
trainer.fit(3)
