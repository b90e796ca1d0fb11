"""The loaders come from a setup helper of another module (accelerate's benchmarks: the helper
passes them through accelerator.prepare()), so their batches may already be on the device."""
import torch
from accelerate import Accelerator

from fp8_utils import get_training_utilities

model, optimizer, train_dataloader, eval_dataloader, lr_scheduler = get_training_utilities("bert-base-cased")
accelerator = Accelerator()
model.to(accelerator.device)
model.train()
for batch in train_dataloader:
    outputs = model(**batch)
    outputs.loss.backward()
    optimizer.step()
    lr_scheduler.step()
    optimizer.zero_grad()
