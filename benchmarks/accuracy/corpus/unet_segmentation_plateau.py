"""A tiny U-Net for binary segmentation: BCE + Dice loss, ReduceLROnPlateau on the validation
loss, channels-last inputs moved with non_blocking copies."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
    )


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1 = double_conv(3, 8)
        self.down2 = double_conv(8, 16)
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.fuse = double_conv(16, 8)
        self.head = nn.Conv2d(8, 1, 1)

    def forward(self, x):
        d1 = self.down1(x)
        d2 = self.down2(F.max_pool2d(d1, 2))
        u = self.up(d2)
        return self.head(self.fuse(torch.cat([u, d1], dim=1)))


def dice_loss(logits, target, eps=1.0):
    prob = torch.sigmoid(logits)
    inter = (prob * target).sum(dim=(1, 2, 3))
    union = prob.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    imgs = torch.randn(24, 3, 16, 16)
    masks = (imgs.mean(1, keepdim=True) > 0).float()
    train_loader = DataLoader(TensorDataset(imgs[:16], masks[:16]), batch_size=4, shuffle=True, pin_memory=True)
    val_loader = DataLoader(TensorDataset(imgs[16:], masks[16:]), batch_size=4)

    model = TinyUNet().to(device, memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=1)

    for epoch in range(2):
        model.train()
        for image, mask in train_loader:
            image = image.to(device, non_blocking=True).contiguous(memory_format=torch.channels_last)
            mask = mask.to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            logits = model(image)
            loss = F.binary_cross_entropy_with_logits(logits, mask) + dice_loss(logits, mask)
            loss.backward()
            optimizer.step()

        model.eval()
        val_loss, n = 0.0, 0
        with torch.no_grad():
            for image, mask in val_loader:
                image, mask = image.to(device), mask.to(device)
                logits = model(image)
                val_loss += (F.binary_cross_entropy_with_logits(logits, mask) + dice_loss(logits, mask)).item()
                n += 1
        scheduler.step(val_loss / n)
        print(f"epoch {epoch}: val loss {val_loss / n:.4f} lr {optimizer.param_groups[0]['lr']:.1e}")


if __name__ == "__main__":
    main()
