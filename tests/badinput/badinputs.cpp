// Writes the bad-input catalogue. Videos come from cv::VideoWriter (MP4,
// MPEG-1), the engine's own MJPEG AVI writer (which can also write empty
// "dropped" frames, the way AVI encodes a variable frame rate) and byte
// surgery on those; backbones are small TorchScript modules; checkpoints are
// written by the engine and then forged; stores through SQLite directly.
#include "badinputs.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "demo/avi_writer.h"
#include "ml/checkpoint.h"
#include "rawsqlite.h"
#include "vidrnn/features.h"
#include "vidrnn/store.h"

namespace vidrnn::test {
namespace fs = std::filesystem;
using Expect = BadInput::Expect;

namespace {

const cv::Size kClipSize(64, 48);

// Frame i of a clip: a bright disc moving over a ramp, so frames differ.
cv::Mat frameAt(cv::Size size, int i, bool grey = false) {
    cv::Mat m(size, grey ? CV_8UC1 : CV_8UC3, cv::Scalar(8 * i % 256, 90, 160));
    cv::circle(m, {(size.width / 8 + 3 * i) % size.width, size.height / 2},
               std::max(2, size.height / 4), cv::Scalar::all(250), -1);
    return m;
}

std::vector<unsigned char> jpegOf(const cv::Mat& frame) {
    std::vector<unsigned char> bytes;
    if (!cv::imencode(".jpg", frame, bytes)) {
        throw std::runtime_error("cannot encode a JPEG frame");
    }
    return bytes;
}

void writeAvi(const fs::path& path, cv::Size size, int frames, bool grey = false) {
    std::vector<std::vector<unsigned char>> jpegs;
    for (int i = 0; i < frames; ++i) {
        jpegs.push_back(jpegOf(frameAt(size, i, grey)));
    }
    data::writeMjpegAvi(path.string(), jpegs, size, 25);
}

// Through FFmpeg: mp4v in MP4, MPEG-1 in a program stream.
void writeFfmpeg(const fs::path& path, const char* fourcc, cv::Size size, int frames,
                 bool grey = false) {
    cv::VideoWriter w(path.string(), cv::CAP_FFMPEG,
                      cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]), 25, size,
                      !grey);
    if (!w.isOpened()) {
        throw std::runtime_error(path.string() + ": no FFmpeg " + fourcc + " writer");
    }
    for (int i = 0; i < frames; ++i) {
        w.write(frameAt(size, i, grey));
    }
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) {
        throw std::runtime_error(path.string() + ": cannot be written");
    }
}

