"""Input gradients of the test set after every epoch (a sensitivity plot): grad is needed."""
import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(10, 1))
loss = nn.MSELoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
train_features, train_labels = torch.randn(100, 10), torch.randn(100, 1)
test_features = torch.randn(100, 10)
sensitivity = []
for epoch in range(10):
    l = loss(net(train_features), train_labels)
    optimizer.zero_grad()
    l.backward()
    optimizer.step()
    test_features.requires_grad_(True)
    (grads,) = torch.autograd.grad(net(test_features).sum(), test_features)
    sensitivity.append(grads.abs().mean().item())
