// Engine-internal decoding with OpenCV: frames as cv::Mat for the feature
// extractor. Only engine sources include this (the public API is video.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace vidrnn::data {

struct DecodedClip {
    std::vector<cv::Mat> frames;        // RGB, CV_8UC3, size x size, continuous
    std::vector<std::int64_t> indices;  // source frame index of each frame
    std::int64_t totalFrames = 0;       // counted while decoding
    std::int64_t containerFrames = 0;   // the container's claim (advisory)
    int passes = 0;                     // 1, or 2 when the claim was wrong
};

// Samples T frames uniformly over the frames actually decodable. Every frame is
// grabbed (cheap: no colour conversion) and only the sampled ones are
// retrieved and preprocessed. Pass 1 samples from the container's frame count;
// when decoding finds a different count, pass 2 resamples with the exact one.
// Throws VideoError naming the file and the reason; LogicError for T or size < 1.
DecodedClip decodeClip(const std::string& path, int T, int size);

// BGR (or grey / BGRA) frame -> RGB size x size: centre square of the frame
// (the shorter side), resized with INTER_AREA when shrinking, INTER_LINEAR
// when enlarging. Equivalent to "shorter side to size, then centre crop"
// but resizes fewer pixels.
cv::Mat preprocessFrame(const cv::Mat& frame, int size);

}  // namespace vidrnn::data
