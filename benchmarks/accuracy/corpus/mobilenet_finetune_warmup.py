"""Fine-tune a torchvision MobileNetV3 with linear warmup followed by cosine decay (epoch-level SequentialLR)."""
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models


def get_data(batch_size):
    x = torch.randn(24, 3, 32, 32)
    y = torch.randint(0, 5, (24,))
    train = DataLoader(TensorDataset(x[:16], y[:16]), batch_size=batch_size, shuffle=True, drop_last=True)
    val = DataLoader(TensorDataset(x[16:], y[16:]), batch_size=batch_size)
    return train, val


def run_epoch(model, loader, loss_fn, device, optimizer=None):
    training = optimizer is not None
    model.train(training)
    total, correct, loss_sum = 0, 0, 0.0
    with torch.set_grad_enabled(training):
        for inputs, targets in loader:
            inputs = inputs.to(device)
            targets = targets.to(device)
            outputs = model(inputs)
            loss = loss_fn(outputs, targets)
            if training:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            loss_sum += loss.item() * inputs.size(0)
            correct += outputs.argmax(1).eq(targets).sum().item()
            total += inputs.size(0)
    return loss_sum / total, correct / total


def main():
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    train_loader, val_loader = get_data(batch_size=8)

    model = models.mobilenet_v3_small(num_classes=5)
    model = model.to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=1)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=1)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[1])

    best_state, best_acc = None, -1.0
    for epoch in range(2):
        tr_loss, tr_acc = run_epoch(model, train_loader, loss_fn, device, optimizer)
        va_loss, va_acc = run_epoch(model, val_loader, loss_fn, device)
        scheduler.step()
        if va_acc > best_acc:
            best_acc, best_state = va_acc, copy.deepcopy(model.state_dict())
        print(f"[{epoch}] train {tr_loss:.3f} ({tr_acc:.2f}) | val {va_loss:.3f} ({va_acc:.2f})")
    model.load_state_dict(best_state)


if __name__ == "__main__":
    main()
