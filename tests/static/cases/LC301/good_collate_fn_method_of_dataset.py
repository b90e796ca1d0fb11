"""The DataLoader's collate_fn is a method of the dataset (`collate_fn=train_ds.collate_fn`)
that stacks the samples and moves them to the device: the batches arrive on the device."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

device = "cuda" if torch.cuda.is_available() else "cpu"


class Pairs(Dataset):
    def __init__(self, n):
        self.items = [(torch.randn(10), i % 2) for i in range(n)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, ix):
        return self.items[ix]

    def collate_fn(self, batch):
        xs, ys = list(zip(*batch))
        xs = torch.stack(xs).to(device)
        return xs, torch.tensor(ys).to(device)


train_ds = Pairs(64)
train_dl = DataLoader(train_ds, batch_size=8, shuffle=True, collate_fn=train_ds.collate_fn)
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()


def train_batch(model, data, optimizer, criterion):
    model.train()
    optimizer.zero_grad()
    xs, ys = data
    loss = criterion(model(xs), ys)
    loss.backward()
    optimizer.step()
    return loss.item()


for epoch in range(3):
    for data in train_dl:
        train_batch(model, data, optimizer, criterion)