void copyTo(const fs::path& from, const fs::path& to) {
    fs::create_directories(to.parent_path());
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

class Catalogue {
public:
    explicit Catalogue(BadInputs& out) : mOut(out) {}

    BadInput& usable(const std::string& category, const std::string& name, const fs::path& path) {
        return add(category, name, path, Expect::Usable, {});
    }
    BadInput& error(const std::string& category, const std::string& name, const fs::path& path,
                    const std::string& reason) {
        return add(category, name, path, Expect::Error, reason);
    }

private:
    BadInput& add(const std::string& category, const std::string& name, const fs::path& path,
                  Expect expect, const std::string& reason) {
        BadInput b;
        b.id = category + "/" + name;
        b.category = category;
        b.path = path.string();
        b.expect = expect;
        b.reason = reason;
        mOut.inputs.push_back(b);
        return mOut.inputs.back();
    }
    BadInputs& mOut;
};

// --- videos ---------------------------------------------------------------

void cuts(Catalogue& c, const fs::path& dir, const fs::path& full, const std::string& kind,
          const std::vector<std::pair<std::uintmax_t, Expect>>& plan, const std::string& reason) {
    const std::string bytes = slurp(full);
    for (const auto& [offset, expect] : plan) {
        const std::uintmax_t at = std::min<std::uintmax_t>(offset, bytes.size() - 1);
        const std::string name = "cut-" + kind + "-" + std::to_string(at);
        const fs::path path = dir / (expect == Expect::Usable ? "ok" : "bad") / (name + "." + kind);
        spit(path, bytes.substr(0, at));
        if (expect == Expect::Usable) {
            c.usable("video", name, path);
        } else {
            c.error("video", name, path, reason);
        }
    }
}

// Zeroes every frame's payload (the chunks stay): each frame fails to decode.
std::string zeroFramePayloads(std::string avi) {
    const std::size_t movi = avi.find("movi");
    for (std::size_t p = avi.find("00dc", movi); p != std::string::npos && p + 8 <= avi.size();
         p = avi.find("00dc", p + 8)) {
        std::uint32_t n = 0;
        std::memcpy(&n, avi.data() + p + 4, 4);
        if (p + 8 + n > avi.size() || avi.compare(p - 8, 4, "idx1") == 0) {
            break;
        }
        std::fill(avi.begin() + static_cast<std::ptrdiff_t>(p + 8),
                  avi.begin() + static_cast<std::ptrdiff_t>(p + 8 + n), '\0');
    }
    return avi;
}

void videos(Catalogue& c, const fs::path& root, const std::string& audioOnlyFixture) {
    const fs::path ok = root / "ok";
    const fs::path dir = root / "bad";
    fs::create_directories(ok);
    fs::create_directories(dir);
    c.error("video", "zero-bytes", dir / "zero-bytes.avi", "empty file (0 bytes)");
    spit(dir / "zero-bytes.avi", "");
    c.error("video", "text-named-avi", dir / "notes.avi", "not a video file");
    spit(dir / "notes.avi", "These are my notes about the clips, not a video.\n");

    // Truncated at several offsets: inside the header nothing opens; later
    // the frames before the cut decode. An MP4 keeps its index (moov) at the
    // end, so any cut before it leaves nothing to open.
    const fs::path scratch = root / ".full";
    fs::create_directories(scratch);
    writeAvi(scratch / "full.avi", kClipSize, 30);
    const auto aviSize = fs::file_size(scratch / "full.avi");
    cuts(c, root, scratch / "full.avi", "avi",
         {{16, Expect::Error},
          {100, Expect::Error},
          {200, Expect::Error},
          {aviSize / 4, Expect::Usable},
          {aviSize / 2, Expect::Usable},
          {aviSize * 9 / 10, Expect::Usable},
          {aviSize - 1, Expect::Usable}},
         "truncated avi file");
    writeFfmpeg(scratch / "full.mp4", "mp4v", kClipSize, 30);
    const auto mp4Size = fs::file_size(scratch / "full.mp4");
    cuts(c, root, scratch / "full.mp4", "mp4",
         {{16, Expect::Error},
          {100, Expect::Error},
          {1000, Expect::Error},
          {mp4Size / 4, Expect::Error},
          {mp4Size / 2, Expect::Error},
          {mp4Size * 9 / 10, Expect::Error}},
         "truncated mp4 file");
    // MPEG-1 program streams have no index: a cut stream plays up to the cut.
    writeFfmpeg(scratch / "full.mpg", "PIM1", kClipSize, 30);
    const auto mpgSize = fs::file_size(scratch / "full.mpg");
    cuts(c, root, scratch / "full.mpg", "mpg", {{16, Expect::Error}},
         "cannot be opened as a video");
    cuts(c, root, scratch / "full.mpg", "mpg",
         {{1000, Expect::Usable}, {mpgSize / 2, Expect::Usable}, {mpgSize - 1, Expect::Usable}},
         {});
    fs::remove_all(scratch);

    c.usable("video", "one-frame", ok / "one-frame.avi");
    writeAvi(ok / "one-frame.avi", kClipSize, 1);
    c.error("video", "no-frames", dir / "no-frames.avi", "no decodable video frame");
    writeAvi(dir / "no-frames.avi", kClipSize, 0);
    c.error("video", "no-video-stream", dir / "audio-only.avi", "no video stream (audio only)");
    copyTo(audioOnlyFixture, dir / "audio-only.avi");
    c.usable("video", "16x16-avi", ok / "tiny-16x16.avi");
    writeAvi(ok / "tiny-16x16.avi", {16, 16}, 4);
    c.usable("video", "16x16-mp4", ok / "tiny-16x16.mp4");
    writeFfmpeg(ok / "tiny-16x16.mp4", "mp4v", {16, 16}, 4);
    c.usable("video", "4k", ok / "uhd-3840x2160.avi");
    writeAvi(ok / "uhd-3840x2160.avi", {3840, 2160}, 2);
    c.usable("video", "odd-avi", ok / "odd-33x17.avi");
    writeAvi(ok / "odd-33x17.avi", {33, 17}, 4);
    c.usable("video", "odd-mp4", ok / "odd-35x19.mp4");
    writeFfmpeg(ok / "odd-35x19.mp4", "mp4v", {35, 19}, 4);
    c.usable("video", "grey-avi", ok / "grey.avi");
    writeAvi(ok / "grey.avi", kClipSize, 6, true);
    c.usable("video", "grey-mp4", ok / "grey.mp4");
    writeFfmpeg(ok / "grey.mp4", "mp4v", kClipSize, 6, true);

    // Variable frame rate the AVI way: empty chunks are dropped frames (the
    // container says 12 frames, 8 carry pictures).
    std::vector<std::vector<unsigned char>> jpegs;
    for (int i = 0; i < 12; ++i) {
        jpegs.push_back(i % 3 == 1 ? std::vector<unsigned char>{} : jpegOf(frameAt(kClipSize, i)));
    }
    c.usable("video", "variable-frame-rate", ok / "variable-rate.avi");
    data::writeMjpegAvi((ok / "variable-rate.avi").string(), jpegs, kClipSize, 25);

    // A codec nobody decodes: the MJPG tags renamed.
    writeAvi(dir / "good.avi", kClipSize, 6);
    std::string avi = slurp(dir / "good.avi");
    fs::remove(dir / "good.avi");
    std::string renamed = avi;
    for (std::size_t p; (p = renamed.find("MJPG")) != std::string::npos;) {
        renamed.replace(p, 4, "ZZZZ");
    }
    c.error("video", "undecodable-codec", dir / "codec-zzzz.avi", "codec 'ZZZZ'");
    spit(dir / "codec-zzzz.avi", renamed);
    c.error("video", "corrupt-frames", dir / "corrupt-frames.avi", "no decodable video frame");
    spit(dir / "corrupt-frames.avi", zeroFramePayloads(avi));

    c.usable("video", "spaces-and-unicode", ok / "clip with spaces ü ñ 日本.avi");
    spit(ok / "clip with spaces ü ñ 日本.avi", avi);
    c.usable("video", "latin1-name", ok / "caf\xe9 cr\xe8me.avi").utf8Path = false;
    spit(ok / "caf\xe9 cr\xe8me.avi", avi);

    c.error("video", "symlink-loop", dir / "loop.avi", "symbolic link loop");
    fs::create_symlink("loop.avi", dir / "loop.avi");
    c.error("video", "dangling-symlink", dir / "dangling.avi", "broken symbolic link");
    fs::create_symlink("nowhere/clip.avi", dir / "dangling.avi");
}

// --- data sets ------------------------------------------------------------

void placeClips(const fs::path& folder, const std::vector<std::string>& names,
                const fs::path& clip) {
    for (const auto& name : names) {
        copyTo(clip, folder / name);
    }
}

void datasets(Catalogue& c, const fs::path& dir, const fs::path& clip, const fs::path& clean) {
    // The clean data set every other entry and the settings use.
    for (const char* cls : {"run", "walk"}) {
        placeClips(clean / cls, {"alice/1.avi", "alice/2.avi", "bob/1.avi", "bob/2.avi"}, clip);
    }
    c.usable("dataset", "clean", clean).clips = 8;

    // Two good classes and an odd third one.
    const auto withJump = [&](const char* name, int clips, const char* note) {
        const fs::path root = dir / name;
        placeClips(root / "run", {"a.avi", "b.avi", "c.avi"}, clip);
        placeClips(root / "walk", {"a.avi", "b.avi", "c.avi"}, clip);
        auto& entry = c.usable("dataset", name, root);
        entry.clips = clips;
        entry.note = note;
        return root / "jump";
    };
    fs::create_directories(
        withJump("empty-class-folder", 6, "ignored folder jump (no video files)"));
    const fs::path noVideos =
        withJump("class-without-videos", 6, "ignored folder jump (no video files)");
    spit(noVideos / "readme.txt", "the jump clips are still uploading\n");
    spit(noVideos / "stills" / "frame.jpg", "not really a jpeg");
    const fs::path allBad = withJump("class-only-bad-clips", 6, "class jump has no usable clips");
    spit(allBad / "a.avi", "");
    spit(allBad / "b.avi", "not a video");

    // Scans (the skipped list says why each clip is unusable); nothing trains.
    const fs::path nothingUsable = dir / "no-usable-clips";
    spit(nothingUsable / "run" / "a.avi", "");
    spit(nothingUsable / "walk" / "a.avi", "text");
    auto& none = c.usable("dataset", "no-usable-clips", nothingUsable);
    none.clips = 0;
    none.note = "empty file (0 bytes)";

    fs::create_directories(dir / "no-classes-empty");
    c.error("dataset", "no-classes-empty-folder", dir / "no-classes-empty", "no classes found");
    placeClips(dir / "no-classes-loose", {"a.avi", "b.avi"}, clip);
    c.error("dataset", "no-classes-loose-videos", dir / "no-classes-loose", "no classes found");
    placeClips(dir / "no-classes-underscore" / "_other", {"a.avi"}, clip);
    c.error("dataset", "no-classes-only-underscore", dir / "no-classes-underscore",
            "no classes found");

    // Folder and file names in Latin-1, as an old archive unpacks them: not
    // valid UTF-8 anywhere they end up (JSON, the store, the GUI).
    const fs::path latin1 = dir / "latin1-names";
    placeClips(latin1 / "caf\xe9", {"cr\xe8me 1.avi", "cr\xe8me 2.avi", "cr\xe8me 3.avi"}, clip);
    placeClips(latin1 / "th\xe9", {"a.avi", "b.avi", "c.avi"}, clip);
    c.usable("dataset", "latin1-names", latin1).clips = 6;

    // The same file name in several classes and groups: distinct clips.
    const fs::path dup = dir / "duplicate-names";
    placeClips(dup / "run", {"g1/clip.avi", "g2/clip.avi", "g3/clip.avi"}, clip);
    placeClips(dup / "walk", {"g1/clip.avi", "g2/clip.avi", "g3/clip.avi"}, clip);
    c.usable("dataset", "duplicate-clip-names", dup).clips = 6;

    const fs::path manifests = dir / "manifests";
    placeClips(manifests / "clips", {"a.avi", "b.avi", "c.avi", "d.avi", "e.avi", "f.avi"}, clip);
    spit(manifests / "clips" / "bad.avi", "");
    spit(manifests / "bad-rows.csv",
         "path,label,group\n"
         "clips/a.avi,run,g1\n"
         "clips/b.avi,run,g2\n"
         "clips/c.avi,walk,g1\n"
         "clips/d.avi,walk,g2\n"
         "clips/missing.avi,walk,g3\n"
         "clips/a.avi,walk\n"
         "clips/bad.avi,walk,g3\n"
         "clips,walk\n"
         "only-one-column\n"
         "a,b,c,d\n"
         "\"unterminated,run\n"
         ",run\n"
         "clips/c.avi,\n"
         "clips/e.avi,run,g3\n"
         "clips/f.avi,walk,g3\n");
    auto& m = c.usable("dataset", "manifest-bad-rows", manifests / "bad-rows.csv");
    m.clips = 6;
    m.note = "row 6: file not found";
    spit(manifests / "missing-files.csv", "gone/a.avi,run\ngone/b.avi,walk\n");
    c.error("dataset", "manifest-missing-files", manifests / "missing-files.csv",
            "no usable clips (2 skipped; first: row 1: file not found)");
    spit(manifests / "empty.csv", "");
    c.error("dataset", "manifest-empty", manifests / "empty.csv", "no usable clips");
    std::string garbage;
    for (int i = 0; i < 2048; ++i) {
        garbage += static_cast<char>((i * 151 + 7) % 256);
    }
    spit(manifests / "binary.csv", garbage);
    c.error("dataset", "manifest-binary", manifests / "binary.csv", "no usable clips");

    c.error("dataset", "missing", dir / "does-not-exist", "does not exist");
    c.error("dataset", "symlink-loop", dir / "loop", "symbolic link loop");
    fs::create_directory_symlink("loop", dir / "loop");
    spit(dir / "notes.txt", "not a data set\n");
    c.error("dataset", "text-file", dir / "notes.txt", "not a data set folder or a CSV manifest");
}

// --- backbones ------------------------------------------------------------

void script(const fs::path& path, const std::string& body) {
    torch::jit::Module m("m");
    m.define(body);
    m.save(path.string());
}

void backbones(Catalogue& c, const fs::path& dir) {
    fs::create_directories(dir);
    // TorchScript modules: name, what forward returns, the reason ("" = usable).
    const char* const neither = "is neither [1,D] vectors nor [1,C,H,W] maps";
    const std::vector<std::array<std::string, 3>> modules = {
        {"vectors", "x.mean([2, 3])", ""},
        {"scalar-output", "x.sum()", neither},
        {"rank-3-output", "x.mean(1)", std::string("output shape [1, 32, 32] ") + neither},
        {"rank-5-output", "x.unsqueeze(0)", neither},
        {"text-output", "'a caption'", "is not an image model: its forward returns String"},
        {"wrong-input", "x.view(-1, 7, 11, 13, 17).mean([2, 3, 4])",
         "is not a usable image model: forward on [1,3,32,32] failed: shape '[-1, 7, 11, 13, 17]' "
         "is invalid for input of size 3072"},
        {"non-finite", "x.mean([2, 3]) / 0.0", "non-finite features"},
    };
    for (const auto& [name, returns, reason] : modules) {
        const fs::path path = dir / (name + ".pt");
        script(path, "def forward(self, x):\n    return " + returns + "\n");
        if (reason.empty()) {
            c.usable("backbone", name, path);
        } else {
            c.error("backbone", name, path, reason);
        }
    }
    // Files that are no TorchScript module at all.
    const std::vector<std::array<std::string, 2>> files = {
        {"zero-bytes", ""},
        {"text", "a model would go here\n"},
        {"zip-not-torchscript", std::string("PK\x03\x04", 4) + std::string(200, '\x11')},
    };
    for (const auto& [name, bytes] : files) {
        spit(dir / (name + ".pt"), bytes);
        c.error("backbone", name, dir / (name + ".pt"), "not a TorchScript model");
    }
    c.error("backbone", "weights-only", dir / "weights-only.pt",
            "is a TorchScript archive without a forward method");
    torch::save(torch::ones({4, 4}), (dir / "weights-only.pt").string());
    c.error("backbone", "missing", dir / "missing.pt", "no such file");
    c.error("backbone", "folder", dir / "folder.pt", "not a regular file");
    fs::create_directories(dir / "folder.pt");
}

// --- checkpoints ----------------------------------------------------------

TrainConfig checkpointConfig(const std::string& arch, int hidden) {
    TrainConfig config;
    config.arch = arch;
    config.hidden = hidden;
    config.backbone = kRandomBackbone;
    config.imageSize = 32;
    config.frames = 4;
    config.split = "random";
    return config;
}

CheckpointMeta checkpointMeta(const TrainConfig& config) {
    CheckpointMeta meta;
    meta.config = config;
    meta.classes = {"run", "walk"};
    meta.backbone = describeBackbone("resnet18", 32);
    meta.inputDim = meta.backbone.channels;
    return meta;
}

void saveFor(const fs::path& path, const TrainConfig& modelConfig, const CheckpointMeta& meta) {
    torch::manual_seed(1);
    const auto model =
        buildModel(modelConfig, meta.inputDim, static_cast<int>(meta.classes.size()));
    saveCheckpoint(path.string(), model, nullptr, torch::zeros({meta.inputDim}),
                   torch::ones({meta.inputDim}), meta);
}

// An archive with the given metadata document and no weights.
void metaOnly(const fs::path& path, const std::string& json) {
    torch::serialize::OutputArchive archive;
    archive.write("meta", c10::IValue(json));
    archive.save_to(path.string());
}

void checkpoints(Catalogue& c, const fs::path& dir, const BadInputs& out) {
    fs::create_directories(dir);
    const TrainConfig expected = checkpointConfig(out.checkpointArch, out.checkpointHidden);
    const CheckpointMeta meta = checkpointMeta(expected);
    c.usable("checkpoint", "matching", dir / "gru-8.pt");
    saveFor(dir / "gru-8.pt", expected, meta);

    const TrainConfig lstm = checkpointConfig("lstm", out.checkpointHidden);
    c.error("checkpoint", "other-architecture", dir / "lstm-8.pt",
            "checkpoint holds lstm hidden 8 layers 1, not the requested gru hidden 8");
    saveFor(dir / "lstm-8.pt", lstm, checkpointMeta(lstm));
    const TrainConfig bigger = checkpointConfig(out.checkpointArch, 16);
    c.error("checkpoint", "other-size", dir / "gru-16.pt",
            "checkpoint holds gru hidden 16 layers 1, not the requested gru hidden 8");
    saveFor(dir / "gru-16.pt", bigger, checkpointMeta(bigger));
    // Says gru 8, holds the weights of gru 16.
    c.error("checkpoint", "forged-shapes", dir / "forged.pt", "has shape");
    saveFor(dir / "forged.pt", bigger, meta);

    c.error("checkpoint", "zero-bytes", dir / "zero-bytes.pt", "not a vidrnn checkpoint");
    spit(dir / "zero-bytes.pt", "");
    c.error("checkpoint", "text", dir / "notes.pt", "not a vidrnn checkpoint");
    spit(dir / "notes.pt", "weights: lots\n");
    const std::string whole = slurp(dir / "gru-8.pt");
    c.error("checkpoint", "truncated", dir / "truncated.pt", "not a vidrnn checkpoint");
    spit(dir / "truncated.pt", whole.substr(0, whole.size() / 2));
    c.error("checkpoint", "torchscript-backbone", dir / "backbone.pt", "not a vidrnn checkpoint");
    script(dir / "backbone.pt", "def forward(self, x):\n    return x.mean([2, 3])\n");
    c.error("checkpoint", "metadata-not-json", dir / "meta-garbage.pt",
            "damaged checkpoint metadata");
    metaOnly(dir / "meta-garbage.pt", "{\"format\": \"vidrnn-checkpoint\", \"version\": 1,");
    c.error("checkpoint", "metadata-without-shapes", dir / "meta-no-shapes.pt",
            "damaged checkpoint metadata");
    metaOnly(dir / "meta-no-shapes.pt",
             R"({"format":"vidrnn-checkpoint","version":1,"config":{"arch":"gru","hidden":8},)"
             R"("classes":["run","walk"],"input_dim":512,"backbone":{"name":"resnet18",)"
             R"("source":"built-in","identity":"x","pretrained":false,"spatial":true,)"
             R"("channels":512,"map_height":1,"map_width":1,"image_size":32,"batched":true}})");
    c.error("checkpoint", "metadata-impossible-model", dir / "meta-hidden-0.pt",
            "damaged checkpoint metadata");
    metaOnly(dir / "meta-hidden-0.pt",
             R"({"format":"vidrnn-checkpoint","version":1,"config":{"arch":"gru","hidden":0},)"
             R"("classes":[],"input_dim":-3,"shapes":{},"backbone":{"name":"resnet18",)"
             R"("source":"built-in","identity":"x","pretrained":false,"spatial":true,)"
             R"("channels":512,"map_height":1,"map_width":1,"image_size":32,"batched":true}})");
    c.error("checkpoint", "newer-version", dir / "version-9.pt",
            "unsupported checkpoint format or version");
    metaOnly(dir / "version-9.pt", R"({"format":"vidrnn-checkpoint","version":9})");
    c.error("checkpoint", "missing", dir / "missing.pt", "no such checkpoint file");
}

// --- stores ---------------------------------------------------------------

void stores(Catalogue& c, const fs::path& dir) {
    fs::create_directories(dir);
    c.usable("store", "new-empty-file", dir / "empty.db");
    spit(dir / "empty.db", "");
    c.usable("store", "good", dir / "good.db");
    RunStore::open((dir / "good.db").string());
    c.error("store", "text", dir / "notes.db", "not a vidrnn run store (file is not a database)");
    spit(dir / "notes.db", std::string(300, 'x') + "\nmy notes, not a database\n");
    c.error("store", "other-programs-database", dir / "photos.db",
            "not a vidrnn run store (SQLite database with other tables: photos)");
    rawExec((dir / "photos.db").string(),
            "CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)");
    {
        auto store = RunStore::open((dir / "cut.db").string());
        for (int i = 0; i < 40; ++i) {
            store.createRun(TrainConfig{}, RunMeta{});
        }
    }
    fs::resize_file(dir / "cut.db", fs::file_size(dir / "cut.db") / 2);
    c.error("store", "truncated", dir / "cut.db", "the store is damaged (truncated");
    RunStore::open((dir / "newer.db").string());
    rawExec((dir / "newer.db").string(), "PRAGMA user_version = 99");
    c.error("store", "newer-schema", dir / "newer.db", "schema version 99, newer than version");
    c.error("store", "folder", dir / "folder.db", "is a folder");
    fs::create_directories(dir / "folder.db");
    c.error("store", "missing-folder", dir / "no" / "such" / "runs.db", "does not exist");
    // Read-only and locked stores need a second user or a second program: the
    // suites set those up themselves from these good copies.
    RunStore::open((dir / "readonly.db").string());
    ::chmod((dir / "readonly.db").c_str(), 0444);
    c.error("store", "read-only-file", dir / "readonly.db", "the store is read-only").unprivileged =
        true;
}

// --- settings -------------------------------------------------------------

void settings(Catalogue& c) {
    const std::vector<std::tuple<std::string, std::vector<std::string>, std::string>> rows = {
        {"hidden-0", {"--hidden", "0"}, "hidden size must be positive"},
        {"hidden-huge", {"--hidden", "100000000"}, "hidden size 100000000 is too large"},
        {"frames-0", {"--frames", "0"}, "frames per clip"},
        {"negative-lr", {"--lr", "-0.01"}, "learning rate must be positive"},
        {"unknown-arch", {"--arch", "no_such_arch"}, "unknown architecture 'no_such_arch'"},
        {"missing-fold", {"--split", "logo", "--fold", "99"}, "fold 99"},
        {"unknown-split", {"--split", "kfold"}, "split protocol 'kfold'"},
        {"zero-epochs", {"--epochs", "0"}, "epochs must be at least 1"},
        {"dropout-1", {"--dropout", "1"}, "dropout must lie in [0, 1)"},
        {"zero-batch", {"--batch", "0"}, "batch size must be at least 1"},
        {"tiny-image", {"--size", "8"}, "image size must lie in [32, 1024]"},
    };
    for (const auto& [name, args, reason] : rows) {
        c.error("setting", name, {}, reason).args = args;
    }
}

}  // namespace

