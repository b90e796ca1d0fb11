"""A while loop with the clear between backward and step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

step = 0
data = iter(loader)
while step < 200:
    inputs, labels = next(data)
    loss = criterion(model(inputs), labels)
    loss.backward()
    optimizer.zero_grad()  # expect: LC102
    optimizer.step()
    step += 1
