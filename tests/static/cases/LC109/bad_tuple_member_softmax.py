"""An auxiliary-classifier discriminator (AC-GAN style) returns (validity, label) and its label
head ends in nn.Softmax(): the unpacked probabilities go to CrossEntropyLoss."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(16, 32), nn.LeakyReLU(0.2))
        self.adv_layer = nn.Sequential(nn.Linear(32, 1), nn.Sigmoid())
        self.aux_layer = nn.Sequential(nn.Linear(32, 4), nn.Softmax(dim=1))

    def forward(self, x):
        out = self.body(x)
        validity = self.adv_layer(out)
        label = self.aux_layer(out)
        return validity, label


discriminator = Discriminator()
optimizer = torch.optim.Adam(discriminator.parameters(), lr=2e-4)
adversarial_loss = nn.BCELoss()
auxiliary_loss = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(torch.randn(64, 16), torch.randint(0, 4, (64,))), batch_size=8)

for real, labels in loader:
    optimizer.zero_grad()
    real_pred, real_aux = discriminator(real)
    loss = adversarial_loss(real_pred, torch.ones_like(real_pred)) + auxiliary_loss(real_aux, labels)  # expect: LC109
    loss.backward()
    optimizer.step()
