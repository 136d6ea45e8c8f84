// generateDemo(): plans the clips of a preset, renders them on a few workers
// (each clip from its own PRNG stream, so output does not depend on
// scheduling), writes MJPG .avi files in the UCF11 layout (see avi_writer.h
// for why not cv::VideoWriter) and a demo.json marker last, so an
// interrupted run is never mistaken for a complete one.
#include "vidrnn/demo.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "demo/avi_writer.h"
#include "demo/demo_scene.h"
#include "util/jsontext.h"
#include "util/rng.h"
#include "vidrnn/backbones.h"
#include "vidrnn/dataset.h"
#include "vidrnn/errors.h"
#include "vidrnn/video.h"

namespace vidrnn {
namespace fs = std::filesystem;

namespace {

using data::DemoAction;

constexpr int kFormat = 2;  // bump when the same preset+seed would render differently
constexpr const char* kMarker = "demo.json";
constexpr const char* kPartial = ".demo-partial";
constexpr const char* kGenerator = "vidrnn demo";

struct Preset {
    const char* name;
    int width, height;
    int groups;
    int minClips, maxClips;    // per class and group
    int minFrames, maxFrames;  // per clip
    int quality;               // JPEG quality of the MJPG stream
    double noiseMax;
    int margin;  // camera jitter room, px
};

// full keeps files moderate (MJPG is intra-only): 32-48 frames of 320x240,
// about 350 MB for ~1,500 clips.
const Preset kPresets[] = {
    {"tiny", 64, 48, 2, 2, 2, 12, 16, 85, 4.0, 2},
    {"small", 160, 120, 5, 3, 3, 24, 32, 85, 5.0, 3},
    {"full", 320, 240, 25, 4, 7, 32, 48, 75, 5.0, 6},
};
constexpr int kFps = 25;

const Preset& presetNamed(const std::string& name) {
    for (const Preset& p : kPresets) {
        if (name == p.name) {
            return p;
        }
    }
    throw ConfigError("unknown demo preset \"" + name + "\" (expected small, full or tiny)");
}

std::string two(int n) {
    return n < 10 ? "0" + std::to_string(n) : std::to_string(n);
}

struct Job {
    int cls = 0;    // index into ucf11Classes()
    int group = 0;  // 1-based, as GG
    int clip = 0;   // 1-based, as CC
    int frames = 0;
    std::uint64_t seed = 0;
};

fs::path clipPath(const fs::path& root, int cls, int group, int clip) {
    const auto& [folder, token] = ucf11Classes()[static_cast<std::size_t>(cls)];
    const std::string stem = "v_" + token + "_" + two(group);
    return root / folder / stem / (stem + "_" + two(clip) + ".avi");
}

int classIndex(const char* name) {
    const auto& table = ucf11Classes();
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i].first == name) {
            return static_cast<int>(i);
        }
    }
    throw LogicError(std::string("demo: no UCF11 class ") + name);
}

std::vector<Job> planJobs(const Preset& preset, std::uint64_t seed, int reversed) {
    std::vector<Job> jobs;
    const int classes = static_cast<int>(ucf11Classes().size());
    for (int cls = 0; cls < classes; ++cls) {
        if (cls == reversed) {
            continue;  // written by the forward class's jobs
        }
        for (int g = 1; g <= preset.groups; ++g) {
            data::Rng countRng(data::mixSeed(seed, data::stableHash("clips"), cls, g));
            const int clips = countRng.range(preset.minClips, preset.maxClips);
            for (int c = 1; c <= clips; ++c) {
                Job job{cls, g, c, 0,
                        data::mixSeed(seed, data::stableHash("clip"), cls * 1000 + g, c)};
                data::Rng rng(job.seed);
                job.frames = rng.range(preset.minFrames, preset.maxFrames);
                jobs.push_back(job);
            }
        }
    }
    return jobs;
}

void writeClip(const fs::path& path, const std::vector<std::vector<unsigned char>>& jpegs,
               bool backwards, const Preset& preset) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    data::writeMjpegAvi(path.string(), jpegs, cv::Size(preset.width, preset.height), kFps,
                        backwards);
}

bool isOurMarker(const fs::path& marker, nlohmann::json* doc) {
    std::ifstream in(marker);
    if (!in) {
        return false;
    }
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("generator", "") != kGenerator) {
        return false;
    }
    if (doc != nullptr) {
        *doc = std::move(j);
    }
    return true;
}

