"""DQN target network: a frozen copy run under no_grad, never trained by backward."""
import torch
import torch.nn as nn

policy_net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 2))
target_net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 2))
target_net.load_state_dict(policy_net.state_dict())
target_net.eval()
optimizer = torch.optim.Adam(policy_net.parameters(), lr=1e-3)

for step in range(1000):
    states, next_states = torch.randn(32, 4), torch.randn(32, 4)
    actions, rewards = torch.randint(0, 2, (32, 1)), torch.randn(32)
    q_values = policy_net(states).gather(1, actions).squeeze(1)
    with torch.no_grad():
        next_q = target_net(next_states).max(1).values
    loss = nn.functional.smooth_l1_loss(q_values, rewards + 0.99 * next_q)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
