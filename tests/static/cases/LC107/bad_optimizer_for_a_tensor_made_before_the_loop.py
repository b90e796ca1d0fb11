"""A tensor made once, an Adam rebuilt for it every iteration: its moments are lost."""
import torch
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(64, 3), torch.randn(64)), batch_size=8)
w = torch.zeros(3, requires_grad=True)
for inputs, targets in loader:
    opt = torch.optim.Adam([w], lr=0.01)  # expect: LC107
    opt.zero_grad()
    loss = (inputs @ w - targets).pow(2).mean()
    loss.backward()
    opt.step()
