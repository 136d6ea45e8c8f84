// The LibTorch API that differs between Debian's LibTorch 1.13 and PyTorch's
// 2.x (preset torch2), in this one header: the rest of the engine uses only
// what both have, and tools/test.sh --torch2 checks that it still does.
#pragma once

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <string>
#include <utility>

namespace vidrnn::compat {

// Whether fp32 Linear layers on the CPU run as oneDNN's inner product
// (mkldnn_linear on an mkldnn-layout copy of the input) instead of ATen's BLAS
// product. PyTorch's 2.x wheel sends fp32 CPU products to the MKL linked into
// it, which on AMD CPUs takes a generic path 7-17% slower than Debian's
// OpenBLAS, while its oneDNN does the same product in half the time; 1.13
// keeps ATen's product (OpenBLAS), so its results stay as they were
// (docs/BENCHMARKS.md, "Why the GRU, mean pool and Transformer steps were
// slower on 2.15"). Where it holds, the GRU classifier runs its recurrence
// as its own loop around oneDNN products (nn/recurrent.cpp, detail::gruLoop),
// since aten::gru has no oneDNN kernel.
#if TORCH_VERSION_MAJOR >= 2
inline constexpr bool kOneDnnCpuLinear = true;
#else
inline constexpr bool kOneDnnCpuLinear = false;
#endif

#if TORCH_VERSION_MAJOR >= 2
namespace warnings = c10::WarningUtils;
#else
namespace warnings = c10::Warning;
#endif

// While it lives, drops the LibTorch warnings whose message contains
// `needle` and passes every other one to the handler that was current.
// LibTorch keeps its warning handler per thread (both versions), so this
// covers the calling thread only. 2.x moved the handler functions to
// WarningUtils and passes a Warning object instead of its parts.
class DropWarnings : public c10::WarningHandler {
public:
    explicit DropWarnings(std::string needle)
        : mNeedle(std::move(needle)), mPrevious(warnings::get_warning_handler()) {
        warnings::set_warning_handler(this);
    }
    ~DropWarnings() override { warnings::set_warning_handler(mPrevious); }
    DropWarnings(const DropWarnings&) = delete;
    DropWarnings& operator=(const DropWarnings&) = delete;

#if TORCH_VERSION_MAJOR >= 2
    void process(const c10::Warning& warning) override {
        if (warning.msg().find(mNeedle) == std::string::npos) {
            mPrevious->process(warning);
        }
    }
#else
    void process(const c10::SourceLocation& where, const std::string& msg,
                 const bool verbatim) override {
        if (msg.find(mNeedle) == std::string::npos) {
            mPrevious->process(where, msg, verbatim);
        }
    }
#endif

private:
    std::string mNeedle;
    c10::WarningHandler* mPrevious;
};

}  // namespace vidrnn::compat
