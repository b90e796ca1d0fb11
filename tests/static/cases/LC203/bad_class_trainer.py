"""A trainer that switches to eval() in validate() and never back."""
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
        for inputs, labels in self.loader:
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(inputs), labels)  # expect: LC203
            loss.backward()
            self.optimizer.step()

    @torch.no_grad()
    def validate(self):
        self.model.eval()
        return [self.model(inputs).argmax(1) for inputs, _ in self.loader]

    def fit(self, epochs):
        self.model.train()
        for _ in range(epochs):
            self.train_epoch()
            self.validate()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
trainer = Trainer(nn.Sequential(nn.Linear(10, 8), nn.Dropout(0.1), nn.Linear(8, 2)), loader)
trainer.fit(3)
