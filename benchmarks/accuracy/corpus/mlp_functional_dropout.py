"""An MLP whose dropout is functional (F.dropout with training=self.training, as in GNN and
older research code), trained on synthetic data and evaluated under eval() and no_grad()."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class FunctionalDropoutMLP(nn.Module):
    def __init__(self, in_features=20, hidden=64, classes=3, p=0.3):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, classes)
        self.p = p

    def forward(self, x):
        x = F.dropout(F.relu(self.fc1(x)), p=self.p, training=self.training)
        x = F.dropout(F.relu(self.fc2(x)), self.p, self.training)
        return self.out(x)


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x, y = torch.randn(256, 20), torch.randint(0, 3, (256,))
    train_loader = DataLoader(TensorDataset(x[:192], y[:192]), batch_size=32, shuffle=True)
    val_loader = DataLoader(TensorDataset(x[192:], y[192:]), batch_size=32)
    model = FunctionalDropoutMLP().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        model.train()
        for inputs, targets in train_loader:
            inputs, targets = inputs.to(device), targets.to(device)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(inputs), targets)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for inputs, targets in val_loader:
                inputs, targets = inputs.to(device), targets.to(device)
                correct += (model(inputs).argmax(dim=1) == targets).sum().item()
        print(f"epoch {epoch}: val accuracy {correct / 64:.2f}")


if __name__ == "__main__":
    main()
