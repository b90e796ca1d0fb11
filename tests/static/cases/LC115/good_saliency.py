"""A saliency map: backward for the input gradient, the optimizer left over from training code."""
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model.eval()
saliency = []
for image in torch.randn(8, 10).unbind():
    image = image.unsqueeze(0).requires_grad_()
    score = model(image).max()
    score.backward()
    saliency.append(image.grad.abs().squeeze(0))
