// The model zoo as seen from outside the engine: names, options and parameter
// counts, with no LibTorch type in sight (Qt code includes this header).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vidrnn {

struct ModelSpec {
    std::string arch = "lstm";    // see architectures()
    std::int64_t inputDim = 512;  // D (vectors) or C (ConvLSTM maps)
    std::int64_t hidden = 128;
    int layers = 0;  // 0 = the architecture's default
    std::int64_t classes = 11;
    double dropout = 0.0;
};

// The names below read the architecture registry (vidrnn/archs.h).
// The registry's names, in its order (lstm, gru, deep_lstm, bilstm, ...).
const std::vector<std::string>& architectures();
// Names joined for a message or a help text ("lstm|gru|...", "lstm, gru, ...").
std::string joinArchNames(const std::vector<std::string>& names, const std::string& separator);
// A human-readable name ("Deep LSTM (2 layers)", ...).
std::string archDisplayName(const std::string& arch);
// The name in a chart's legend, where room is short ("BiLSTM", "Mean pool").
std::string archShortName(const std::string& arch);
// True when the architecture reads feature maps [B,T,C,H,W] (ConvLSTM).
bool isSpatialArch(const std::string& arch);
// True when the architecture reads a clip as a bag of frames (mean_pool).
bool isOrderBlindArch(const std::string& arch);
// The order-blind control set beside the others in charts (the registry's
// first order-blind architecture); empty when there is none.
std::string orderBlindControl();
// Layers used when ModelSpec::layers is 0.
int defaultLayers(const std::string& arch);
// The display name, with the layer count where it is not the default
// ("Deep LSTM (3 layers)", "GRU (2 layers)").
std::string archTypeName(const std::string& arch, int layers);
// Throws ConfigError naming the bad field.
void validate(const ModelSpec& spec);

// Parameters of the module training builds, computed from the architecture's
// shapes (no LibTorch needed; tests compare it with the real module).
std::int64_t parameterCount(const ModelSpec& spec);

}  // namespace vidrnn
