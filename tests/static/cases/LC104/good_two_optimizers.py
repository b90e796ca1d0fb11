"""GAN with one scheduler per optimizer, each after its optimizer's step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

netG = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
netD = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
optimizer_g = torch.optim.Adam(netG.parameters(), lr=2e-4)
optimizer_d = torch.optim.Adam(netD.parameters(), lr=2e-4)
scheduler_g = torch.optim.lr_scheduler.StepLR(optimizer_g, step_size=10)
scheduler_d = torch.optim.lr_scheduler.StepLR(optimizer_d, step_size=10)
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for epoch in range(20):
    for (real,) in loader:
        optimizer_d.zero_grad()
        fake = netG(torch.randn(real.size(0), 4))
        d_loss = criterion(netD(real), torch.ones(real.size(0), 1)) + \
            criterion(netD(fake.detach()), torch.zeros(real.size(0), 1))
        d_loss.backward()
        optimizer_d.step()
        optimizer_g.zero_grad()
        g_loss = criterion(netD(fake), torch.ones(real.size(0), 1))
        g_loss.backward()
        optimizer_g.step()
    scheduler_d.step()
    scheduler_g.step()
