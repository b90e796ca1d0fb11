"""@torch.inference_mode() on the evaluation function."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


@torch.inference_mode()
def evaluate(model, loader):
    model.eval()
    return [model(x).argmax(1) for x, _ in loader]


def main():
    model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for epoch in range(3):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        evaluate(model, loader)


main()
