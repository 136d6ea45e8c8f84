// A look at a file's first bytes, so that a video the decoder refuses can be
// reported with a reason a user can act on ("truncated", "no video stream",
// "not a video file") instead of OpenCV's silent isOpened() == false.
#pragma once

#include <cstdint>
#include <string>

namespace vidrnn::data {

struct ContainerFacts {
    std::uintmax_t bytes = 0;  // file size
    std::string kind;          // "avi", "mp4", "mkv", "mpeg", "mpeg-ts", "flv",
                               // "ogg", "asf"; empty when unrecognised
    std::uintmax_t declaredBytes =
        0;                  // length the headers promise (AVI RIFF, MP4 boxes); 0 unknown
    int videoStreams = -1;  // AVI only: 'vids' stream headers; -1 unknown
    int audioStreams = -1;  // AVI only: 'auds' stream headers; -1 unknown

    bool truncated() const { return declaredBytes > bytes; }
};

// Reads at most the first 256 KiB (and a few MP4 box headers). Never throws:
// an unreadable file gives an empty kind.
ContainerFacts sniffContainer(const std::string& path);

// Why a file that exists and is not empty could not be opened as a video.
std::string openFailureReason(const ContainerFacts& facts);

// " (truncated: 100 of 287972 bytes)" or empty, appended to decode failures.
std::string truncationNote(const ContainerFacts& facts);

}  // namespace vidrnn::data
