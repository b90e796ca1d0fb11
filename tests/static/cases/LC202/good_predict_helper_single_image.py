"""A predict() helper for one image, as a tutorial script ends: one forward, one answer."""
import torch
import torch.nn as nn
from torchvision import transforms


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.head = nn.Linear(16 * 32 * 32, 10)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


def predict(model, image):
    model.eval()
    batch = transforms.ToTensor()(image).unsqueeze(0)
    logits = model(batch)
    return logits.argmax(dim=1).item()


model = SmallCNN()
model.load_state_dict(torch.load("cnn.pt", map_location="cpu"))
print(predict(model, open_image("cat.png")))
