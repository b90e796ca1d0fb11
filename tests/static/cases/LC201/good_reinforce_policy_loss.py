"""REINFORCE: actions are sampled with grad on and trained on at the end of the episode."""
import torch
import torch.nn as nn
from torch.distributions import Categorical


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 32)
        self.dropout = nn.Dropout(0.6)
        self.head = nn.Linear(32, 2)
        self.saved_log_probs = []

    def forward(self, x):
        return torch.softmax(self.head(torch.relu(self.dropout(self.fc(x)))), dim=-1)


policy = Policy()
optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)


def select_action(state):
    probs = policy(state)
    m = Categorical(probs)
    action = m.sample()
    policy.saved_log_probs.append(m.log_prob(action))
    return action.item()


def finish_episode(rewards):
    policy_loss = []
    for log_prob, reward in zip(policy.saved_log_probs, rewards):
        policy_loss.append(-log_prob * reward)
    optimizer.zero_grad()
    policy_loss = torch.cat(policy_loss).sum()
    policy_loss.backward()
    optimizer.step()
    del policy.saved_log_probs[:]


for episode in range(10):
    rewards = []
    for t in range(20):
        select_action(torch.randn(1, 4))
        rewards.append(1.0)
    finish_episode(rewards)
