"""Each arm of a device choice builds its own noise: the `else:` of `if use_cuda:` and the body
of `if device == "cpu":` run only on the CPU, where the inputs are too."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--cuda", action="store_true")
args = parser.parse_args()
use_cuda = args.cuda and torch.cuda.is_available()
device = torch.device("cuda" if use_cuda else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    if use_cuda:
        inputs, labels = inputs.cuda(), labels.cuda()
        noise = torch.randn(inputs.shape).cuda()
    else:
        noise = torch.randn(inputs.shape)
    if device.type == "cpu":
        jitter = torch.rand(inputs.shape) * 0.01
    else:
        jitter = torch.rand(inputs.shape, device=device) * 0.01
    optimizer.zero_grad()
    loss = criterion(model(inputs + noise + jitter), labels)
    loss.backward()
    optimizer.step()
