# bench: no-mode-layers
"""DQN with experience replay, a target network synced every few episodes, epsilon-greedy
exploration and Huber loss. The environment is a small synthetic chain."""
import math
import random
from collections import deque, namedtuple

import torch
import torch.nn as nn
import torch.nn.functional as F

Transition = namedtuple("Transition", ("state", "action", "next_state", "reward", "done"))

BATCH_SIZE = 16
GAMMA = 0.99
EPS_START, EPS_END, EPS_DECAY = 0.9, 0.05, 200
TARGET_UPDATE = 2
LR = 1e-3

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class ChainEnv:
    n_states, n_actions = 5, 2

    def reset(self):
        self.s = 0
        return self.encode()

    def encode(self):
        return [1.0 if i == self.s else 0.0 for i in range(self.n_states)]

    def step(self, a):
        self.s = min(self.n_states - 1, self.s + 1) if a == 1 else max(0, self.s - 1)
        done = self.s == self.n_states - 1
        return self.encode(), (1.0 if done else 0.0), done


class ReplayMemory:
    def __init__(self, capacity):
        self.memory = deque([], maxlen=capacity)

    def push(self, *args):
        self.memory.append(Transition(*args))

    def sample(self, batch_size):
        return random.sample(self.memory, batch_size)

    def __len__(self):
        return len(self.memory)


class QNet(nn.Module):
    def __init__(self, n_obs, n_actions):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(n_obs, 64), nn.ReLU(), nn.Linear(64, n_actions))

    def forward(self, x):
        return self.layers(x)


env = ChainEnv()
policy_net = QNet(env.n_states, env.n_actions).to(device)
target_net = QNet(env.n_states, env.n_actions).to(device)
target_net.load_state_dict(policy_net.state_dict())
optimizer = torch.optim.AdamW(policy_net.parameters(), lr=LR, amsgrad=True)
memory = ReplayMemory(1000)
steps_done = 0


def select_action(state):
    global steps_done
    eps_threshold = EPS_END + (EPS_START - EPS_END) * math.exp(-1.0 * steps_done / EPS_DECAY)
    steps_done += 1
    if random.random() > eps_threshold:
        with torch.no_grad():
            return policy_net(state).argmax(dim=1).item()
    return random.randrange(env.n_actions)


def optimize_model():
    if len(memory) < BATCH_SIZE:
        return None
    batch = Transition(*zip(*memory.sample(BATCH_SIZE)))
    state_batch = torch.cat(batch.state)
    next_state_batch = torch.cat(batch.next_state)
    action_batch = torch.tensor(batch.action, device=device).unsqueeze(1)
    reward_batch = torch.tensor(batch.reward, device=device)
    done_batch = torch.tensor(batch.done, dtype=torch.float32, device=device)

    state_action_values = policy_net(state_batch).gather(1, action_batch).squeeze(1)
    with torch.no_grad():
        next_values = target_net(next_state_batch).max(1).values * (1.0 - done_batch)
    expected = reward_batch + GAMMA * next_values
    loss = F.smooth_l1_loss(state_action_values, expected)

    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
    optimizer.step()
    return loss.item()


for i_episode in range(6):
    obs = env.reset()
    state = torch.tensor(obs, dtype=torch.float32, device=device).unsqueeze(0)
    for t in range(20):
        action = select_action(state)
        obs, reward, done = env.step(action)
        next_state = torch.tensor(obs, dtype=torch.float32, device=device).unsqueeze(0)
        memory.push(state, action, next_state, reward, float(done))
        state = next_state
        last_loss = optimize_model()
        if done:
            break
    if i_episode % TARGET_UPDATE == 0:
        target_net.load_state_dict(policy_net.state_dict())
    print(f"episode {i_episode} finished after {t + 1} steps, loss {last_loss}")
