// Shared by the benchmark executables: their own command-line options (after
// Google Benchmark has taken its --benchmark_* flags) and the run context
// (threads, BLAS) recorded in every JSON report.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "vidrnn/runtime.h"

namespace vidrnn::bench {

// --key=value options left over by benchmark::Initialize.
class Options {
public:
    Options(int argc, char** argv) {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            if (a.rfind("--", 0) != 0) {
                fail("unexpected argument '" + a + "'");
            }
            const auto eq = a.find('=');
            mValues[a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)] =
                eq == std::string::npos ? "1" : a.substr(eq + 1);
        }
    }

    std::string str(const std::string& key, const std::string& fallback) {
        mUsed[key] = true;
        auto it = mValues.find(key);
        return it == mValues.end() ? fallback : it->second;
    }
    int integer(const std::string& key, int fallback) {
        const auto s = str(key, std::to_string(fallback));
        char* end = nullptr;
        const long v = std::strtol(s.c_str(), &end, 10);
        if (end == s.c_str() || *end != '\0') {
            fail("--" + key + " wants an integer, got '" + s + "'");
        }
        return static_cast<int>(v);
    }
    double real(const std::string& key, double fallback) {
        const auto s = str(key, std::to_string(fallback));
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (end == s.c_str() || *end != '\0') {
            fail("--" + key + " wants a number, got '" + s + "'");
        }
        return v;
    }
    std::vector<std::string> list(const std::string& key, const std::string& fallback) {
        std::vector<std::string> out;
        std::stringstream in(str(key, fallback));
        std::string item;
        while (std::getline(in, item, ',')) {
            if (!item.empty()) {
                out.push_back(item);
            }
        }
        return out;
    }
    std::vector<int> integers(const std::string& key, const std::string& fallback) {
        std::vector<int> out;
        for (const auto& s : list(key, fallback)) {
            out.push_back(std::atoi(s.c_str()));
        }
        return out;
    }
    // Call after reading every option: a misspelt one is an error, not a default.
    void checkAllUsed() const {
        for (const auto& [key, value] : mValues) {
            if (!mUsed.count(key)) {
                fail("unknown option --" + key);
            }
        }
    }

    [[noreturn]] static void fail(const std::string& message) {
        std::fprintf(stderr, "error: %s\n", message.c_str());
        std::exit(2);
    }

private:
    std::map<std::string, std::string> mValues;
    std::map<std::string, bool> mUsed;
};

// LibTorch threads as vidrnn sets them, and the facts the report needs in the
// JSON context (the BLAS actually mapped, not the one configured).
inline void configureAndRecord(int threads) {
    configureThreads(threads);
    const auto info = runtimeInfo();
    benchmark::AddCustomContext("vidrnn_threads", std::to_string(info.threads));
    benchmark::AddCustomContext("vidrnn_blas", info.blasLibrary);
    benchmark::AddCustomContext("vidrnn_torch", info.torchVersion);
    benchmark::AddCustomContext("vidrnn_parallel", info.parallelBackend);
    const char* openblasThreads = std::getenv("OPENBLAS_NUM_THREADS");
    benchmark::AddCustomContext("openblas_num_threads", openblasThreads ? openblasThreads : "");
}

}  // namespace vidrnn::bench
