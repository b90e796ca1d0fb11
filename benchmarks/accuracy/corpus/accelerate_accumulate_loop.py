# runnable: no
"""Training with Hugging Face Accelerate: accelerator.prepare, accelerator.accumulate and
accelerator.backward; evaluation gathers predictions across processes."""
import torch
from accelerate import Accelerator
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def main():
    accelerator = Accelerator(gradient_accumulation_steps=2, mixed_precision="no")
    train_ds = TensorDataset(torch.randn(64, 10), torch.randint(0, 3, (64,)))
    eval_ds = TensorDataset(torch.randn(32, 10), torch.randint(0, 3, (32,)))
    train_dataloader = DataLoader(train_ds, batch_size=8, shuffle=True)
    eval_dataloader = DataLoader(eval_ds, batch_size=8)

    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 3))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    lr_scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0, end_factor=0.1, total_iters=16)
    model, optimizer, train_dataloader, eval_dataloader, lr_scheduler = accelerator.prepare(
        model, optimizer, train_dataloader, eval_dataloader, lr_scheduler
    )
    loss_fn = nn.CrossEntropyLoss()

    for epoch in range(2):
        model.train()
        for inputs, targets in train_dataloader:
            with accelerator.accumulate(model):
                outputs = model(inputs)
                loss = loss_fn(outputs, targets)
                accelerator.backward(loss)
                if accelerator.sync_gradients:
                    accelerator.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()

        model.eval()
        correct, total = 0, 0
        for inputs, targets in eval_dataloader:
            with torch.no_grad():
                outputs = model(inputs)
            predictions, references = accelerator.gather_for_metrics((outputs.argmax(dim=-1), targets))
            correct += (predictions == references).sum().item()
            total += references.numel()
        accelerator.print(f"epoch {epoch}: accuracy {correct / total:.3f}")


if __name__ == "__main__":
    main()
