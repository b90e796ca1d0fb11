"""After training, a saliency map: the model is in eval mode and backward() computes the
gradient of a class score with respect to the input. No optimizer steps on it: not training."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5))
optimizer = torch.optim.Adam(model.parameters())
loader = DataLoader(TensorDataset(torch.randn(40, 3, 32, 32), torch.randint(0, 5, (40,))), batch_size=8)

model.train()
for epoch in range(3):
    for images, labels in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(images), labels).backward()
        optimizer.step()

model.eval()
saliency_maps = []
for images, labels in loader:
    images.requires_grad_()
    scores = model(images)
    model.zero_grad()
    scores.gather(1, labels[:, None]).sum().backward()
    saliency_maps.append(images.grad.abs().amax(dim=1))
