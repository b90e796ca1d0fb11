"""zeros_like / new_zeros inherit the device."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda")
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    inputs, labels = inputs.to(device), labels.to(device)
    noise = torch.randn_like(inputs)
    bias = inputs.new_zeros(2)
    optimizer.zero_grad()
    loss = criterion(model(inputs + noise) + bias, labels)
    loss.backward()
    optimizer.step()
