"""A latency benchmark of an eval-mode model with grad enabled: every timed call records a graph.
The imported parity check that follows is handed the model, the exported session and the
inputs, not the outputs of the timed calls."""
import time

import torch
import torch.nn as nn

from backends import check_parity, export_model, run_exported

model = nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Dropout(0.1), nn.Linear(256, 64))
model.eval()
inputs = torch.randn(16, 64)
session = export_model(model, inputs)

for runs in (10, 100):
    start = time.time()
    for _ in range(runs):
        _ = model(inputs)  # expect: LC202
    print("pytorch", (time.time() - start) / runs)
    start = time.time()
    for _ in range(runs):
        run_exported(session, inputs)
    print("exported", (time.time() - start) / runs)

check_parity(model, session, inputs)
