"""Batch inference with a torchvision classifier: load weights (here: a freshly initialised
checkpoint), put the model in eval mode and predict under no_grad."""
import io

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import resnet18


def load_model(device):
    model = resnet18(num_classes=4)
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    buffer.seek(0)
    model.load_state_dict(torch.load(buffer, map_location="cpu"))
    model.to(device)
    model.eval()
    return model


def predict(model, loader, device):
    predictions = []
    with torch.no_grad():
        for (images,) in loader:
            images = images.to(device)
            probs = F.softmax(model(images), dim=1)
            conf, label = probs.max(dim=1)
            predictions.extend(zip(label.tolist(), conf.tolist()))
    return predictions


if __name__ == "__main__":
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    loader = DataLoader(TensorDataset(torch.randn(12, 3, 32, 32)), batch_size=4)
    model = load_model(device)
    for idx, (label, conf) in enumerate(predict(model, loader, device)):
        print(f"image {idx}: class {label} ({conf:.2%})")
