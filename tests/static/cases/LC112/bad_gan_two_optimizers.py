"""A GAN with one scaler for both players and no update()."""
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--amp", action="store_true")
args = parser.parse_args()
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
generator = nn.Sequential(nn.Linear(8, 16), nn.Tanh()).to(device)
discriminator = nn.Sequential(nn.Linear(16, 1)).to(device)
opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4)
opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4)
scaler = torch.amp.GradScaler("cuda", enabled=args.amp)
bce = nn.BCEWithLogitsLoss()

for step in range(100):
    real = torch.randn(32, 16, device=device)
    noise = torch.randn(32, 8, device=device)
    opt_d.zero_grad()
    with torch.autocast(device.type, enabled=args.amp):
        fake = generator(noise)
        d_loss = bce(discriminator(real), torch.ones(32, 1, device=device)) + \
            bce(discriminator(fake.detach()), torch.zeros(32, 1, device=device))
    scaler.scale(d_loss).backward()
    scaler.step(opt_d)  # expect: LC112
    opt_g.zero_grad()
    with torch.autocast(device.type, enabled=args.amp):
        g_loss = bce(discriminator(fake), torch.ones(32, 1, device=device))
    scaler.scale(g_loss).backward()
    scaler.step(opt_g)
