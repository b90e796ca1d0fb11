"""Text CNN classifier; evaluation happens once, after all training epochs, on the test split.
Gradients are clipped by value."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class TextCNN(nn.Module):
    def __init__(self, vocab=300, dim=24, n_filters=16, n_classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        self.convs = nn.ModuleList([nn.Conv1d(dim, n_filters, k) for k in (2, 3, 4)])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(3 * n_filters, n_classes)

    def forward(self, tokens):
        emb = self.embedding(tokens).transpose(1, 2)
        pooled = [F.relu(conv(emb)).max(dim=2).values for conv in self.convs]
        return self.fc(self.dropout(torch.cat(pooled, dim=1)))


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tokens = torch.randint(0, 300, (80, 20))
    labels = torch.randint(0, 4, (80,))
    train_loader = DataLoader(TensorDataset(tokens[:64], labels[:64]), batch_size=16, shuffle=True)
    test_loader = DataLoader(TensorDataset(tokens[64:], labels[64:]), batch_size=16)

    model = TextCNN().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    model.train()
    for epoch in range(3):
        losses = []
        for text, label in train_loader:
            text, label = text.to(device), label.to(device)
            optimizer.zero_grad()
            predictions = model(text)
            loss = criterion(predictions, label)
            loss.backward()
            nn.utils.clip_grad_value_(model.parameters(), clip_value=1.0)
            optimizer.step()
            losses.append(loss.item())
        print(f"epoch {epoch}: loss {sum(losses) / len(losses):.4f}")

    model.eval()
    correct = 0
    with torch.no_grad():
        for text, label in test_loader:
            text, label = text.to(device), label.to(device)
            correct += (model(text).argmax(1) == label).sum().item()
    print(f"test accuracy {correct / len(test_loader.dataset):.3f}")


if __name__ == "__main__":
    main()
