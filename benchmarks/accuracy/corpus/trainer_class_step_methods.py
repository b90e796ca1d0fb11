"""Trainer with per-batch methods (training_step / eval_step) called by a step-driven loop,
clearing gradients with model.zero_grad() and evaluating every `eval_every` steps."""
import itertools

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class TabularNet(nn.Module):
    def __init__(self, d_in, d_hidden=32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(d_in, d_hidden), nn.ReLU(), nn.Dropout(0.2), nn.Linear(d_hidden, d_hidden), nn.ReLU(), nn.Linear(d_hidden, 1)
        )

    def forward(self, x):
        return self.net(x).squeeze(-1)


class StepTrainer:
    def __init__(self, net, optim, device, eval_every=4):
        self.net = net
        self.optim = optim
        self.device = device
        self.eval_every = eval_every
        self.loss_fn = nn.BCEWithLogitsLoss()

    def training_step(self, batch):
        x, y = (t.to(self.device) for t in batch)
        self.net.zero_grad()
        logits = self.net(x)
        loss = self.loss_fn(logits, y)
        loss.backward()
        self.optim.step()
        return loss.item()

    @torch.no_grad()
    def eval_step(self, batch):
        x, y = (t.to(self.device) for t in batch)
        logits = self.net(x)
        return ((logits > 0).float() == y).float().mean().item()

    def run(self, train_loader, val_loader, max_steps):
        batches = itertools.cycle(train_loader)
        step = 0
        self.net.train()
        while step < max_steps:
            loss = self.training_step(next(batches))
            step += 1
            if step % self.eval_every == 0:
                self.net.eval()
                accs = [self.eval_step(b) for b in val_loader]
                self.net.train()
                print(f"step {step}: loss {loss:.4f} val acc {sum(accs) / len(accs):.3f}")


def main():
    torch.manual_seed(1)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x = torch.randn(64, 6)
    y = (x[:, 0] + x[:, 1] > 0).float()
    train_loader = DataLoader(TensorDataset(x[:48], y[:48]), batch_size=8, shuffle=True)
    val_loader = DataLoader(TensorDataset(x[48:], y[48:]), batch_size=8)
    net = TabularNet(6).to(device)
    optim = torch.optim.RMSprop(net.parameters(), lr=1e-3)
    StepTrainer(net, optim, device).run(train_loader, val_loader, max_steps=8)


if __name__ == "__main__":
    main()