int countAviFiles(const fs::path& root) {
    int n = 0;
    for (const auto& [folder, token] : ucf11Classes()) {
        std::error_code ec;
        fs::recursive_directory_iterator it(root / folder, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code sec;
            if (it->is_regular_file(sec) && it->path().extension() == ".avi" &&
                it->file_size(sec) > 0) {
                ++n;
            }
        }
    }
    return n;
}

// A complete demo of the same preset, seed and format: reuse it.
bool findComplete(const fs::path& root, const Preset& preset, std::uint64_t seed, DemoSummary& s) {
    nlohmann::json doc;
    if (!isOurMarker(root / kMarker, &doc) || doc.value("format", 0) != kFormat ||
        doc.value("preset", "") != preset.name || doc.value("seed", std::uint64_t{0}) != seed ||
        fs::exists(root / kPartial)) {
        return false;
    }
    const int clips = doc.value("clips", -1);
    if (countAviFiles(root) != clips) {
        return false;
    }
    s.clips = clips;
    s.minFrames = doc.value("min_frames", 0);
    s.maxFrames = doc.value("max_frames", 0);
    return true;
}

// Makes `root` ready for writing: new, empty, or an earlier (other or
// interrupted) demo, which is removed. Anything else is refused: we never
// delete files we did not write.
void prepareFolder(const fs::path& root) {
    std::error_code ec;
    if (!fs::exists(root, ec)) {
        if (!fs::create_directories(root, ec) && ec) {
            throw DatasetError(root.string(), "cannot be created: " + ec.message());
        }
        return;
    }
    if (!fs::is_directory(root, ec)) {
        throw DatasetError(root.string(), "exists and is not a folder");
    }
    if (fs::is_empty(root, ec)) {
        return;
    }
    if (!isOurMarker(root / kMarker, nullptr) && !fs::exists(root / kPartial)) {
        throw DatasetError(root.string(), "folder is not empty and holds no vidrnn demo (" +
                                              std::string(kMarker) +
                                              "); choose an empty or new folder");
    }
    fs::remove(root / kMarker, ec);
    for (const auto& [folder, token] : ucf11Classes()) {
        fs::remove_all(root / folder, ec);
    }
}

void writeText(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) {
        throw DatasetError(path.string(), "cannot be written");
    }
}

// Renders one planned clip and writes it (and its reversed twin).
void runJob(const Job& job, const std::vector<data::GroupStyle>& styles, const Preset& preset,
            const fs::path& root, int forward, int reversed) {
    const data::SceneGeometry geo{{preset.width, preset.height}, preset.margin};
    data::Rng rng(job.seed);
    rng.range(preset.minFrames, preset.maxFrames);  // the frame count, drawn when planning
    const data::GroupStyle& group = styles[static_cast<std::size_t>(job.group - 1)];
    const data::ClipStyle clip = data::makeClipStyle(rng, group, geo, job.frames, preset.noiseMax);
    const auto action = static_cast<DemoAction>(job.cls);
    std::vector<cv::Mat> frames;
    frames.reserve(static_cast<std::size_t>(job.frames));
    for (int t = 0; t < job.frames; ++t) {
        frames.push_back(data::renderFrame(action, group, clip, geo, t));
    }
    // Encoded once: the reversed twin holds the very same JPEG frames.
    const auto jpegs = data::encodeJpegFrames(frames, preset.quality);
    writeClip(clipPath(root, job.cls, job.group, job.clip), jpegs, false, preset);
    if (job.cls == forward) {
        writeClip(clipPath(root, reversed, job.group, job.clip), jpegs, true, preset);
    }
}

// The first clip must decode back to what was written: catches an OpenCV
// build that cannot read our MJPG files before a long run.
void verifyReadBack(const fs::path& path, const Job& job, const Preset& preset) {
    const VideoInfo info = probeVideo(path.string());
    if (info.frames != job.frames || info.width != preset.width || info.height != preset.height) {
        throw VideoError(path.string(), "written demo clip does not decode back (" +
                                            std::to_string(info.frames) + " of " +
                                            std::to_string(job.frames) + " frames)");
    }
}

}  // namespace

