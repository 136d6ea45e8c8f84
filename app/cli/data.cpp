// The data commands (scan, generate) read and write videos with OpenCV's
// video I/O, whose libraries (FFmpeg, GDAL, ...) take longer to map than most
// commands take to run: built as a plugin that the vidrnn program loads only
// for them (main.cpp).
#include "commands.h"

extern "C" VIDRNN_CLI_EXPORT void vidrnn_register_data(CLI::App& app,
                                                       vidrnn::cli::Globals& globals) {
    vidrnn::cli::addDataCommands(app, globals);
}
