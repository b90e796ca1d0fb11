"""The accumulator is reset at the top of every iteration and backpropagated (accumulated
sub-batch losses)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

for inputs, labels in loader:
    optimizer.zero_grad()
    batch_loss = 0.0
    for chunk_x, chunk_y in zip(inputs.chunk(2), labels.chunk(2)):
        batch_loss += criterion(model(chunk_x), chunk_y)
    batch_loss.backward()
    optimizer.step()
