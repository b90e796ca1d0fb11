"""A test of an optimizer wrapper fakes the gradients before each step (`p.grad.fill_`), and
a federated client copies in the averaged gradients (`p.grad.copy_`, `p.grad = g`): the
gradients the last step used are replaced, not accumulated, so no zero_grad() is needed."""
import torch
import torch.nn as nn

model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for overflow in (False, True, False):
    loss = model(torch.randn(2, 5)).sum()
    loss.backward()
    for p in model.parameters():
        p.grad.fill_(0.01)
    if overflow:
        p.grad[0] = float("nan")
    optimizer.step()


def apply_averaged(net, opt, averaged):
    for rounds in range(3):
        net(torch.randn(2, 5)).sum().backward()
        for param, grad in zip(net.parameters(), averaged):
            param.grad.copy_(grad)
        opt.step()


def apply_external(net, opt, grads_per_round):
    for grads in grads_per_round:
        for param, grad in zip(net.parameters(), grads):
            param.grad = grad
        opt.step()


apply_averaged(model, optimizer, [torch.zeros(1, 5), torch.zeros(1)])
apply_external(model, optimizer, [[torch.ones(1, 5), torch.ones(1)]] * 3)
