# bench: no-mode-layers
"""Logistic regression on fixed features with plain SGD (no momentum, no scheduler). The model
has no Dropout/BatchNorm, but the loop still toggles eval()/train() around validation out of habit."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    feats = torch.randn(100, 20)
    labels = (feats @ torch.randn(20) > 0).long()
    train_loader = DataLoader(TensorDataset(feats[:80], labels[:80]), batch_size=20, shuffle=True)
    val_loader = DataLoader(TensorDataset(feats[80:], labels[80:]), batch_size=20)

    clf = nn.Linear(20, 2).to(device)
    criterion = nn.CrossEntropyLoss()
    sgd = torch.optim.SGD(clf.parameters(), lr=0.1)

    for epoch in range(4):
        clf.train()
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            sgd.zero_grad()
            loss = criterion(clf(xb), yb)
            loss.backward()
            sgd.step()

        clf.eval()
        correct = 0
        with torch.no_grad():
            for xb, yb in val_loader:
                xb, yb = xb.to(device), yb.to(device)
                correct += (clf(xb).argmax(1) == yb).sum().item()
        print(f"epoch {epoch}: loss {loss.item():.4f} val acc {correct / 20:.2f}")


if __name__ == "__main__":
    main()
