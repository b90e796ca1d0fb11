"""Mixed-precision training through an optimizer wrapper that runs the backward itself
(apex's and Megatron's FP16_Optimizer: `optimizer.backward(loss)` scales the loss and
backpropagates it). The forward before it is a training forward, not an evaluation in train mode."""
import torch
import torch.nn as nn
from apex.fp16_utils import FP16_Optimizer
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 2))

    def forward(self, x):
        return self.body(x)


loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 2, (64,))), batch_size=8)
model = Net().cuda().half()
model.load_state_dict(torch.load("pretrained.pt", map_location="cuda"))
criterion = nn.CrossEntropyLoss()
optimizer = FP16_Optimizer(torch.optim.SGD(model.parameters(), lr=0.1), dynamic_loss_scale=True)

for epoch in range(3):
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs.cuda().half()), labels.cuda())
        optimizer.backward(loss)
        optimizer.step()
