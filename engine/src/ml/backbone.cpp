#include "ml/backbone.h"

#include <ATen/Context.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ml/backbone_bundled.h"
#include "torch_compat.h"
#include "util/featurefile.h"
#include "util/util.h"
#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

constexpr std::uint64_t kBuiltinSeed = 20091;  // fixed: the same random ResNet everywhere

std::string firstLine(const std::string& text) {
    auto line = text.substr(0, text.find('\n'));
    return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

// What went wrong inside a TorchScript forward: the interpreter's message
// starts with a banner and a traceback; the reason is its last
// "RuntimeError: ..." line.
std::string scriptError(const std::string& text) {
    const std::string marker = "RuntimeError: ";
    const auto at = text.rfind(marker);
    return firstLine(at == std::string::npos ? text : text.substr(at + marker.size()));
}

std::uint64_t hashFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buffer(1 << 20);
    std::uint64_t h = 0xcbf29ce484222325ULL;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        h = cache::fnv1a(buffer.data(), static_cast<std::size_t>(in.gcount()), h);
    }
    return h;
}

std::uint64_t hashModule(const torch::nn::Module& module) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const auto& t : module.parameters()) {
        auto c = t.contiguous().cpu();
        h = cache::fnv1a(c.data_ptr(), c.numel() * c.element_size(), h);
    }
    for (const auto& t : module.buffers()) {
        auto c = t.contiguous().cpu();
        h = cache::fnv1a(c.data_ptr(), c.numel() * c.element_size(), h);
    }
    return h;
}

}  // namespace

Backbone::Backbone(const std::string& spec, int imageSize, torch::Device device, bool maps)
    : mDevice(device) {
    if (imageSize < 32) {
        throw ConfigError("image size must be at least 32, got " + std::to_string(imageSize));
    }
    mDesc.imageSize = imageSize;
    mMean = torch::tensor({0.485f, 0.456f, 0.406f}).view({1, 3, 1, 1}).to(device);
    mStd = torch::tensor({0.229f, 0.224f, 0.225f}).view({1, 3, 1, 1}).to(device);
    if (spec == kPretrainedBackbone) {
        const auto& file = bundled::mobilenetV2(maps);
        const std::string path = bundled::locateVerified(file);
        // Debian's LibTorch has no FBGEMM: the int8 graph needs QNNPACK, set
        // before the first call.
        const auto engines = at::globalContext().supportedQEngines();
        if (std::find(engines.begin(), engines.end(), at::QEngine::QNNPACK) == engines.end()) {
            throw ModelError(path,
                             "needs LibTorch's QNNPACK quantized engine, which this "
                             "LibTorch build lacks");
        }
        at::globalContext().setQEngine(at::QEngine::QNNPACK);
        mDesc.qengine = "qnnpack";
        loadScript(path);
        mDesc.name = kPretrainedBackbone;
        mDesc.source = "built-in";
        mDesc.pretrained = true;
        mDesc.identity =
            std::string(maps ? "mobilenet_v2-maps1280:" : "mobilenet_v2-features1280:") +
            std::string(file.sha256).substr(0, 16);
        probe(/*knownBatchSafe=*/true);
        return;
    }
    if (spec == "resnet18") {
        mBuiltin = nn::ResNet18();
        mBuiltin->resetParameters(kBuiltinSeed);
        mBuiltin->eval();
        mDesc.name = "resnet18";
        mDesc.source = "built-in";
        mDesc.pretrained = false;
        mDesc.identity = "resnet18-random:" + util::hex(hashModule(*mBuiltin));
        mBuiltin->to(device);
        probe(/*knownBatchSafe=*/true);
        return;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(spec, ec)) {
        throw ModelError(spec, std::filesystem::exists(spec, ec)
                                   ? "not a regular file"
                                   : "no such file (expected 'mobilenet_v2', 'resnet18' or a "
                                     "TorchScript file)");
    }
    loadScript(spec);
    mDesc.name = std::filesystem::path(spec).filename().string();
    mDesc.source = std::filesystem::absolute(spec).string();
    mDesc.pretrained = true;
    mDesc.identity = mDesc.name + ":" + util::hex(hashFile(spec));
    probe(/*knownBatchSafe=*/false);
}

// LibTorch 2.x warns on stderr, once per process, that quantized tensors
// (what an int8 model such as the bundled backbone holds and computes with)
// are deprecated: nothing a user of vidrnn can act on, and it broke --quiet.
// Loading and running a TorchScript model keep it out; the README's GPU
// section says what it means for the bundled model.
constexpr const char* kQuantizedDeprecation = "quantized tensor creation functions";

void Backbone::loadScript(const std::string& path) {
    compat::DropWarnings quiet(kQuantizedDeprecation);
    try {
        mScript = std::make_unique<torch::jit::script::Module>(torch::jit::load(path, mDevice));
    } catch (const c10::Error& e) {
        throw ModelError(path, "not a TorchScript model: " + firstLine(e.what()));
    }
    if (!mScript->find_method("forward")) {
        throw ModelError(path,
                         "is a TorchScript archive without a forward method (saved tensors "
                         "or weights, not a model)");
    }
    mScript->eval();
}

