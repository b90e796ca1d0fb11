"""map_location maps the checkpoint onto whichever device this run has."""
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2)
model.load_state_dict(torch.load("best_model.pth", map_location=device, weights_only=True))
model.to(device)
