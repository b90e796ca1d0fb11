"""Resuming from the checkpoint that a later part of the script writes: it may come from another machine."""
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--resume", action="store_true")
args = parser.parse_args()
device = "cuda" if torch.cuda.is_available() else "cpu"
net = nn.Linear(10, 2).to(device)
if args.resume:
    checkpoint = torch.load("./checkpoint/ckpt.pth")  # expect: LC303
    net.load_state_dict(checkpoint["net"])


def test(epoch):
    state = {"net": net.state_dict(), "epoch": epoch}
    torch.save(state, "./checkpoint/ckpt.pth")


for epoch in range(3):
    test(epoch)
