"""SimCLR-style contrastive pre-training: two augmented views per image, NT-Xent loss,
warmup-then-cosine LambdaLR stepped every batch, linear-probe evaluation at the end."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def augment(x):
    flip = torch.rand(x.size(0), 1, 1, 1, device=x.device) < 0.5
    x = torch.where(flip, x.flip(-1), x)
    return x + 0.1 * torch.randn_like(x)


def nt_xent(z1, z2, temperature=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / temperature
    n = z1.size(0)
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(sim, targets)


class Encoder(nn.Module):
    def __init__(self, feat_dim=32, proj_dim=16):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, feat_dim, 3, stride=2, padding=1), nn.BatchNorm2d(feat_dim), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )
        self.projector = nn.Sequential(nn.Linear(feat_dim, feat_dim), nn.ReLU(), nn.Linear(feat_dim, proj_dim))

    def forward(self, x):
        return self.projector(self.backbone(x))


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    images = torch.randn(48, 3, 16, 16)
    labels = torch.randint(0, 4, (48,))
    loader = DataLoader(TensorDataset(images), batch_size=8, shuffle=True, drop_last=True)

    encoder = Encoder().to(device)
    optimizer = torch.optim.SGD(encoder.parameters(), lr=0.3, momentum=0.9, weight_decay=1e-6)
    epochs, warmup = 2, 2
    total = epochs * len(loader)

    def lr_lambda(step):
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)

    for epoch in range(epochs):
        encoder.train()
        epoch_loss = 0.0
        for (x,) in loader:
            x = x.to(device)
            loss = nt_xent(encoder(augment(x)), encoder(augment(x)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            epoch_loss += loss.item()
        print(f"epoch {epoch}: contrastive loss {epoch_loss / len(loader):.4f}")

    # linear probe on frozen features
    encoder.eval()
    with torch.no_grad():
        feats = encoder.backbone(images.to(device))
    probe = nn.Linear(feats.size(1), 4).to(device)
    probe_opt = torch.optim.Adam(probe.parameters(), lr=1e-2)
    targets = labels.to(device)
    for _ in range(20):
        probe_opt.zero_grad()
        probe_loss = F.cross_entropy(probe(feats), targets)
        probe_loss.backward()
        probe_opt.step()
    print(f"linear probe loss {probe_loss.item():.4f}")


if __name__ == "__main__":
    main()
