"""`df.T.values` is a table, not a column: its shape is unknown here."""
import pandas as pd
import torch
import torch.nn as nn

df = pd.read_csv("series.csv")
inputs = torch.tensor(df[["a", "b"]].values).float()
targets = torch.tensor(df.T.values).float()
model = nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(10):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(inputs), targets)
    loss.backward()
    optimizer.step()
