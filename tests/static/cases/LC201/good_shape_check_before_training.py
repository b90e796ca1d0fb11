"""A notebook checks the output shape of a freshly built model before training it.

Nothing has been trained or loaded yet, so train-mode Dropout/BatchNorm changes nothing
that matters; the validation later does switch to eval()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(16, 10))

    def forward(self, x):
        return self.body(x)


model = Classifier()
with torch.no_grad():
    print(model(torch.randn(2, 3, 32, 32)).shape)

optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loader = DataLoader(TensorDataset(torch.randn(32, 3, 32, 32), torch.randint(0, 10, (32,))), batch_size=8)
for epoch in range(2):
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(images), labels).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = sum((model(x).argmax(1) == y).float().mean() for x, y in loader) / len(loader)
