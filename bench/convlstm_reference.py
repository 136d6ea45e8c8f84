"""The reference ConvLSTM in Python, as users run it: the widely used
ConvLSTM_pytorch module (github.com/ndrplz/ConvLSTM_pytorch, convlstm.py, MIT),
the one the study links, written out here with its structure kept: a cell that
convolves cat(x, h) into the four gates (torch.split, then sigmoid/tanh), zero
initial states per layer, a Python loop over the time steps that slices
input[:, t], torch.stack of the step outputs, batch_first, fp32.

One step = forward of one ConvLSTM layer over [B, T, C, H, W] plus backward
of a fixed random gradient of its output, as bench_convlstm times the engine's
ConvLSTM. Timing as bench/train_step.py: warm-up, repetitions of as many steps
as fill --min-time (one step each at hidden >= 256), median.

  /usr/bin/python3 bench/convlstm_reference.py [--hidden 64,128,256,512]
      [--threads N] [--batch 32] [--steps 16] [--channels 512] [--map 7]
      [--repetitions R] [--heavy-repetitions R] [--min-time S] [--out FILE]
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
from torch import nn


class ConvLSTMCell(nn.Module):
    def __init__(self, input_dim, hidden_dim, kernel_size, bias):
        super().__init__()
        self.input_dim = input_dim
        self.hidden_dim = hidden_dim
        self.kernel_size = kernel_size
        self.padding = kernel_size[0] // 2, kernel_size[1] // 2
        self.bias = bias
        self.conv = nn.Conv2d(in_channels=self.input_dim + self.hidden_dim,
                              out_channels=4 * self.hidden_dim,
                              kernel_size=self.kernel_size,
                              padding=self.padding,
                              bias=self.bias)

    def forward(self, input_tensor, cur_state):
        h_cur, c_cur = cur_state
        combined = torch.cat([input_tensor, h_cur], dim=1)
        combined_conv = self.conv(combined)
        cc_i, cc_f, cc_o, cc_g = torch.split(combined_conv, self.hidden_dim, dim=1)
        i = torch.sigmoid(cc_i)
        f = torch.sigmoid(cc_f)
        o = torch.sigmoid(cc_o)
        g = torch.tanh(cc_g)
        c_next = f * c_cur + i * g
        h_next = o * torch.tanh(c_next)
        return h_next, c_next

    def init_hidden(self, batch_size, image_size):
        height, width = image_size
        return (torch.zeros(batch_size, self.hidden_dim, height, width,
                            device=self.conv.weight.device),
                torch.zeros(batch_size, self.hidden_dim, height, width,
                            device=self.conv.weight.device))


class ConvLSTM(nn.Module):
    def __init__(self, input_dim, hidden_dim, kernel_size, num_layers, batch_first=False,
                 bias=True, return_all_layers=False):
        super().__init__()
        if not isinstance(hidden_dim, list):
            hidden_dim = [hidden_dim] * num_layers
        if not isinstance(kernel_size, list):
            kernel_size = [kernel_size] * num_layers
        self.input_dim = input_dim
        self.hidden_dim = hidden_dim
        self.kernel_size = kernel_size
        self.num_layers = num_layers
        self.batch_first = batch_first
        self.bias = bias
        self.return_all_layers = return_all_layers
        cells = []
        for i in range(self.num_layers):
            cur_input_dim = self.input_dim if i == 0 else self.hidden_dim[i - 1]
            cells.append(ConvLSTMCell(cur_input_dim, self.hidden_dim[i], self.kernel_size[i],
                                      self.bias))
        self.cell_list = nn.ModuleList(cells)

    def forward(self, input_tensor, hidden_state=None):
        if not self.batch_first:
            input_tensor = input_tensor.permute(1, 0, 2, 3, 4)
        b, _, _, h, w = input_tensor.size()
        if hidden_state is None:
            hidden_state = [cell.init_hidden(b, (h, w)) for cell in self.cell_list]
        layer_output_list = []
        last_state_list = []
        seq_len = input_tensor.size(1)
        cur_layer_input = input_tensor
        for layer_idx in range(self.num_layers):
            h, c = hidden_state[layer_idx]
            output_inner = []
            for t in range(seq_len):
                h, c = self.cell_list[layer_idx](input_tensor=cur_layer_input[:, t, :, :, :],
                                                 cur_state=[h, c])
                output_inner.append(h)
            layer_output = torch.stack(output_inner, dim=1)
            cur_layer_input = layer_output
            layer_output_list.append(layer_output)
            last_state_list.append([h, c])
        if not self.return_all_layers:
            layer_output_list = layer_output_list[-1:]
            last_state_list = last_state_list[-1:]
        return layer_output_list, last_state_list


def time_case(hidden, args):
    torch.manual_seed(7)
    model = ConvLSTM(args.channels, hidden, (3, 3), 1, batch_first=True)
    x = torch.randn(args.batch, args.steps, args.channels, args.map, args.map)
    grad = torch.randn(args.batch, args.steps, hidden, args.map, args.map)

    def step():
        model.zero_grad()
        out, _ = model(x)
        out[0].backward(grad)

    heavy = hidden >= 256
    for _ in range(1 if heavy else args.warmup):
        step()
    times, cpu_times = [], []
    for _ in range(args.heavy_repetitions if heavy else args.repetitions):
        n = 0
        c0 = time.process_time()
        t0 = time.perf_counter()
        while True:
            step()
            n += 1
            elapsed = time.perf_counter() - t0
            if heavy or elapsed >= args.min_time:
                break
        times.append(elapsed / n * 1000.0)
        cpu_times.append((time.process_time() - c0) / n * 1000.0)
    return {"name": "convlstm_reference/%d" % hidden, "times_ms": times, "cpu_ms": cpu_times,
            "median_ms": statistics.median(times),
            "median_cpu_ms": statistics.median(cpu_times),
            "params": sum(p.numel() for p in model.parameters())}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--hidden", default="64,128,256,512")
    p.add_argument("--threads", type=int, default=0, help="0 = all cores, as vidrnn")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=16)
    p.add_argument("--channels", type=int, default=512)
    p.add_argument("--map", type=int, default=7)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--heavy-repetitions", type=int, default=2)
    p.add_argument("--min-time", type=float, default=0.5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--out", help="JSON results file (default: stdout only)")
    args = p.parse_args()
    torch.set_num_threads(args.threads if args.threads > 0 else (os.cpu_count() or 1))
    torch.set_num_interop_threads(1)
    results = []
    for hidden in (int(h) for h in args.hidden.split(",")):
        r = time_case(hidden, args)
        results.append(r)
        print("%-28s %10.2f ms (median of %d)" % (r["name"], r["median_ms"], len(r["times_ms"])),
              flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"context": {"torch": torch.__version__, "python": sys.version.split()[0],
                                   "threads": torch.get_num_threads()},
                       "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
