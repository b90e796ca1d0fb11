"""RL: the target network is in eval() and only the policy is trained in train mode."""
import torch
import torch.nn as nn

policy_net = nn.Sequential(nn.Linear(4, 64), nn.Dropout(0.1), nn.Linear(64, 2))
target_net = nn.Sequential(nn.Linear(4, 64), nn.Dropout(0.1), nn.Linear(64, 2))
target_net.load_state_dict(policy_net.state_dict())
optimizer = torch.optim.Adam(policy_net.parameters(), lr=1e-3)
policy_net.train()

for step in range(1000):
    target_net.eval()
    states, next_states = torch.randn(32, 4), torch.randn(32, 4)
    rewards = torch.randn(32)
    with torch.no_grad():
        targets = rewards + 0.99 * target_net(next_states).max(1).values
    loss = nn.functional.mse_loss(policy_net(states).max(1).values, targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
