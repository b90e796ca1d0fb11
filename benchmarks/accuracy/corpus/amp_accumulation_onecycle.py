"""GradScaler + gradient accumulation + a OneCycle schedule that advances once per optimizer
update (inside the accumulation branch), with the model held by a small config object."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


@dataclass
class Config:
    epochs: int = 2
    batch_size: int = 4
    accumulation_steps: int = 2
    max_lr: float = 1e-3
    clip: float = 1.0


class PatchClassifier(nn.Module):
    def __init__(self, n_classes=5):
        super().__init__()
        self.patch = nn.Conv2d(3, 32, kernel_size=4, stride=4)
        self.mixer = nn.Sequential(nn.LayerNorm(32), nn.Linear(32, 64), nn.GELU(), nn.Dropout(0.1), nn.Linear(64, 32))
        self.head = nn.Linear(32, n_classes)

    def forward(self, x):
        tokens = self.patch(x).flatten(2).transpose(1, 2)
        tokens = tokens + self.mixer(tokens)
        return self.head(tokens.mean(1))


def main(cfg=Config()):
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    loader = DataLoader(TensorDataset(torch.randn(32, 3, 16, 16), torch.randint(0, 5, (32,))), batch_size=cfg.batch_size, shuffle=True)
    model = PatchClassifier().to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.max_lr)
    updates_per_epoch = len(loader) // cfg.accumulation_steps
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=cfg.max_lr, total_steps=cfg.epochs * updates_per_epoch)
    scaler = torch.amp.GradScaler("cuda", enabled=(device == "cuda"))

    for epoch in range(cfg.epochs):
        model.train()
        for i, (images, targets) in enumerate(loader):
            images, targets = images.to(device), targets.to(device)
            with torch.autocast(device_type=device, enabled=(device == "cuda")):
                loss = F.cross_entropy(model(images), targets) / cfg.accumulation_steps
            scaler.scale(loss).backward()
            if (i + 1) % cfg.accumulation_steps == 0:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
                scaler.step(optimizer)
                scaler.update()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
        print(f"epoch {epoch}: last loss {loss.item() * cfg.accumulation_steps:.4f}")


if __name__ == "__main__":
    main()
