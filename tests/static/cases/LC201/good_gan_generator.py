"""GAN: the generator's forward feeds the discriminator's and generator's backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

netG = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 8))
netD = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(16, 1))
optG = torch.optim.Adam(netG.parameters(), lr=2e-4)
optD = torch.optim.Adam(netD.parameters(), lr=2e-4)
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for epoch in range(3):
    for (real,) in loader:
        noise = torch.randn(real.size(0), 4)
        fake = netG(noise)
        optD.zero_grad()
        lossD = criterion(netD(real), torch.ones(real.size(0), 1)) + \
            criterion(netD(fake.detach()), torch.zeros(real.size(0), 1))
        lossD.backward()
        optD.step()
        optG.zero_grad()
        lossG = criterion(netD(fake), torch.ones(real.size(0), 1))
        lossG.backward()
        optG.step()
