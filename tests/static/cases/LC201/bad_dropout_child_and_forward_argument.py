"""forward() takes its dropout rate as an argument, but through a Dropout child built in
__init__ (functional dropout that follows self.training): the test loop runs it in train mode."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.bn = nn.BatchNorm1d(128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x, d):
        x = F.relu(self.bn(self.fc1(x)))
        x = F.dropout(x, d, training=self.training)
        return self.fc2(x)


net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
train_x, train_y = torch.randn(256, 784), torch.randint(0, 10, (256,))
test_x, test_y = torch.randn(64, 784), torch.randint(0, 10, (64,))
for epoch in range(3):
    for i in range(0, 256, 32):
        loss = F.cross_entropy(net(train_x[i:i + 32], 0.5), train_y[i:i + 32])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        correct = 0
        for i in range(0, 64, 32):
            y = net(test_x[i:i + 32], 0.0)  # expect: LC201
            correct += (y.argmax(1) == test_y[i:i + 32]).sum().item()
    print(epoch, correct / 64)
