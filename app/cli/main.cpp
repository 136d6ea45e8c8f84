#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>

#include "commands.h"
#include "vidrnn/errors.h"
#include "vidrnn/runtime.h"

namespace vidrnn::cli {

void printJson(const nlohmann::json& doc) {
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::atomic<bool>& stopFlag() {
    static std::atomic<bool> flag{false};
    return flag;
}

namespace {
void onSignal(int) { stopFlag().store(true); }

// One "name version" line each: vidrnn, Qt, LibTorch, OpenCV, SQLite.
std::string versionText() {
#ifdef VIDRNN_QT_VERSION
    const std::string qt = VIDRNN_QT_VERSION " (vidrnn-workbench; this program uses no Qt)";
#else
    const std::string qt = "none (built without vidrnn-workbench)";
#endif
    auto versions = vidrnn::componentVersions();
    versions.insert(versions.begin() + 1, {"Qt", qt});
    std::string text;
    for (const auto& [name, version] : versions) {
        text += (text.empty() ? "" : "\n") + name + " " + version;
    }
    return text;
}
}  // namespace

void installStopHandler() {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

}  // namespace vidrnn::cli

int main(int argc, char** argv) {
    using namespace vidrnn::cli;
    CLI::App app{"vidrnn: recurrent networks for video action recognition (headless)"};
    app.set_version_flag("--version", versionText,
                         "print the versions of vidrnn, Qt, LibTorch, OpenCV and SQLite");
    app.require_subcommand(1);
    // Global options may follow the command too (`vidrnn train ... --db F`):
    // an option a command does not know falls through to the app. Inherited
    // by every command added below.
    app.fallthrough();
    Globals globals;
    app.add_option("--db", globals.db,
                   "SQLite run store (default: ./experiments.db if it exists, else "
                   "experiments.db in $XDG_DATA_HOME/vidrnn or ~/.local/share/vidrnn)");
    app.add_option("--threads", globals.threads, "intra-op threads (default: all cores)")
        ->check(CLI::NonNegativeNumber);
    app.add_flag("-q,--quiet", globals.quiet, "no progress output on stderr");

    addModelCommands(app, globals);
    addDataCommands(app, globals);
    addRunCommands(app, globals);
    addTrainCommands(app, globals);
    addExtractCommands(app, globals);
    addSweepCommands(app, globals);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const vidrnn::Error& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 2;
    }
    return 0;
}
