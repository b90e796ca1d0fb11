"""A trainer that builds the optimizer in a method called once, before its loop."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.criterion = nn.CrossEntropyLoss()

    def configure_optimizers(self):
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-3)

    def fit(self, epochs):
        self.configure_optimizers()
        for _ in range(epochs):
            for inputs, labels in self.loader:
                self.optimizer.zero_grad()
                loss = self.criterion(self.model(inputs), labels)
                loss.backward()
                self.optimizer.step()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
Trainer(nn.Linear(10, 2), loader).fit(3)
