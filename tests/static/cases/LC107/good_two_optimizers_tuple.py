"""Two optimizers built together, before the loop, from a tuple assignment."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

encoder = nn.Linear(10, 4)
decoder = nn.Linear(4, 10)
enc_opt, dec_opt = torch.optim.Adam(encoder.parameters()), torch.optim.Adam(decoder.parameters())
loader = DataLoader(TensorDataset(torch.randn(64, 10)), batch_size=8)

for (x,) in loader:
    enc_opt.zero_grad()
    dec_opt.zero_grad()
    loss = nn.functional.mse_loss(decoder(encoder(x)), x)
    loss.backward()
    enc_opt.step()
    dec_opt.step()
