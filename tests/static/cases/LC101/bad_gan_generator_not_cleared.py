"""A GAN whose discriminator is cleared every iteration but whose generator never is."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

generator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
discriminator = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
opt_g, opt_d = torch.optim.Adam(generator.parameters(), lr=2e-4), torch.optim.Adam(discriminator.parameters(), lr=2e-4)
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for epoch in range(3):
    for (real,) in loader:
        z = torch.randn(real.size(0), 4)
        fake = generator(z)
        opt_d.zero_grad()
        d_loss = criterion(discriminator(real), torch.ones(real.size(0), 1)) + \
            criterion(discriminator(fake.detach()), torch.zeros(real.size(0), 1))
        d_loss.backward()
        opt_d.step()
        g_loss = criterion(discriminator(fake), torch.ones(real.size(0), 1))
        g_loss.backward()
        opt_g.step()  # expect: LC101
