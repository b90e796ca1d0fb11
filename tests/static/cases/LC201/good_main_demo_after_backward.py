"""A model file's __main__ demo: build the model, backpropagate one loss to check gradients
flow, then check the output shape. Nothing is ever stepped: the model is untrained."""
import torch
import torch.nn as nn


class ViTLike(nn.Module):
    def __init__(self, dim=32, classes=5):
        super().__init__()
        self.embed = nn.Linear(48, dim)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, 4, 64, dropout=0.1), 2)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        return self.head(self.encoder(self.embed(x)).mean(1))


if __name__ == "__main__":
    vit = ViTLike()
    images = torch.randn(2, 16, 48)
    loss = vit(images).sum()
    loss.backward()
    logits = vit(images)
    assert logits.shape == (2, 5)
