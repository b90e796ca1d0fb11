"""An inference script with a CPU fallback, loading a GPU-trained checkpoint."""
import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
model.load_state_dict(torch.load("best_model.pth"))  # expect: LC303
model.to(device).eval()
with torch.no_grad():
    print(model(torch.randn(4, 10, device=device)).argmax(dim=1))
