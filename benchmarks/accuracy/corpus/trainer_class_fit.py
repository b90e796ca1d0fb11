"""A reusable Trainer class: the model, optimizer and scheduler live on self, the loop is split
into train_epoch()/validate()/fit(), with checkpointing of the best weights."""
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class ConvClassifier(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv1d(2, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.Conv1d(16, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(16, n_classes))

    def forward(self, signal):
        return self.classifier(self.backbone(signal))


class Trainer:
    def __init__(self, model, train_loader, val_loader, lr=1e-3, epochs=2, device=None):
        self.device = device or torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.model = model.to(self.device)
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.epochs = epochs
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=lr)
        self.scheduler = torch.optim.lr_scheduler.ExponentialLR(self.optimizer, gamma=0.9)
        self.best_loss = float("inf")
        self.best_state = None

    def train_epoch(self):
        self.model.train()
        total = 0.0
        for signal, label in self.train_loader:
            signal, label = signal.to(self.device), label.to(self.device)
            self.optimizer.zero_grad()
            logits = self.model(signal)
            loss = self.criterion(logits, label)
            loss.backward()
            self.optimizer.step()
            total += loss.item()
        return total / len(self.train_loader)

    def validate(self):
        self.model.eval()
        total = 0.0
        with torch.no_grad():
            for signal, label in self.val_loader:
                signal, label = signal.to(self.device), label.to(self.device)
                total += self.criterion(self.model(signal), label).item()
        return total / len(self.val_loader)

    def fit(self):
        for epoch in range(self.epochs):
            train_loss = self.train_epoch()
            val_loss = self.validate()
            self.scheduler.step()
            if val_loss < self.best_loss:
                self.best_loss = val_loss
                self.best_state = copy.deepcopy(self.model.state_dict())
            print(f"epoch {epoch}: train {train_loss:.4f} val {val_loss:.4f}")
        return self.best_state


if __name__ == "__main__":
    torch.manual_seed(0)
    signals = torch.randn(48, 2, 32)
    labels = torch.randint(0, 3, (48,))
    train_dl = DataLoader(TensorDataset(signals[:32], labels[:32]), batch_size=8, shuffle=True)
    val_dl = DataLoader(TensorDataset(signals[32:], labels[32:]), batch_size=8)
    Trainer(ConvClassifier(), train_dl, val_dl).fit()
