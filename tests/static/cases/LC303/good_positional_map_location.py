"""map_location as the second positional argument, or a lambda."""
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(10, 2)
model.load_state_dict(torch.load("best_model.pth", "cpu"))
checkpoint = torch.load("last.pth", map_location=lambda storage, loc: storage)
model.load_state_dict(checkpoint["model"])
model.to(device)
