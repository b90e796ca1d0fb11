# bench: no-mode-layers
"""Full-batch node classification with a two-layer graph convolutional network: every epoch is
one optimizer step on the whole graph, evaluation uses masks on the same forward pass."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GCNLayer(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.lin = nn.Linear(d_in, d_out)

    def forward(self, x, adj):
        return adj @ self.lin(x)


class GCN(nn.Module):
    def __init__(self, d_in, hidden, n_classes):
        super().__init__()
        self.conv1 = GCNLayer(d_in, hidden)
        self.conv2 = GCNLayer(hidden, n_classes)

    def forward(self, x, adj):
        return F.log_softmax(self.conv2(F.relu(self.conv1(x, adj)), adj), dim=1)


def normalized_adjacency(n, p=0.1, seed=0):
    g = torch.Generator().manual_seed(seed)
    a = (torch.rand(n, n, generator=g) < p).float()
    a = ((a + a.t()) > 0).float() + torch.eye(n)
    d = a.sum(1).pow(-0.5)
    return d[:, None] * a * d[None, :]


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    n = 60
    x = torch.randn(n, 8).to(device)
    adj = normalized_adjacency(n).to(device)
    y = torch.randint(0, 3, (n,)).to(device)
    train_mask = torch.zeros(n, dtype=torch.bool)
    train_mask[:30] = True
    train_mask = train_mask.to(device)
    val_mask = ~train_mask

    model = GCN(8, 16, 3).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)

    for epoch in range(10):
        model.train()
        optimizer.zero_grad()
        out = model(x, adj)
        loss = F.nll_loss(out[train_mask], y[train_mask])
        loss.backward()
        optimizer.step()

        model.eval()
        with torch.no_grad():
            pred = model(x, adj).argmax(dim=1)
            val_acc = (pred[val_mask] == y[val_mask]).float().mean().item()
        if epoch % 3 == 0:
            print(f"epoch {epoch:03d}: loss {loss.item():.4f} val acc {val_acc:.3f}")


if __name__ == "__main__":
    main()
