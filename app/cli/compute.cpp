// The commands that compute with LibTorch (train, extract, predict, sweep,
// demo, info, runs rerun), built as a plugin that the vidrnn program loads only when one
// of them is named (main.cpp): every other command starts without LibTorch.
#include "commands.h"

extern "C" VIDRNN_CLI_EXPORT void vidrnn_register_compute(CLI::App& app,
                                                          vidrnn::cli::Globals& globals) {
    using namespace vidrnn::cli;
    addInfoCommand(app, globals);
    addTrainCommands(app, globals);
    addExtractCommands(app, globals);
    addSweepCommands(app, globals);
    addRerunCommand(app, globals);
}
