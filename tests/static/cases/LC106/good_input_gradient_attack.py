"""FGSM adversarial examples from detached inputs: the input is made a leaf that requires
grad, and backward() reads its gradient. No optimizer steps on these backwards."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
model.load_state_dict(torch.load("model.pt"))
model.eval()
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)

adversarial = []
for inputs, labels in loader:
    with torch.no_grad():
        base = model(inputs).argmax(1)
    perturbed = inputs.clone().detach()
    perturbed.requires_grad = True
    loss = nn.functional.cross_entropy(model(perturbed), base)
    loss.backward()
    adversarial.append((perturbed + 0.05 * perturbed.grad.sign()).detach())
