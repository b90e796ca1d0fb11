"""A Lagrange multiplier created afresh in every iteration, with its own optimizer: the
optimizer is new, but so is the tensor it optimizes; no state is carried over anyway."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(10, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64, 1)), batch_size=8)

for inputs, targets in loader:
    lambda_op = torch.tensor(1.0, requires_grad=True)
    optimizer_lambda = torch.optim.RMSprop([lambda_op], lr=0.01, centered=True)
    optimizer.zero_grad()
    optimizer_lambda.zero_grad()
    loss = nn.functional.mse_loss(model(inputs), targets) * lambda_op
    loss.backward()
    optimizer.step()
    optimizer_lambda.step()
