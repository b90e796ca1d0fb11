"""After every epoch the generator is put in eval() and a sampling helper's output, detached
and converted to numpy, is kept for a figure: an evaluation forward with grad enabled, not a
training forward left in eval mode (the list's append() cannot run a backward)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

gen = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4))
disc = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
g_optimizer = torch.optim.Adam(gen.parameters(), lr=2e-4)
d_optimizer = torch.optim.Adam(disc.parameters(), lr=2e-4)
loss_fn = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(256, 4)), batch_size=32)
fixed_z = torch.randn(32, 8)


def d_train(real):
    d_optimizer.zero_grad()
    fake = gen(torch.randn(real.size(0), 8))
    loss = loss_fn(disc(real), torch.ones(real.size(0), 1)) + \
        loss_fn(disc(fake.detach()), torch.zeros(real.size(0), 1))
    loss.backward()
    d_optimizer.step()


def g_train(real):
    g_optimizer.zero_grad()
    fake = gen(torch.randn(real.size(0), 8))
    loss = loss_fn(disc(fake), torch.ones(real.size(0), 1))
    loss.backward()
    g_optimizer.step()


def create_samples(g_model, z):
    return (g_model(z) + 1) / 2.0  # expect: LC202


epoch_samples = []
for epoch in range(5):
    gen.train()
    for (real,) in loader:
        d_train(real)
        g_train(real)
    gen.eval()
    epoch_samples.append(create_samples(gen, fixed_z).detach().cpu().numpy())
