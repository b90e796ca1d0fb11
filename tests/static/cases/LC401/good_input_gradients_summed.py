"""Input gradients from torch.autograd.grad() (no create_graph) summed over neighbours: no graph kept."""
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 2)).eval()
loss_fn = nn.CrossEntropyLoss()
images = torch.randn(8, 10)
labels = torch.randint(0, 2, (8,))

variance = torch.zeros_like(images)
for _ in range(20):
    neighbours = (images + 0.1 * torch.randn_like(images)).detach().requires_grad_(True)
    cost = loss_fn(model(neighbours), labels)
    variance += torch.autograd.grad(cost, neighbours, retain_graph=False, create_graph=False)[0]
print(variance / 20)