void removeBadInputs(const BadInputs& inputs) {
    std::error_code ec;
    fs::remove_all(inputs.root, ec);
}

void writeCleanClip(const std::string& path, int frames) {
    writeAvi(path, kClipSize, frames);
}

StoreLock::StoreLock(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error(path + ": cannot take the write lock");
    }
    mDb = db;
}

StoreLock::~StoreLock() {
    auto* db = static_cast<sqlite3*>(mDb);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
}

TrainConfig applySettings(TrainConfig c, const std::vector<std::string>& args) {
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
        const std::string& flag = args[i];
        const std::string& v = args[i + 1];
        if (flag == "--hidden")
            c.hidden = std::stoi(v);
        else if (flag == "--frames")
            c.frames = std::stoi(v);
        else if (flag == "--lr")
            c.lr = std::stod(v);
        else if (flag == "--arch")
            c.arch = v;
        else if (flag == "--split")
            c.split = v;
        else if (flag == "--fold")
            c.fold = std::stoi(v);
        else if (flag == "--epochs")
            c.epochs = std::stoi(v);
        else if (flag == "--dropout")
            c.dropout = std::stod(v);
        else if (flag == "--batch")
            c.batch = std::stoi(v);
        else if (flag == "--size")
            c.imageSize = std::stoi(v);
        else
            throw std::runtime_error("applySettings: unknown option " + flag);
    }
    return c;
}

