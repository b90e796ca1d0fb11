"""Clearing gradients by hand with `p.grad = None` (the memory-friendly idiom) instead of
optimizer.zero_grad(); cosine schedule stepped per batch."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class Autoregressive(nn.Module):
    def __init__(self, dim=8, hidden=32):
        super().__init__()
        self.gru = nn.GRU(dim, hidden, batch_first=True)
        self.dropout = nn.Dropout(0.1)
        self.out = nn.Linear(hidden, dim)

    def forward(self, seq):
        h, _ = self.gru(seq)
        return self.out(self.dropout(h))


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    series = torch.cumsum(torch.randn(40, 11, 8) * 0.1, dim=1)
    loader = DataLoader(TensorDataset(series[:, :-1], series[:, 1:]), batch_size=8, shuffle=True)

    model = Autoregressive().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    total_steps = 2 * len(loader)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 0.5 * (1 + math.cos(math.pi * s / total_steps)))

    model.train()
    for epoch in range(2):
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            for p in model.parameters():
                p.grad = None
            loss = F.mse_loss(model(inputs), targets)
            loss.backward()
            optimizer.step()
            scheduler.step()
        print(f"epoch {epoch}: loss {loss.item():.5f} lr {scheduler.get_last_lr()[0]:.2e}")


if __name__ == "__main__":
    main()
