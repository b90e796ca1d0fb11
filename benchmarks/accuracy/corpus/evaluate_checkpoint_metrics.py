# bench: expect drop_map_location torch.load @ ckpt = torch.load( -- fake_checkpoint() stands in for a checkpoint file written by a training run (see the docstring), as the in-memory checkpoint of fixtures/buggy/LC303 does
"""Stand-alone evaluation of a saved checkpoint: confusion matrix and per-class accuracy.
No training at all; the model is switched to inference with .train(False)."""
import io

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def build_model(num_classes=3):
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.3), nn.Linear(8 * 6 * 6, num_classes),
    )


def fake_checkpoint():
    buf = io.BytesIO()
    torch.save({"model": build_model().state_dict(), "epoch": 7}, buf)
    buf.seek(0)
    return buf


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    ckpt = torch.load(fake_checkpoint(), map_location=device)
    model = build_model()
    model.load_state_dict(ckpt["model"])
    model = model.to(device).train(False)

    loader = DataLoader(TensorDataset(torch.randn(30, 1, 12, 12), torch.randint(0, 3, (30,))), batch_size=10)
    confusion = torch.zeros(3, 3, dtype=torch.long)
    with torch.no_grad():
        for images, targets in loader:
            images = images.to(device)
            preds = model(images).argmax(dim=1).cpu()
            for t, p in zip(targets.tolist(), preds.tolist()):
                confusion[t, p] += 1
    per_class = confusion.diag().float() / confusion.sum(1).clamp(min=1).float()
    print(f"checkpoint epoch {ckpt['epoch']}")
    print(confusion)
    print("per-class accuracy:", [round(a, 3) for a in per_class.tolist()])


if __name__ == "__main__":
    main()
