#include <dlfcn.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <set>
#include <vector>

#include "commands.h"
#include "vidrnn/errors.h"
#include "vidrnn/provenance.h"
#include "vidrnn/store.h"
#include "vidrnn/textwidth.h"

namespace vidrnn::cli {

void printJson(const nlohmann::json& doc) {
    printJsonText(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

void printJsonText(const std::string& text) {
    // JSON escapes control characters below 0x20 but not DEL or the C1
    // range, which a terminal obeys: written as JSON escapes too.
    std::cout << escapeControl(text, /*keepLines=*/true) << '\n';
}

std::atomic<bool>& stopFlag() {
    static std::atomic<bool> flag{false};
    return flag;
}

namespace {
void onSignal(int) {
    stopFlag().store(true);
}

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

namespace {

// Commands whose libraries cost a start-up they do not all need live in
// plugins: LibTorch's (0.4 s, 280 libraries to map) and OpenCV's video I/O
// (FFmpeg, GDAL: 240 libraries). A plugin is loaded when the command line
// names one of its commands before any command of this program (or asks for
// help before any command, to list them all).
struct Plugin {
    const char* file;
    const char* registerSymbol;
    std::set<std::string> commands;
};

const std::vector<Plugin>& plugins() {
    static const std::vector<Plugin> all{
        {VIDRNN_DATA_PLUGIN, "vidrnn_register_data", {"data"}},
        {VIDRNN_COMPUTE_PLUGIN,
         "vidrnn_register_compute",
         {"train", "extract", "predict", "sweep", "study", "demo", "info"}},
    };
    return all;
}
const std::set<std::string> kCoreCommands{"models", "runs", "report", "compare", "store"};

// The plugins to load, and whether a command named them (not only help).
std::pair<std::vector<const Plugin*>, bool> pluginsFor(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        // `runs rerun` trains: the one runs command that needs LibTorch.
        if (arg == "runs" && i + 1 < argc && std::string(argv[i + 1]) == "rerun") {
            return {{&plugins()[1]}, true};
        }
        if (kCoreCommands.count(arg)) {
            return {{}, false};
        }
        for (const Plugin& p : plugins()) {
            if (p.commands.count(arg)) {
                return {{&p}, true};
            }
        }
        if (arg == "--help" || arg == "-h") {
            std::vector<const Plugin*> all;
            for (const Plugin& p : plugins())
                all.push_back(&p);
            return {all, false};
        }
    }
    return {{}, false};
}

// Beside the program in a build tree; in the library folder once installed.
std::vector<std::string> pluginCandidates(const std::string& file) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    const fs::path folder = ec ? fs::path(".") : self.parent_path();
    return {(folder / file).string(),
            (folder / VIDRNN_PLUGIN_RELDIR / file).lexically_normal().string()};
}

// Adds a plugin's commands; returns "" or why they could not be loaded.
std::string loadPlugin(const Plugin& plugin, CLI::App& app, Globals& globals) {
    std::string why;
    for (const std::string& path : pluginCandidates(plugin.file)) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            why += (why.empty() ? "" : "; ") + path + ": no such file";
            continue;
        }
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            return path + ": cannot load the commands it holds: " + dlerror();
        }
        auto add = reinterpret_cast<RegisterCommands>(dlsym(handle, plugin.registerSymbol));
        if (!add) {
            return path + ": not a vidrnn plugin (no " + plugin.registerSymbol + ")";
        }
        add(app, globals);
        return {};  // kept loaded until exit: its commands run after parsing
    }
    std::string names;
    for (const auto& c : plugin.commands)
        names += (names.empty() ? "" : ", ") + c;
    return "the commands " + names + " are not installed: " + why;
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
                   "run store: an SQLite file (default: ./experiments.db if it exists, else "
                   "experiments.db in $XDG_DATA_HOME/vidrnn or ~/.local/share/vidrnn) or "
                   "postgresql://[user@]host[:port]/dbname (password from ~/.pgpass or "
                   "PGPASSWORD only)")
        ->each([](const std::string& location) { vidrnn::checkStoreUrl(location); });
    app.add_option("--checkpoints", globals.checkpoints,
                   "folder for new checkpoints (default: beside an SQLite store; for a "
                   "PostgreSQL store ./checkpoints; on a cluster, shared storage)")
        ->each([](const std::string& dir) {
            // Read by the engine (checkpointDirFor) and inherited by Slurm workers.
            ::setenv("VIDRNN_CHECKPOINTS", dir.c_str(), 1);
        });
    app.add_option("--threads", globals.threads,
                   "intra-op threads (default: the cores this process may use: its CPU affinity, "
                   "at most $SLURM_CPUS_PER_TASK)")
        ->check(CLI::NonNegativeNumber);
    app.add_flag("-q,--quiet", globals.quiet, "no progress output on stderr");

    addModelCommands(app, globals);
    addRunCommands(app, globals);

    const auto [wanted, named] = pluginsFor(argc, argv);
    for (const Plugin* plugin : wanted) {
        const std::string problem = loadPlugin(*plugin, app, globals);
        if (!problem.empty() && named) {
            std::cerr << "error: " << problem << '\n';
            return 1;
        }
        if (!problem.empty()) {
            std::cerr << "note: " << problem << '\n';
        }
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const vidrnn::Error& e) {
        // Messages quote store rows and file names: no control character
        // reaches the terminal.
        std::cerr << "error: " << vidrnn::escapeControl(e.what()) << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << vidrnn::escapeControl(e.what()) << '\n';
        return 2;
    }
    return 0;
}
