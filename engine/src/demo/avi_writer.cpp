#include "demo/avi_writer.h"

#include <algorithm>
#include <cstdint>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "vidrnn/errors.h"

namespace vidrnn::data {
namespace {

// Little-endian RIFF building blocks.
class Riff {
public:
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            mBytes.push_back(static_cast<unsigned char>(v >> (8 * i)));
        }
    }
    void u16(std::uint16_t v) {
        mBytes.push_back(static_cast<unsigned char>(v));
        mBytes.push_back(static_cast<unsigned char>(v >> 8));
    }
    void fourcc(const char* id) { mBytes.insert(mBytes.end(), id, id + 4); }
    void bytes(const std::vector<unsigned char>& data) {
        mBytes.insert(mBytes.end(), data.begin(), data.end());
    }
    void pad() {
        if (mBytes.size() % 2 != 0) {
            mBytes.push_back(0);
        }
    }
    // Opens a chunk (or LIST/RIFF with `type`) and returns where its size goes.
    std::size_t open(const char* id, const char* type = nullptr) {
        fourcc(id);
        const std::size_t at = mBytes.size();
        u32(0);
        if (type != nullptr) {
            fourcc(type);
        }
        return at;
    }
    void close(std::size_t sizeAt) {
        const auto size = static_cast<std::uint32_t>(mBytes.size() - sizeAt - 4);
        for (int i = 0; i < 4; ++i) {
            mBytes[sizeAt + std::size_t(i)] = static_cast<unsigned char>(size >> (8 * i));
        }
        pad();
    }
    std::size_t size() const { return mBytes.size(); }
    const std::vector<unsigned char>& data() const { return mBytes; }

private:
    std::vector<unsigned char> mBytes;
};

constexpr std::uint32_t kAvifHasIndex = 0x10;
constexpr std::uint32_t kAviifKeyframe = 0x10;

}  // namespace

std::vector<std::vector<unsigned char>> encodeJpegFrames(const std::vector<cv::Mat>& frames,
                                                         int quality) {
    std::vector<std::vector<unsigned char>> jpegs(frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
        if (!cv::imencode(".jpg", frames[i], jpegs[i], {cv::IMWRITE_JPEG_QUALITY, quality})) {
            throw VideoError("JPEG encoding failed for frame " + std::to_string(i));
        }
    }
    return jpegs;
}

void writeMjpegAvi(const std::string& path, const std::vector<std::vector<unsigned char>>& jpegs,
                   cv::Size size, int fps, bool reversed) {
    const auto frames = static_cast<std::uint32_t>(jpegs.size());
    std::uint32_t largest = 0;
    for (const auto& j : jpegs) {
        largest = std::max(largest, static_cast<std::uint32_t>(j.size()));
    }
    const auto w = static_cast<std::uint32_t>(size.width);
    const auto h = static_cast<std::uint32_t>(size.height);

    Riff avi;
    const std::size_t riff = avi.open("RIFF", "AVI ");
    const std::size_t hdrl = avi.open("LIST", "hdrl");
    const std::size_t avih = avi.open("avih");
    avi.u32(1000000u / static_cast<std::uint32_t>(fps));  // microseconds per frame
    avi.u32(largest * static_cast<std::uint32_t>(fps));   // max bytes per second
    avi.u32(0);                                           // padding granularity
    avi.u32(kAvifHasIndex);
    avi.u32(frames);
    avi.u32(0);  // initial frames
    avi.u32(1);  // streams
    avi.u32(largest);
    avi.u32(w);
    avi.u32(h);
    for (int i = 0; i < 4; ++i) {
        avi.u32(0);
    }
    avi.close(avih);
    const std::size_t strl = avi.open("LIST", "strl");
    const std::size_t strh = avi.open("strh");
    avi.fourcc("vids");
    avi.fourcc("MJPG");
    avi.u32(0);                                // flags
    avi.u16(0);                                // priority
    avi.u16(0);                                // language
    avi.u32(0);                                // initial frames
    avi.u32(1);                                // scale
    avi.u32(static_cast<std::uint32_t>(fps));  // rate: fps = rate / scale
    avi.u32(0);                                // start
    avi.u32(frames);
    avi.u32(largest);
    avi.u32(0xFFFFFFFFu);  // quality: default
    avi.u32(0);            // sample size: varies
    avi.u16(0);
    avi.u16(0);
    avi.u16(static_cast<std::uint16_t>(w));
    avi.u16(static_cast<std::uint16_t>(h));
    avi.close(strh);
    const std::size_t strf = avi.open("strf");  // BITMAPINFOHEADER
    avi.u32(40);
    avi.u32(w);
    avi.u32(h);
    avi.u16(1);   // planes
    avi.u16(24);  // bits per pixel
    avi.fourcc("MJPG");
    avi.u32(w * h * 3);
    for (int i = 0; i < 4; ++i) {
        avi.u32(0);
    }
    avi.close(strf);
    avi.close(strl);
    avi.close(hdrl);

    const std::size_t movi = avi.open("LIST", "movi");
    const std::size_t moviId = movi + 4;  // idx1 offsets count from the 'movi' id
    std::vector<std::pair<std::uint32_t, std::uint32_t>> index;  // offset, length
    for (std::uint32_t k = 0; k < frames; ++k) {
        const auto& jpeg = jpegs[reversed ? frames - 1 - k : k];
        index.emplace_back(static_cast<std::uint32_t>(avi.size() - moviId),
                           static_cast<std::uint32_t>(jpeg.size()));
        const std::size_t chunk = avi.open("00dc");
        avi.bytes(jpeg);
        avi.close(chunk);
    }
    avi.close(movi);
    const std::size_t idx1 = avi.open("idx1");
    for (const auto& [offset, length] : index) {
        avi.fourcc("00dc");
        avi.u32(kAviifKeyframe);
        avi.u32(offset);
        avi.u32(length);
    }
    avi.close(idx1);
    avi.close(riff);

    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(avi.data().data()),
              static_cast<std::streamsize>(avi.size()));
    out.close();
    if (!out) {
        throw VideoError(path, "cannot be written");
    }
}

}  // namespace vidrnn::data
