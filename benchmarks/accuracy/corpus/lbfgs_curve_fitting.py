# bench: no-mode-layers
"""Fit a small network to a 1-D function with full-batch L-BFGS and a closure."""
import torch
import torch.nn as nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

xs = torch.linspace(-3, 3, 128).unsqueeze(1)
ys = torch.sin(xs) + 0.3 * xs
xs, ys = xs.to(device), ys.to(device)

model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1)).to(device)
criterion = nn.MSELoss()
optimizer = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=10, history_size=10, line_search_fn="strong_wolfe")


def closure():
    optimizer.zero_grad()
    pred = model(xs)
    loss = criterion(pred, ys)
    loss.backward()
    return loss


for outer in range(4):
    loss = optimizer.step(closure)
    print(f"outer step {outer}: loss {loss.item():.6f}")

model.eval()
with torch.no_grad():
    grid = torch.linspace(-3, 3, 5, device=device).unsqueeze(1)
    print(model(grid).squeeze(1).tolist())
