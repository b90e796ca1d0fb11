"""Several heads' losses summed into the loss that is backpropagated."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

backbone = nn.Linear(10, 16)
heads = nn.ModuleList([nn.Linear(16, 2) for _ in range(3)])
optimizer = torch.optim.SGD(list(backbone.parameters()) + list(heads.parameters()), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    optimizer.zero_grad()
    features = backbone(inputs)
    loss = 0
    for head in heads:
        loss += criterion(head(features), labels)
    loss.backward()
    optimizer.step()
