"""A teaching notebook's logistic regression: an nn.Module holding plain tensors and computing
its own gradients. Nothing requires grad, so no graph is recorded on the test forward."""
import torch
import torch.nn as nn


class LR(nn.Module):
    def __init__(self, dim, lr=0.01):
        super().__init__()
        self.w = torch.zeros(dim, 1)
        self.b = torch.scalar_tensor(0)
        self.lr = lr

    def forward(self, x):
        return torch.sigmoid(torch.mm(self.w.T, x) + self.b)

    def backward(self, x, yhat, y):
        self.dw = torch.mm(x, (yhat - y).T) / x.shape[1]
        self.db = torch.sum(yhat - y) / x.shape[1]

    def optimize(self):
        self.w -= self.lr * self.dw
        self.b -= self.lr * self.db


train_x, train_y = torch.randn(10, 100), torch.randint(0, 2, (1, 100)).float()
test_x, test_y = torch.randn(10, 50), torch.randint(0, 2, (1, 50)).float()
lrmodel = LR(10)
for i in range(100):
    yhat = lrmodel.forward(train_x)
    lrmodel.backward(train_x, yhat, train_y)
    lrmodel.optimize()
    yhat_test = lrmodel.forward(test_x)
    accuracy = ((yhat_test > 0.5).float() == test_y).float().mean().item()
