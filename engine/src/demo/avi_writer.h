// A minimal Motion-JPEG AVI writer for the demo generator.
//
// Why not cv::VideoWriter: OpenCV's built-in MJPEG encoder (CAP_OPENCV_MJPEG)
// before 4.9 drops the last 4 bytes of a frame whose bit stream ends on a
// 32-bit boundary (opencv/opencv#24171, fixed by #24209): FFmpeg then reports
// "error y=.. x=.." and conceals the last block, about one frame in a
// thousand at 320x240. The FFmpeg writer would fix that but is optional and
// adds its own version tag. Here every frame is a JPEG from cv::imencode
// (libjpeg, deterministic), wrapped in a plain AVI 1.0 container with an
// idx1 index, which FFmpeg and OpenCV's own MJPEG reader both read.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace vidrnn::data {

// One JPEG per frame; encode once, write many times (the reversed twin).
std::vector<std::vector<unsigned char>> encodeJpegFrames(const std::vector<cv::Mat>& frames,
                                                         int quality);

// Writes the frames in the given order (or reversed). All frames must have
// the size given. Throws VideoError naming the path when it cannot write.
void writeMjpegAvi(const std::string& path, const std::vector<std::vector<unsigned char>>& jpegs,
                   cv::Size size, int fps, bool reversed = false);

}  // namespace vidrnn::data
