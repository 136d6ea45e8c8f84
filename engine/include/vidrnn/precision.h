// Numeric precision of training: fp32 throughout, or bf16 for the
// convolutions and matrix products (fp32 master weights, gate nonlinearities,
// cell state and loss), or auto. No LibTorch here: the CLI and the workbench
// show and check the setting without loading it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vidrnn {

// fp32, bf16, auto (in that order).
const std::vector<std::string>& precisions();

// Whether this CPU computes bf16 natively (read with cpuid at run time).
struct NativeBf16 {
    bool avx512bf16 = false;  // AVX512_BF16: VDPBF16PS and the conversions
    bool amxbf16 = false;     // AMX-BF16 tile matrix multiply
    // VIDRNN_NATIVE_BF16=0 in the environment: behave as a CPU without it
    // (to test the refusal and the fallback on a machine that has it).
    bool maskedByEnvironment = false;
    bool available() const { return !maskedByEnvironment && (avx512bf16 || amxbf16); }
    // "AVX512_BF16, AMX-BF16", "none", "none (VIDRNN_NATIVE_BF16=0; the CPU has AVX512_BF16)".
    std::string describe() const;
};
NativeBf16 nativeBf16();

// Whether `auto` trains this architecture at this hidden size in bf16 where
// bf16 is native: the rule measured in bench_train (docs/BENCHMARKS.md,
// "bf16"), see precision.cpp.
bool autoPrefersBf16(const std::string& arch, int hidden);
// The rule as data: the smallest hidden size from which auto takes bf16 for
// `arch` (1: every size), none where it never does. `vidrnn info` shows it.
std::optional<int> autoBf16FromHidden(const std::string& arch);

// The precision a run of `arch` with `hidden` units on `device` ("cpu", "cuda:N": resolved)
// really computes in: "fp32" or "bf16". Throws ConfigError for an unknown
// name, and for bf16 asked on a CPU without native bf16 (emulated bf16 is
// several times slower than fp32 there). On CUDA, bf16 is taken as asked
// and auto stays fp32 (not measured on a GPU yet).
std::string resolvePrecision(const std::string& requested, const std::string& arch, int hidden,
                             const std::string& device);

}  // namespace vidrnn
