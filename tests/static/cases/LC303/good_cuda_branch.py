"""The plain load runs only where CUDA exists; the CPU branch maps."""
import torch
import torch.nn as nn

model = nn.Linear(10, 2)
if torch.cuda.is_available():
    checkpoint = torch.load("best_model.pth")
    model = model.cuda()
else:
    checkpoint = torch.load("best_model.pth", map_location="cpu")
model.load_state_dict(checkpoint)
