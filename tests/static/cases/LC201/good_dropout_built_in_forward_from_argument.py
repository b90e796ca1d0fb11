"""forward() builds its Dropout from an argument (`nn.Dropout(d)(x)`) and the test loop passes
d=0.0. The network has no Dropout child: a module built in forward() is new at every call, in
train mode whatever model.eval() set, so eval() would change nothing here."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x, d):
        x = F.relu(self.fc1(x))
        x = nn.Dropout(d)(x)
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
            y = net(test_x[i:i + 32], 0.0)
            correct += (y.argmax(1) == test_y[i:i + 32]).sum().item()
    print(epoch, correct / 64)
