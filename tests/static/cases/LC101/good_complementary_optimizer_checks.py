"""A textbook utils module's trainer for hand-written SGD or a torch optimizer: `if optimizer
is not None:` clears and `if optimizer is None: ... else: step()` steps, so whenever step()
runs, zero_grad() ran first."""
import torch

from .metrics import evaluate_accuracy, sgd


def train_classifier(net, train_iter, test_iter, loss, num_epochs, batch_size, params=None, lr=None, optimizer=None):
    for epoch in range(num_epochs):
        loss_sum, correct, seen = 0.0, 0.0, 0
        for X, y in train_iter:
            y_hat = net(X)
            l = loss(y_hat, y).sum()
            if optimizer is not None:
                optimizer.zero_grad()
            elif params is not None and params[0].grad is not None:
                for param in params:
                    param.grad.data.zero_()
            l.backward()
            if optimizer is None:
                sgd(params, lr, batch_size)
            else:
                optimizer.step()
            loss_sum += l.item()
            correct += (y_hat.argmax(dim=1) == y).sum().item()
            seen += y.shape[0]
        print(epoch, loss_sum / seen, correct / seen, evaluate_accuracy(test_iter, net))
