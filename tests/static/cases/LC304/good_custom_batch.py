"""A batch object of unknown type may have an in-place .to() (e.g. a custom Batch class)."""
import torch
import torch.nn as nn

from mydata import make_loader

device = torch.device("cuda")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for batch in make_loader():
    batch.to(device)
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(batch.x), batch.y)
    loss.backward()
    optimizer.step()
