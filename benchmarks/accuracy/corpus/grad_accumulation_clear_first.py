"""Regression with gradient accumulation where the clear sits at the start of each accumulation
window (`if step % k == 0`) and the step at its end."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

ACCUMULATE = 3


def build():
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 1))


def fit(model, loader, optim, device, epochs=2):
    loss_fn = nn.MSELoss()
    for epoch in range(epochs):
        model.train()
        epoch_loss = 0.0
        for step, (features, target) in enumerate(loader):
            if step % ACCUMULATE == 0:
                optim.zero_grad()
            features, target = features.to(device), target.to(device)
            prediction = model(features)
            loss = loss_fn(prediction, target)
            (loss / ACCUMULATE).backward()
            if step % ACCUMULATE == ACCUMULATE - 1:
                optim.step()
            epoch_loss += loss.item()
        print(f"epoch {epoch}: mean loss {epoch_loss / len(loader):.4f}")


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    x = torch.randn(72, 8)
    y = x.sum(dim=1, keepdim=True) + 0.1 * torch.randn(72, 1)
    loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True, drop_last=True)
    model = build().to(device)
    optim = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    fit(model, loader, optim, device)

    model.eval()
    with torch.no_grad():
        probe = torch.randn(4, 8, device=device)
        print("predictions:", model(probe).squeeze(1).tolist())


if __name__ == "__main__":
    main()
