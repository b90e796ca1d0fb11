"""DQN: targets from the target network under no_grad, loss on the policy network."""
import torch
import torch.nn as nn

policy_net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))
target_net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))
target_net.load_state_dict(policy_net.state_dict())
optimizer = torch.optim.Adam(policy_net.parameters(), lr=1e-3)

for step in range(1000):
    states, next_states = torch.randn(32, 4), torch.randn(32, 4)
    actions, rewards = torch.randint(0, 2, (32, 1)), torch.randn(32)
    q_values = policy_net(states).gather(1, actions).squeeze(1)
    with torch.no_grad():
        next_q = target_net(next_states).max(1).values
    expected_q = rewards + 0.99 * next_q
    loss = nn.functional.smooth_l1_loss(q_values, expected_q)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        target_net.load_state_dict(policy_net.state_dict())
