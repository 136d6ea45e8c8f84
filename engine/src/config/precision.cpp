#include "vidrnn/precision.h"

#include <cstdlib>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "vidrnn/errors.h"

namespace vidrnn {

const std::vector<std::string>& precisions() {
    static const std::vector<std::string> names{"fp32", "bf16", "auto"};
    return names;
}

namespace {

NativeBf16 readCpu() {
    NativeBf16 n;
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    // Leaf 7 sub-leaf 0: EDX bit 22 AMX-BF16; sub-leaf 1: EAX bit 5 AVX512_BF16.
    // (The kernel enables AVX-512 and AMX state for every process that uses
    // them; oneDNN asks for AMX's tile data itself.)
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        n.amxbf16 = (edx >> 22) & 1U;
        const unsigned maxSub = eax;
        if (maxSub >= 1 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) {
            n.avx512bf16 = (eax >> 5) & 1U;
        }
    }
#endif
    const char* env = std::getenv("VIDRNN_NATIVE_BF16");
    n.maskedByEnvironment = env && std::string(env) == "0";
    return n;
}

}  // namespace

NativeBf16 nativeBf16() {
    return readCpu();
}

std::string NativeBf16::describe() const {
    std::string cpu;
    if (avx512bf16) {
        cpu = "AVX512_BF16";
    }
    if (amxbf16) {
        cpu += cpu.empty() ? "AMX-BF16" : ", AMX-BF16";
    }
    if (cpu.empty()) {
        return "none";
    }
    if (maskedByEnvironment) {
        return "none (VIDRNN_NATIVE_BF16=0; the CPU has " + cpu + ")";
    }
    return cpu;
}

// The rule for auto: one precision per architecture, at every hidden size,
// so a sweep's series never split into an fp32 and a bf16 part (GRU at 64
// in fp32, from 128 in bf16 did, in every chart of the demo). bf16 wherever
// the engine's training step was never measured slower in bf16 and the
// accuracy holds. Measured 2026-11-30 on this project's CPU (AVX512_BF16, 2
// threads, bench_train --precisions=fp32,bf16, B=32, T=16, D=512 or
// 512x7x7; tools/bench.sh section bf16, docs/BENCHMARKS.md "bf16"),
// fp32/bf16 at hidden 64, 128, 256, 512:
//   convlstm   1.59x, 1.80x, 1.67x, 1.58x     mean_pool 1.38x, 1.80x, 2.11x, 2.39x
//   lstm       1.36x, 1.43x, 2.73x, 3.16x     bilstm    1.20x, 1.79x, 2.30x, 3.70x
//   gru        1.09x, 1.59x, 2.17x, 2.93x     deep_lstm 1.04x, 1.59x, 2.19x, 3.47x
// (LibTorch's bf16 LSTM/GRU run on oneDNN's fused recurrent kernels). The
// GRU and the deep LSTM at 64 gain little (1.09x, 1.04x) but lose nothing,
// and from 128 on they gain 1.6-3.5x: bf16 throughout for them too. The
// accuracy: the demo, 3 seeds of each at hidden 128 and ConvLSTM at 64-256,
// 8 at ConvLSTM 512: bf16 within one standard deviation of fp32 everywhere
// (BENCHMARKS, "Accuracy holds?").
std::optional<int> autoBf16FromHidden(const std::string& arch) {
    if (arch == "convlstm" || arch == "lstm" || arch == "bilstm" || arch == "mean_pool" ||
        arch == "gru" || arch == "deep_lstm") {
        return 1;
    }
    return std::nullopt;  // an architecture not measured: fp32
}

bool autoPrefersBf16(const std::string& arch, int hidden) {
    const auto from = autoBf16FromHidden(arch);
    return from && hidden >= *from;
}

std::string resolvePrecision(const std::string& requested, const std::string& arch, int hidden,
                             const std::string& device) {
    if (requested != "fp32" && requested != "bf16" && requested != "auto") {
        throw ConfigError("precision '" + requested + "' is not one of fp32, bf16, auto");
    }
    const bool cuda = device.rfind("cuda", 0) == 0;
    if (requested == "fp32") {
        return "fp32";
    }
    if (cuda) {
        return requested == "bf16" ? "bf16" : "fp32";
    }
    const NativeBf16 native = nativeBf16();
    if (requested == "bf16") {
        if (!native.available()) {
            throw ConfigError(
                "precision bf16 needs a CPU with native bf16 (AVX512_BF16 or "
                "AMX-BF16); this one has " +
                native.describe() +
                ": emulated bf16 would train slower than fp32. Use --precision "
                "fp32 or auto");
        }
        return "bf16";
    }
    return native.available() && autoPrefersBf16(arch, hidden) ? "bf16" : "fp32";
}

}  // namespace vidrnn
