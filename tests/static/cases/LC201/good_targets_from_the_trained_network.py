"""DQN without a target network and pseudo-labelling: the trained network itself computes the
targets under no_grad(), in train mode on purpose; the loss uses them, so these forwards are part
of the training step, not evaluations."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

q_net = nn.Sequential(nn.Linear(4, 64), nn.Dropout(0.1), nn.Linear(64, 2))
optimizer = torch.optim.Adam(q_net.parameters(), lr=1e-3)
replay = DataLoader(TensorDataset(torch.randn(256, 4), torch.randint(0, 2, (256, 1)), torch.randn(256, 1),
                                  torch.randn(256, 4)), batch_size=32)


def q_targets(next_states, rewards, gamma=0.99):
    best_next = q_net(next_states).detach().max(1)[0].unsqueeze(1)
    return rewards + gamma * best_next


def compute_loss(states, actions, rewards, next_states):
    with torch.no_grad():
        targets = q_targets(next_states, rewards)
    expected = q_net(states).gather(1, actions)
    return F.mse_loss(expected, targets)


for epoch in range(3):
    for states, actions, rewards, next_states in replay:
        loss = compute_loss(states, actions, rewards, next_states)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

classifier = nn.Sequential(nn.Linear(8, 32), nn.Dropout(0.5), nn.Linear(32, 3))
opt_c = torch.optim.SGD(classifier.parameters(), lr=0.1)
unlabelled = DataLoader(TensorDataset(torch.randn(64, 8)), batch_size=8)
for (weak,) in unlabelled:
    with torch.no_grad():
        pseudo = classifier(weak).argmax(dim=1)
    strong = weak + 0.1 * torch.randn_like(weak)
    opt_c.zero_grad()
    F.cross_entropy(classifier(strong), pseudo).backward()
    opt_c.step()
