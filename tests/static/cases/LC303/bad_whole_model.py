"""A whole pickled model loaded for inference."""
import torch

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
model = torch.load("model.pt")  # expect: LC303
model = model.to(device)
model.eval()
with torch.no_grad():
    prediction = model(torch.randn(1, 10, device=device))