std::string checkMessage(const BadInput& input, const std::string& message) {
    if (!input.path.empty() && message.rfind(input.path + ": ", 0) != 0) {
        return "does not start with the path: " + message;
    }
    if (message.find(input.reason) == std::string::npos) {
        return "lacks '" + input.reason + "': " + message;
    }
    return {};
}

std::vector<const BadInput*> BadInputs::of(const std::string& category) const {
    std::vector<const BadInput*> out;
    for (const auto& b : inputs) {
        if (b.category == category) {
            out.push_back(&b);
        }
    }
    return out;
}

int BadInputs::count(const std::string& category) const {
    return static_cast<int>(of(category).size());
}

BadInputs writeBadInputs(const std::string& rootText) {
    const fs::path root(rootText);
    fs::create_directories(root);
    BadInputs out;
    out.root = root.string();
    out.cleanDataset = (root / "datasets" / "clean").string();
    out.videoDataset = (root / "videos").string();
    Catalogue c(out);
    const fs::path clip = root / "clean-clip.avi";
    writeCleanClip(clip.string());
    videos(c, root / "videos", std::string(VIDRNN_DATA_FIXTURES) + "/audio_only.avi");
    datasets(c, root / "datasets", clip, out.cleanDataset);
    backbones(c, root / "backbones");
    checkpoints(c, root / "checkpoints", out);
    stores(c, root / "stores");
    settings(c);
    return out;
}

}  // namespace vidrnn::test
