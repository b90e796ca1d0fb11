"""One epoch function for training and validation, but the training call (train=True) is the
one wrapped in torch.no_grad(): its backward() has no graph."""
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5), nn.Linear(8, 2))
optimizer = torch.optim.Adam(model.parameters())
loss_fn = nn.CrossEntropyLoss()
x, y = torch.randn(32, 8), torch.randint(0, 2, (32,))


def run_epoch(train):
    model.train(train)
    loss = loss_fn(model(x), y)
    if train:
        optimizer.zero_grad()
        loss.backward()  # expect: LC106
        optimizer.step()
    return loss.item()


for epoch in range(5):
    with torch.no_grad():
        run_epoch(True)
    run_epoch(False)
