"""model.zero_grad() in a class-based trainer, after the step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.criterion = nn.CrossEntropyLoss()

    def train(self, epochs):
        for _ in range(epochs):
            for inputs, labels in self.loader:
                loss = self.criterion(self.model(inputs), labels)
                loss.backward()
                self.optimizer.step()
                self.model.zero_grad()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
Trainer(nn.Linear(10, 2), loader).train(3)
