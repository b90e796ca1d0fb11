"""CIFAR-10-style training of a torchvision ResNet-18 with SGD + cosine annealing per epoch."""
import time

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import resnet18

EPOCHS = 2
BATCH_SIZE = 8
LR = 0.1


def make_loaders():
    images = torch.randn(24, 3, 16, 16)
    labels = torch.randint(0, 10, (24,))
    train_ds = TensorDataset(images[:16], labels[:16])
    val_ds = TensorDataset(images[16:], labels[16:])
    return (
        DataLoader(train_ds, batch_size=BATCH_SIZE, shuffle=True, drop_last=True),
        DataLoader(val_ds, batch_size=BATCH_SIZE),
    )


def train_one_epoch(model, loader, criterion, optimizer, device):
    model.train()
    running_loss, correct, seen = 0.0, 0, 0
    for images, labels in loader:
        images = images.to(device, non_blocking=True)
        labels = labels.to(device, non_blocking=True)

        logits = model(images)
        loss = criterion(logits, labels)

        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

        running_loss += loss.item() * images.size(0)
        correct += (logits.argmax(1) == labels).sum().item()
        seen += images.size(0)
    return running_loss / seen, correct / seen


@torch.no_grad()
def evaluate(model, loader, criterion, device):
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    for images, labels in loader:
        images = images.to(device, non_blocking=True)
        labels = labels.to(device, non_blocking=True)
        logits = model(images)
        total_loss += criterion(logits, labels).item() * images.size(0)
        correct += (logits.argmax(1) == labels).sum().item()
        seen += images.size(0)
    return total_loss / seen, correct / seen


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_loader, val_loader = make_loaders()

    model = resnet18(num_classes=10)
    model.to(device)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9, weight_decay=5e-4, nesterov=True)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)

    best_acc = 0.0
    for epoch in range(EPOCHS):
        start = time.time()
        train_loss, train_acc = train_one_epoch(model, train_loader, criterion, optimizer, device)
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        scheduler.step()
        best_acc = max(best_acc, val_acc)
        print(
            f"epoch {epoch}: train {train_loss:.3f}/{train_acc:.2%} val {val_loss:.3f}/{val_acc:.2%} "
            f"lr {scheduler.get_last_lr()[0]:.4f} ({time.time() - start:.1f}s)"
        )
    print(f"best val acc {best_acc:.2%}")


if __name__ == "__main__":
    main()
