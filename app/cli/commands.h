// The CLI's command groups. Each cmd_*.cpp adds its subcommands to the app;
// main.cpp parses, runs the chosen callback and turns exceptions into
// "error: ..." with a non-zero exit.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "vidrnn/config.h"

namespace vidrnn::cli {

// Options every command shares.
struct Globals {
    std::string db;       // --db; empty = default store
    int threads = 0;      // --threads; 0 = all cores
    bool quiet = false;   // --quiet: no progress on stderr
};

// Set by SIGINT/SIGTERM once installStopHandler() ran: long commands finish
// the current batch, record the run as cancelled and exit non-zero.
std::atomic<bool>& stopFlag();
void installStopHandler();

// Prints a JSON document to stdout (2-space indent, newline).
void printJson(const nlohmann::json& doc);

void addModelCommands(CLI::App& app, Globals& globals);   // models, info
void addDataCommands(CLI::App& app, Globals& globals);    // data scan|generate
void addRunCommands(CLI::App& app, Globals& globals);     // runs list|show|delete, report
void addTrainCommands(CLI::App& app, Globals& globals);   // train
void addExtractCommands(CLI::App& app, Globals& globals); // extract, predict
void addSweepCommands(CLI::App& app, Globals& globals);   // sweep, demo

// --data, --frames, --size, --backbone, --cache, --device
void addDataOptions(CLI::App* cmd, TrainConfig& config);
// --precision (train, sweep, demo)
void addPrecisionOption(CLI::App* cmd, std::string& precision);
// Refuses a precision this machine cannot train `arch` in (bf16 without native
// bf16) before any data is read: ConfigError.
void checkPrecision(const TrainConfig& config);

}  // namespace vidrnn::cli
