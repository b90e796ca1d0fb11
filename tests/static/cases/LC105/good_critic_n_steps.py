"""WGAN: the critic steps every batch, the generator every n_critic batches; each is
cleared right before its own backward."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

generator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
critic = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
optimizer_G = torch.optim.RMSprop(generator.parameters(), lr=5e-5)
optimizer_D = torch.optim.RMSprop(critic.parameters(), lr=5e-5)
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)
n_critic = 5

for epoch in range(3):
    for i, (real,) in enumerate(loader):
        optimizer_D.zero_grad()
        fake = generator(torch.randn(real.size(0), 4)).detach()
        loss_D = -torch.mean(critic(real)) + torch.mean(critic(fake))
        loss_D.backward()
        optimizer_D.step()
        if i % n_critic == 0:
            optimizer_G.zero_grad()
            loss_G = -torch.mean(critic(generator(torch.randn(real.size(0), 4))))
            loss_G.backward()
            optimizer_G.step()
