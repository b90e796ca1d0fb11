"""DCGAN-style training: a convolutional generator and discriminator, each with its own Adam,
cleared through the modules' own zero_grad(); samples from fixed noise after each epoch."""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

nz, ngf, ndf, nc = 16, 8, 8, 1


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, x):
        return self.main(x).view(-1)


def weights_init(m):
    classname = m.__class__.__name__
    if "Conv" in classname:
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif "BatchNorm" in classname:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def main():
    torch.manual_seed(999)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    real_images = torch.rand(32, nc, 16, 16) * 2 - 1
    dataloader = DataLoader(TensorDataset(real_images), batch_size=8, shuffle=True)

    netG = Generator().to(device)
    netD = Discriminator().to(device)
    netG.apply(weights_init)
    netD.apply(weights_init)

    criterion = nn.BCELoss()
    fixed_noise = torch.randn(4, nz, 1, 1, device=device)
    optimizerD = optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))

    for epoch in range(2):
        for i, (real,) in enumerate(dataloader):
            real = real.to(device)
            b = real.size(0)
            ones = torch.ones(b, device=device)
            zeros = torch.zeros(b, device=device)

            # discriminator: maximise log(D(x)) + log(1 - D(G(z)))
            netD.zero_grad()
            d_real = netD(real)
            noise = torch.randn(b, nz, 1, 1, device=device)
            fake = netG(noise)
            d_fake = netD(fake.detach())
            errD = criterion(d_real, ones) + criterion(d_fake, zeros)
            errD.backward()
            optimizerD.step()

            # generator: maximise log(D(G(z)))
            netG.zero_grad()
            output = netD(fake)
            errG = criterion(output, ones)
            errG.backward()
            optimizerG.step()

            if i % 2 == 0:
                print(f"[{epoch}][{i}] loss_D {errD.item():.4f} loss_G {errG.item():.4f} D(x) {d_real.mean().item():.3f}")

        netG.eval()
        with torch.no_grad():
            samples = netG(fixed_noise).cpu()
        netG.train()
        print(f"epoch {epoch}: sample range [{samples.min():.2f}, {samples.max():.2f}]")


if __name__ == "__main__":
    main()
