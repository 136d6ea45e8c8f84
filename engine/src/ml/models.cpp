#include "vidrnn/models.h"

#include "nn/classifier.h"

namespace vidrnn {

std::int64_t parameterCount(const ModelSpec& spec) {
    auto model = nn::makeClassifier(nn::ClassifierOptions(spec.arch, spec.inputDim, spec.hidden,
                                                          spec.classes)
                                        .num_layers(spec.layers)
                                        .dropout(spec.dropout));
    return nn::countParameters(*model);
}

}  // namespace vidrnn
