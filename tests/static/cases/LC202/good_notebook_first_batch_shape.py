"""Notebook style: look at one test batch after training (shapes, a plotted prediction).

A single forward outside any loop builds one small graph that is freed at once: not worth a
warning. The evaluation loop below does use no_grad()."""
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Flatten(), nn.Dropout(0.2), nn.Linear(8 * 26 * 26, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(TensorDataset(torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))), batch_size=16)
test_loader = DataLoader(TensorDataset(torch.randn(32, 1, 28, 28), torch.randint(0, 10, (32,))), batch_size=16)

for epoch in range(2):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()

model.eval()
with torch.no_grad():
    correct = sum((model(x).argmax(1) == y).sum().item() for x, y in test_loader)
print(correct)

images, labels = next(iter(test_loader))
output = model(images)
print(output.shape)
plt.imshow(images[0, 0])
plt.title(f"predicted {output[0].argmax().item()}, true {labels[0].item()}")
