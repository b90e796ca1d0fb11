"""pytorch-ignite with a step function that clears the gradients, defined inside run()."""
import torch
import torch.nn as nn
from ignite.engine import Engine
from torch.utils.data import DataLoader, TensorDataset


def run(epochs):
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

    def update(engine, batch):
        model.train()
        optimizer.zero_grad()
        x, y = batch
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    trainer = Engine(update)
    trainer.run(loader, max_epochs=epochs)


if __name__ == "__main__":
    run(3)
