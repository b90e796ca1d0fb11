"""The model keeps its features on itself; the loop hands them (not the output) to an imported
perceptual-loss step, which may backpropagate through them."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from losses import perceptual_step


class FeatureNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
        self.head = nn.Conv2d(8, 8, 3)

    def forward(self, x):
        self.features = self.body(x)
        return self.head(self.features)


extractor = FeatureNet()
generator = nn.Sequential(nn.Conv2d(3, 3, 3, padding=1))
optimizer = torch.optim.Adam(generator.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(16, 3, 32, 32)), batch_size=4)

extractor.eval()
for epoch in range(3):
    for (images,) in loader:
        extractor(generator(images))
        perceptual_step(extractor.features, optimizer)
