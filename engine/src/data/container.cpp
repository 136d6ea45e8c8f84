#include "data/container.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace vidrnn::data {
namespace {

constexpr std::size_t kHeadBytes = 256 * 1024;

std::uint32_t readLe32(const unsigned char* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

std::uint32_t readBe32(const unsigned char* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
           std::uint32_t(p[3]);
}

bool startsWith(const std::vector<unsigned char>& head, std::size_t at, const char* magic,
                std::size_t n) {
    return head.size() >= at + n && std::memcmp(head.data() + at, magic, n) == 0;
}

bool isMp4BoxType(const std::vector<unsigned char>& head) {
    static const std::array<const char*, 6> types = {"ftyp", "moov", "mdat",
                                                     "wide", "free", "skip"};
    return std::any_of(types.begin(), types.end(),
                       [&](const char* t) { return startsWith(head, 4, t, 4); });
}

std::string printable(const unsigned char* code) {
    std::string text;
    for (int k = 0; k < 4; ++k) {
        text += code[k] >= ' ' && code[k] < 127 ? static_cast<char>(code[k]) : '?';
    }
    return text;
}

// The codec of the video stream whose 'strh' chunk starts at `strh`: the
// compression of the BITMAPINFOHEADER in the 'strf' chunk after it (what
// decoders go by), else the stream header's handler.
std::string videoFourcc(const std::vector<unsigned char>& head, std::size_t strh) {
    const std::size_t strf = strh + 8 + ((readLe32(head.data() + strh + 4) + 1) & ~1U);
    if (strf + 8 + 20 <= head.size() && std::memcmp(head.data() + strf, "strf", 4) == 0) {
        return printable(head.data() + strf + 8 + 16);
    }
    return strh + 16 <= head.size() ? printable(head.data() + strh + 12) : std::string();
}

// Counts AVI stream headers ('strh' chunks) by type in the header area.
void countAviStreams(const std::vector<unsigned char>& head, ContainerFacts& facts) {
    facts.videoStreams = 0;
    facts.audioStreams = 0;
    for (std::size_t i = 0; i + 12 <= head.size(); ++i) {
        if (std::memcmp(head.data() + i, "strh", 4) != 0) {
            continue;
        }
        const unsigned char* type = head.data() + i + 8;
        if (std::memcmp(type, "vids", 4) == 0) {
            if (facts.videoStreams == 0) {
                facts.videoCodec = videoFourcc(head, i);
            }
            ++facts.videoStreams;
        } else if (std::memcmp(type, "auds", 4) == 0) {
            ++facts.audioStreams;
        }
    }
    if (facts.videoStreams == 0 && facts.audioStreams == 0) {
        facts.videoStreams = facts.audioStreams = -1;  // header not in view: unknown
    }
}

// Walks the top-level MP4/MOV boxes: a box running past the end of the file
// means the file was cut (the usual fate of an interrupted download).
std::uintmax_t mp4DeclaredBytes(std::ifstream& in, std::uintmax_t bytes) {
    std::uintmax_t offset = 0;
    for (int guard = 0; guard < 100000 && offset + 8 <= bytes; ++guard) {
        unsigned char hdr[16];
        in.clear();
        in.seekg(static_cast<std::streamoff>(offset));
        if (!in.read(reinterpret_cast<char*>(hdr), 8)) {
            return 0;
        }
        std::uint64_t size = readBe32(hdr);
        if (size == 1) {  // 64-bit "largesize" follows the type
            if (!in.read(reinterpret_cast<char*>(hdr + 8), 8)) {
                return offset + 16;
            }
            size = std::uint64_t(readBe32(hdr + 8)) << 32 | readBe32(hdr + 12);
        } else if (size == 0) {  // box extends to the end of the file
            return 0;
        }
        if (size < 8) {
            return 0;  // corrupt box header: no claim we can trust
        }
        if (offset + size > bytes) {
            return offset + size;
        }
        offset += size;
    }
    return 0;
}

// The first JPEG's frame header (SOFn) in an AVI's 'movi' data: the size the
// decoder will allocate for, whatever the container's headers claim.
void jpegFrameSize(const std::vector<unsigned char>& head, DeclaredFrameSize& size) {
    static const unsigned char kSoi[3] = {0xFF, 0xD8, 0xFF};
    const auto movi = std::search(head.begin(), head.end(), "movi", "movi" + 4);
    auto soi = std::search(movi, head.end(), kSoi, kSoi + 3);
    if (soi == head.end()) {
        return;
    }
    std::size_t at = static_cast<std::size_t>(soi - head.begin()) + 2;
    while (at + 9 <= head.size() && head[at] == 0xFF) {
        const unsigned marker = head[at + 1];
        const std::size_t length = std::size_t(head[at + 2]) << 8 | head[at + 3];
        const bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            const std::int64_t h = std::int64_t(head[at + 5]) << 8 | head[at + 6];
            const std::int64_t w = std::int64_t(head[at + 7]) << 8 | head[at + 8];
            if (w * h > size.width * size.height) {
                size = {w, h, "first JPEG frame header"};
            }
            return;
        }
        if (length < 2 || marker == 0xDA) {
            return;  // start of scan (or garbage) before any frame header
        }
        at += 2 + length;
    }
}

void keepLarger(DeclaredFrameSize& size, std::int64_t w, std::int64_t h, const char* where) {
    w = w < 0 ? -w : w;  // a bitmap header's negative height: top-down rows
    h = h < 0 ? -h : h;
    if (w * h > size.width * size.height) {
        size = {w, h, where};
    }
}

}  // namespace

