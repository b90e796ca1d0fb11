"""The sampled loader is handed to a library wrapper (opacus' make_private) before the epoch loop."""
import torch
import torch.nn as nn
from opacus import PrivacyEngine
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

dataset = TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)))
sampler = DistributedSampler(dataset)
train_dataloader = DataLoader(dataset, batch_size=8, sampler=sampler)
model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer, criterion, train_dataloader = PrivacyEngine().make_private(
    module=model, optimizer=optimizer, data_loader=train_dataloader, criterion=nn.CrossEntropyLoss(),
    noise_multiplier=1.0, max_grad_norm=1.0, poisson_sampling=False)

for epoch in range(3):
    for inputs, labels in train_dataloader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
