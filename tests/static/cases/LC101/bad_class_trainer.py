"""A class-based trainer whose epoch method never clears gradients."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader, lr=0.1):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        self.criterion = nn.CrossEntropyLoss()

    def train_epoch(self):
        self.model.train()
        for inputs, labels in self.loader:
            loss = self.criterion(self.model(inputs), labels)
            loss.backward()
            self.optimizer.step()  # expect: LC101

    def fit(self, epochs):
        for _ in range(epochs):
            self.train_epoch()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
Trainer(nn.Linear(10, 2), loader).fit(3)
