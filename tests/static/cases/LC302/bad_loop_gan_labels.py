"""GAN label tensors created per batch without device=."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"
netD = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1)).to(device)
optimizerD = torch.optim.Adam(netD.parameters(), lr=2e-4)
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for (real,) in loader:
    real = real.to(device)
    label = torch.full((real.size(0), 1), 1.0)  # expect: LC302
    optimizerD.zero_grad()
    errD = criterion(netD(real), label)
    errD.backward()
    optimizerD.step()
