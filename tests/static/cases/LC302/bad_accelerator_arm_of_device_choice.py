"""The accelerator arm of a device choice creates its noise on the CPU: only the `else:` arm
is the CPU's."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

use_cuda = torch.cuda.is_available()
device = torch.device("cuda" if use_cuda else "cpu")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    if use_cuda:
        inputs, labels = inputs.cuda(), labels.cuda()
        noisy = inputs + torch.randn(inputs.shape)  # expect: LC302
    else:
        noisy = inputs + torch.randn(inputs.shape)
    optimizer.zero_grad()
    loss = criterion(model(noisy), labels)
    loss.backward()
    optimizer.step()
