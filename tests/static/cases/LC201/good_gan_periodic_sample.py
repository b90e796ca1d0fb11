"""A GAN samples its generator every 100 batches inside training, in train mode on purpose."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"
netG = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4)).to(device)
netD = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1)).to(device)
opt_g = torch.optim.Adam(netG.parameters(), lr=2e-4)
opt_d = torch.optim.Adam(netD.parameters(), lr=2e-4)
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(256, 4)), batch_size=32)
fixed_noise = torch.randn(32, 8, device=device)
samples = []

for i, (real,) in enumerate(loader):
    real = real.to(device)
    noise = torch.randn(real.size(0), 8, device=device)
    fake = netG(noise)
    opt_d.zero_grad()
    loss_d = criterion(netD(real), torch.ones(real.size(0), 1, device=device)) + \
        criterion(netD(fake.detach()), torch.zeros(real.size(0), 1, device=device))
    loss_d.backward()
    opt_d.step()
    opt_g.zero_grad()
    loss_g = criterion(netD(fake), torch.ones(real.size(0), 1, device=device))
    loss_g.backward()
    opt_g.step()
    if i % 100 == 0:
        samples.append(netG(fixed_noise).detach().cpu())
