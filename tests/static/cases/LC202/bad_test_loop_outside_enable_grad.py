"""Only the guidance step asks for gradients: the plain test loop after it still runs with grad
enabled and builds graphs nobody uses."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

classifier = nn.Sequential(nn.Linear(16, 32), nn.Dropout(0.1), nn.Linear(32, 2))
classifier.load_state_dict(torch.load("classifier.pt", map_location="cpu"))
classifier.eval()
noisy = DataLoader(TensorDataset(torch.randn(32, 16)), batch_size=8)
test_loader = DataLoader(TensorDataset(torch.randn(32, 16), torch.randint(0, 2, (32,))), batch_size=8)
for (x,) in noisy:
    with torch.enable_grad():
        x_in = x.detach().requires_grad_(True)
        gradient = torch.autograd.grad(classifier(x_in)[:, 1].sum(), x_in)[0]
correct = 0
for x, y in test_loader:
    correct += (classifier(x).argmax(1) == y).sum().item()  # expect: LC202
