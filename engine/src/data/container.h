// A look at a file's first bytes, so that a video the decoder refuses can be
// reported with a reason a user can act on ("truncated", "no video stream",
// "not a video file") instead of OpenCV's silent isOpened() == false.
#pragma once

#include <cstdint>
#include <string>
#include <system_error>

namespace vidrnn::data {

struct ContainerFacts {
    std::uintmax_t bytes = 0;  // file size
    std::string kind;          // "avi", "mp4", "mkv", "mpeg", "mpeg-ts", "flv",
                               // "ogg", "asf"; empty when unrecognised
    std::uintmax_t declaredBytes =
        0;                   // length the headers promise (AVI RIFF, MP4 boxes); 0 unknown
    int videoStreams = -1;   // AVI only: 'vids' stream headers; -1 unknown
    int audioStreams = -1;   // AVI only: 'auds' stream headers; -1 unknown
    std::string videoCodec;  // AVI only: the first video stream's FourCC ("MJPG",
                             // "XVID"), non-printable bytes as '?'; empty unknown

    bool truncated() const { return declaredBytes > bytes; }
};

// The largest frame size a file's headers declare, read before any decoder
// sees the file: AVI (the main header, the video stream's bitmap header and,
// for Motion JPEG, the first frame's own JPEG header) and MP4/MOV (track
// headers in view). Zero when the headers are not in view or say nothing.
struct DeclaredFrameSize {
    std::int64_t width = 0, height = 0;
    std::string where;  // which header said it, e.g. "AVI stream header"
};
DeclaredFrameSize declaredFrameSize(const std::string& path);

// Reads at most the first 256 KiB (and a few MP4 box headers). Never throws:
// an unreadable file gives an empty kind.
ContainerFacts sniffContainer(const std::string& path);

// Why a file that exists and is not empty could not be opened as a video.
std::string openFailureReason(const ContainerFacts& facts);

// Why a path that does not resolve cannot be used, when it is a symbolic link
// ("symbolic link loop ...", "broken symbolic link ..."); empty otherwise.
// `statusError` is what std::filesystem::status reported for the path.
std::string unresolvedLinkReason(const std::string& path, const std::error_code& statusError);

// " (truncated: 100 of 287972 bytes)" or empty, appended to decode failures.
std::string truncationNote(const ContainerFacts& facts);

}  // namespace vidrnn::data
