"""Mixed-precision ResNet training with GradScaler, gradient clipping and a per-batch OneCycle schedule."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import torchvision


def build_model(num_classes):
    net = torchvision.models.resnet18(num_classes=num_classes)
    # small images: replace the stem so 32x32 inputs keep some resolution
    net.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    net.maxpool = nn.Identity()
    return net


def main():
    torch.manual_seed(42)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    use_amp = device == "cuda"
    epochs, max_norm = 2, 1.0

    data = TensorDataset(torch.randn(32, 3, 16, 16), torch.randint(0, 10, (32,)))
    holdout = TensorDataset(torch.randn(16, 3, 16, 16), torch.randint(0, 10, (16,)))
    train_loader = DataLoader(data, batch_size=8, shuffle=True, pin_memory=use_amp)
    val_loader = DataLoader(holdout, batch_size=8)

    net = build_model(10).to(device)
    optim = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        optim, max_lr=3e-3, epochs=epochs, steps_per_epoch=len(train_loader)
    )
    scaler = torch.cuda.amp.GradScaler(enabled=use_amp)

    for epoch in range(epochs):
        net.train()
        for step, (x, y) in enumerate(train_loader):
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            with torch.autocast(device_type=device, dtype=torch.float16, enabled=use_amp):
                out = net(x)
                loss = F.cross_entropy(out, y)
            optim.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.unscale_(optim)
            torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm)
            scaler.step(optim)
            scaler.update()
            sched.step()
            if step % 2 == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e}")

        net.eval()
        hits = 0
        with torch.no_grad():
            for x, y in val_loader:
                x, y = x.to(device), y.to(device)
                with torch.autocast(device_type=device, dtype=torch.float16, enabled=use_amp):
                    out = net(x)
                hits += (out.argmax(dim=1) == y).sum().item()
        print(f"epoch {epoch}: val acc {hits / len(holdout):.3f}")


if __name__ == "__main__":
    main()
