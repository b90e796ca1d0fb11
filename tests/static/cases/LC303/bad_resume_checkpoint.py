"""Resuming training from a checkpoint dict."""
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--resume", default="")
args = parser.parse_args()
device = "cuda" if torch.cuda.is_available() else "cpu"
model = nn.Linear(10, 2).to(device)
optimizer = torch.optim.Adam(model.parameters())
start_epoch = 0
if args.resume:
    checkpoint = torch.load(args.resume)  # expect: LC303
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    start_epoch = checkpoint["epoch"] + 1
