"""A trainer method clears with set_to_none=True after backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
        self.loss_fn = nn.CrossEntropyLoss()

    def step(self, inputs, labels):
        loss = self.loss_fn(self.model(inputs), labels)
        loss.backward()
        self.optimizer.zero_grad(set_to_none=True)  # expect: LC102
        self.optimizer.step()
        return loss.item()

    def run(self, epochs):
        for _ in range(epochs):
            for inputs, labels in self.loader:
                self.step(inputs, labels)


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
Trainer(nn.Linear(10, 2), loader).run(2)
