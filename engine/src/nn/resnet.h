// ResNet-18 with torchvision's topology and parameter names (conv1, bn1,
// layer1.0.conv1, ..., downsample.0/1), without the final fc: it returns the
// last feature map [N,512,H/32,W/32]; its spatial mean is the 512-d pooled
// vector the study's recurrent heads read.
#pragma once

#include <torch/torch.h>

namespace vidrnn::nn {

class BasicBlockImpl : public torch::nn::Module {
public:
    BasicBlockImpl(int64_t in_planes, int64_t planes, int64_t stride);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
    torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

class ResNet18Impl : public torch::nn::Module {
public:
    ResNet18Impl();
    // x: [N,3,H,W] normalised RGB -> [N,512,ceil(H/32),ceil(W/32)]
    torch::Tensor forward(const torch::Tensor& x);

    // torchvision's initialisation (Kaiming normal, fan_out) from a fixed seed,
    // so the "not pretrained" backbone is the same on every machine.
    void resetParameters(uint64_t seed);

    torch::nn::Conv2d conv1{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr};
    torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
};
TORCH_MODULE(ResNet18);

}  // namespace vidrnn::nn
