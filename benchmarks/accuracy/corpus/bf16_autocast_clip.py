"""bfloat16 autocast (no GradScaler needed), clip_grad_norm_ with the returned norm logged,
evaluation function decorated with @torch.inference_mode()."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class ResidualMLP(nn.Module):
    def __init__(self, d=32, depth=3):
        super().__init__()
        self.inp = nn.Linear(10, d)
        self.blocks = nn.ModuleList(
            [nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Dropout(0.1)) for _ in range(depth)]
        )
        self.out = nn.Linear(d, 2)

    def forward(self, x):
        h = self.inp(x)
        for block in self.blocks:
            h = h + block(h)
        return self.out(h)


@torch.inference_mode()
def evaluate(model, loader, device, amp_dtype):
    model.eval()
    correct = total = 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with torch.autocast(device_type=device.type, dtype=amp_dtype):
            logits = model(x)
        correct += (logits.argmax(-1) == y).sum().item()
        total += y.numel()
    return correct / total


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    amp_dtype = torch.bfloat16
    x = torch.randn(96, 10)
    y = (x[:, 0] * x[:, 1] > 0).long()
    train_loader = DataLoader(TensorDataset(x[:64], y[:64]), batch_size=16, shuffle=True)
    val_loader = DataLoader(TensorDataset(x[64:], y[64:]), batch_size=32)

    model = ResidualMLP().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()

    for epoch in range(3):
        model.train()
        for x_b, y_b in train_loader:
            x_b, y_b = x_b.to(device), y_b.to(device)
            with torch.autocast(device_type=device.type, dtype=amp_dtype):
                loss = loss_fn(model(x_b), y_b)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        acc = evaluate(model, val_loader, device, amp_dtype)
        print(f"epoch {epoch}: loss {loss.item():.4f} grad-norm {grad_norm.item():.3f} val acc {acc:.3f}")


if __name__ == "__main__":
    main()
