// data scan | data generate: the data layer from the command line. Only
// presentation lives here; detection rules and the demo are in the engine.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.h"
#include "progress.h"
#include "vidrnn/dataset.h"
#include "vidrnn/demo.h"
#include "vidrnn/errors.h"

namespace vidrnn::cli {

namespace {

using nlohmann::json;

struct ScanArgs {
    std::string path;
    bool json = false;
    int frames = 0;  // T; > 0 counts frames and reports clips shorter than T
    bool noProbe = false;
};

struct GenerateArgs {
    std::string out;
    std::string preset = "small";
    std::uint64_t seed = 0;
    bool json = false;
};

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Frame statistics and the clips that will be padded (fewer than T frames).
json frameStats(const Dataset& ds, int T) {
    std::vector<std::int64_t> counts;
    json shortClips = json::array();
    for (const Clip& c : ds.clips) {
        counts.push_back(c.frames);
        if (c.frames < T) {
            shortClips.push_back({{"path", c.path}, {"frames", c.frames}});
        }
    }
    std::sort(counts.begin(), counts.end());
    json stats = {{"T", T}, {"shorter_than_T", shortClips.size()}, {"short_clips", shortClips}};
    if (!counts.empty()) {
        stats["min"] = counts.front();
        stats["median"] = counts[counts.size() / 2];
        stats["max"] = counts.back();
    }
    return stats;
}

json scanJson(const Dataset& ds, const ScanArgs& a, double seconds) {
    json perClass = json::object();
    const std::vector<int> counts = clipsPerClass(ds);
    for (std::size_t i = 0; i < ds.classes.size(); ++i) {
        perClass[ds.classes[i]] = counts[i];
    }
    json skipped = json::array();
    for (const SkippedClip& s : ds.skipped) {
        skipped.push_back({{"path", s.path}, {"reason", s.reason}});
    }
    json doc = {
        {"root", ds.root},
        {"layout", ds.layout},
        {"classes", ds.classes},
        {"clips", ds.clips.size()},
        {"groups", ds.groups.size()},
        {"group_names", ds.groups},
        {"per_class", perClass},
        {"skipped", skipped},
        {"notes", ds.notes},
        {"probed", !a.noProbe || a.frames > 0},
        {"seconds", seconds},
    };
    if (a.frames > 0) {
        doc["frames"] = frameStats(ds, a.frames);
    }
    return doc;
}

void printScan(const Dataset& ds, const ScanArgs& a, double seconds) {
    std::cout << "data set  " << ds.root << " (" << ds.layout << ")\n"
              << "classes   " << ds.classes.size() << '\n'
              << "clips     " << ds.clips.size() << " usable, " << ds.skipped.size() << " skipped"
              << (a.noProbe && a.frames <= 0 ? " (not probed)" : "") << '\n'
              << "groups    " << ds.groups.size() << ':';
    const std::size_t shown = std::min<std::size_t>(ds.groups.size(), 30);
    for (std::size_t i = 0; i < shown; ++i) {
        std::cout << ' ' << ds.groups[i];
    }
    std::cout << (shown < ds.groups.size() ? " ..." : "") << "\nper class\n";
    const std::vector<int> counts = clipsPerClass(ds);
    std::size_t width = 0;
    for (const std::string& c : ds.classes) {
        width = std::max(width, c.size());
    }
    for (std::size_t i = 0; i < ds.classes.size(); ++i) {
        std::cout << "  " << ds.classes[i] << std::string(width - ds.classes[i].size() + 2, ' ')
                  << counts[i] << '\n';
    }
    if (a.frames > 0) {
        const json f = frameStats(ds, a.frames);
        if (f.contains("min")) {
            std::cout << "frames    min " << f["min"] << ", median " << f["median"] << ", max "
                      << f["max"] << "; " << f["shorter_than_T"]
                      << " clip(s) shorter than T=" << a.frames << " (padded)\n";
        }
    }
    if (!ds.skipped.empty()) {
        std::cout << "skipped\n";
        for (const SkippedClip& s : ds.skipped) {
            std::cout << "  " << s.path << ": " << s.reason << '\n';
        }
    }
    if (!ds.notes.empty()) {
        std::cout << "notes\n";
        for (const std::string& n : ds.notes) {
            std::cout << "  " << n << '\n';
        }
    }
    std::printf("scanned in %.2f s\n", seconds);
}

void runScan(const ScanArgs& a, const Globals& g) {
    installStopHandler();
    ProgressPrinter progress(g.quiet);
    ScanOptions options;
    options.probe = !a.noProbe;
    options.countFrames = a.frames > 0;
    options.threads = g.threads;
    options.stop = &stopFlag();
    options.progress = [&progress](int done, int total) {
        progress.count("probing clips", done, total);
    };
    const auto start = std::chrono::steady_clock::now();
    const Dataset ds = scanDataset(a.path, options);
    progress.finish();
    const double seconds = secondsSince(start);
    if (a.json) {
        printJson(scanJson(ds, a, seconds));
    } else {
        printScan(ds, a, seconds);
    }
}

void runGenerate(const GenerateArgs& a, const Globals& g) {
    installStopHandler();
    ProgressPrinter progress(g.quiet);
    DemoOptions options;
    options.outDir = a.out;
    options.preset = a.preset;
    options.seed = a.seed;
    options.threads = g.threads;
    options.stop = &stopFlag();
    options.progress = [&progress](int done, int total) {
        progress.count("writing demo clips", done, total);
    };
    const DemoSummary s = generateDemo(options);
    progress.finish();
    if (a.json) {
        printJson(
            {{"out", s.outDir},
             {"preset", s.preset},
             {"seed", s.seed},
             {"layout", "ucf11"},
             {"classes", s.classes},
             {"groups", s.groups},
             {"clips", s.clips},
             {"width", s.width},
             {"height", s.height},
             {"fps", s.fps},
             {"min_frames", s.minFrames},
             {"max_frames", s.maxFrames},
             {"reversed_pair", {{"forward", kDemoForwardClass}, {"reversed", kDemoReversedClass}}},
             {"reused", s.reused},
             {"seconds", s.seconds}});
        return;
    }
    if (s.reused) {
        std::printf("%s already holds the complete %s demo (seed %llu, %d clips): nothing to do\n",
                    s.outDir.c_str(), s.preset.c_str(), static_cast<unsigned long long>(s.seed),
                    s.clips);
    } else {
        std::printf(
            "wrote %d clips (%d classes x %d groups, %dx%d, %d-%d frames at %.0f fps) to %s in "
            "%.2f s\n",
            s.clips, s.classes, s.groups, s.width, s.height, s.minFrames, s.maxFrames, s.fps,
            s.outDir.c_str(), s.seconds);
    }
    std::printf("reversed pair: %s (order-blind models cannot separate them)\n",
                s.reversedPair.c_str());
}

}  // namespace

void addDataCommands(CLI::App& app, Globals& globals) {
    auto* data = app.add_subcommand("data", "data sets: scan one, or generate the demo set");
    data->require_subcommand(1);

    auto scanArgs = std::make_shared<ScanArgs>();
    auto* scan = data->add_subcommand(
        "scan",
        "detect the layout (UCF11, class folders, CSV manifest), list classes, groups, "
        "usable and skipped clips");
    scan->add_option("DIR", scanArgs->path, "data set folder or CSV manifest (path,label[,group])")
        ->required();
    scan->add_flag("--json", scanArgs->json, "print the result as JSON");
    scan->add_option("--frames", scanArgs->frames,
                     "decode every clip to count its frames; report clips shorter than T")
        ->check(CLI::PositiveNumber);
    scan->add_flag("--no-probe", scanArgs->noProbe,
                   "do not open the clips (faster, finds no bad files)");
    scan->callback([scanArgs, &globals] { runScan(*scanArgs, globals); });

    auto genArgs = std::make_shared<GenerateArgs>();
    auto* generate = data->add_subcommand(
        "generate", "write the synthetic UCF11-layout demo set (real MJPG videos; idempotent)");
    generate->add_option("--out", genArgs->out, "output folder (new, empty, or an earlier demo)")
        ->required();
    generate
        ->add_option("--preset", genArgs->preset,
                     "small: 165 clips 160x120 (seconds); full: ~1,500 clips 320x240; tiny: tests")
        ->check(CLI::IsMember({"small", "full", "tiny"}))
        ->capture_default_str();
    generate->add_option("--seed", genArgs->seed, "generator seed")->capture_default_str();
    generate->add_flag("--json", genArgs->json, "print the summary as JSON");
    generate->callback([genArgs, &globals] { runGenerate(*genArgs, globals); });
}

}  // namespace vidrnn::cli