DemoSummary generateDemo(const DemoOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    if (options.outDir.empty()) {
        throw ConfigError("demo: no output folder given");
    }
    const Preset& preset = presetNamed(options.preset);
    fs::path root = fs::absolute(options.outDir).lexically_normal();
    if (!root.has_filename()) {
        root = root.parent_path();
    }
    const int forward = classIndex(kDemoForwardClass);
    const int reversed = classIndex(kDemoReversedClass);

    DemoSummary summary;
    summary.outDir = root.string();
    summary.preset = preset.name;
    summary.seed = options.seed;
    summary.classes = static_cast<int>(ucf11Classes().size());
    summary.groups = preset.groups;
    summary.width = preset.width;
    summary.height = preset.height;
    summary.fps = kFps;
    summary.reversedPair =
        std::string(kDemoReversedClass) + " = " + kDemoForwardClass + " reversed";
    const auto finish = [&] {
        summary.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return summary;
    };
    if (findComplete(root, preset, options.seed, summary)) {
        summary.reused = true;
        return finish();
    }

    prepareFolder(root);
    writeText(root / kPartial,
              std::string(preset.name) + " " + std::to_string(options.seed) + "\n");

    const std::vector<Job> jobs = planJobs(preset, options.seed, reversed);
    const data::SceneGeometry geo{{preset.width, preset.height}, preset.margin};
    std::vector<data::GroupStyle> styles;
    for (int g = 1; g <= preset.groups; ++g) {
        data::Rng rng(data::mixSeed(options.seed, data::stableHash("group"), g));
        styles.push_back(data::makeGroupStyle(rng, geo));
    }
    int total = 0;
    summary.minFrames = preset.maxFrames;
    summary.maxFrames = preset.minFrames;
    for (const Job& job : jobs) {
        total += job.cls == forward ? 2 : 1;
        summary.minFrames = std::min(summary.minFrames, job.frames);
        summary.maxFrames = std::max(summary.maxFrames, job.frames);
    }

    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr firstError;
    std::mutex mutex;
    int done = 0;
    const auto work = [&] {
        for (;;) {
            if (failed.load() || (options.stop != nullptr && options.stop->load())) {
                return;
            }
            const std::size_t i = next.fetch_add(1);
            if (i >= jobs.size()) {
                return;
            }
            try {
                runJob(jobs[i], styles, preset, root, forward, reversed);
                if (i == 0) {
                    verifyReadBack(clipPath(root, jobs[0].cls, jobs[0].group, jobs[0].clip),
                                   jobs[0], preset);
                }
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!firstError) {
                    firstError = std::current_exception();
                }
                failed = true;
                return;
            }
            std::lock_guard<std::mutex> lock(mutex);
            done += jobs[i].cls == forward ? 2 : 1;
            if (options.progress) {
                options.progress(done, total);
            }
        }
    };
    int workers = options.threads > 0 ? options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency());
    workers = std::clamp(workers, 1, static_cast<int>(jobs.size()));
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w) {
        pool.emplace_back(work);
    }
    work();
    for (std::thread& t : pool) {
        t.join();
    }
    if (firstError) {
        std::rethrow_exception(firstError);
    }
    if (done < total) {
        throw DatasetError(root.string(), "demo generation cancelled");
    }

    summary.clips = total;
    const nlohmann::json marker = {
        {"generator", kGenerator},
        {"format", kFormat},
        {"preset", preset.name},
        {"seed", options.seed},
        {"layout", "ucf11"},
        {"classes", summary.classes},
        {"groups", summary.groups},
        {"clips", summary.clips},
        {"width", preset.width},
        {"height", preset.height},
        {"fps", kFps},
        {"min_frames", summary.minFrames},
        {"max_frames", summary.maxFrames},
        {"codec", "MJPG"},
        {"reversed_pair", {{"forward", kDemoForwardClass}, {"reversed", kDemoReversedClass}}},
    };
    writeText(root / kMarker, util::jsonText(marker, 2) + "\n");
    std::error_code ec;
    fs::remove(root / kPartial, ec);
    return finish();
}

const std::vector<std::string>& presetNames() {
    static const std::vector<std::string> names{"user", "demo"};
    return names;
}

TrainConfig withPreset(const std::string& name, TrainConfig c) {
    TrainConfig p;  // "user": TrainConfig's defaults
    if (name == "demo") {
        p.backbone = kRandomBackbone;  // better for the demo than pretrained: docs/models.md
        p.frames = 12;
        p.imageSize = 64;
        p.split = "groups";
        p.epochs = 15;
        p.batch = 16;
        p.lr = 1e-3;
        p.patience = 5;
    } else if (name != "user") {
        throw ConfigError("unknown preset '" + name + "' (expected user or demo)");
    }
    c.frames = p.frames;
    c.imageSize = p.imageSize;
    c.split = p.split;
    c.epochs = p.epochs;
    c.batch = p.batch;
    c.lr = p.lr;
    c.patience = p.patience;
    c.backbone = p.backbone;
    return c;
}

}  // namespace vidrnn
