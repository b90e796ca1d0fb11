# bench: cpu-only
"""CPU-only tabular regression (the device is the literal "cpu"): standardised features,
early stopping on a validation split, best-weights restore."""
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

device = "cpu"


def make_data(n=120, d=7):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, d, generator=g)
    w = torch.randn(d, 1, generator=g)
    y = x @ w + 0.3 * torch.randn(n, 1, generator=g)
    mean, std = x[:80].mean(0), x[:80].std(0)
    x = (x - mean) / std
    return TensorDataset(x[:80], y[:80]), TensorDataset(x[80:], y[80:])


def main():
    train_set, val_set = make_data()
    train_loader = DataLoader(train_set, batch_size=16, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=40)

    model = nn.Sequential(nn.Linear(7, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 1)).to(device)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=1e-4)

    best_val, best_weights, patience, waited = float("inf"), None, 3, 0
    for epoch in range(6):
        model.train()
        train_loss = 0.0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            train_loss += loss.item() * len(xb)

        model.eval()
        with torch.no_grad():
            val_loss = sum(loss_fn(model(xb.to(device)), yb.to(device)).item() * len(xb) for xb, yb in val_loader)
        val_loss /= len(val_set)
        print(f"epoch {epoch}: train {train_loss / len(train_set):.4f} val {val_loss:.4f}")
        if val_loss < best_val:
            best_val, best_weights, waited = val_loss, copy.deepcopy(model.state_dict()), 0
        else:
            waited += 1
            if waited >= patience:
                break
    model.load_state_dict(best_weights)


if __name__ == "__main__":
    main()
