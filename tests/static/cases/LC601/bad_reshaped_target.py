"""The prediction is flattened, but the target is reshaped to a column: (N,) against (N, 1)."""
import torch
import torch.nn as nn

model = nn.Linear(4, 1)
criterion = nn.SmoothL1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
inputs = torch.randn(128, 4)
targets = torch.randn(128)

for epoch in range(10):
    optimizer.zero_grad()
    prediction = model(inputs).view(-1)
    loss = criterion(prediction, targets.view(-1, 1))  # expect: LC601
    loss.backward()
    optimizer.step()
