"""A GAN whose generator keeps frozen batch-norm statistics (eval mode): the fakes are handed to
imported discriminator and generator updates, the latter backpropagating into the generator."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from gan_steps import adversarial_update, real_fake_update

generator = nn.Sequential(nn.Linear(16, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 10))
discriminator = nn.Sequential(nn.Linear(10, 64), nn.LeakyReLU(0.2), nn.Linear(64, 1))
g_optimizer = torch.optim.Adam(generator.parameters(), lr=2e-4)
d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=2e-4)
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=8)

generator.eval()
for epoch in range(3):
    for (real,) in loader:
        noise = torch.randn(real.size(0), 16)
        fake = generator(noise)
        real_fake_update(discriminator, d_optimizer, real, fake.detach())
        adversarial_update(discriminator, g_optimizer, fake)
