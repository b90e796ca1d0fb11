"""Convolutional denoising autoencoder trained with an epoch `while` loop and early stopping."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class ConvAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(16, 8, 2, stride=2), nn.BatchNorm2d(8), nn.ReLU(),
            nn.ConvTranspose2d(8, 1, 2, stride=2), nn.Sigmoid(),
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))


def main():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    clean = torch.rand(48, 1, 16, 16)
    train_loader = DataLoader(TensorDataset(clean[:32]), batch_size=8, shuffle=True)
    val_loader = DataLoader(TensorDataset(clean[32:]), batch_size=8)

    autoencoder = ConvAutoencoder().to(device)
    optimizer = torch.optim.Adam(autoencoder.parameters(), lr=1e-3)
    mse = nn.MSELoss()

    epoch, patience, bad_epochs, best = 0, 2, 0, float("inf")
    while epoch < 4 and bad_epochs < patience:
        autoencoder.train()
        for (images,) in train_loader:
            images = images.to(device)
            noisy = (images + 0.2 * torch.randn_like(images)).clamp(0, 1)
            optimizer.zero_grad()
            reconstruction = autoencoder(noisy)
            loss = mse(reconstruction, images)
            loss.backward()
            optimizer.step()

        autoencoder.eval()
        val_loss = 0.0
        with torch.no_grad():
            for (images,) in val_loader:
                images = images.to(device)
                val_loss += mse(autoencoder(images), images).item() * images.size(0)
        val_loss /= len(val_loader.dataset)
        if val_loss < best - 1e-4:
            best, bad_epochs = val_loss, 0
        else:
            bad_epochs += 1
        print(f"epoch {epoch}: val mse {val_loss:.5f}")
        epoch += 1


if __name__ == "__main__":
    main()
