"""The same runner class, but its load helper is given a checkpoint this run never wrote
(one downloaded or saved by another run, maybe on a GPU)."""
import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"


class Runner:
    def __init__(self, model):
        self.model = model.to(device)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)

    def save_checkpoint(self, filename):
        torch.save({"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict()}, filename)

    def load_checkpoint(self, filename):
        checkpoint = torch.load(filename)  # expect: LC303
        self.model.load_state_dict(checkpoint["model"])
        self.optimizer.load_state_dict(checkpoint["optimizer"])


runner = Runner(nn.Linear(10, 2))
runner.save_checkpoint("model_checkpoint.pth")
pretrained = Runner(nn.Linear(10, 2))
pretrained.load_checkpoint("pretrained.pth")
