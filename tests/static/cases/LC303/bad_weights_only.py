"""weights_only=True limits unpickling, not devices."""
import torch
import torch.nn as nn

use_cuda = torch.cuda.is_available()
net = nn.Linear(10, 2)
if use_cuda:
    net = net.cuda()
state = torch.load("weights.pt", weights_only=True)  # expect: LC303
net.load_state_dict(state)
