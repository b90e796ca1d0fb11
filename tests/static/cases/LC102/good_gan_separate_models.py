"""GAN: the discriminator's clear between the generator's backward and step concerns
another optimizer (each optimizer owns its own model)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

generator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
discriminator = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4)
opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4)
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for (real,) in loader:
    opt_g.zero_grad()
    fake = generator(torch.randn(real.size(0), 4))
    g_loss = criterion(discriminator(fake), torch.ones(real.size(0), 1))
    g_loss.backward()
    opt_d.zero_grad()
    opt_g.step()
    d_loss = criterion(discriminator(real), torch.ones(real.size(0), 1)) + \
        criterion(discriminator(fake.detach()), torch.zeros(real.size(0), 1))
    d_loss.backward()
    opt_d.step()
