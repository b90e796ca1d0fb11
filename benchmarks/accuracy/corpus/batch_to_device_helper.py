"""Multi-input model fed by dict/tuple batches, moved with a recursive `to_device` helper."""
from collections.abc import Mapping, Sequence

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


def to_device(batch, device):
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, Mapping):
        return {k: to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, Sequence) and not isinstance(batch, str):
        return type(batch)(to_device(v, device) for v in batch)
    return batch


class ClickDataset(Dataset):
    def __init__(self, n):
        self.dense = torch.randn(n, 6)
        self.user = torch.randint(0, 50, (n,))
        self.item = torch.randint(0, 80, (n,))
        self.clicked = torch.randint(0, 2, (n,)).float()

    def __len__(self):
        return len(self.clicked)

    def __getitem__(self, i):
        return {"dense": self.dense[i], "user": self.user[i], "item": self.item[i], "label": self.clicked[i]}


class WideAndDeep(nn.Module):
    def __init__(self):
        super().__init__()
        self.user_emb = nn.Embedding(50, 8)
        self.item_emb = nn.Embedding(80, 8)
        self.deep = nn.Sequential(nn.Linear(22, 32), nn.ReLU(), nn.Dropout(0.25), nn.Linear(32, 1))
        self.wide = nn.Linear(6, 1)

    def forward(self, dense, user, item):
        deep_in = torch.cat([dense, self.user_emb(user), self.item_emb(item)], dim=1)
        return (self.deep(deep_in) + self.wide(dense)).squeeze(1)


def train(model, loader, optimizer, criterion, device):
    model.train()
    epoch_loss = 0.0
    for batch in loader:
        batch = to_device(batch, device)
        logits = model(batch["dense"], batch["user"], batch["item"])
        loss = criterion(logits, batch["label"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
    return epoch_loss / len(loader)


@torch.no_grad()
def evaluate(model, loader, device):
    model.eval()
    correct = 0
    for batch in loader:
        batch = to_device(batch, device)
        logits = model(batch["dense"], batch["user"], batch["item"])
        correct += ((logits > 0).float() == batch["label"]).sum().item()
    return correct / len(loader.dataset)


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_loader = DataLoader(ClickDataset(64), batch_size=16, shuffle=True)
    val_loader = DataLoader(ClickDataset(32), batch_size=16)
    model = WideAndDeep().to(device)
    optimizer = torch.optim.Adagrad(model.parameters(), lr=0.05)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(3):
        loss = train(model, train_loader, optimizer, criterion, device)
        acc = evaluate(model, val_loader, device)
        print(f"epoch {epoch}: loss {loss:.4f} acc {acc:.3f}")


if __name__ == "__main__":
    main()
