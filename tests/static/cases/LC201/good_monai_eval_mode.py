"""MONAI's `with eval_mode(model):` puts the model in eval mode under no_grad() for its block."""
import torch
import torch.nn as nn
from monai.networks import eval_mode
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.5), nn.Linear(10, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
train_loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
test_loader = DataLoader(TensorDataset(torch.randn(16, 10), torch.randint(0, 2, (16,))), batch_size=1)

for epoch in range(3):
    model.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()

with eval_mode(model):
    for inputs, labels in test_loader:
        print(model(inputs).argmax(1), labels)
