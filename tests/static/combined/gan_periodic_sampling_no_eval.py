"""A GAN samples its generator every 100 batches, in train mode and with grad on, from fixed
noise (no held-out data): deliberate batch statistics are common there, so stay silent."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

netG = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4))
netD = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
opt_g = torch.optim.Adam(netG.parameters(), lr=2e-4)
opt_d = torch.optim.Adam(netD.parameters(), lr=2e-4)
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(256, 4)), batch_size=32)
fixed_noise = torch.randn(32, 8)
samples = []

for i, (real,) in enumerate(loader):
    fake = netG(torch.randn(real.size(0), 8))
    opt_d.zero_grad()
    loss_d = criterion(netD(real), torch.ones(real.size(0), 1)) + \
        criterion(netD(fake.detach()), torch.zeros(real.size(0), 1))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = criterion(netD(fake), torch.ones(real.size(0), 1))
    loss_g.backward()
    opt_g.step()
    if i % 100 == 0:
        samples.append(netG(fixed_noise))
