# bench: cpu-only
"""A pre-flight smoke test run before a long job: one forward/backward/step on one batch checks
that shapes line up, gradients reach every parameter and the loss is finite."""
import torch
import torch.nn as nn

device = "cpu"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5))

    def forward(self, x):
        return self.net(x)


def smoke_test(model, optimizer, criterion, batch):
    images, labels = batch
    images, labels = images.to(device), labels.to(device)
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    assert torch.isfinite(loss), "non-finite loss on the first batch"
    loss.backward()
    missing = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is None]
    assert not missing, f"no gradient for {missing}"
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Model().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    batch = (torch.randn(4, 3, 12, 12), torch.randint(0, 5, (4,)))
    print(f"smoke test passed, loss {smoke_test(model, optimizer, nn.CrossEntropyLoss(), batch):.4f}")
