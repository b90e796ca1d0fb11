"""A trainer that sums epoch loss tensors on self."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.Adam(model.parameters())
        self.criterion = nn.CrossEntropyLoss()
        self.epoch_loss = 0.0

    def train_epoch(self):
        for inputs, labels in self.loader:
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(inputs), labels)
            loss.backward()
            self.optimizer.step()
            self.epoch_loss += loss  # expect: LC401


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
trainer = Trainer(nn.Linear(10, 2), loader)
for epoch in range(3):
    trainer.train_epoch()
