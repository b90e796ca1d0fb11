"""An in-file loss module returns the total and its parts; all three are summed over the epoch
with their graphs."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class DetectionLoss(nn.Module):
    def forward(self, class_hat, box_hat, class_true, box_true):
        class_loss = F.cross_entropy(class_hat, class_true)
        loc_loss = F.smooth_l1_loss(box_hat, box_true)
        loss = class_loss + 5.0 * loc_loss
        return loss, loc_loss, class_loss


net = nn.Linear(10, 6)
criterion = DetectionLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)), torch.randn(64, 4)), batch_size=8)

for epoch in range(3):
    train_loss, loc_total = 0.0, 0.0
    for x, labels, boxes in loader:
        out = net(x)
        batch_loss, batch_loc_loss, batch_class_loss = criterion(out[:, :2], out[:, 2:], labels, boxes)
        optimizer.zero_grad()
        batch_loss.backward()
        optimizer.step()
        train_loss += batch_loss  # expect: LC401
        loc_total += batch_loc_loss  # expect: LC401