torch::Tensor Backbone::run(const torch::Tensor& x) {
    torch::NoGradGuard guard;
    if (mBuiltin) {
        return mBuiltin->forward(x);
    }
    compat::DropWarnings quiet(kQuantizedDeprecation);
    auto out = mScript->forward({x});
    if (out.isTuple() && !out.toTuple()->elements().empty()) {
        out = out.toTuple()->elements()[0];
    }
    if (!out.isTensor()) {
        throw ModelError(mDesc.source, "is not an image model: its forward returns " +
                                           out.tagKind() + ", not a tensor");
    }
    auto t = out.toTensor();
    return t.is_quantized() ? t.dequantize() : t;
}

void Backbone::probe(bool knownBatchSafe) {
    const auto s = mDesc.imageSize;
    auto one = torch::zeros({1, 3, s, s}, torch::TensorOptions().device(mDevice));
    torch::Tensor out;
    try {
        out = run(one);
    } catch (const ModelError&) {
        throw;  // already says what is wrong with the model
    } catch (const std::exception& first) {
        // Models quantized for mobile need the QNNPACK engine; x86 defaults to
        // FBGEMM. Switch only when the default fails.
        const auto engines = at::globalContext().supportedQEngines();
        const bool hasQnnpack =
            std::find(engines.begin(), engines.end(), at::QEngine::QNNPACK) != engines.end();
        if (!mScript || !hasQnnpack || at::globalContext().qEngine() == at::QEngine::QNNPACK) {
            throw ModelError(mDesc.source, "is not a usable image model: forward on [1,3," +
                                               std::to_string(s) + "," + std::to_string(s) +
                                               "] failed: " + scriptError(first.what()));
        }
        at::globalContext().setQEngine(at::QEngine::QNNPACK);
        try {
            out = run(one);
            mDesc.qengine = "qnnpack";
        } catch (const std::exception& second) {
            throw ModelError(mDesc.source, "is not a usable image model: forward on [1,3," +
                                               std::to_string(s) + "," + std::to_string(s) +
                                               "] failed: " + scriptError(second.what()));
        }
    }
    if (out.dim() == 2 && out.size(0) == 1) {
        mDesc.spatial = false;
        mDesc.channels = out.size(1);
    } else if (out.dim() == 4 && out.size(0) == 1) {
        mDesc.spatial = true;
        mDesc.channels = out.size(1);
        mDesc.mapHeight = out.size(2);
        mDesc.mapWidth = out.size(3);
    } else {
        throw ModelError(mDesc.source, "output shape " + c10::str(out.sizes()) +
                                           " is neither [1,D] vectors nor [1,C,H,W] maps");
    }
    if (!torch::isfinite(out).all().item<bool>()) {
        throw ModelError(mDesc.source, "gives non-finite features on a blank frame");
    }
    if (knownBatchSafe) {
        mDesc.batched = true;
        return;
    }
    // Models traced at batch size 1 fail, answer for one frame, or crash the
    // process (a quantized linear layer after a baked reshape(x, [1,-1])) on
    // a batch: the two-frame call runs where a crash costs nothing.
    auto two = torch::zeros({2, 3, s, s}, one.options());
    if (mDevice.is_cpu()) {
        mDesc.batched = batchProbeInChild(two);
    } else {
        try {
            mDesc.batched = run(two).size(0) == 2;
        } catch (const std::exception&) {
            mDesc.batched = false;
        }
    }
}

bool Backbone::batchProbeInChild(const torch::Tensor& two) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        return false;  // cannot tell: frame by frame is always right
    }
    if (pid == 0) {
        // The child: no crash handler of the parent's (a test framework's
        // would print a report), no core file, one thread (the parent's
        // OpenMP pool does not exist here).
        for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
            std::signal(sig, SIG_DFL);
        }
        struct rlimit none {};
        ::setrlimit(RLIMIT_CORE, &none);
        at::set_num_threads(1);
        int code = 2;
        try {
            code = run(two).size(0) == 2 ? 0 : 1;
        } catch (...) {
            code = 1;
        }
        ::_exit(code);
    }
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            break;
        }
        if (done < 0 || std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

torch::Tensor Backbone::forward(const torch::Tensor& frames) {
    TORCH_CHECK(frames.dim() == 4, "backbone: expected a batch of frames, got ", frames.sizes());
    auto x = frames.size(3) == 3 ? frames.permute({0, 3, 1, 2}) : frames;
    x = x.to(mDevice).to(torch::kFloat).div_(255.0f);
    x = (x - mMean) / mStd;
    torch::Tensor out;
    if (mDesc.batched) {
        out = run(x.contiguous());
    } else {
        std::vector<torch::Tensor> parts;
        parts.reserve(static_cast<std::size_t>(x.size(0)));
        for (int64_t i = 0; i < x.size(0); ++i) {
            parts.push_back(run(x.narrow(0, i, 1).contiguous()));
        }
        out = torch::cat(parts, 0);
    }
    return out.dim() == 2 ? out.unsqueeze(2).unsqueeze(3) : out;
}

BackboneDescription describeBackbone(const std::string& spec, int imageSize, bool maps) {
    return Backbone(spec, imageSize, torch::kCPU, maps).description();
}

}  // namespace vidrnn
