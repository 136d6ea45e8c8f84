// scanDataset(): layout detection, probing of every clip, deterministic order.
#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "data/container.h"
#include "data/scan.h"
#include "vidrnn/errors.h"
#include "vidrnn/video.h"

namespace vidrnn {
namespace fs = std::filesystem;

namespace {

using data::naturalLess;
using data::RawScan;

struct ProbeResult {
    std::optional<std::string> problem;
    std::int64_t frames = -1;
};

bool stopRequested(const ScanOptions& options) {
    return options.stop != nullptr && options.stop->load();
}

// Probes clips on a few workers; results land by index, so the outcome does
// not depend on the number of threads or their timing.
std::vector<ProbeResult> probeAll(const std::vector<data::Candidate>& clips,
                                  const ScanOptions& options, const std::string& root) {
    std::vector<ProbeResult> results(clips.size());
    const int total = static_cast<int>(clips.size());
    int workers = options.threads > 0 ? options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency());
    workers = std::clamp(workers, 1, std::max(1, total));
    std::atomic<int> next{0};
    int done = 0;
    std::mutex progressMutex;

    const auto work = [&] {
        for (;;) {
            if (stopRequested(options)) {
                return;
            }
            const int i = next.fetch_add(1);
            if (i >= total) {
                return;
            }
            ProbeResult& r = results[static_cast<std::size_t>(i)];
            const std::string& path = clips[static_cast<std::size_t>(i)].path;
            try {
                if (options.countFrames) {
                    r.frames = probeVideo(path).frames;
                } else {
                    checkVideo(path);
                }
            } catch (const Error& e) {
                r.problem = e.reason();
            } catch (const std::exception& e) {
                r.problem = e.what();
            }
            std::lock_guard<std::mutex> lock(progressMutex);
            ++done;
            if (options.progress) {
                options.progress(done, total);
            }
        }
    };
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w) {
        pool.emplace_back(work);
    }
    work();
    for (std::thread& t : pool) {
        t.join();
    }
    if (done < total) {
        throw DatasetError(root, "scan cancelled");
    }
    return results;
}

