"""Classifier guidance: inside an explicit `torch.enable_grad()` the eval-mode classifier's graph is
wanted, for the gradient of its log-probability with respect to the noisy image."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

classifier = nn.Sequential(nn.Linear(16, 32), nn.Dropout(0.1), nn.Linear(32, 2))
classifier.load_state_dict(torch.load("classifier.pt", map_location="cpu"))
classifier.eval()
noisy = DataLoader(TensorDataset(torch.randn(32, 16)), batch_size=8)
guided = []
for (x,) in noisy:
    with torch.enable_grad():
        x_in = x.detach().requires_grad_(True)
        logits = classifier(x_in)
        log_probs = torch.log_softmax(logits, dim=-1)[:, 1].sum()
        gradient = torch.autograd.grad(log_probs, x_in)[0]
    guided.append((x + 0.1 * gradient).detach())
