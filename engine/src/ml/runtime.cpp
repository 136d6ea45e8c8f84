#include "vidrnn/runtime.h"

#include <sqlite3.h>

#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/core/version.hpp>

#include <dlfcn.h>
#include <malloc.h>
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "ml/graph_step.h"
#include "util/util.h"
#include "vidrnn/errors.h"
#include "vidrnn/precision.h"
#include "vidrnn/provenance.h"

namespace vidrnn {

namespace {

int machineCores() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

// SLURM_CPUS_PER_TASK as a positive number, or 0.
int slurmCpusPerTask() {
    const char* given = std::getenv("SLURM_CPUS_PER_TASK");
    if (!given || !*given) {
        return 0;
    }
    char* end = nullptr;
    const long n = std::strtol(given, &end, 10);
    return *end == '\0' && n > 0 && n < 1 << 20 ? static_cast<int>(n) : 0;
}

// The BLAS actually in this process, read from the memory map: Debian's
// LibTorch links libblas.so.3, an alternative that may be the slow reference
// BLAS or OpenBLAS.
std::string loadedBlas() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos) {
            continue;
        }
        const std::string path = line.substr(slash);
        const std::string name = std::filesystem::path(path).filename().string();
        if (name.find("blas") != std::string::npos || name.find("mkl_core") != std::string::npos) {
            std::error_code ec;
            auto real = std::filesystem::canonical(path, ec);
            return ec ? path : real.string();
        }
    }
    return "none mapped";
}

// The LibTorch library this process runs on: a build against one LibTorch
// can load another (Debian's and PyPI's both name theirs libtorch_cpu.so),
// so the version it was compiled against is not enough.
std::string loadedTorch() {
    Dl_info dl{};
    if (dladdr(reinterpret_cast<void*>(&at::get_num_threads), &dl) == 0 || !dl.dli_fname) {
        return "unknown";
    }
    std::error_code ec;
    auto real = std::filesystem::canonical(dl.dli_fname, ec);
    return ec ? std::string(dl.dli_fname) : real.string();
}

// OpenBLAS's own thread count (the pthread build keeps a pool of its own,
// one thread per core by default, that at::set_num_threads does not reach),
// or -1 when the BLAS in this process is not OpenBLAS.
int openblasThreads() {
    using Get = int (*)();
    auto* get = reinterpret_cast<Get>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return get ? get() : -1;
}

// The GEMMs of a recurrent step are small (a batch of rows times the gates),
// and LibTorch parallelises around them with its own OpenMP threads: a second
// pool of OpenBLAS threads, spinning after each call, only takes cores from
// those. Holding OpenBLAS to one thread measured 224 -> 113 ms per LSTM-256
// step at 2 LibTorch threads and 412 -> 80 ms at one (bench/BENCHMARKS.md,
// section 6). The user's OPENBLAS_NUM_THREADS (or GOTO_NUM_THREADS) wins.
void configureBlasThreads() {
    if (std::getenv("OPENBLAS_NUM_THREADS") || std::getenv("GOTO_NUM_THREADS")) {
        return;
    }
    using Set = void (*)(int);
    if (auto* set = reinterpret_cast<Set>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
        set(1);
    }
}

// Whether this LibTorch has CUDA compiled in, GPU or not. at::hasCUDA() is
// no such test: its CUDA hooks answer whether a device is usable (false on
// a CUDA build without a GPU, as on every machine of this project). The
// hooks report a CUDA runtime only where libtorch_cuda registered them.
bool cudaCompiled() {
    return at::globalContext().hasCUDART();
}

// The CUDA runtime version LibTorch was built with ("13.2"), "" without CUDA.
std::string cudaVersion() {
    if (!cudaCompiled()) {
        return {};
    }
    const long v = at::globalContext().versionCUDART();
    return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

// The value after `key` on the first line of /proc/cpuinfo that has it.
std::string cpuinfoValue(const std::string& key) {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, key.size(), key) == 0) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? std::string() : line.substr(colon + 2);
        }
    }
    return {};
}

