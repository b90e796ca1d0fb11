"""An evaluate() helper of the same file forgets model.eval()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 32)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


@torch.no_grad()
def evaluate(model, loader):
    total = 0.0
    for inputs, labels in loader:
        total += nn.functional.cross_entropy(model(inputs), labels).item()  # expect: LC201
    return total / len(loader)


def train(model, loader, optimizer):
    model.train()
    for inputs, labels in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()


def main():
    model = Net()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
    for epoch in range(3):
        train(model, loader, optimizer)
        print(evaluate(model, loader))


main()
