"""A base trainer owns the loop and clears the gradients; the subclass's step does the rest."""
import torch.nn.functional as F


class BaseTrainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def train_step(self, batch):
        raise NotImplementedError

    def fit(self, loader, epochs):
        for epoch in range(epochs):
            self.model.train()
            for batch in loader:
                self.optimizer.zero_grad()
                self.train_step(batch)


class ClassifierTrainer(BaseTrainer):
    def train_step(self, batch):
        inputs, labels = batch
        loss = F.cross_entropy(self.model(inputs), labels)
        loss.backward()
        self.optimizer.step()


class LoggingTrainer(ClassifierTrainer):
    def log(self, message):
        print(message)
