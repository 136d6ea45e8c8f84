# Peer for tst_pretrained: the same TorchScript file run by python3-torch on the
# same decoded frames, preprocessed the torchvision way: RGB, shorter side
# resized to 224 (bilinear, antialiased, as torchvision's Resize on tensors),
# centre crop 224, ImageNet mean/std.
# usage: python3 peer_features.py MODEL FRAMES.bin OUT.bin
# FRAMES.bin: int32 count, then per frame int32 height, int32 width and
# height*width*3 bytes of RGB. OUT.bin: float32 [count, D].
import struct
import sys

import torch
import torch.nn.functional as F

torch.backends.quantized.engine = "qnnpack"
torch.set_num_threads(1)
model_path, frames_path, out_path = sys.argv[1:4]
frames = []
with open(frames_path, "rb") as f:
    (count,) = struct.unpack("<i", f.read(4))
    for _ in range(count):
        h, w = struct.unpack("<ii", f.read(8))
        raw = torch.frombuffer(bytearray(f.read(h * w * 3)), dtype=torch.uint8)
        frames.append(raw.view(h, w, 3).permute(2, 0, 1).float().div(255.0))
mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
batch = []
for x in frames:
    _, h, w = x.shape
    s = 224
    nh, nw = (s, max(s, round(w * s / h))) if h <= w else (max(s, round(h * s / w)), s)
    x = F.interpolate(x[None], size=(nh, nw), mode="bilinear", align_corners=False,
                      antialias=True)[0]
    top, left = (nh - s) // 2, (nw - s) // 2
    x = x[:, top:top + s, left:left + s].clamp(0, 1)
    batch.append((x - mean) / std)
model = torch.jit.load(model_path).eval()
with torch.no_grad():
    out = model(torch.stack(batch))
out = out.dequantize() if out.is_quantized else out
open(out_path, "wb").write(out.float().contiguous().numpy().tobytes())
