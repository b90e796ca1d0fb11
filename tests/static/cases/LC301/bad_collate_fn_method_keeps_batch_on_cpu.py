"""The dataset's collate_fn method only stacks the samples: the batches stay on the CPU while
the model is on the device."""
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
        return torch.stack(xs), torch.tensor(ys)


train_ds = Pairs(64)
train_dl = DataLoader(train_ds, batch_size=8, shuffle=True, collate_fn=train_ds.collate_fn)
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    for xs, ys in train_dl:
        optimizer.zero_grad()
        loss = criterion(model(xs), ys)  # expect: LC301
        loss.backward()
        optimizer.step()
