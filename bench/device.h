// The device a benchmark runs on (--device=cpu|cuda|cuda:N|auto, resolved as
// the engine resolves it) and the wait for its queued work: CUDA kernels run
// asynchronously, so a timed step ends only once the device is done.
#pragma once

#include <string>

#include <torch/torch.h>

#include "common.h"
#include "vidrnn/runtime.h"

namespace vidrnn::bench {

inline torch::Device benchDevice(const std::string& spec) {
    try {
        return torch::Device(vidrnn::resolveDevice(spec));
    } catch (const std::exception& e) {
        Options::fail(e.what());
    }
}

inline void finish(const torch::Device& device) {
    if (device.is_cuda()) {
        torch::cuda::synchronize(device.index());
    }
}

}  // namespace vidrnn::bench
