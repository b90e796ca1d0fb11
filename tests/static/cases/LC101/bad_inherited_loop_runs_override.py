"""A base trainer owns the loop; the subclass's step, which the loop runs, never clears the
gradients. Nothing in the file calls fit(): the loop is walked for the subclass anyway."""
import torch.nn.functional as F


class BaseTrainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def train_step(self, batch):
        raise NotImplementedError

    def run_epoch(self, loader):
        for batch in loader:
            self.train_step(batch)

    def fit(self, loader, epochs):
        for epoch in range(epochs):
            self.model.train()
            self.run_epoch(loader)


class ClassifierTrainer(BaseTrainer):
    def train_step(self, batch):
        inputs, labels = batch
        loss = F.cross_entropy(self.model(inputs), labels)
        loss.backward()
        self.optimizer.step()  # expect: LC101
