"""After training, plot the predictions for five test images, one figure each."""
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from torchvision import datasets, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
test_data = datasets.FashionMNIST("data", train=False, download=True, transform=transforms.ToTensor())
model_gpu = nn.Sequential(nn.Flatten(), nn.Linear(784, 10)).to(device)
model_gpu.load_state_dict(torch.load("model.pth", map_location=device))
model_gpu.eval()

num_to_plot = 5
for i in range(num_to_plot):
    img = test_data[i][0]
    label = test_data[i][1]
    model_pred_logits = model_gpu(img.unsqueeze(dim=0).to(device))
    model_pred_label = torch.argmax(torch.softmax(model_pred_logits, dim=1), dim=1)
    plt.figure()
    plt.imshow(img.squeeze(), cmap="gray")
    plt.title(f"Truth: {label} | Pred: {model_pred_label.cpu().item()}")
