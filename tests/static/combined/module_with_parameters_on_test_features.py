"""The look-alike of LC202/good_parameterless_module.py: the same loop with an nn.Linear
model, whose test forward does record a graph every iteration."""
import torch
import torch.nn as nn


class LR(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.linear = nn.Linear(dim, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


train_x, train_y = torch.randn(100, 10), torch.randint(0, 2, (100, 1)).float()
test_x, test_y = torch.randn(50, 10), torch.randint(0, 2, (50, 1)).float()
lrmodel = LR(10)
optimizer = torch.optim.SGD(lrmodel.parameters(), lr=0.1)
for i in range(100):
    optimizer.zero_grad()
    nn.functional.binary_cross_entropy(lrmodel(train_x), train_y).backward()
    optimizer.step()
    yhat_test = lrmodel(test_x)  # expect: LC202
    accuracy = ((yhat_test > 0.5).float() == test_y).float().mean().item()
