// Per-frame feature extractors: the bundled ImageNet MobileNetV2, the built-in
// random ResNet-18 or any TorchScript image model. Engine-internal (LibTorch
// types).
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <memory>
#include <string>

#include "nn/resnet.h"
#include "vidrnn/features.h"

namespace vidrnn {

class Backbone {
public:
    // spec: "mobilenet_v2" (bundled, ImageNet-pretrained: 1280-d vectors, or
    // 1280 x h x w maps when `maps`), "resnet18" (built-in, deterministic
    // random weights) or a path to a TorchScript file. The model is probed
    // once: output kind (vector or map), size, and whether it accepts batches
    // (a file is tried on two frames in a child process, so a model traced at
    // batch 1 that crashes on a batch only costs the child). Throws ModelError
    // naming the file.
    Backbone(const std::string& spec, int imageSize, torch::Device device, bool maps = false);

    const BackboneDescription& description() const { return mDesc; }

    // frames: [N,3,S,S] uint8 RGB (NHWC is fine too: [N,S,S,3]) -> feature maps
    // [N,C,h,w]; vector backbones give [N,D,1,1]. Normalises with ImageNet
    // statistics inside.
    torch::Tensor forward(const torch::Tensor& framesNhwcUint8);

private:
    torch::Tensor run(const torch::Tensor& normalised);
    void loadScript(const std::string& path);
    void probe(bool knownBatchSafe);
    bool batchProbeInChild(const torch::Tensor& two);

    BackboneDescription mDesc;
    torch::Device mDevice;
    nn::ResNet18 mBuiltin{nullptr};
    std::unique_ptr<torch::jit::script::Module> mScript;
    torch::Tensor mMean, mStd;
};

}  // namespace vidrnn
