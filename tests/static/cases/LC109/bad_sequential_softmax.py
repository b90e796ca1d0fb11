"""A Sequential model ending in nn.Softmax, trained with CrossEntropyLoss."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3), nn.Softmax(dim=1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 3, (64,))), batch_size=8)

for inputs, labels in loader:
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)  # expect: LC109
    loss.backward()
    optimizer.step()
