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

// The rule for auto: bf16 only where it has been measured faster with the
// accuracy holding. The ConvLSTM's two convolutions run on oneDNN's native
// bf16 kernels: the same step under PyTorch's bf16 autocast on this
// project's CPU (AVX512_BF16, 2 threads, B=32, T=16, 512x7x7) measured
// 0.69 -> 0.26 s at hidden 64 and 4.0 -> 2.6 s at 256 (issue 18); the
// engine's own figures come from tools/bench.sh, section bf16. The
// vector models (lstm, gru, deep_lstm, bilstm, mean_pool) are bound by small
// GEMMs and per-step overhead that bf16 does not shrink while the casts add
// work; they stay fp32 until a measurement says otherwise (tools/bench.sh,
// section bf16, times every architecture in both).
bool autoPrefersBf16(const std::string& arch) {
    return arch == "convlstm";
}

std::string resolvePrecision(const std::string& requested, const std::string& arch,
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
    return native.available() && autoPrefersBf16(arch) ? "bf16" : "fp32";
}

}  // namespace vidrnn
