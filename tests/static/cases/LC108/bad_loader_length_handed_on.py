"""The loader's length (not the loader) reaches calls out of view: a resumed epoch offset and a
logger of another module. Nothing sets the sampler's epoch, so every epoch trains on the same order."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

from logger import TrainingLogger

dataset = TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)))
train_sampler = DistributedSampler(dataset, num_replicas=1, rank=0)  # expect: LC108
train_loader = DataLoader(dataset, batch_size=8, sampler=train_sampler)
model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
logger = TrainingLogger("logs")
iteration = 0
epoch_offset = max(0, int(iteration / len(train_loader)))

for epoch in range(epoch_offset, 10):
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        iteration += 1
        logger.log_training(loss.item(), epoch_offset, iteration)
