"""Grad-CAM over a few images after training: model.zero_grad() before each backward clears
the previous image's gradients; these backwards feed no optimizer step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU())
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


model = ConvNet()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))), batch_size=16)
for images, labels in loader:
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()

activations = {}
model.features.register_forward_hook(lambda module, inputs, output: activations.update(maps=output))
cams = []
for image, label in zip(*next(iter(loader))):
    model.zero_grad()
    score = model(image[None])[0, label]
    score.backward()
    cams.append(activations["maps"].detach().mean(1))
