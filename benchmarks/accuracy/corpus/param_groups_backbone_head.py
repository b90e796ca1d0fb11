"""Fine-tuning with discriminative learning rates: a smaller LR for the pretrained-style backbone
than for the new head (two param groups), MultiStepLR per epoch, model.zero_grad(set_to_none=True)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import resnet18


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    net = resnet18(num_classes=10)
    net.fc = nn.Linear(net.fc.in_features, 6)
    net = net.to(device)

    head_params = list(net.fc.parameters())
    head_ids = {id(p) for p in head_params}
    backbone_params = [p for p in net.parameters() if id(p) not in head_ids]
    optimizer = torch.optim.SGD(
        [{"params": backbone_params, "lr": 1e-3}, {"params": head_params, "lr": 1e-2}], momentum=0.9, weight_decay=1e-4
    )
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[1], gamma=0.1)
    criterion = nn.CrossEntropyLoss()
    train_loader = DataLoader(TensorDataset(torch.randn(16, 3, 32, 32), torch.randint(0, 6, (16,))), batch_size=8, shuffle=True)
    val_loader = DataLoader(TensorDataset(torch.randn(8, 3, 32, 32), torch.randint(0, 6, (8,))), batch_size=8)

    for epoch in range(2):
        net.train()
        for images, target in train_loader:
            images = images.to(device, non_blocking=True)
            target = target.to(device, non_blocking=True)
            output = net(images)
            loss = criterion(output, target)
            net.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        scheduler.step()

        net.eval()
        with torch.no_grad():
            top1 = 0
            for images, target in val_loader:
                images = images.to(device, non_blocking=True)
                target = target.to(device, non_blocking=True)
                top1 += (net(images).argmax(1) == target).sum().item()
        print(f"epoch {epoch}: top1 {top1 / 8:.2f}, lrs {[g['lr'] for g in optimizer.param_groups]}")


if __name__ == "__main__":
    main()
