"""A feature-matching loss summed over discriminator layers inside its own function, which returns
the sum for the training step to backpropagate: each call starts a new sum."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8), nn.Linear(8, 8)])
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        features = []
        for layer in self.layers:
            x = torch.relu(layer(x))
            features.append(x)
        return self.head(x), features


generator = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8))
discriminator = Discriminator()
optimizer = torch.optim.Adam(generator.parameters(), lr=1e-3)
loader = DataLoader(TensorDataset(torch.randn(64, 4), torch.randn(64, 8)), batch_size=8)


def feature_loss(fake_features, real_features, weight):
    criterion = nn.L1Loss()
    feat_loss = torch.zeros(1)
    for i in range(len(fake_features)):
        layer_loss = criterion(fake_features[i], real_features[i].detach())
        feat_loss += layer_loss * weight / len(fake_features)
    return feat_loss


for epoch in range(3):
    for z, real in loader:
        optimizer.zero_grad()
        score, fake_features = discriminator(generator(z))
        _, real_features = discriminator(real)
        loss_feat = feature_loss(fake_features, real_features, 10.0)
        total_loss = -score.mean() + loss_feat
        total_loss.backward()
        optimizer.step()
