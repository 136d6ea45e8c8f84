"""One training step in PyTorch, the Python side of bench_train.

The models compute what the engine's do (engine/src/nn): the same modules
(nn.LSTM/nn.GRU batch_first, 2 stacked layers for deep_lstm, bidirectional
LSTM with both final states, a ConvLSTM cell that is one Conv2d(C+h -> 4h, 3,
padding 1) over cat(x, h) per step, mean_pool = Linear+ReLU+running mean,
transformer = a causal pre-norm encoder layer over learned positions), the
same outputs (clip logits and per-step logits), a Dropout(0) before the head
as the engine has. The step is the trainer's: zero_grad, forward,
cross-entropy on the clip logits, backward, Adam step.

Timing follows Google Benchmark's scheme so the two sides compare: warm-up
steps, then repetitions of as many steps as fill --min-time (one step per
repetition for the heavy ConvLSTM cases), median over repetitions.

Run with Debian's python3-torch: /usr/bin/python3 bench/train_step.py --help
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


def loaded_blas():
    """The BLAS mapped into this process, found as vidrnn's runtimeInfo does."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            slash = line.find("/")
            if slash < 0:
                continue
            path = line[slash:].strip()
            name = os.path.basename(path)
            if "blas" in name or "mkl_core" in name:
                return os.path.realpath(path)
    return "none mapped"


def last_valid_step(steps, lengths):
    index = (lengths - 1).view(-1, 1, 1).expand(steps.size(0), 1, steps.size(2))
    return steps.gather(1, index).squeeze(1)


def valid_mask(lengths, steps):
    return torch.arange(steps, device=lengths.device).unsqueeze(0) < lengths.unsqueeze(1)


class Recurrent(nn.Module):
    def __init__(self, arch, input_size, hidden, classes):
        super().__init__()
        self.layers = 2 if arch == "deep_lstm" else 1
        self.directions = 2 if arch == "bilstm" else 1
        self.gru = arch == "gru"
        self.hidden = hidden
        if self.gru:
            self.rnn = nn.GRU(input_size, hidden, num_layers=self.layers, batch_first=True)
        else:
            self.rnn = nn.LSTM(input_size, hidden, num_layers=self.layers, batch_first=True,
                               bidirectional=self.directions == 2)
        self.dropout = nn.Dropout(0.0)
        self.head = nn.Linear(hidden * self.directions, classes)

    def forward(self, x, lengths):
        out, state = self.rnn(x)
        h_n = state if self.gru else state[0]
        if self.directions == 2:
            top = h_n.view(self.layers, 2, x.size(0), self.hidden)[self.layers - 1]
            clip = torch.cat([top[0], top[1]], 1)
        else:
            clip = h_n[self.layers - 1]
        return self.head(self.dropout(clip)), self.head(self.dropout(out))


class ConvLSTMCell(nn.Module):
    def __init__(self, channels, hidden, kernel=3):
        super().__init__()
        self.hidden = hidden
        self.conv = nn.Conv2d(channels + hidden, 4 * hidden, kernel, padding=kernel // 2)

    def forward(self, x, h, c):
        if h is None:
            h = x.new_zeros(x.size(0), self.hidden, x.size(2), x.size(3))
        i, f, o, g = self.conv(torch.cat([x, h], 1)).chunk(4, 1)
        i, f, o, g = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o), torch.tanh(g)
        c = i * g if c is None else f * c + i * g
        return o * torch.tanh(c), c


class ConvLSTMClassifier(nn.Module):
    def __init__(self, channels, hidden, classes):
        super().__init__()
        self.cell = ConvLSTMCell(channels, hidden)
        self.dropout = nn.Dropout(0.0)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x, lengths):
        h = c = None
        outputs = []
        for t in range(x.size(1)):
            h, c = self.cell(x[:, t], h, c)
            outputs.append(h)
        pooled = torch.stack(outputs, 1).mean((3, 4))
        clip = self.head(self.dropout(last_valid_step(pooled, lengths)))
        steps = self.head(self.dropout(pooled)) * valid_mask(lengths, pooled.size(1)).unsqueeze(2)
        return clip, steps


class MeanPool(nn.Module):
    def __init__(self, input_size, hidden, classes):
        super().__init__()
        self.embed = nn.Linear(input_size, hidden)
        self.dropout = nn.Dropout(0.0)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x, lengths):
        steps = x.size(1)
        mask = valid_mask(lengths, steps).unsqueeze(2).to(x.dtype)
        frames = torch.relu(self.embed(x)) * mask
        counts = torch.arange(1, steps + 1, dtype=x.dtype, device=x.device).view(1, steps, 1)
        running = frames.cumsum(1) / torch.min(counts, lengths.to(x.dtype).view(-1, 1, 1))
        clip = self.head(self.dropout(last_valid_step(running, lengths)))
        return clip, self.head(self.dropout(running)) * mask


class CausalEncoderLayer(nn.Module):
    """engine/src/nn/transformer.h's pre-norm layer with a causal mask."""

    def __init__(self, width, heads, feed_forward):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width)
        self.ff1 = nn.Linear(width, feed_forward)
        self.ff2 = nn.Linear(feed_forward, width)
        self.dropout = nn.Dropout(0.0)

    def forward(self, x, blocked):
        batch, steps, width = x.shape
        dim = width // self.heads
        q, k, v = self.qkv(self.norm1(x)).view(batch, steps, 3, self.heads, dim).permute(
            2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)).float() / math.sqrt(dim)
        attention = self.dropout(torch.softmax(scores.masked_fill(blocked, float("-inf")), -1))
        context = (attention.to(v.dtype) @ v).transpose(1, 2).reshape(batch, steps, width)
        h = x + self.dropout(self.out(context))
        return h + self.dropout(self.ff2(F.gelu(self.ff1(self.norm2(h)))))


