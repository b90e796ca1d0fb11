"""ignite + apex with the gradients cleared in the update function."""
import torch
import torch.nn as nn
from apex import amp
from ignite.engine import Engine
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2)).cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = amp.initialize(model, optimizer, opt_level="O2")
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)


def update_fn(engine, batch):
    model.train()
    optimizer.zero_grad()
    x, y = batch[0].cuda(), batch[1].cuda()
    loss = criterion(model(x), y)
    with amp.scale_loss(loss, optimizer) as scaled_loss:
        scaled_loss.backward()
    optimizer.step()
    return loss.item()


trainer = Engine(update_fn)
trainer.run(train_loader, max_epochs=3)
