// The build without CUDA (Debian's LibTorch): no capture code, and the reason.
// Not a stand-in: the trainer's eager step is what runs here (graph_step.h).
#include "ml/graph_step.h"

namespace vidrnn {

bool cudaGraphsCompiled() {
    return false;
}

std::unique_ptr<TrainStep> makeGraphedStep(const nn::ClipClassifier& /*model*/,
                                           const TrainConfig& /*config*/, std::string& reason) {
    reason = "CUDA graphs not compiled in: this LibTorch was built without CUDA";
    return nullptr;
}

}  // namespace vidrnn
