// The LibTorch API that differs between Debian's LibTorch 1.13 and PyTorch's
// 2.x (preset torch2), in this one header: the rest of the engine uses only
// what both have, and tools/test.sh --torch2 checks that it still does.
#pragma once

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <string>
#include <utility>

namespace vidrnn::compat {

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
