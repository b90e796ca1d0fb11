"""Multi-task learning with a shared trunk and two heads: a weighted sum of a classification and
a regression loss, one backward per batch, metrics kept as Python floats."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class MultiTaskNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(16, 64), nn.LayerNorm(64), nn.GELU(), nn.Dropout(0.1))
        self.cls_head = nn.Linear(64, 3)
        self.reg_head = nn.Linear(64, 1)

    def forward(self, x):
        h = self.trunk(x)
        return self.cls_head(h), self.reg_head(h).squeeze(-1)


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x = torch.randn(96, 16)
    y_cls = torch.randint(0, 3, (96,))
    y_reg = x[:, 0] * 2 + 0.1 * torch.randn(96)
    train = DataLoader(TensorDataset(x[:64], y_cls[:64], y_reg[:64]), batch_size=16, shuffle=True)
    val = DataLoader(TensorDataset(x[64:], y_cls[64:], y_reg[64:]), batch_size=16)

    net = MultiTaskNet().to(device)
    ce, mse = nn.CrossEntropyLoss(), nn.MSELoss()
    optimizer = torch.optim.Adam(net.parameters(), lr=2e-3)
    w_reg = 0.5

    for epoch in range(3):
        net.train()
        sums = {"cls": 0.0, "reg": 0.0}
        for xb, cb, rb in train:
            xb, cb, rb = xb.to(device), cb.to(device), rb.to(device)
            logits, pred = net(xb)
            loss_cls = ce(logits, cb)
            loss_reg = mse(pred, rb)
            loss = loss_cls + w_reg * loss_reg
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            sums["cls"] += loss_cls.item()
            sums["reg"] += loss_reg.item()

        net.eval()
        with torch.no_grad():
            val_cls, val_reg = 0.0, 0.0
            for xb, cb, rb in val:
                xb, cb, rb = xb.to(device), cb.to(device), rb.to(device)
                logits, pred = net(xb)
                val_cls += ce(logits, cb).item()
                val_reg += mse(pred, rb).item()
        print(f"epoch {epoch}: train cls {sums['cls'] / len(train):.3f} reg {sums['reg'] / len(train):.3f} | "
              f"val cls {val_cls / len(val):.3f} reg {val_reg / len(val):.3f}")


if __name__ == "__main__":
    main()
