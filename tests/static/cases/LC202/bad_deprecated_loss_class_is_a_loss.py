"""Validation without no_grad(): the model's forward is reported, once; `nn.NLLLoss2d()` (a
deprecated loss class) is a loss, not a second model."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

net = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4))
criterion = nn.NLLLoss2d()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
train_data = DataLoader(TensorDataset(torch.randn(8, 3, 4, 4), torch.randint(0, 4, (8, 4, 4))), batch_size=2)
valid_data = DataLoader(TensorDataset(torch.randn(8, 3, 4, 4), torch.randint(0, 4, (8, 4, 4))), batch_size=2)

for epoch in range(2):
    net.train()
    for im, labels in train_data:
        loss = criterion(F.log_softmax(net(im), dim=1), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    net.eval()
    eval_loss = 0
    for im, labels in valid_data:
        out = F.log_softmax(net(im), dim=1)  # expect: LC202
        eval_loss += criterion(out, labels).item()
