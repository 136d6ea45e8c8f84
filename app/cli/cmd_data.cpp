#include "commands.h"

namespace vidrnn::cli {

// data scan | data generate: filled in by the data work.
void addDataCommands(CLI::App& /*app*/, Globals& /*globals*/) {}

}  // namespace vidrnn::cli
