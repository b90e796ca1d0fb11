"""A trainer that moves its model but not the batch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader, device="cuda"):
        self.device = device
        self.model = model.to(device)
        self.loader = loader
        self.optimizer = torch.optim.Adam(self.model.parameters())
        self.criterion = nn.MSELoss()

    def train_epoch(self):
        for x, y in self.loader:
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(x), y.to(self.device))  # expect: LC301
            loss.backward()
            self.optimizer.step()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64, 1)), batch_size=8)
trainer = Trainer(nn.Linear(10, 1), loader)
for epoch in range(3):
    trainer.train_epoch()
