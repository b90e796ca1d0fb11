"""A trainer class that owns sampler and loader."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler



class Trainer:
    def __init__(self, dataset, rank, world_size):
        self.sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank)  # expect: LC108
        self.train_loader = DataLoader(dataset, batch_size=8, sampler=self.sampler)
        self.model = nn.Linear(10, 2)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)

    def fit(self, epochs):
        for epoch in range(epochs):
            for inputs, labels in self.train_loader:
                self.optimizer.zero_grad()
                loss = nn.functional.cross_entropy(self.model(inputs), labels)
                loss.backward()
                self.optimizer.step()


Trainer(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), 0, 1).fit(3)
