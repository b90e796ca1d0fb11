"""WGAN-GP on 2-D toy data: several critic updates per generator update, gradient penalty,
optimizers cleared with set_to_none."""
import torch
from torch import nn, autograd

BATCH = 32
N_CRITIC = 3
LAMBDA_GP = 10.0
Z_DIM = 4


def make_mlp(inp, out, hidden=32):
    return nn.Sequential(nn.Linear(inp, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, out))


def sample_real(n, device):
    angle = torch.rand(n, device=device) * 6.2832
    return torch.stack([angle.cos(), angle.sin()], dim=1) + 0.05 * torch.randn(n, 2, device=device)


def gradient_penalty(critic, real, fake):
    alpha = torch.rand(real.size(0), 1, device=real.device)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = critic(mixed)
    grads = autograd.grad(outputs=scores.sum(), inputs=mixed, create_graph=True)[0]
    return ((grads.norm(2, dim=1) - 1) ** 2).mean()


def train(steps=6):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    generator = make_mlp(Z_DIM, 2).to(device)
    critic = make_mlp(2, 1).to(device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=1e-4, betas=(0.5, 0.9))
    opt_c = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.5, 0.9))

    for it in range(steps):
        for _ in range(N_CRITIC):
            real = sample_real(BATCH, device)
            z = torch.randn(BATCH, Z_DIM, device=device)
            with torch.no_grad():
                fake = generator(z)
            c_loss = critic(fake).mean() - critic(real).mean() + LAMBDA_GP * gradient_penalty(critic, real, fake)
            opt_c.zero_grad(set_to_none=True)
            c_loss.backward()
            opt_c.step()

        z = torch.randn(BATCH, Z_DIM, device=device)
        g_loss = -critic(generator(z)).mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        print(f"it {it}: critic {c_loss.item():.3f} gen {g_loss.item():.3f}")


if __name__ == "__main__":
    train()
