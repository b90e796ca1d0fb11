"""`dev` is a device here, not a dev set: a loop over an unnamed loader is no evidence of
evaluation, so a train-mode model without no_grad stays unreported."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

dev = torch.device("cuda")
encoder = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 8)).to(dev)
encoder.load_state_dict(torch.load("encoder.pt"))
loader = DataLoader(TensorDataset(torch.randn(32, 10)), batch_size=8)

codes = []
for (inputs,) in loader:
    codes.append(encoder(inputs.to(dev)))
