# runnable: no
"""A PyTorch Lightning classifier: the Trainer owns the loop, zero_grad, backward, step,
eval mode and no_grad, so the module only defines steps and optimizers."""
import lightning as L
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class LitClassifier(L.LightningModule):
    def __init__(self, in_dim=20, n_classes=4, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.model = nn.Sequential(nn.Linear(in_dim, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, n_classes))

    def forward(self, x):
        return self.model(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(dim=1) == y).float().mean()
        self.log_dict({"val_loss": loss, "val_acc": acc})

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "epoch"}}


if __name__ == "__main__":
    train = DataLoader(TensorDataset(torch.randn(256, 20), torch.randint(0, 4, (256,))), batch_size=32, shuffle=True)
    val = DataLoader(TensorDataset(torch.randn(64, 20), torch.randint(0, 4, (64,))), batch_size=32)
    trainer = L.Trainer(max_epochs=3, accelerator="auto", devices=1, logger=False)
    trainer.fit(LitClassifier(), train, val)
