# bench: no-mode-layers
"""REINFORCE on a tiny self-contained corridor environment (no gym needed)."""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Categorical


class Corridor:
    """Walk right to reach the goal; each step costs a little."""

    def __init__(self, length=6):
        self.length = length
        self.pos = 0

    def reset(self):
        self.pos = 0
        return self._obs()

    def _obs(self):
        return [self.pos / self.length, 1.0 - self.pos / self.length, 1.0, 0.0]

    def step(self, action):
        self.pos = max(0, self.pos + (1 if action == 1 else -1))
        done = self.pos >= self.length
        reward = 1.0 if done else -0.05
        return self._obs(), reward, done


class Policy(nn.Module):
    def __init__(self, obs_dim=4, n_actions=2, hidden=32):
        super().__init__()
        self.fc1 = nn.Linear(obs_dim, hidden)
        self.fc2 = nn.Linear(hidden, n_actions)

    def forward(self, x):
        return F.softmax(self.fc2(F.relu(self.fc1(x))), dim=-1)


def discounted_returns(rewards, gamma, device):
    returns, g = [], 0.0
    for r in reversed(rewards):
        g = r + gamma * g
        returns.insert(0, g)
    returns = torch.tensor(returns, dtype=torch.float32, device=device)
    return (returns - returns.mean()) / (returns.std() + 1e-8) if len(returns) > 1 else returns


def main(episodes=8, gamma=0.99, max_steps=30):
    random.seed(0)
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    env = Corridor()
    policy = Policy().to(device)
    optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
    running_reward = 0.0

    for episode in range(episodes):
        state = env.reset()
        log_probs, rewards = [], []
        for t in range(max_steps):
            state_t = torch.tensor(state, dtype=torch.float32, device=device)
            probs = policy(state_t)
            m = Categorical(probs)
            action = m.sample()
            log_probs.append(m.log_prob(action))
            state, reward, done = env.step(action.item())
            rewards.append(reward)
            if done:
                break

        returns = discounted_returns(rewards, gamma, device)
        policy_loss = -(torch.stack(log_probs) * returns).sum()
        optimizer.zero_grad()
        policy_loss.backward()
        optimizer.step()

        ep_reward = sum(rewards)
        running_reward = 0.05 * ep_reward + 0.95 * running_reward
        print(f"episode {episode}: length {len(rewards)} reward {ep_reward:.2f} running {running_reward:.3f}")


if __name__ == "__main__":
    main()
