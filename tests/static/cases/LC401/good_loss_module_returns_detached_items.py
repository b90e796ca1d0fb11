"""An in-file loss module returns the loss and detached items (YOLO style): only the items
are accumulated, and they carry no graph."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class DetectionLoss(nn.Module):
    def forward(self, class_hat, box_hat, class_true, box_true):
        class_loss = F.cross_entropy(class_hat, class_true)
        loc_loss = F.smooth_l1_loss(box_hat, box_true)
        loss_items = torch.stack((class_loss, loc_loss)).detach()
        return class_loss + 5.0 * loc_loss, loss_items


net = nn.Linear(10, 6)
criterion = DetectionLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,)), torch.randn(64, 4)), batch_size=8)

mean_loss_items = torch.zeros(2)
for epoch in range(3):
    for x, labels, boxes in loader:
        out = net(x)
        loss, loss_items = criterion(out[:, :2], out[:, 2:], labels, boxes)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        mean_loss_items += loss_items
