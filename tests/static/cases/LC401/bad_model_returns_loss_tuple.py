"""`loss, logits = model(x, y)`: a model that returns its loss; the loss is kept with its graph."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(10, 2)

    def forward(self, x, y):
        logits = self.net(x)
        return nn.functional.cross_entropy(logits, y), logits


model = Model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

losses = []
for epoch in range(2):
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss, logits = model(inputs, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss)  # expect: LC401
