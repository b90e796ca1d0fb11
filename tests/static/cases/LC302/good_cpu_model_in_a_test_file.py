"""A test file: one test moves its model to the GPU, another builds a BatchNorm and never moves
it. The CPU test's step function feeds it a new CPU tensor: nothing there is on an accelerator."""
import torch
import torch.nn as nn


def test_on_gpu():
    model = nn.Linear(2, 1).to("cuda")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(3):
        loss = model(torch.rand(4, 2, device="cuda")).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def test_running_stats_on_cpu():
    model = nn.BatchNorm2d(2)
    for step in range(3):
        x = torch.rand(4, 2, 8, 8)
        _ = model(x)
    assert model.num_batches_tracked == 3
