#include "commands.h"

namespace vidrnn::cli {

// runs list|show|delete, report: filled in by the store work.
void addRunCommands(CLI::App& /*app*/, Globals& /*globals*/) {}

}  // namespace vidrnn::cli
