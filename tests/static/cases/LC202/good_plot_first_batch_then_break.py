"""Plot the predictions for one batch and stop: the loop never reaches a second batch."""
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

net = nn.Sequential(nn.Linear(20, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 3))
net.load_state_dict(torch.load("net.pt"))
net.eval()
val_loader = DataLoader(TensorDataset(torch.randn(40, 20), torch.randint(0, 3, (40,))), batch_size=8)

for features, targets in val_loader:
    scores = net(features)
    fig, axes = plt.subplots(1, 2)
    axes[0].bar(range(3), scores[0].softmax(0).detach().numpy())
    axes[1].set_title(f"label {targets[0].item()}")
    plt.show()
    break
