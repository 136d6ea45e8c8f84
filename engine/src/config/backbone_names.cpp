// Backbone names as results show them; no LibTorch, so the store's report and
// the Qt views use the same words as the CLI.
#include <string>

#include "vidrnn/backbones.h"

namespace vidrnn {

std::string backboneLabel(const std::string& nameOrPath, bool pretrained) {
    if (nameOrPath == kPretrainedBackbone) {
        return "MobileNetV2 (ImageNet, pretrained)";
    }
    const auto slash = nameOrPath.find_last_of("/\\");
    const std::string name = slash == std::string::npos ? nameOrPath : nameOrPath.substr(slash + 1);
    return name + (pretrained ? " (pretrained)" : " (not pretrained)");
}

bool isBackboneFile(const std::string& spec) {
    return spec != kPretrainedBackbone && spec != "resnet18";
}

std::string pretrainedLabel(const BackboneDescription& backbone) {
    return backboneLabel(backbone.name, backbone.pretrained);
}

}  // namespace vidrnn
