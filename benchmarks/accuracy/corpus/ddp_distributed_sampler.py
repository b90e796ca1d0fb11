"""Data-parallel training with DistributedDataParallel and DistributedSampler.

Launch with `torchrun --nproc_per_node=N ddp_distributed_sampler.py`; run directly it falls
back to a single process, so the same file works on a laptop.
"""
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def setup():
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        dist.init_process_group(backend=backend)
        rank = dist.get_rank()
        local_rank = int(os.environ.get("LOCAL_RANK", 0))
        if torch.cuda.is_available():
            torch.cuda.set_device(local_rank)
            return True, rank, torch.device("cuda", local_rank)
        return True, rank, torch.device("cpu")
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return False, 0, device


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(20, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 4))

    def forward(self, x):
        return self.body(x)


def main():
    distributed, rank, device = setup()
    torch.manual_seed(0)
    dataset = TensorDataset(torch.randn(128, 20), torch.randint(0, 4, (128,)))
    val_dataset = TensorDataset(torch.randn(32, 20), torch.randint(0, 4, (32,)))
    sampler = DistributedSampler(dataset, shuffle=True) if distributed else None
    loader = DataLoader(dataset, batch_size=16, sampler=sampler, shuffle=(sampler is None), drop_last=True)
    val_loader = DataLoader(val_dataset, batch_size=16)

    model = MLP().to(device)
    if distributed:
        model = DDP(model, device_ids=[device.index] if device.type == "cuda" else None)
    criterion = nn.CrossEntropyLoss().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[1], gamma=0.1)

    for epoch in range(2):
        if sampler is not None:
            sampler.set_epoch(epoch)
        model.train()
        for x, y in loader:
            x = x.to(device, non_blocking=True)
            y = y.to(device, non_blocking=True)
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()

        if rank == 0:
            model.eval()
            correct = 0
            with torch.no_grad():
                for x, y in val_loader:
                    x, y = x.to(device), y.to(device)
                    correct += (model(x).argmax(1) == y).sum().item()
            print(f"epoch {epoch}: loss {loss.item():.4f} val acc {correct / len(val_dataset):.3f}")

    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
