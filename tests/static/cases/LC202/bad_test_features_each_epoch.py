"""d2l-style fit-and-plot: after every epoch the whole test set goes through the model with
grad enabled; only the loss value is kept."""
import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(10, 1))
loss = nn.MSELoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
train_features, train_labels = torch.randn(100, 10), torch.randn(100, 1)
test_features, test_labels = torch.randn(100, 10), torch.randn(100, 1)
test_ls = []
for epoch in range(10):
    for i in range(10):
        batch = slice(i * 10, (i + 1) * 10)
        l = loss(net(train_features[batch]), train_labels[batch])
        optimizer.zero_grad()
        l.backward()
        optimizer.step()
    test_ls.append(loss(net(test_features), test_labels).item())  # expect: LC202
