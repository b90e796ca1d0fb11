"""Alternating training: each phase freezes one network (requires_grad off, eval()) and trains
the other, whose loss uses the frozen network's output. Only the trained network's mode matters."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

reg_net = nn.Sequential(nn.Linear(8, 16), nn.Dropout(0.1), nn.Linear(16, 8))
seg_net = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.Linear(16, 3))
optimizer_reg = torch.optim.Adam(reg_net.parameters(), lr=1e-3)
optimizer_seg = torch.optim.Adam(seg_net.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randint(0, 3, (64,))), batch_size=8)
criterion = nn.CrossEntropyLoss()


def swap_training(network_to_train, network_to_not_train):
    for param in network_to_not_train.parameters():
        param.requires_grad = False
    for param in network_to_train.parameters():
        param.requires_grad = True
    network_to_not_train.eval()
    network_to_train.train()


for epoch in range(5):
    swap_training(reg_net, seg_net)
    for x, y in loader:
        optimizer_reg.zero_grad()
        loss = criterion(seg_net(reg_net(x)), y)
        loss.backward()
        optimizer_reg.step()
    swap_training(seg_net, reg_net)
    for x, y in loader:
        optimizer_seg.zero_grad()
        loss = criterion(seg_net(reg_net(x)), y)
        loss.backward()
        optimizer_seg.step()
