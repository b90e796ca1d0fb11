"""FGSM: an eval-mode forward whose loss IS backpropagated to the input."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.5), nn.Linear(32, 2))
model.eval()
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

adversarial = []
for inputs, labels in loader:
    inputs.requires_grad_(True)
    loss = criterion(model(inputs), labels)
    model.zero_grad()
    loss.backward()
    adversarial.append((inputs + 0.03 * inputs.grad.sign()).detach())
