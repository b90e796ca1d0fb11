"""A third optimizer over the generator and an encoder: the generator's optimizer clears only
part of its parameters, so the encoder's gradients pile up across iterations."""
import itertools

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

generator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
encoder = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4)
opt_shared = torch.optim.Adam(itertools.chain(generator.parameters(), encoder.parameters()), lr=2e-4)
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for epoch in range(3):
    for (real,) in loader:
        z = encoder(real)
        fake = generator(z)
        opt_g.zero_grad()
        loss = (fake - real).pow(2).mean()
        loss.backward()
        opt_g.step()
        opt_shared.step()  # expect: LC101
