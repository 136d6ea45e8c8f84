#include "vidrnn/precision.h"

#include <cstdlib>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "vidrnn/archs.h"
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

// The rule for auto is each architecture's row (ArchInfo::autoBf16FromHidden,
// engine/src/core/archs.cpp, with the measurements it rests on).
std::optional<int> autoBf16FromHidden(const std::string& arch) {
    const auto* a = findArch(arch);
    if (a && a->autoBf16FromHidden > 0) {
        return a->autoBf16FromHidden;
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