// Of the CPU features that change which kernels run (and so the last bits of
// a result), those this CPU has; "" when /proc/cpuinfo cannot be read.
std::string cpuFeatureFlags() {
    const std::string flags = cpuinfoValue("flags");
    if (flags.empty()) {
        return {};
    }
    std::set<std::string> have;
    std::istringstream words(flags);
    for (std::string w; words >> w;) {
        have.insert(w);
    }
    std::string out;
    for (const char* f : {"avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"}) {
        if (have.count(f)) {
            out += (out.empty() ? "" : " ") + std::string(f);
        }
    }
    return out.empty() ? "none" : out;
}

// What LibTorch's dispatcher chose for this CPU ("CPU capability usage:
// AVX2" in its configuration summary; the function behind it is not
// exported).
std::string dispatchedIsa() {
    const std::string config = at::show_config();
    const std::string key = "CPU capability usage: ";
    const auto at = config.find(key);
    if (at == std::string::npos) {
        return {};
    }
    const auto end = config.find('\n', at);
    return config.substr(at + key.size(), end == std::string::npos ? end : end - at - key.size());
}

// The GPU's name from the CUDA driver, looked up at run time: the engine is
// built against a LibTorch that may have no CUDA headers at all.
std::string gpuName(const std::string& device) {
    if (device.rfind("cuda", 0) != 0) {
        return "none";
    }
    void* cuda = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (!cuda) {
        return {};
    }
    using Init = int (*)(unsigned);
    using Get = int (*)(int*, int);
    using Name = int (*)(char*, int, int);
    auto* init = reinterpret_cast<Init>(dlsym(cuda, "cuInit"));
    auto* get = reinterpret_cast<Get>(dlsym(cuda, "cuDeviceGet"));
    auto* name = reinterpret_cast<Name>(dlsym(cuda, "cuDeviceGetName"));
    const auto colon = device.find(':');
    const int index = colon == std::string::npos ? 0 : std::stoi(device.substr(colon + 1));
    char text[256] = {};
    int handle = 0;
    std::string out;
    if (init && get && name && init(0) == 0 && get(&handle, index) == 0 &&
        name(text, sizeof text - 1, handle) == 0) {
        out = text;
    }
    dlclose(cuda);
    return out;
}

}  // namespace

int allottedCores() {
    // The cores this process may run on: taskset, a cgroup's cpuset and a
    // batch system's binding all show in the affinity mask, which
    // hardware_concurrency() ignores (LibTorch's threads beyond it only
    // take turns on the same cores: 2 workers on 2 cores trained 4x slower
    // with 2 threads each than with 1).
    int cores = machineCores();
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
        cores = CPU_COUNT(&set);
    }
    // Slurm without CPU binding (TaskPlugin=task/none) leaves the mask
    // whole: the allocation is what it says.
    if (const int slurm = slurmCpusPerTask(); slurm > 0) {
        cores = std::min(cores, slurm);
    }
    return cores;
}

Provenance currentProvenance(const std::string& device, const std::string& precision) {
    Provenance p;
#ifdef VIDRNN_VERSION
    p.version = VIDRNN_VERSION;
#endif
    p.commit = buildCommit();
    p.modified = buildModified();
    p.libtorch = TORCH_VERSION;
    p.opencv = CV_VERSION;
    p.qt = provenanceQt();
    p.sqlite = sqlite3_libversion();
    p.blas = loadedBlas();
    p.onednn = at::hasMKLDNN() ? at::get_mkldnn_version() : "none";
    p.isa = dispatchedIsa();
    p.cpu = cpuinfoValue("model name");
    p.cpuFlags = cpuFeatureFlags();
    p.threads = std::to_string(at::get_num_threads());
    p.device = device;
    p.gpu = gpuName(device);
    p.precision = precision;
    p.host = util::hostName();
    return p;
}

