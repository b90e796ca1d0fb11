"""torch.load of preprocessed CPU tensors, not of a checkpoint."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
features, labels = torch.load("processed/train.pt")
loader = DataLoader(TensorDataset(features, labels), batch_size=32, shuffle=True)
model = nn.Linear(features.shape[1], 2).to(device)
