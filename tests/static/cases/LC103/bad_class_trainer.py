"""A trainer that steps before backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, train_loader):
        self.model = model
        self.train_loader = train_loader
        self.optimizer = torch.optim.Adam(model.parameters())
        self.criterion = nn.MSELoss()

    def train_one_epoch(self):
        for x, y in self.train_loader:
            self.optimizer.zero_grad()
            pred = self.model(x)
            loss = self.criterion(pred, y)
            self.optimizer.step()  # expect: LC103
            loss.backward()


trainer = Trainer(nn.Linear(10, 1), DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64, 1)), batch_size=8))
for epoch in range(3):
    trainer.train_one_epoch()
