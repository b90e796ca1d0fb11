"""A notebook trains a Classifier without Dropout and validates it without eval(); a later cell
redefines Classifier with Dropout and then switches modes properly. Which definition a cell
runs is not known from the class name alone: silent."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

trainloader = DataLoader(TensorDataset(torch.randn(64, 784), torch.randint(0, 10, (64,))), batch_size=16)
testloader = DataLoader(TensorDataset(torch.randn(32, 784), torch.randint(0, 10, (32,))), batch_size=16)


# %% cell: a first classifier
class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        return F.log_softmax(self.fc2(F.relu(self.fc1(x))), dim=1)


model = Classifier()
criterion = nn.NLLLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
for e in range(2):
    for images, labels in trainloader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    with torch.no_grad():
        for images, labels in testloader:
            log_ps = model(images)


# %% cell: with dropout
class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)
        self.dropout = nn.Dropout(p=0.2)

    def forward(self, x):
        return F.log_softmax(self.fc2(self.dropout(F.relu(self.fc1(x)))), dim=1)


model = Classifier()
optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
for e in range(2):
    model.train()
    for images, labels in trainloader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for images, labels in testloader:
            log_ps = model(images)
