"""The target column is kept as a Series first; full-batch training of a Linear(5, 1) model."""
import pandas as pd
import torch
import torch.nn as nn

data = pd.read_csv("energy.csv")
target = data["consumption"]
features = torch.tensor(data[["t1", "t2", "t3", "t4", "t5"]].to_numpy(), dtype=torch.float32)
y = torch.tensor(target.values, dtype=torch.float32)

model = nn.Linear(5, 1)
optimizer = torch.optim.LBFGS(model.parameters())
criterion = nn.L1Loss()


def closure():
    optimizer.zero_grad()
    loss = criterion(model(features), y)  # expect: LC601
    loss.backward()
    return loss


for epoch in range(5):
    optimizer.step(closure)