class Transformer(nn.Module):
    """The causal Transformer head: input Linear, learned positions (64), one
    layer (4 heads where they divide the width, else 2, else 1; feed-forward
    twice the width), final LayerNorm, the head on every step."""

    def __init__(self, input_size, hidden, classes, max_frames=64):
        super().__init__()
        heads = 4 if hidden % 4 == 0 else 2 if hidden % 2 == 0 else 1
        self.position = nn.Parameter(torch.randn(max_frames, hidden) * 0.02)
        self.input = nn.Linear(input_size, hidden)
        self.layers = nn.ModuleList([CausalEncoderLayer(hidden, heads, 2 * hidden)])
        self.norm = nn.LayerNorm(hidden)
        self.dropout = nn.Dropout(0.0)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x, lengths):
        steps = x.size(1)
        h = self.input(x) + self.position[:steps].unsqueeze(0)
        blocked = torch.ones(steps, steps, dtype=torch.bool, device=x.device).triu(1)
        for layer in self.layers:
            h = layer(h, blocked)
        logits = self.head(self.dropout(self.norm(h)))
        return last_valid_step(logits, lengths), logits * valid_mask(lengths, steps).unsqueeze(2)


def make_model(arch, dim, hidden, classes=11):
    if arch == "convlstm":
        return ConvLSTMClassifier(dim, hidden, classes)
    if arch == "mean_pool":
        return MeanPool(dim, hidden, classes)
    if arch == "transformer":
        return Transformer(dim, hidden, classes)
    return Recurrent(arch, dim, hidden, classes)


def time_case(arch, hidden, args):
    torch.manual_seed(1)
    device = torch.device(args.device)
    model = make_model(arch, args.dim, hidden).to(device)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    if arch == "convlstm":
        x = torch.randn(args.batch, args.steps, args.dim, args.map, args.map, device=device)
    else:
        x = torch.randn(args.batch, args.steps, args.dim, device=device)
    lengths = torch.full((args.batch,), args.steps, dtype=torch.long, device=device)
    labels = torch.randint(0, 11, (args.batch,), device=device)

    # bf16: PyTorch's own mixed precision, autocast (convolutions, matrix
    # products and recurrent kernels in bf16; weights fp32; loss fp32).
    autocast = args.precision == "bf16"

    def step():
        optimizer.zero_grad()
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=autocast):
            clip, _ = model(x, lengths)
        loss = F.cross_entropy(clip.float(), labels)
        loss.backward()
        optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    heavy = arch == "convlstm" and hidden >= 256 and device.type != "cuda"
    for _ in range(1 if heavy else args.warmup):
        step()
    times, cpu_times, iterations = [], [], []
    for _ in range(args.heavy_repetitions if heavy else args.repetitions):
        n = 0
        c0 = time.process_time()  # all threads of the process, as Google Benchmark's CPU time
        t0 = time.perf_counter()
        while True:
            step()
            n += 1
            elapsed = time.perf_counter() - t0
            if heavy or elapsed >= args.min_time:
                break
        times.append(elapsed / n * 1000.0)
        cpu_times.append((time.process_time() - c0) / n * 1000.0)
        iterations.append(n)
    return {
        "name": ("train_step_bf16/%s/%d" if autocast else "train_step/%s/%d") % (arch, hidden),
        "times_ms": times,
        "cpu_ms": cpu_times,
        "iterations": iterations,
        "median_ms": statistics.median(times),
        "median_cpu_ms": statistics.median(cpu_times),
        "params": sum(p.numel() for p in model.parameters()),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--archs", default="lstm,gru,deep_lstm,bilstm,convlstm,mean_pool,transformer")
    p.add_argument("--hidden", default="64,128,256,512")
    p.add_argument("--threads", type=int, default=0, help="0 = all cores, as vidrnn")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=16)
    p.add_argument("--dim", type=int, default=512)
    p.add_argument("--map", type=int, default=7)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--heavy-repetitions", type=int, default=2)
    p.add_argument("--min-time", type=float, default=0.5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"],
                   help="bf16: under torch.autocast(dtype=torch.bfloat16)")
    p.add_argument("--out", help="JSON results file (default: stdout only)")
    args = p.parse_args()

    threads = args.threads if args.threads > 0 else (os.cpu_count() or 1)
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    context = {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "blas": loaded_blas(),
        "openblas_num_threads": os.environ.get("OPENBLAS_NUM_THREADS", ""),
        "device": args.device,
        "device_name": (torch.cuda.get_device_name(torch.device(args.device))
                        if args.device.startswith("cuda") else "cpu"),
    }
    results = []
    for arch in args.archs.split(","):
        for hidden in (int(h) for h in args.hidden.split(",")):
            r = time_case(arch, hidden, args)
            results.append(r)
            print("%-28s %10.2f ms (median of %d)" % (
                r["name"], r["median_ms"], len(r["times_ms"])), flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"context": context, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
