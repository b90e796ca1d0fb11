"""A trainer's validate() switches to eval() but keeps grad enabled."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.criterion = nn.CrossEntropyLoss()

    def train_epoch(self):
        self.model.train()
        for inputs, labels in self.loader:
            self.optimizer.zero_grad()
            self.criterion(self.model(inputs), labels).backward()
            self.optimizer.step()

    def validate(self):
        self.model.eval()
        correct = 0
        for inputs, labels in self.loader:
            preds = self.model(inputs).argmax(dim=1)  # expect: LC202
            correct += (preds == labels).sum().item()
        return correct

    def fit(self, epochs):
        for _ in range(epochs):
            self.train_epoch()
            self.validate()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
Trainer(nn.Sequential(nn.Linear(10, 8), nn.Dropout(0.1), nn.Linear(8, 2)), loader).fit(2)
