#include "nn/resnet.h"

namespace vidrnn::nn {

namespace {

torch::nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride) {
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false));
}

torch::nn::Sequential makeLayer(int64_t in_planes, int64_t planes, int64_t stride) {
    torch::nn::Sequential layer;
    layer->push_back(BasicBlock(in_planes, planes, stride));
    layer->push_back(BasicBlock(planes, planes, 1));
    return layer;
}

}  // namespace

BasicBlockImpl::BasicBlockImpl(int64_t in_planes, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", conv3x3(in_planes, planes, stride));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
    conv2 = register_module("conv2", conv3x3(planes, planes, 1));
    bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
    if (stride != 1 || in_planes != planes) {
        downsample = register_module(
            "downsample",
            torch::nn::Sequential(
                torch::nn::Conv2d(
                    torch::nn::Conv2dOptions(in_planes, planes, 1).stride(stride).bias(false)),
                torch::nn::BatchNorm2d(planes)));
    }
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
    auto out = torch::relu(bn1(conv1(x)));
    out = bn2(conv2(out));
    auto identity = downsample ? downsample->forward(x) : x;
    return torch::relu(out + identity);
}

ResNet18Impl::ResNet18Impl() {
    conv1 = register_module(
        "conv1",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 64, 7).stride(2).padding(3).bias(false)));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(64));
    layer1 = register_module("layer1", makeLayer(64, 64, 1));
    layer2 = register_module("layer2", makeLayer(64, 128, 2));
    layer3 = register_module("layer3", makeLayer(128, 256, 2));
    layer4 = register_module("layer4", makeLayer(256, 512, 2));
}

torch::Tensor ResNet18Impl::forward(const torch::Tensor& x) {
    TORCH_CHECK(x.dim() == 4 && x.size(1) == 3, "ResNet-18: expected [N,3,H,W], got ", x.sizes());
    auto out = torch::relu(bn1(conv1(x)));
    out = torch::max_pool2d(out, 3, 2, 1);
    out = layer1->forward(out);
    out = layer2->forward(out);
    out = layer3->forward(out);
    return layer4->forward(out);
}

void ResNet18Impl::resetParameters(uint64_t seed) {
    torch::NoGradGuard guard;
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    for (auto& module : modules(/*include_self=*/false)) {
        if (auto* conv = module->as<torch::nn::Conv2d>()) {
            // kaiming_normal_(mode=fan_out, nonlinearity=relu)
            const auto& w = conv->weight;
            const double fan_out = static_cast<double>(w.size(0) * w.size(2) * w.size(3));
            const double std = std::sqrt(2.0 / fan_out);
            w.copy_(at::normal(0.0, std, w.sizes(), generator));
        } else if (auto* bn = module->as<torch::nn::BatchNorm2d>()) {
            bn->weight.fill_(1.0);
            bn->bias.zero_();
            bn->running_mean.zero_();
            bn->running_var.fill_(1.0);
        }
    }
}

}  // namespace vidrnn::nn
