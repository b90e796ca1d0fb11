"""A loss helper adds two terms into a name it sets afresh on every call: one loss, not an
accumulator across iterations."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

netD = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
optimizer = torch.optim.Adam(netD.parameters(), lr=2e-4)
loader = DataLoader(TensorDataset(torch.randn(64, 4), torch.randn(64, 4)), batch_size=8)


def discriminator_loss(real, fake):
    decision_real, decision_fake = netD(real), netD(fake)
    loss = F.mse_loss(decision_real, torch.ones_like(decision_real))
    loss += F.mse_loss(decision_fake, torch.zeros_like(decision_fake))
    return loss


for epoch in range(3):
    for real, fake in loader:
        optimizer.zero_grad()
        d_loss = discriminator_loss(real, fake)
        d_loss.backward()
        optimizer.step()
