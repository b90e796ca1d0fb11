"""Categorical DQN projection: the target network's output is moved to the CPU with .cpu()
before it meets the CPU `support` tensor."""
import torch
import torch.nn as nn

num_atoms, Vmin, Vmax = 51, -10, 10
target_model = nn.Linear(4, 2 * num_atoms).cuda()


def projection_distribution(next_state):
    support = torch.linspace(Vmin, Vmax, num_atoms)
    next_dist = target_model(next_state.cuda()).data.cpu().view(-1, 2, num_atoms) * support
    return next_dist.sum(2)


for frame in range(100):
    print(projection_distribution(torch.randn(8, 4)).shape)
