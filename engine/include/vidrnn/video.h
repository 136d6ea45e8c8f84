// Video files as the rest of vidrnn sees them: facts about a file and frames
// sampled from it, in std types only (OpenCV stays inside the engine; engine
// code that wants cv::Mat frames uses the internal data/decode.h).
//
// Frame counts always come from decoding: the count a container reports is
// only a hint (an MPEG-1 .mpg may report 1 frame and hold 30, AVIs often
// report one more than they hold).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vidrnn {

struct VideoInfo {
    std::string path;
    int width = 0;
    int height = 0;
    double fps = 0.0;                  // as the container states it; 0 when unknown
    std::int64_t frames = 0;           // counted by decoding every frame
    std::int64_t containerFrames = 0;  // what the container claims (advisory; <= 0 unknown)
    std::string codec;                 // FourCC as text, e.g. "XVID", "avc1", "MJPG"
};

// Opens the file, decodes every frame to count them. Throws VideoError naming
// the file and the reason (missing, empty, not a video, truncated, no
// decodable frame).
VideoInfo probeVideo(const std::string& path);

// The cheap check used before long jobs and by data set scans: the file
// exists, is not empty, opens as a video and its first frame decodes.
// Throws VideoError naming the file and the reason.
void checkVideo(const std::string& path);

// Indices of T frames spread uniformly over n frames: floor((i + 0.5) * n / T).
// When n < T every frame is used once (n indices): short clips are never padded
// with repeated frames here; callers pad by sequence length.
std::vector<std::int64_t> uniformFrameIndices(std::int64_t n, int T);

// Frames sampled from a clip, for callers without OpenCV (the GUI preview).
struct SampledFrames {
    int size = 0;                                // each frame is size x size
    std::vector<std::vector<std::uint8_t>> rgb;  // per frame, size*size*3 bytes, RGB, row-major
    std::vector<std::int64_t> indices;           // source frame index of each frame
    std::int64_t totalFrames = 0;                // frames counted in the file
};

// T frames sampled uniformly (fewer when the clip is shorter), each resized so
// that its shorter side is `size` and centre-cropped to size x size.
// Throws VideoError as probeVideo does.
SampledFrames sampleFrames(const std::string& path, int T, int size);

}  // namespace vidrnn
