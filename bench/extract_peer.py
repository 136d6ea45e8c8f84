# The backbone-only side of bench_extract, from python3-torch: the same
# TorchScript file on batches of the same shape, with the same intra-op
# threads, timed the same way (forward and dequantize, no decoding).
# usage: python3 bench/extract_peer.py MODEL --size 224 --frames N --batch 64
#            --threads 1 [--repetitions 3]
# Prints one JSON line: {"fps": median frames/s, "runs": [...], "date": ..., ...}.
import argparse
import datetime
import json
import statistics
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("model")
p.add_argument("--size", type=int, default=224)
p.add_argument("--frames", type=int, default=512, help="frames per timed run")
p.add_argument("--batch", type=int, default=64)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--repetitions", type=int, default=3)
a = p.parse_args()
torch.set_num_threads(a.threads)
if "qnnpack" in torch.backends.quantized.supported_engines:
    torch.backends.quantized.engine = "qnnpack"
model = torch.jit.load(a.model).eval()
g = torch.Generator().manual_seed(0)
batches = []
left = a.frames
while left > 0:
    n = min(a.batch, left)
    x = torch.rand(n, 3, a.size, a.size, generator=g)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    batches.append((x - mean) / std)
    left -= n
with torch.no_grad():
    model(batches[0])  # warm-up
    runs = []
    for _ in range(a.repetitions):
        t0 = time.perf_counter()
        for x in batches:
            out = model(x)
            if out.is_quantized:
                out = out.dequantize()
        runs.append(a.frames / (time.perf_counter() - t0))
now = datetime.datetime.now(datetime.timezone.utc)
print(json.dumps({"model": a.model, "size": a.size, "batch": a.batch, "threads": a.threads,
                  "frames": a.frames, "torch": torch.__version__, "fps": statistics.median(runs),
                  "runs": runs, "date": now.isoformat(timespec="seconds")}))
