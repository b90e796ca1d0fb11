"""A trainer whose validate() never calls self.model.eval()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, train_loader, val_loader):
        self.model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.2), nn.Linear(32, 2))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.criterion = nn.CrossEntropyLoss()
        self.train_loader = train_loader
        self.val_loader = val_loader

    def train_epoch(self):
        self.model.train()
        for inputs, labels in self.train_loader:
            self.optimizer.zero_grad()
            self.criterion(self.model(inputs), labels).backward()
            self.optimizer.step()

    def validate(self):
        losses = []
        with torch.no_grad():
            for inputs, labels in self.val_loader:
                losses.append(self.criterion(self.model(inputs), labels).item())  # expect: LC201
        return sum(losses) / len(losses)

    def fit(self, epochs):
        for _ in range(epochs):
            self.train_epoch()
            self.validate()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
Trainer(loader, loader).fit(3)
