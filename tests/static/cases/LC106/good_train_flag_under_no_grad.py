"""One epoch function for training and validation: backward() runs only under `if train:`, and
the call under torch.no_grad() passes train=False (the training call uses the default)."""
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5), nn.Linear(8, 2))
optimizer = torch.optim.Adam(model.parameters())
loss_fn = nn.CrossEntropyLoss()
x, y = torch.randn(32, 8), torch.randint(0, 2, (32,))


def run_epoch(train=True):
    model.train(train)
    loss = loss_fn(model(x), y)
    if train:
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


for epoch in range(5):
    run_epoch()
    with torch.no_grad():
        run_epoch(train=False)
