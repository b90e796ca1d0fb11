"""ignite: the evaluator's step function sets eval() but keeps autograd recording."""
import torch
import torch.nn as nn
from ignite.engine import Engine, Events
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.2), nn.Linear(32, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
val_loader = DataLoader(TensorDataset(torch.randn(32, 10), torch.randint(0, 2, (32,))), batch_size=8)


def train_step(engine, batch):
    model.train()
    optimizer.zero_grad()
    x, y = batch
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def eval_step(engine, batch):
    model.eval()
    x, y = batch
    return model(x), y  # expect: LC202


trainer = Engine(train_step)
evaluator = Engine(eval_step)


@trainer.on(Events.EPOCH_COMPLETED)
def validate(engine):
    evaluator.run(val_loader)


trainer.run(train_loader, max_epochs=3)
