// Where a run's numbers came from: the build, the libraries, the machine and
// the settings that change floating-point results (threads, device,
// precision). Stored with every run, so that a rerun can say which of them
// differ, and the report when a row mixes builds or CPUs. An empty field is
// unknown (runs stored before schema 8, a build outside git): shown as
// "unknown", never guessed.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vidrnn {

struct Provenance {
    std::string version;   // vidrnn's
    std::string commit;    // git commit vidrnn was built from
    std::string modified;  // "yes" when the built tree had uncommitted changes, else "no"
    std::string libtorch, opencv, qt, sqlite;  // qt: "none" in the CLI
    std::string blas;                          // the BLAS mapped into the process (a resolved path)
    std::string onednn;     // oneDNN (MKL-DNN) version LibTorch carries, "none" without
    std::string isa;        // the CPU capability LibTorch dispatched to (AVX2, AVX512, ...)
    std::string cpu;        // model name
    std::string cpuFlags;   // of AVX-512, BF16 and AMX, those the CPU has ("none")
    std::string threads;    // LibTorch intra-op threads while training
    std::string device;     // cpu, cuda:N
    std::string gpu;        // the GPU's name; "none" on the CPU
    std::string precision;  // computed in: fp32 | bf16
    std::string host;
};

// (key, value) in display order; "unknown" for an empty value.
std::vector<std::pair<std::string, std::string>> provenanceFields(const Provenance& p);
// A JSON object of the known fields, "" for none known at all (stored NULL).
std::string provenanceToJson(const Provenance& p);
// Lenient: a store row is input, so text that is not such an object gives
// unknown fields rather than an error.
Provenance provenanceFromJson(const std::string& json);
// Keys whose values differ (unknown counts as a value of its own).
std::vector<std::string> provenanceDifferences(const Provenance& a, const Provenance& b);
// What identifies the build (version, commit, modified) and the CPU (model,
// flags, ISA): "" when unknown. The report notes a row that mixes them.
std::string buildIdentity(const Provenance& p);
std::string cpuIdentity(const Provenance& p);

// The git commit this vidrnn was built from and whether its tree was
// modified (baked in by CMake at build time; "" outside a git checkout).
std::string buildCommit();
std::string buildModified();

// The Qt the process runs with: the workbench sets qVersion() at start; the
// CLI links no Qt, so it stays "none".
void setProvenanceQt(const std::string& version);
std::string provenanceQt();

// Name and version of vidrnn and of the libraries it runs on, in display
// order: vidrnn, LibTorch, OpenCV, SQLite (LibTorch's and OpenCV's as built
// against, so that asking loads neither; SQLite's as loaded). Cheap: no
// device probing. Qt is not among them (the engine has none): the workbench adds
// qVersion(), the CLI the Qt its workbench was built with.
std::vector<std::pair<std::string, std::string>> componentVersions();

}  // namespace vidrnn
