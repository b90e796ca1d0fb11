"""A trainer that "moves" its batch with bare statements."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader):
        self.device = torch.device("cuda")
        self.model = model.to(self.device)
        self.loader = loader
        self.optimizer = torch.optim.Adam(self.model.parameters())

    def train_epoch(self):
        for x, y in self.loader:
            x = x.to(self.device)
            y.to(self.device)  # expect: LC304
            self.optimizer.zero_grad()
            loss = nn.functional.mse_loss(self.model(x), y)
            loss.backward()
            self.optimizer.step()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64, 1)), batch_size=8)
Trainer(nn.Linear(10, 1), loader).train_epoch()
