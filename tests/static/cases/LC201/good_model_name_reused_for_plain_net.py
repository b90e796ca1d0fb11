"""A notebook reuses `model` for each architecture: the plain Net is validated without eval()
(no Dropout/BatchNorm: nothing changes), NetDropout is validated after model.eval()."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

train_loader = DataLoader(TensorDataset(torch.randn(64, 3, 8, 8), torch.randint(0, 2, (64,))), batch_size=16)
val_loader = DataLoader(TensorDataset(torch.randn(32, 3, 8, 8), torch.randint(0, 2, (32,))), batch_size=16)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 2)

    def forward(self, x):
        return self.fc(F.relu(self.conv(x)).flatten(1))


class NetDropout(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.drop = nn.Dropout2d(p=0.4)
        self.fc = nn.Linear(4 * 8 * 8, 2)

    def forward(self, x):
        return self.fc(self.drop(F.relu(self.conv(x))).flatten(1))


def training_loop(n_epochs, optimizer, model, loader):
    for epoch in range(n_epochs):
        for imgs, labels in loader:
            loss = F.cross_entropy(model(imgs), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
training_loop(2, optimizer, model, train_loader)
with torch.no_grad():
    correct = sum((model(imgs).argmax(1) == labels).sum().item() for imgs, labels in val_loader)

model = NetDropout()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
training_loop(2, optimizer, model, train_loader)
model.eval()
with torch.no_grad():
    correct = sum((model(imgs).argmax(1) == labels).sum().item() for imgs, labels in val_loader)
