# bench: no-mode-layers
"""Advantage actor-critic with separate actor and critic networks and optimizers,
updated every n steps on a synthetic bandit-like task."""
import torch
from torch import nn
from torch.distributions import Categorical


class Actor(nn.Module):
    def __init__(self, obs_dim, n_actions):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, 32), nn.Tanh(), nn.Linear(32, n_actions))

    def forward(self, obs):
        return Categorical(logits=self.net(obs))


class Critic(nn.Module):
    def __init__(self, obs_dim):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, 32), nn.Tanh(), nn.Linear(32, 1))

    def forward(self, obs):
        return self.net(obs).squeeze(-1)


class ContextBandit:
    def __init__(self, obs_dim=3, n_actions=3, seed=0):
        g = torch.Generator().manual_seed(seed)
        self.weights = torch.randn(obs_dim, n_actions, generator=g)
        self.obs_dim = obs_dim

    def observe(self, n):
        return torch.randn(n, self.obs_dim)

    def reward(self, obs, actions):
        return (obs @ self.weights).gather(1, actions.unsqueeze(1)).squeeze(1)


def main(updates=10, n_envs=8):
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    env = ContextBandit()
    actor = Actor(env.obs_dim, 3).to(device)
    critic = Critic(env.obs_dim).to(device)
    actor_opt = torch.optim.Adam(actor.parameters(), lr=3e-3)
    critic_opt = torch.optim.Adam(critic.parameters(), lr=1e-2)

    for update in range(updates):
        obs = env.observe(n_envs).to(device)
        dist = actor(obs)
        actions = dist.sample()
        rewards = env.reward(obs.cpu(), actions.cpu()).to(device)

        values = critic(obs)
        advantage = rewards - values.detach()

        actor_loss = -(dist.log_prob(actions) * advantage).mean() - 0.01 * dist.entropy().mean()
        actor_opt.zero_grad()
        actor_loss.backward()
        actor_opt.step()

        critic_loss = (rewards - values).pow(2).mean()
        critic_opt.zero_grad()
        critic_loss.backward()
        critic_opt.step()

        if update % 3 == 0:
            print(f"update {update}: mean reward {rewards.mean().item():.3f} critic loss {critic_loss.item():.3f}")


if __name__ == "__main__":
    main()