void configureAllocator() {
#ifdef __GLIBC__
    // glibc serves every block above its mmap threshold (128 KiB, raised at
    // most to 32 MiB) with a fresh mmap() and unmaps it on free, and trims the
    // heap top soon after a free. A training step allocates and frees the same
    // large activations and gradients each time (a ConvLSTM-512 weight
    // gradient alone is 75 MB), so every step page-faulted them in again,
    // zero-filled by the kernel: at the demo's ConvLSTM 512 shape 4.6 million
    // faults and 13 s of system time per 5 steps, twice the step's own time.
    // Serving large blocks from the heap and keeping up to 256 MiB of freed
    // heap measured 3265 -> 1272 ms per step (bench_train, batch 16, T 12,
    // 2x2 maps), at a higher peak (0.75 -> 1.25 GB) for that largest model.
    // VIDRNN_MALLOC=system keeps glibc's defaults.
    const char* choice = std::getenv("VIDRNN_MALLOC");
    if (choice && std::string(choice) == "system") {
        return;
    }
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

void configureThreads(int n) {
    const int threads = n > 0 ? n : allottedCores();
    static std::once_flag interop;
    std::call_once(interop, [] {
        configureAllocator();
        configureBlasThreads();
        // Inter-op parallelism is unused by the trainer; LibTorch only lets it be
        // set before first use.
        try {
            at::set_num_interop_threads(1);
        } catch (const std::exception&) {
        }
    });
    at::set_num_threads(threads);
}

std::string resolveDevice(const std::string& spec) {
    static const std::regex pattern(R"(^(auto|cpu|cuda)(:([0-9]+))?$)");
    std::smatch m;
    if (!std::regex_match(spec, m, pattern) || (m[1] != "cuda" && m[2].matched)) {
        throw ConfigError("device '" + spec + "' is not one of auto, cpu, cuda, cuda:N");
    }
    const bool available = torch::cuda::is_available();
    if (m[1] == "cpu") {
        return "cpu";
    }
    if (m[1] == "auto") {
        return available ? "cuda:0" : "cpu";
    }
    if (!available) {
        throw ConfigError(
            "device '" + spec + "' requested but CUDA is not available (" +
            std::string(cudaCompiled() ? "no usable GPU" : "this LibTorch was built without CUDA") +
            ")");
    }
    const int index = m[3].matched ? std::stoi(m[3]) : 0;
    const auto count = static_cast<int>(torch::cuda::device_count());
    if (index >= count) {
        throw ConfigError("device '" + spec + "' does not exist (" + std::to_string(count) +
                          " CUDA device(s))");
    }
    return "cuda:" + std::to_string(index);
}

RuntimeInfo runtimeInfo() {
    RuntimeInfo info;
#ifdef VIDRNN_VERSION
    info.vidrnnVersion = VIDRNN_VERSION;
#endif
    info.torchVersion = TORCH_VERSION;
    info.torchLibrary = loadedTorch();
    info.opencvVersion = CV_VERSION;
    info.sqliteVersion = sqlite3_libversion();
    info.cores = machineCores();
    info.allottedCores = allottedCores();
    info.threads = at::get_num_threads();
    info.interopThreads = at::get_num_interop_threads();
    info.blasLibrary = loadedBlas();
    info.blasThreads = openblasThreads();
#if AT_PARALLEL_OPENMP
    info.parallelBackend = "OpenMP";
#elif AT_PARALLEL_NATIVE
    info.parallelBackend = "native";
#else
    info.parallelBackend = "other";
#endif
    info.mkldnn = at::hasMKLDNN();
    info.cudaCompiled = cudaCompiled();
    info.cudaVersion = cudaVersion();
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDevices = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    info.cudaGraphs = cudaGraphsStatus();
    info.nativeBf16 = nativeBf16().describe();
    return info;
}

}  // namespace vidrnn
