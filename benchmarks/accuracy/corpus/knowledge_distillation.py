"""Knowledge distillation: a frozen teacher in eval mode under no_grad, a student trained on a
mix of the soft-target KL loss and the hard-label loss."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def mlp(width, dropout):
    return nn.Sequential(nn.Flatten(), nn.Linear(64, width), nn.ReLU(), nn.Dropout(dropout), nn.Linear(width, 10))


def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.7):
    soft = F.kl_div(F.log_softmax(student_logits / T, dim=1), F.softmax(teacher_logits / T, dim=1), reduction="batchmean")
    return alpha * soft * T * T + (1 - alpha) * F.cross_entropy(student_logits, labels)


def accuracy(net, loader, device):
    net.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            correct += (net(x).argmax(1) == y).sum().item()
    return correct / len(loader.dataset)


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x = torch.randn(80, 8, 8)
    y = torch.randint(0, 10, (80,))
    train_loader = DataLoader(TensorDataset(x[:64], y[:64]), batch_size=16, shuffle=True)
    test_loader = DataLoader(TensorDataset(x[64:], y[64:]), batch_size=16)

    teacher = mlp(128, 0.3).to(device)
    teacher.eval()
    teacher.requires_grad_(False)
    student = mlp(16, 0.1).to(device)
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)

    for epoch in range(3):
        student.train()
        for inputs, labels in train_loader:
            inputs, labels = inputs.to(device), labels.to(device)
            with torch.no_grad():
                teacher_logits = teacher(inputs)
            student_logits = student(inputs)
            loss = distillation_loss(student_logits, teacher_logits, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: student acc {accuracy(student, test_loader, device):.3f}")


if __name__ == "__main__":
    main()
