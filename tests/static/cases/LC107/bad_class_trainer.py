"""A trainer whose train_step builds the optimizer on self every call."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.criterion = nn.CrossEntropyLoss()

    def train_step(self, inputs, labels):
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-3)  # expect: LC107
        self.optimizer.zero_grad()
        loss = self.criterion(self.model(inputs), labels)
        loss.backward()
        self.optimizer.step()

    def fit(self):
        for inputs, labels in self.loader:
            self.train_step(inputs, labels)


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
Trainer(nn.Linear(10, 2), loader).fit()
