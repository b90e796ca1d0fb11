"""A one-off backward before the loop, under a compound flag (`and not args.inference_only`), writes
reference gradients; the loop's zero_grad discards them on purpose. The loop's own backward runs
under `if not args.inference_only:`: in no configuration does the step see only the one-off
gradients (karpathy/llm.c's train_gpt2.py)."""
import argparse

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--inference_only", action="store_true")
parser.add_argument("--write_tensors", action="store_true")
args = parser.parse_args()

model = torch.nn.Linear(8, 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
loader = [(torch.randn(4, 8), torch.randn(4, 1)) for _ in range(10)]
master_process = True

if master_process and args.write_tensors and (not args.inference_only):
    x, y = loader[0]
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    torch.save({n: p.grad for n, p in model.named_parameters()}, "reference_grads.pt")

for x, y in loader:
    model.train()
    optimizer.zero_grad(set_to_none=True)
    loss = torch.nn.functional.mse_loss(model(x), y)
    if not args.inference_only:
        loss.backward()
    optimizer.step()
