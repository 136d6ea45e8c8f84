// The backbones by name, and how results name them: what needs no LibTorch
// (the store, reports, the demo, the CLI). Loading and running a backbone is
// in vidrnn/features.h (vidrnn::engine).
#pragma once

#include <cstdint>
#include <string>

namespace vidrnn {

// The bundled ImageNet-pretrained MobileNetV2 (resources/models): the default
// for user data. 1280-d vectors for the vector models, 1280 x h x w maps
// (7x7 at 224 px) for ConvLSTM; each form is its own cache entry.
inline constexpr const char* kPretrainedBackbone = "mobilenet_v2";

// True for a backbone given as a TorchScript file (a program: loading it runs
// its code), false for the built-in names "mobilenet_v2" and "resnet18".
bool isBackboneFile(const std::string& spec);
// The built-in ResNet-18 with deterministic random weights (not pretrained).
inline constexpr const char* kRandomBackbone = "resnet18";

struct BackboneDescription {
    std::string name;           // "mobilenet_v2", "resnet18" or the file name
    std::string source;         // "built-in" or the file's path
    std::string identity;       // name + hash of the weights: part of every cache key
    bool pretrained = false;    // false for the built-in random weights
    bool spatial = false;       // true when it yields maps (C,h,w), false for vectors
    std::int64_t channels = 0;  // C (maps) or D (vectors)
    std::int64_t mapHeight = 1;
    std::int64_t mapWidth = 1;
    int imageSize = 224;
    bool batched = true;  // false: traced at batch size 1, called frame by frame
    std::string qengine;  // quantized engine used, if any
};

// How results name a backbone: "MobileNetV2 (ImageNet, pretrained)" for the
// bundled one, "resnet18 (not pretrained)", "model.pt (pretrained)" (a path is
// shortened to its file name). Needs no LibTorch.
std::string backboneLabel(const std::string& nameOrPath, bool pretrained);
std::string pretrainedLabel(const BackboneDescription& backbone);

}  // namespace vidrnn
