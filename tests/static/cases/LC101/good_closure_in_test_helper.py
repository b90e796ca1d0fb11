"""A test helper trains with optimizer.step(closure); the closure, defined in the loop, clears
the gradients of the optimizer the helper was handed. Another helper forwards a closure it
receives to step()."""
import unittest

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class TrainingTest(unittest.TestCase):
    def _train_steps_with_closure(self, model, optimizer, dl):
        for x, y in dl:

            def closure():
                optimizer.zero_grad()
                loss = nn.functional.cross_entropy(model(x), y)
                loss.backward()
                return loss

            optimizer.step(closure)

    def test_converges(self):
        v_model = nn.Linear(4, 2)
        v_optimizer = torch.optim.SGD(v_model.parameters(), lr=0.1)
        v_dl = DataLoader(TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,))), batch_size=8)
        self._train_steps_with_closure(v_model, v_optimizer, v_dl)


def take_step(opt, closure):
    return opt.step(closure)


model = nn.Linear(3, 1)
lbfgs = torch.optim.LBFGS(model.parameters())
x, y = torch.randn(20, 3), torch.randn(20, 1)


def fit_closure():
    lbfgs.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss


for i in range(10):
    take_step(lbfgs, fit_closure)
