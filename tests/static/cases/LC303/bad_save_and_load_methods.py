"""An agent whose save() and load() are separate entry points: the load meets files from any machine."""
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Agent:
    def __init__(self):
        self.actor = nn.Linear(4, 2).to(device)
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters(), lr=3e-4)

    def save(self, filename):
        torch.save(self.actor.state_dict(), filename + "_actor")

    def load(self, filename):
        self.actor.load_state_dict(torch.load(filename + "_actor"))  # expect: LC303
