"""GAN: each clear precedes its own optimizer's backward and step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

G = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8))
D = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4)
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4)
optimizers = [opt_g, opt_d]
criterion = nn.BCEWithLogitsLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)

for (real,) in loader:
    for opt in optimizers:
        opt.zero_grad()
    fake = G(torch.randn(real.size(0), 4))
    d_loss = criterion(D(real), torch.ones(real.size(0), 1)) + criterion(D(fake.detach()), torch.zeros(real.size(0), 1))
    d_loss.backward()
    opt_d.step()
    opt_g.zero_grad()
    g_loss = criterion(D(fake), torch.ones(real.size(0), 1))
    g_loss.backward()
    opt_g.step()
