// The CLI's command groups. Each cmd_*.cpp adds its subcommands to the app;
// main.cpp parses, runs the chosen callback and turns exceptions into
// "error: ..." with a non-zero exit. The groups that need LibTorch or OpenCV's
// video I/O are built into plugins (compute.cpp, data.cpp) that main.cpp
// loads only when they are named.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "vidrnn/config.h"

namespace vidrnn::cli {

// Options every command shares.
struct Globals {
    std::string db;           // --db; empty = default store
    int threads = 0;          // --threads; 0 = allottedCores()
    bool quiet = false;       // --quiet: no progress on stderr
    std::string checkpoints;  // --checkpoints; also in $VIDRNN_CHECKPOINTS
};

// Set by SIGINT/SIGTERM once installStopHandler() ran: long commands finish
// the current batch, record the run as cancelled and exit non-zero.
std::atomic<bool>& stopFlag();
void installStopHandler();

// Prints a JSON document to stdout (2-space indent, newline).
void printJson(const nlohmann::json& doc);
// The same for a document already written (the engine's JSON text).
void printJsonText(const std::string& text);

void addModelCommands(CLI::App& app, Globals& globals);    // models
void addInfoCommand(CLI::App& app, Globals& globals);      // info (plugin)
void addDataCommands(CLI::App& app, Globals& globals);     // data scan|generate (plugin)
void addRunCommands(CLI::App& app, Globals& globals);      // runs list|show|delete, report
void addTrainCommands(CLI::App& app, Globals& globals);    // train (plugin)
void addExtractCommands(CLI::App& app, Globals& globals);  // extract, predict (plugin)
void addSweepCommands(CLI::App& app, Globals& globals);    // sweep, demo (plugin)
void addRerunCommand(CLI::App& app, Globals& globals);     // runs rerun (plugin)

// A plugin's entry point (vidrnn_register_data, vidrnn_register_compute),
// looked up by name with dlsym.
#define VIDRNN_CLI_EXPORT __attribute__((visibility("default")))
using RegisterCommands = void (*)(CLI::App& app, Globals& globals);

// --data, --frames, --size, --backbone, --cache, --device
void addDataOptions(CLI::App* cmd, TrainConfig& config);
// --precision (train, sweep, demo)
void addPrecisionOption(CLI::App* cmd, std::string& precision);
// --input appearance|motion (TrainConfig::input).
void addInputOption(CLI::App* cmd, std::string& input);
// Refuses a precision this machine cannot train `arch` in (bf16 without native
// bf16) before any data is read: ConfigError.
void checkPrecision(const TrainConfig& config);

// A list option whose values are separated by spaces or commas alike:
// `--archs gru lstm` and `--archs gru,lstm` are the same.
template <typename T>
CLI::Option* addListOption(CLI::App* cmd, const std::string& name, std::vector<T>& values,
                           const std::string& help) {
    return cmd->add_option(name, values, help)->delimiter(',');
}

// --preset user|demo: the named run settings (vidrnn/demo.h) a command starts from.
void addPresetOption(CLI::App* cmd, std::string& preset);
// Every setting among `options` (e.g. "--frames") that the command line did
// not give is taken from the preset; the list of them goes to stderr (unless
// quiet), so a run never differs from another by a silent default.
void applyPreset(const CLI::App* cmd, const std::string& preset,
                 const std::vector<std::string>& options, TrainConfig& config, bool quiet);
// The settings train takes from a preset (extract and sweep use a part).
const std::vector<std::string>& trainSettingOptions();

}  // namespace vidrnn::cli
