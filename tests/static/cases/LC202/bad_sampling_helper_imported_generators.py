"""PyTorch-GAN style: generators of an imported class with names that say nothing (G_AB),
known as models because an optimizer trains their parameters; the sampling helper sets
eval() and runs them without no_grad() every few hundred batches."""
import itertools

import torch
from torch.utils.data import DataLoader, TensorDataset

from models import Discriminator, GeneratorUNet

G_AB, G_BA = GeneratorUNet(), GeneratorUNet()
D_A = Discriminator()
optimizer_G = torch.optim.Adam(itertools.chain(G_AB.parameters(), G_BA.parameters()), lr=2e-4)
optimizer_D = torch.optim.Adam(D_A.parameters(), lr=2e-4)
criterion = torch.nn.MSELoss()
dataloader = DataLoader(TensorDataset(torch.randn(64, 3), torch.randn(64, 3)), batch_size=8)
val_dataloader = DataLoader(TensorDataset(torch.randn(16, 3), torch.randn(16, 3)), batch_size=8)


def sample_images():
    real_A, real_B = next(iter(val_dataloader))
    G_AB.eval()
    fake_B = G_AB(real_A)  # expect: LC202
    return fake_B.detach()


for epoch in range(5):
    for i, (real_A, real_B) in enumerate(dataloader):
        G_AB.train()
        optimizer_G.zero_grad()
        fake_B = G_AB(real_A)
        loss_G = criterion(D_A(fake_B), torch.ones(8, 1)) + criterion(G_BA(fake_B), real_A)
        loss_G.backward()
        optimizer_G.step()
        optimizer_D.zero_grad()
        loss_D = criterion(D_A(real_B), torch.ones(8, 1)) + criterion(D_A(fake_B.detach()), torch.zeros(8, 1))
        loss_D.backward()
        optimizer_D.step()
        if i % 400 == 0:
            sample_images()
