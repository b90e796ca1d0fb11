"""infoGAN: a third optimizer over the generator's and the discriminator's parameters is never
cleared itself, but the two others clear all of its parameters every iteration."""
import itertools

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

generator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
discriminator = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4)
opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4)
opt_info = torch.optim.Adam(itertools.chain(generator.parameters(), discriminator.parameters()), lr=2e-4)
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for epoch in range(3):
    for (real,) in loader:
        z = torch.randn(real.size(0), 4)
        fake = generator(z)
        opt_d.zero_grad()
        d_loss = criterion(discriminator(real), torch.ones(real.size(0), 1)) + \
            criterion(discriminator(fake.detach()), torch.zeros(real.size(0), 1))
        d_loss.backward(retain_graph=True)
        opt_d.step()
        opt_g.zero_grad()
        g_loss = criterion(discriminator(fake), torch.ones(real.size(0), 1))
        g_loss.backward(retain_graph=True)
        opt_g.step()
        info_loss = fake.pow(2).mean() + discriminator(fake).pow(2).mean()
        info_loss.backward()
        opt_info.step()
