"""Transfer learning with a frozen ResNet backbone: only the new head trains, and the backbone's
BatchNorm layers are kept in eval mode while the rest of the model is in train mode."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models


def freeze_batchnorm(module):
    for m in module.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.eval()


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = models.resnet18(num_classes=1000)
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Sequential(nn.Dropout(0.2), nn.Linear(model.fc.in_features, 3))
    model = model.to(device)

    optimizer = torch.optim.Adam(model.fc.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    train_loader = DataLoader(TensorDataset(torch.randn(16, 3, 32, 32), torch.randint(0, 3, (16,))), batch_size=8)
    val_loader = DataLoader(TensorDataset(torch.randn(8, 3, 32, 32), torch.randint(0, 3, (8,))), batch_size=8)

    for epoch in range(2):
        model.train()
        freeze_batchnorm(model)
        running = 0.0
        for inputs, labels in train_loader:
            inputs = inputs.to(device)
            labels = labels.to(device)
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
            running += loss.item()

        model.eval()
        with torch.no_grad():
            correct = sum(
                (model(x.to(device)).argmax(1) == y.to(device)).sum().item() for x, y in val_loader
            )
        print(f"epoch {epoch}: train loss {running / len(train_loader):.3f}, val acc {correct / 8:.2f}")


if __name__ == "__main__":
    main()
