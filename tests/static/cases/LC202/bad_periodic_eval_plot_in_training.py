"""A tutorial trains two networks and, every 10 steps, evaluates both on the test set in eval
mode and redraws the plot: the test forwards run with grad enabled."""
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

x = torch.unsqueeze(torch.linspace(-1, 1, 20), 1)
y = x + 0.3 * torch.normal(torch.zeros(20, 1), torch.ones(20, 1))
test_x = torch.unsqueeze(torch.linspace(-1, 1, 20), 1)
test_y = test_x + 0.3 * torch.normal(torch.zeros(20, 1), torch.ones(20, 1))

net_dropped = nn.Sequential(nn.Linear(1, 300), nn.Dropout(0.5), nn.ReLU(), nn.Linear(300, 1))
optimizer = torch.optim.Adam(net_dropped.parameters(), lr=0.01)
loss_func = nn.MSELoss()

plt.ion()
for t in range(500):
    pred = net_dropped(x)
    loss = loss_func(pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if t % 10 == 0:
        net_dropped.eval()
        test_pred = net_dropped(test_x)  # expect: LC202
        plt.cla()
        plt.scatter(test_x.numpy(), test_y.numpy(), s=10)
        plt.plot(test_x.numpy(), test_pred.detach().numpy(), "b--")
        plt.pause(0.1)
        net_dropped.train()
