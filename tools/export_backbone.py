#!/usr/bin/env python3
"""Export torchvision's ImageNet ResNet-18 as a TorchScript backbone for vidrnn.

Run on a machine with PyTorch, torchvision and network access (the weights are
downloaded by torchvision), then copy the file to the vidrnn machine:

    python3 tools/export_backbone.py resnet18_imagenet.pt
    vidrnn extract --data UCF11 --backbone resnet18_imagenet.pt

The module takes [N,3,H,W] RGB normalised with ImageNet mean/std (vidrnn does
the normalisation) and returns the last feature map [N,512,H/32,W/32]: vidrnn
averages it over space for the 512-d vectors of LSTM/GRU heads and keeps the
maps for ConvLSTM, exactly like its built-in (not pretrained) ResNet-18.
"""
import argparse
import sys

import torch


class Trunk(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.body = torch.nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool,
                                        net.layer1, net.layer2, net.layer3, net.layer4)

    def forward(self, x):
        return self.body(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="TorchScript file to write")
    parser.add_argument("--size", type=int, default=224, help="example input size for tracing")
    args = parser.parse_args()
    import torchvision  # noqa: imported here so --help works without it

    try:
        weights = torchvision.models.ResNet18_Weights.IMAGENET1K_V1
        net = torchvision.models.resnet18(weights=weights)
    except AttributeError:  # torchvision < 0.13
        net = torchvision.models.resnet18(pretrained=True)
    trunk = Trunk(net).eval()
    example = torch.rand(2, 3, args.size, args.size)
    with torch.no_grad():
        traced = torch.jit.trace(trunk, example)
        out = traced(example)
    traced.save(args.output)
    print(f"wrote {args.output}: output {tuple(out.shape)} for input {tuple(example.shape)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
