"""A trainer with accumulation whose clear runs every batch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader, accumulate=4):
        self.model = model
        self.loader = loader
        self.accumulate = accumulate
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.criterion = nn.CrossEntropyLoss()

    def train_epoch(self):
        for i, (inputs, labels) in enumerate(self.loader):
            self.model.zero_grad()  # expect: LC105
            loss = self.criterion(self.model(inputs), labels) / self.accumulate
            loss.backward()
            if (i + 1) % self.accumulate == 0:
                self.optimizer.step()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
trainer = Trainer(nn.Linear(10, 2), loader)
for epoch in range(3):
    trainer.train_epoch()
