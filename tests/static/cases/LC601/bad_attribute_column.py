"""Binary labels as one column `df.label` (N,), a model ending in Linear(16, 1) and Sigmoid (N, 1), MSE loss."""
import pandas as pd
import torch
import torch.nn as nn


class Scorer(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(features, 16), nn.ReLU())
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        h = self.body(x)
        if self.training:
            h = nn.functional.dropout(h, 0.1, training=True)
        return torch.sigmoid(self.out(h))


train_df = pd.read_csv("train.csv")
inputs = torch.tensor(train_df[["a", "b", "c", "d"]].values).float()
labels = torch.tensor(train_df.label.values).float()
model = Scorer(4)
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.MSELoss()

for epoch in range(50):
    optimizer.zero_grad()
    loss = criterion(model(inputs), labels)  # expect: LC601
    loss.backward()
    optimizer.step()
