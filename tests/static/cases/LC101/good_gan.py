"""DCGAN-style loop: each optimizer is cleared before its own backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

netG = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
netD = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
optimizerD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
optimizerG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for epoch in range(3):
    for (real,) in loader:
        netD.zero_grad()
        errD_real = criterion(netD(real), torch.ones(real.size(0), 1))
        errD_real.backward()
        fake = netG(torch.randn(real.size(0), 4))
        errD_fake = criterion(netD(fake.detach()), torch.zeros(real.size(0), 1))
        errD_fake.backward()
        optimizerD.step()
        netG.zero_grad()
        errG = criterion(netD(fake), torch.ones(real.size(0), 1))
        errG.backward()
        optimizerG.step()