DeclaredFrameSize declaredFrameSize(const std::string& path) {
    // The headers that matter sit at the start: the AVI header list, the
    // first frame, an MP4 'moov' written first (a 'moov' at the end is not
    // in view: the size the decoder reports is checked after opening).
    constexpr std::size_t kHead = 64 * 1024;
    DeclaredFrameSize size;
    std::ifstream in(path, std::ios::binary);
    std::vector<unsigned char> head(kHead);
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    const auto find = [&head](const char* id, std::size_t from) {
        const auto it =
            std::search(head.begin() + static_cast<std::ptrdiff_t>(from), head.end(), id, id + 4);
        return static_cast<std::size_t>(it - head.begin());
    };
    if (startsWith(head, 0, "RIFF", 4) && startsWith(head, 8, "AVI", 3)) {
        // 'avih': dwWidth and dwHeight at 32 and 36 of its data.
        if (const std::size_t avih = find("avih", 0); avih + 8 + 40 <= head.size()) {
            keepLarger(size, readLe32(head.data() + avih + 40), readLe32(head.data() + avih + 44),
                       "AVI main header");
        }
        // Each video stream's 'strf' BITMAPINFOHEADER: biWidth, biHeight.
        for (std::size_t strh = find("strh", 0); strh + 12 <= head.size();
             strh = find("strh", strh + 4)) {
            const std::size_t strf = find("strf", strh + 4);
            if (std::memcmp(head.data() + strh + 8, "vids", 4) == 0 &&
                strf + 8 + 12 <= head.size()) {
                keepLarger(size, static_cast<std::int32_t>(readLe32(head.data() + strf + 12)),
                           static_cast<std::int32_t>(readLe32(head.data() + strf + 16)),
                           "AVI stream header");
            }
        }
        jpegFrameSize(head, size);
    } else if (isMp4BoxType(head)) {
        // 'tkhd': width and height (16.16 fixed point) end the box.
        for (std::size_t tkhd = find("tkhd", 0); tkhd + 4 <= head.size();
             tkhd = find("tkhd", tkhd + 4)) {
            if (tkhd < 4) {
                continue;
            }
            const std::size_t box = tkhd - 4;
            const std::size_t boxSize = readBe32(head.data() + box);
            if (boxSize >= 92 && box + boxSize <= head.size()) {
                keepLarger(size, readBe32(head.data() + box + boxSize - 8) >> 16,
                           readBe32(head.data() + box + boxSize - 4) >> 16, "MP4 track header");
            }
        }
    }
    return size;
}

ContainerFacts sniffContainer(const std::string& path) {
    ContainerFacts facts;
    std::error_code ec;
    facts.bytes = std::filesystem::file_size(path, ec);
    if (ec) {
        facts.bytes = 0;
        return facts;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return facts;
    }
    std::vector<unsigned char> head(
        static_cast<std::size_t>(std::min<std::uintmax_t>(facts.bytes, kHeadBytes)));
    in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));

    if (startsWith(head, 0, "RIFF", 4) && startsWith(head, 8, "AVI", 3)) {
        facts.kind = "avi";
        facts.declaredBytes = std::uintmax_t(readLe32(head.data() + 4)) + 8;
        countAviStreams(head, facts);
    } else if (isMp4BoxType(head)) {
        facts.kind = "mp4";
        facts.declaredBytes = mp4DeclaredBytes(in, facts.bytes);
    } else if (startsWith(head, 0, "\x1A\x45\xDF\xA3", 4)) {
        facts.kind = "mkv";
    } else if (startsWith(head, 0, "\x00\x00\x01\xBA", 4) ||
               startsWith(head, 0, "\x00\x00\x01\xB3", 4)) {
        facts.kind = "mpeg";
    } else if (head.size() > 188 && head[0] == 0x47 && head[188] == 0x47) {
        facts.kind = "mpeg-ts";
    } else if (startsWith(head, 0, "FLV", 3)) {
        facts.kind = "flv";
    } else if (startsWith(head, 0, "OggS", 4)) {
        facts.kind = "ogg";
    } else if (startsWith(head, 0, "\x30\x26\xB2\x75", 4)) {
        facts.kind = "asf";
    }
    return facts;
}

std::string unresolvedLinkReason(const std::string& path, const std::error_code& statusError) {
    std::error_code ec;
    if (statusError == std::errc::too_many_symbolic_link_levels) {
        return "symbolic link loop (the link leads back to itself)";
    }
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) {
        return "broken symbolic link (its target does not exist)";
    }
    return {};
}

std::string truncationNote(const ContainerFacts& facts) {
    if (!facts.truncated()) {
        return {};
    }
    return " (truncated: " + std::to_string(facts.bytes) + " of " +
           std::to_string(facts.declaredBytes) + " bytes)";
}

std::string openFailureReason(const ContainerFacts& facts) {
    if (facts.kind.empty()) {
        return "not a video file (unrecognised content, cannot be opened)";
    }
    if (facts.truncated()) {
        return "truncated " + facts.kind + " file (" + std::to_string(facts.bytes) + " of " +
               std::to_string(facts.declaredBytes) + " bytes), cannot be opened";
    }
    if (facts.videoStreams == 0) {
        return facts.audioStreams > 0 ? "no video stream (audio only)" : "no video stream";
    }
    if (!facts.videoCodec.empty()) {
        return "cannot be opened as a video (" + facts.kind + " with video codec '" +
               facts.videoCodec + "': a codec this FFmpeg cannot decode, or a damaged container)";
    }
    return "cannot be opened as a video (damaged " + facts.kind +
           " container, no video stream or unsupported codec)";
}

}  // namespace vidrnn::data
