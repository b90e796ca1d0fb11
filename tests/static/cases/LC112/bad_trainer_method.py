"""A trainer whose step method steps the scaler and never updates it."""
import torch
import torch.nn as nn
from torch.cuda.amp import GradScaler, autocast


class Trainer:
    def __init__(self, model, loader):
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.model = model.to(self.device)
        self.loader = loader
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9)
        self.scaler = GradScaler(enabled=self.device.type == "cuda")

    def train_step(self, inputs, labels):
        inputs, labels = inputs.to(self.device), labels.to(self.device)
        self.optimizer.zero_grad(set_to_none=True)
        with autocast(enabled=self.device.type == "cuda"):
            loss = nn.functional.cross_entropy(self.model(inputs), labels)
        self.scaler.scale(loss).backward()
        self.scaler.step(self.optimizer)  # expect: LC112
        return loss.item()

    def fit(self, epochs):
        for _ in range(epochs):
            for inputs, labels in self.loader:
                self.train_step(inputs, labels)
