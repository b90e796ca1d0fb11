"""A trainer computing the loss under inference_mode()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def fit(self, epochs):
        for _ in range(epochs):
            for x, y in self.loader:
                self.optimizer.zero_grad()
                with torch.inference_mode():
                    pred = self.model(x)
                loss = nn.functional.mse_loss(pred, y)
                loss.backward()  # expect: LC106
                self.optimizer.step()


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64, 1)), batch_size=8)
Trainer(nn.Linear(10, 1), loader).fit(2)