RawScan detectAndRead(const fs::path& root, const std::string& given) {
    RawScan raw;
    std::error_code ec;
    if (fs::is_regular_file(root, ec)) {
        const std::string ext = data::toLower(root.extension().string());
        if (ext == ".csv") {
            return data::scanManifest(root);
        }
        if (isVideoFileName(root.filename().string())) {
            throw DatasetError(given,
                               "is a single video file, not a data set folder or CSV manifest");
        }
        throw DatasetError(given, "not a data set folder or a CSV manifest (.csv)");
    }
    if (!fs::is_directory(root, ec)) {
        throw DatasetError(given, "not a folder or a CSV manifest");
    }
    if (data::tryScanUcf11(root, raw)) {
        return raw;
    }
    // The archive's own folder one level down (e.g. action_youtube_naudio/).
    for (const fs::path& sub : data::listSubfolders(root)) {
        if (data::tryScanUcf11(sub, raw)) {
            raw.notes.insert(raw.notes.begin(),
                             "UCF11 layout found in sub-folder " + sub.filename().string());
            return raw;
        }
    }
    if (data::tryScanFolders(root, raw)) {
        return raw;
    }
    std::vector<fs::path> manifests;
    for (fs::directory_iterator it(root, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        std::error_code sec;
        if (it->is_regular_file(sec) && data::toLower(it->path().extension().string()) == ".csv") {
            manifests.push_back(it->path());
        }
    }
    if (manifests.size() == 1) {
        raw = data::scanManifest(manifests.front());
        raw.notes.push_back("read manifest " + manifests.front().filename().string());
        return raw;
    }
    throw DatasetError(given,
                       "no classes found (expected UCF11 class folders such as "
                       "basketball/v_shooting_01/, class folders holding videos, or a CSV "
                       "manifest path,label[,group])");
}

Dataset finalise(RawScan raw, const std::vector<ProbeResult>& probes) {
    Dataset ds;
    ds.root = raw.root;
    ds.layout = raw.layout;
    ds.notes = std::move(raw.notes);
    ds.skipped = std::move(raw.skipped);
    ds.classes.assign(raw.classes.begin(), raw.classes.end());
    std::sort(ds.classes.begin(), ds.classes.end(), naturalLess);
    std::map<std::string, int> labelOf;
    for (std::size_t i = 0; i < ds.classes.size(); ++i) {
        labelOf[ds.classes[i]] = static_cast<int>(i);
    }
    for (std::size_t i = 0; i < raw.candidates.size(); ++i) {
        data::Candidate& c = raw.candidates[i];
        const ProbeResult* probe = probes.empty() ? nullptr : &probes[i];
        if (probe != nullptr && probe->problem) {
            ds.skipped.push_back({c.path, *probe->problem});
            continue;
        }
        Clip clip;
        clip.path = std::move(c.path);
        clip.label = labelOf.at(c.className);
        clip.className = std::move(c.className);
        clip.group = std::move(c.group);
        clip.clipNumber = c.clipNumber;
        clip.frames = probe != nullptr ? probe->frames : -1;
        ds.clips.push_back(std::move(clip));
    }
    std::sort(ds.clips.begin(), ds.clips.end(), [](const Clip& a, const Clip& b) {
        if (a.label != b.label)
            return a.label < b.label;
        if (a.group != b.group)
            return naturalLess(a.group, b.group);
        if (a.clipNumber != b.clipNumber)
            return a.clipNumber < b.clipNumber;
        return a.path < b.path;
    });
    for (const Clip& c : ds.clips) {
        ds.groups.push_back(c.group);
    }
    std::sort(ds.groups.begin(), ds.groups.end(), naturalLess);
    ds.groups.erase(std::unique(ds.groups.begin(), ds.groups.end()), ds.groups.end());
    std::sort(ds.skipped.begin(), ds.skipped.end(), [](const SkippedClip& a, const SkippedClip& b) {
        return a.path != b.path ? a.path < b.path : a.reason < b.reason;
    });
    const std::vector<int> counts = clipsPerClass(ds);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] == 0) {
            ds.notes.push_back("class " + ds.classes[i] + " has no usable clips");
        }
    }
    return ds;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& ucf11Classes() {
    static const std::vector<std::pair<std::string, std::string>> table = {
        {"basketball", "shooting"},
        {"biking", "biking"},
        {"diving", "diving"},
        {"golf_swing", "golf"},
        {"horse_riding", "riding"},
        {"soccer_juggling", "juggle"},
        {"swing", "swing"},
        {"tennis_swing", "tennis"},
        {"trampoline_jumping", "jumping"},
        {"volleyball_spiking", "spiking"},
        {"walking", "walk_dog"},
    };
    return table;
}

bool isVideoFileName(const std::string& fileName) {
    static const char* const exts[] = {".avi", ".mpg", ".mpeg", ".mp4",
                                       ".mkv", ".mov", ".webm", ".m4v"};
    const std::string ext = data::toLower(fs::path(fileName).extension().string());
    return std::any_of(std::begin(exts), std::end(exts), [&](const char* e) { return ext == e; });
}

std::vector<int> clipsPerClass(const Dataset& dataset) {
    std::vector<int> counts(dataset.classes.size(), 0);
    for (const Clip& c : dataset.clips) {
        if (c.label >= 0 && static_cast<std::size_t>(c.label) < counts.size()) {
            ++counts[static_cast<std::size_t>(c.label)];
        }
    }
    return counts;
}

Dataset scanDataset(const std::string& path, const ScanOptions& options) {
    if (path.empty()) {
        throw DatasetError("no data set path given");
    }
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        const std::string link = data::unresolvedLinkReason(path, ec);
        throw DatasetError(path, link.empty() ? "does not exist" : link);
    }
    fs::path root = fs::absolute(path, ec).lexically_normal();
    if (!root.has_filename()) {
        root = root.parent_path();  // "dir/" -> "dir"
    }
    RawScan raw = detectAndRead(root, path);
    if (raw.candidates.empty()) {
        std::string reason = "no usable clips";
        if (!raw.skipped.empty()) {
            reason += " (" + std::to_string(raw.skipped.size()) +
                      " skipped; first: " + raw.skipped.front().reason + ")";
        }
        throw DatasetError(path, reason);
    }
    std::vector<ProbeResult> probes;
    if (options.probe || options.countFrames) {
        probes = probeAll(raw.candidates, options, path);
    } else if (stopRequested(options)) {
        throw DatasetError(path, "scan cancelled");
    }
    return finalise(std::move(raw), probes);
}

}  // namespace vidrnn
