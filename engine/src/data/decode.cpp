#include "data/decode.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <opencv2/videoio/registry.hpp>

#include "data/container.h"
#include "vidrnn/errors.h"
#include "vidrnn/video.h"

namespace vidrnn {
namespace data {
namespace {

// Container claims beyond this are treated as garbage rather than trusted.
constexpr std::int64_t kMaxPlausibleFrames = 100'000'000;

// The largest frame decoded: 36 megapixels, above 8K (7680x4320, and DCI's
// 8192x4320), at most 16384 on a side. A decoded frame costs up to about 6
// bytes a pixel while it is converted (the decoder's YUV picture, 1.5-3
// bytes, plus OpenCV's BGR copy, 3), so 216 MB at the limit; a 16000x16000
// frame would take 1.5 GB, and a 3 MB file can declare one (a decode bomb).
// Clips are cut down to 112-224 pixels anyway: nothing useful is lost.
constexpr std::int64_t kMaxFramePixels = 36'000'000;
constexpr std::int64_t kMaxFrameSide = 16384;

std::string megapixels(std::int64_t pixels) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", double(pixels) / 1e6);
    return text;
}

void checkFrameSize(const std::string& path, std::int64_t width, std::int64_t height,
                    const std::string& where) {
    if (width * height > kMaxFramePixels || width > kMaxFrameSide || height > kMaxFrameSide) {
        throw VideoError(path, "frames of " + std::to_string(width) + "x" + std::to_string(height) +
                                   " (" + where + ", " + megapixels(width * height) +
                                   " megapixels) exceed vidrnn's limit of " +
                                   megapixels(kMaxFramePixels) + " megapixels and " +
                                   std::to_string(kMaxFrameSide) +
                                   " pixels a side; not decoded (about " +
                                   std::to_string(width * height * 6 / 1'000'000) + " MB a frame)");
    }
}

// Decoding memory shared by every thread of the process (scan probes,
// extraction workers): a clip takes its frame size in pixels before it
// decodes, and waits while the others hold more than the limit, so many
// threads on large frames stay within about one limit's worth of frames.
class PixelBudget {
public:
    class Hold {
    public:
        Hold(PixelBudget& budget, std::int64_t pixels) : mBudget(budget), mPixels(pixels) {
            std::unique_lock<std::mutex> lock(mBudget.mMutex);
            mBudget.mFree.wait(lock, [this] {
                return mBudget.mInUse == 0 || mBudget.mInUse + mPixels <= kMaxFramePixels;
            });
            mBudget.mInUse += mPixels;
        }
        ~Hold() {
            {
                std::lock_guard<std::mutex> lock(mBudget.mMutex);
                mBudget.mInUse -= mPixels;
            }
            mBudget.mFree.notify_all();
        }
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;

    private:
        PixelBudget& mBudget;
        std::int64_t mPixels;
    };

private:
    std::mutex mMutex;
    std::condition_variable mFree;
    std::int64_t mInUse = 0;
};

PixelBudget& pixelBudget() {
    static PixelBudget budget;
    return budget;
}

// Missing, folder, empty, unreadable: reported before OpenCV gets the file,
// because VideoCapture only says "not opened".
void checkFileReadable(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
        const std::string link = unresolvedLinkReason(path, ec);
        throw VideoError(path, link.empty() ? "file not found" : link);
    }
    if (fs::is_directory(st)) {
        throw VideoError(path, "is a folder, not a video file");
    }
    if (!fs::is_regular_file(st)) {
        throw VideoError(path, "not a regular file");
    }
    if (fs::file_size(path, ec) == 0 && !ec) {
        throw VideoError(path, "empty file (0 bytes)");
    }
    std::ifstream probe(path, std::ios::binary);
    if (!probe) {
        throw VideoError(path, "cannot be read (permission denied?)");
    }
}

// FFmpeg and OpenCV print their own complaints about a bad file on stderr
// ("moov atom not found", "[ WARN:0@0.7] ... Unable to read codec
// parameters"): noise around the VideoError that names the file and the
// reason. Silenced unless the user asked for them (OPENCV_FFMPEG_LOGLEVEL,
// OPENCV_LOG_LEVEL). FFmpeg's level is an environment variable OpenCV reads
// when it opens its first capture; it is set while the program loads, when
// one thread runs: setenv while other threads read the environment can crash
// them (it did: libjpeg's getenv in the demo generator's workers, under ASan,
// while another worker opened its first capture).
const bool kQuietFfmpeg = [] {
    ::setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);  // AV_LOG_QUIET
    return true;
}();

