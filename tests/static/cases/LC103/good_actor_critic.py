"""Actor-critic: the critic's step between the actor's clear and the actor's backward."""
import torch
import torch.nn as nn

actor = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 2))
critic = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 1))
actor_optimizer = torch.optim.Adam(actor.parameters(), lr=3e-4)
critic_optimizer = torch.optim.Adam(critic.parameters(), lr=1e-3)

for episode in range(100):
    states = torch.randn(16, 4)
    returns = torch.randn(16, 1)
    actor_optimizer.zero_grad()
    critic_optimizer.zero_grad()
    values = critic(states)
    critic_loss = nn.functional.mse_loss(values, returns)
    critic_loss.backward()
    critic_optimizer.step()
    advantages = (returns - values).detach()
    log_probs = torch.log_softmax(actor(states), dim=-1)[:, 0:1]
    actor_loss = -(log_probs * advantages).mean()
    actor_loss.backward()
    actor_optimizer.step()
