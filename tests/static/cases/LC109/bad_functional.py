"""F.cross_entropy on probabilities."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 3, (64,))), batch_size=8)

for epoch in range(5):
    for inputs, labels in loader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = F.cross_entropy(F.softmax(outputs, dim=1), labels)  # expect: LC109
        loss.backward()
        optimizer.step()