void quietDecoderLogs() {
    static std::once_flag once;
    std::call_once(once, [] {
        (void)kQuietFfmpeg;
        if (std::getenv("OPENCV_LOG_LEVEL") == nullptr) {
            cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_FATAL);
        }
    });
}

std::int64_t frameWidth(cv::VideoCapture& cap) {
    const double w = cap.get(cv::CAP_PROP_FRAME_WIDTH);
    return std::isfinite(w) && w > 0 ? static_cast<std::int64_t>(w) : 0;
}

std::int64_t frameHeight(cv::VideoCapture& cap) {
    const double h = cap.get(cv::CAP_PROP_FRAME_HEIGHT);
    return std::isfinite(h) && h > 0 ? static_cast<std::int64_t>(h) : 0;
}

// FFmpeg first and alone when available: letting CAP_ANY fall through to
// GStreamer turns every bad file into slow, noisy retries and can change
// frame counts. Without FFmpeg, any backend (OpenCV's own MJPEG reader).
void openCapture(cv::VideoCapture& cap, const std::string& path) {
    checkFileReadable(path);
    // Before the decoder sees the file: opening already decodes a frame.
    const DeclaredFrameSize declared = declaredFrameSize(path);
    checkFrameSize(path, declared.width, declared.height, declared.where);
    quietDecoderLogs();
    try {
        if (cv::videoio_registry::hasBackend(cv::CAP_FFMPEG)) {
            cap.open(path, cv::CAP_FFMPEG);
        } else {
            cap.open(path, cv::CAP_ANY);
        }
    } catch (const cv::Exception& e) {
        throw VideoError(path, std::string("cannot be opened: ") + e.what());
    }
    if (!cap.isOpened()) {
        throw VideoError(path, openFailureReason(sniffContainer(path)));
    }
    // What the decoder found (containers whose headers were not read above).
    checkFrameSize(path, frameWidth(cap), frameHeight(cap), "as the decoder reports");
}

// The frame budget a clip holds while it decodes (its size as opened).
PixelBudget::Hold holdFrames(cv::VideoCapture& cap) {
    return PixelBudget::Hold(pixelBudget(),
                             std::max<std::int64_t>(1, frameWidth(cap) * frameHeight(cap)));
}

[[noreturn]] void throwNoFrame(const std::string& path) {
    throw VideoError(path, "no decodable video frame" + truncationNote(sniffContainer(path)));
}

std::int64_t containerFrameHint(cv::VideoCapture& cap) {
    const double n = cap.get(cv::CAP_PROP_FRAME_COUNT);
    if (!std::isfinite(n) || n < 1 || n > double(kMaxPlausibleFrames)) {
        return 0;
    }
    return static_cast<std::int64_t>(std::llround(n));
}

// Grabs every frame and retrieves (converts) only those in `want` (ascending,
// no repeats). Returns the number of frames grabbed.
std::int64_t decodePass(cv::VideoCapture& cap, const std::vector<std::int64_t>& want, int size,
                        const std::string& path, DecodedClip& out) {
    out.frames.clear();
    out.indices.clear();
    std::size_t next = 0;
    std::int64_t n = 0;
    cv::Mat raw;
    try {
        while (cap.grab()) {
            if (next < want.size() && want[next] == n) {
                if (!cap.retrieve(raw) || raw.empty()) {
                    if (n == 0) {
                        throwNoFrame(path);
                    }
                    throw VideoError(path, "frame " + std::to_string(n) + " cannot be decoded");
                }
                out.frames.push_back(preprocessFrame(raw, size));
                out.indices.push_back(n);
                ++next;
            }
            ++n;
        }
    } catch (const cv::Exception& e) {
        throw VideoError(path, "decoding failed at frame " + std::to_string(n) + ": " + e.what());
    }
    return n;
}

std::string fourccText(double value) {
    const auto code = static_cast<std::uint32_t>(value);
    std::string text;
    for (int i = 0; i < 4; ++i) {
        const char c = static_cast<char>((code >> (8 * i)) & 0xFF);
        if (c > ' ' && c < 127) {
            text += c;
        }
    }
    return text;
}

}  // namespace

cv::Mat preprocessFrame(const cv::Mat& frame, int size) {
    const int side = std::min(frame.cols, frame.rows);
    const cv::Rect square((frame.cols - side) / 2, (frame.rows - side) / 2, side, side);
    cv::Mat resized;
    const int interp = side > size ? cv::INTER_AREA : cv::INTER_LINEAR;
    cv::resize(frame(square), resized, cv::Size(size, size), 0, 0, interp);

    cv::Mat rgb;
    switch (resized.channels()) {
        case 1:
            cv::cvtColor(resized, rgb, cv::COLOR_GRAY2RGB);
            break;
        case 4:
            cv::cvtColor(resized, rgb, cv::COLOR_BGRA2RGB);
            break;
        default:
            cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
            break;
    }
    if (rgb.depth() != CV_8U) {
        // 16-bit sources: scale to 8 bits rather than saturate.
        cv::Mat eight;
        rgb.convertTo(eight, CV_8U, rgb.depth() == CV_16U ? 1.0 / 257.0 : 1.0);
        rgb = eight;
    }
    return rgb;
}

