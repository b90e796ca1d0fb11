"""Monte-Carlo dropout: after training, dropout is switched on on purpose (model.train()
right before sampling) to estimate predictive uncertainty."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(128, 6), torch.randn(128, 1)), batch_size=16)

for epoch in range(5):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()


def mc_dropout_predict(model, inputs, samples=50):
    model.train()  # keep dropout active: each pass is one sample of the posterior
    with torch.no_grad():
        draws = torch.stack([model(inputs) for _ in range(samples)])
    return draws.mean(0), draws.std(0)


mean, std = mc_dropout_predict(model, torch.randn(10, 6))
