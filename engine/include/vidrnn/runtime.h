// Where and how LibTorch computes: threads, the BLAS really loaded, devices.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "vidrnn/provenance.h"

namespace vidrnn {

struct RuntimeInfo {
    std::string vidrnnVersion;
    std::string torchVersion;  // as compiled against
    std::string torchLibrary;  // resolved path of the libtorch_cpu loaded
    std::string opencvVersion;
    std::string sqliteVersion;
    int cores = 0;          // hardware threads of this machine
    int allottedCores = 0;  // of those, the ones this process may use (allottedCores())
    int threads = 0;        // LibTorch intra-op threads now
    int interopThreads = 0;
    std::string blasLibrary;  // resolved path of the BLAS mapped into this process
    int blasThreads = -1;     // OpenBLAS's own threads; -1 for another BLAS
    std::string parallelBackend;
    bool mkldnn = false;  // oneDNN available
    bool cudaAvailable = false;
    int cudaDevices = 0;
    bool cudaCompiled = false;  // LibTorch built with CUDA (a device or not)
    std::string cudaVersion;    // the CUDA it was built with ("13.2"), "" without
    std::string cudaGraphs;  // the graphed training step: "not compiled in", "compiled, no device",
                             // "available"
    std::string nativeBf16;  // NativeBf16::describe(): "AVX512_BF16", "none", ...
};

// The cores this process may use: its CPU affinity (taskset, cpusets, a
// batch system's binding), at most SLURM_CPUS_PER_TASK where that is set.
// The default thread count.
int allottedCores();

// Sets LibTorch's intra-op threads: n > 0 as given, 0 = allottedCores(). Call early;
// the first call also sets inter-op threads once (LibTorch allows that once),
// holds OpenBLAS's own thread pool to one thread (unless OPENBLAS_NUM_THREADS
// or GOTO_NUM_THREADS is set: LibTorch's threads do the parallel work) and
// calls configureAllocator().
void configureThreads(int n);

// Keeps large freed blocks in the process heap instead of returning them to
// the kernel at once (glibc only; VIDRNN_MALLOC=system opts out), so that a
// training step does not page-fault its tensors in anew every time.
void configureAllocator();

// Resolves "auto" | "cpu" | "cuda" | "cuda:N" to a concrete "cpu" or "cuda:N";
// throws ConfigError for a malformed spec or a CUDA device that is not there.
std::string resolveDevice(const std::string& spec);

RuntimeInfo runtimeInfo();

// The provenance of a run computed now in this process (LibTorch's threads as
// set, the given device and precision). Defined with LibTorch (engine).
Provenance currentProvenance(const std::string& device, const std::string& precision);

}  // namespace vidrnn
