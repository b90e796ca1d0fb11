"""pytorch-ignite calls `update` once per batch: it never clears the gradients."""
import torch
import torch.nn as nn
from ignite.engine import Engine
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)


def update(engine, batch):
    model.train()
    x, y = batch
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()  # expect: LC101
    return loss.item()


trainer = Engine(update)
trainer.run(train_loader, max_epochs=3)
