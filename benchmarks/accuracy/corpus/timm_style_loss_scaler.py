# bench: expect delete_zero_grad optimizer.zero_grad() @ loss_scaler(loss, optimizer | self._scaler.step(optimizer) -- the step runs inside the NativeScaler helper called once per batch
"""timm-style train_one_epoch: backward/clip/step are delegated to a NativeScaler-like helper
object, the epoch scheduler is stepped with the epoch number, metrics through an AverageMeter."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class AverageMeter:
    def __init__(self):
        self.sum, self.count = 0.0, 0

    def update(self, val, n=1):
        self.sum += val * n
        self.count += n

    @property
    def avg(self):
        return self.sum / max(1, self.count)


class NativeScaler:
    def __init__(self, enabled):
        self._scaler = torch.cuda.amp.GradScaler(enabled=enabled)

    def __call__(self, loss, optimizer, clip_grad=None, parameters=None):
        self._scaler.scale(loss).backward()
        if clip_grad is not None:
            self._scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(parameters, clip_grad)
        self._scaler.step(optimizer)
        self._scaler.update()


def train_one_epoch(epoch, model, loader, optimizer, loss_fn, device, loss_scaler, amp):
    model.train()
    losses = AverageMeter()
    for batch_idx, (input, target) in enumerate(loader):
        input, target = input.to(device), target.to(device)
        with torch.autocast(device_type=device.type, enabled=amp):
            output = model(input)
            loss = loss_fn(output, target)
        optimizer.zero_grad()
        loss_scaler(loss, optimizer, clip_grad=1.0, parameters=model.parameters())
        losses.update(loss.item(), input.size(0))
    return {"loss": losses.avg}


def validate(model, loader, loss_fn, device):
    model.eval()
    losses, top1 = AverageMeter(), AverageMeter()
    with torch.no_grad():
        for input, target in loader:
            input, target = input.to(device), target.to(device)
            output = model(input)
            losses.update(loss_fn(output, target).item(), input.size(0))
            top1.update((output.argmax(1) == target).float().mean().item(), input.size(0))
    return {"loss": losses.avg, "top1": top1.avg}


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    amp = device.type == "cuda"
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(16, 10))
    model.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    loss_scaler = NativeScaler(enabled=amp)
    train_loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1).to(device)
    validate_loss_fn = nn.CrossEntropyLoss().to(device)
    loader_train = DataLoader(TensorDataset(torch.randn(32, 3, 8, 8), torch.randint(0, 10, (32,))), batch_size=8, shuffle=True)
    loader_eval = DataLoader(TensorDataset(torch.randn(16, 3, 8, 8), torch.randint(0, 10, (16,))), batch_size=8)

    for epoch in range(2):
        train_metrics = train_one_epoch(epoch, model, loader_train, optimizer, train_loss_fn, device, loss_scaler, amp)
        eval_metrics = validate(model, loader_eval, validate_loss_fn, device)
        lr_scheduler.step(epoch + 1)
        print(f"epoch {epoch}: train {train_metrics['loss']:.4f} eval {eval_metrics['loss']:.4f} top1 {eval_metrics['top1']:.3f}")


if __name__ == "__main__":
    main()