DecodedClip decodeClip(const std::string& path, int T, int size) {
    if (T < 1 || size < 1) {
        throw LogicError("decodeClip: T and size must be >= 1 (got T=" + std::to_string(T) +
                         ", size=" + std::to_string(size) + ")");
    }
    DecodedClip out;
    cv::VideoCapture cap;
    openCapture(cap, path);
    const auto hold = holdFrames(cap);
    out.containerFrames = containerFrameHint(cap);

    // Pass 1 trusts the container's count (right for most files); with no
    // count at all it only counts.
    std::vector<std::int64_t> want;
    if (out.containerFrames > 0) {
        want = uniformFrameIndices(out.containerFrames, T);
    }
    const std::int64_t counted = decodePass(cap, want, size, path, out);
    out.passes = 1;
    if (counted == 0) {
        throwNoFrame(path);
    }
    out.totalFrames = counted;
    if (counted == out.containerFrames) {
        return out;
    }

    // The claim was wrong: sample again over the frames that really exist.
    cap.release();
    openCapture(cap, path);
    const std::int64_t again = decodePass(cap, uniformFrameIndices(counted, T), size, path, out);
    out.passes = 2;
    if (again != counted) {
        // A decoder that yields a different count on a second read: keep the
        // frames we have (their indices are real), report the smaller count.
        out.totalFrames = std::min(counted, again);
    }
    if (out.frames.empty()) {
        throwNoFrame(path);
    }
    return out;
}

}  // namespace data

std::vector<std::int64_t> uniformFrameIndices(std::int64_t n, int T) {
    std::vector<std::int64_t> idx;
    if (n <= 0 || T <= 0) {
        return idx;
    }
    if (n <= T) {
        idx.resize(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
            idx[static_cast<std::size_t>(i)] = i;
        }
        return idx;
    }
    idx.reserve(static_cast<std::size_t>(T));
    for (int i = 0; i < T; ++i) {
        // Integer form of floor((i + 0.5) * n / T), exact for any n.
        idx.push_back(((2 * static_cast<std::int64_t>(i) + 1) * n) / (2 * std::int64_t{T}));
    }
    return idx;
}

VideoInfo probeVideo(const std::string& path) {
    cv::VideoCapture cap;
    data::openCapture(cap, path);
    const auto hold = data::holdFrames(cap);
    VideoInfo info;
    info.path = path;
    info.fps = cap.get(cv::CAP_PROP_FPS);
    if (!std::isfinite(info.fps) || info.fps < 0) {
        info.fps = 0.0;
    }
    info.containerFrames = data::containerFrameHint(cap);
    info.codec = data::fourccText(cap.get(cv::CAP_PROP_FOURCC));
    cv::Mat first;
    try {
        if (!cap.grab() || !cap.retrieve(first) || first.empty()) {
            data::throwNoFrame(path);
        }
        info.width = first.cols;
        info.height = first.rows;
        info.frames = 1;
        while (cap.grab()) {
            ++info.frames;
        }
    } catch (const cv::Exception& e) {
        throw VideoError(
            path, "decoding failed at frame " + std::to_string(info.frames) + ": " + e.what());
    }
    return info;
}

void checkVideo(const std::string& path) {
    cv::VideoCapture cap;
    data::openCapture(cap, path);
    const auto hold = data::holdFrames(cap);
    cv::Mat first;
    try {
        if (!cap.grab() || !cap.retrieve(first) || first.empty()) {
            data::throwNoFrame(path);
        }
    } catch (const cv::Exception& e) {
        throw VideoError(path, std::string("first frame cannot be decoded: ") + e.what());
    }
}

SampledFrames sampleFrames(const std::string& path, int T, int size) {
    const data::DecodedClip clip = data::decodeClip(path, T, size);
    SampledFrames out;
    out.size = size;
    out.indices = clip.indices;
    out.totalFrames = clip.totalFrames;
    out.rgb.reserve(clip.frames.size());
    for (const cv::Mat& f : clip.frames) {
        const cv::Mat c = f.isContinuous() ? f : f.clone();
        out.rgb.emplace_back(c.data, c.data + c.total() * c.elemSize());
    }
    return out;
}

}  // namespace vidrnn
