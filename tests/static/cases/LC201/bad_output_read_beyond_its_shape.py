"""A model file's __main__ demo loads pretrained weights, backpropagates one loss, then prints
predictions: the values come from train mode, with Dropout active."""
import torch
import torch.nn as nn


class ActionHead(nn.Module):
    def __init__(self, bins):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(48, 64), nn.GELU(), nn.Dropout(0.1))
        self.head = nn.Linear(64, 32 + bins)

    def load_backbone(self, path="backbone.pt"):
        self.backbone.load_state_dict(torch.load(path, map_location="cpu"))

    def forward(self, x, targets=None):
        out = self.head(self.backbone(x))
        if targets is None:
            return out
        return nn.functional.l1_loss(out, targets)


if __name__ == "__main__":
    for bins in (0, 2, 10):
        net = ActionHead(bins)
        net.load_backbone()
        images = torch.randn(2, 48)
        loss = net(images, targets=torch.randn(2, 32 + bins))
        loss.backward()
        pred_actions = net(images)  # expect: LC201
        assert pred_actions.shape == (2, 32 + bins)
        print(pred_actions.argmax(-1))
