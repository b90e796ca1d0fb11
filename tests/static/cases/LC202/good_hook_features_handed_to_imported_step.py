"""A forward hook keeps activations in a dict that an imported step is handed: it may
backpropagate through them (a perceptual loss)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from losses import feature_step

extractor = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 8, 3))
generator = nn.Sequential(nn.Conv2d(3, 3, 3, padding=1))
optimizer = torch.optim.Adam(generator.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(16, 3, 32, 32)), batch_size=4)
activations = {}


def keep(module, inputs, output):
    activations["relu"] = output


extractor[2].register_forward_hook(keep)
extractor.eval()
for epoch in range(3):
    for (images,) in loader:
        extractor(generator(images))
        feature_step(activations, optimizer)
