"""Live inference on a video stream: every frame runs a forward with grad enabled and is shown."""
import cv2
import torch
import torch.nn as nn

net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(), nn.LazyLinear(4))
net.load_state_dict(torch.load("detector.pth", map_location="cpu"))
net.eval()
stream = cv2.VideoCapture(0)
while True:
    grabbed, frame = stream.read()
    x = torch.from_numpy(frame).permute(2, 0, 1).unsqueeze(0).float()
    y = net(x)  # expect: LC202
    cv2.imshow("frame", frame)
    if cv2.waitKey(1) & 0xFF == ord("q"):
        break
