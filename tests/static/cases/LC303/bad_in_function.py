"""A loading helper in a script that falls back to the CPU."""
import torch
import torch.nn as nn


def load_pretrained(model, path):
    state_dict = torch.load(path)  # expect: LC303
    model.load_state_dict(state_dict, strict=False)
    return model


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = load_pretrained(nn.Linear(10, 2), "pretrained.pt").to(device)
    model.eval()
    with torch.no_grad():
        print(model(torch.randn(2, 10, device=device)))


main()
