#include "ml/backbone_bundled.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "vidrnn/errors.h"

#ifndef VIDRNN_MODELS_INSTALL_DIR
#define VIDRNN_MODELS_INSTALL_DIR ""
#endif
#ifndef VIDRNN_MODELS_SOURCE_DIR
#define VIDRNN_MODELS_SOURCE_DIR ""
#endif

namespace vidrnn::bundled {

namespace fs = std::filesystem;

const ModelFile& mobilenetV2(bool maps) {
    static const ModelFile features{
        "mobilenet_v2_quantized_features1280.pt",
        "45036c61ffc7a280cde89f7f9bf30c2ae3ec4cda50fbd22eecf046b3fca1dbe4"};
    static const ModelFile mapsFile{
        "mobilenet_v2_quantized_maps1280.pt",
        "a85ccb0570bae2df7252d5983732a139080fc8b5de5ce32d9b6784ff914e5b98"};
    return maps ? mapsFile : features;
}

std::vector<std::string> modelSearchPath() {
    if (const char* env = std::getenv("VIDRNN_MODELS_DIR"); env != nullptr && *env != '\0') {
        return {env};
    }
    std::vector<std::string> dirs;
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        dirs.push_back((exe.parent_path().parent_path() / "share" / "vidrnn" / "models").string());
    }
    for (const char* dir : {VIDRNN_MODELS_INSTALL_DIR, VIDRNN_MODELS_SOURCE_DIR}) {
        if (*dir != '\0' && std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) {
            dirs.emplace_back(dir);
        }
    }
    return dirs;
}

namespace {

std::string lowerHex(const unsigned char* digest, unsigned int length) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

}  // namespace

std::string sha256File(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ModelError(path, "cannot be read");
    }
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        throw ModelError(path, "cannot compute its sha256 (OpenSSL EVP failed)");
    }
    std::array<char, 1 << 16> buffer{};
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n > 0 && EVP_DigestUpdate(ctx.get(), buffer.data(), n) != 1) {
            throw ModelError(path, "cannot compute its sha256 (OpenSSL EVP failed)");
        }
    }
    if (in.bad()) {
        throw ModelError(path, "read error while checking its sha256");
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) {
        throw ModelError(path, "cannot compute its sha256 (OpenSSL EVP failed)");
    }
    return lowerHex(digest.data(), length);
}

std::string sha256Bytes(const std::string& bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
        1) {
        throw LogicError("sha256: OpenSSL EVP_Digest failed");
    }
    return lowerHex(digest.data(), length);
}

std::string locateVerified(const ModelFile& file) {
    const auto dirs = modelSearchPath();
    std::string searched;
    for (const auto& dir : dirs) {
        const fs::path candidate = fs::path(dir) / file.name;
        std::error_code ec;
        if (!fs::is_regular_file(candidate, ec)) {
            searched += (searched.empty() ? "" : ", ") + dir;
            continue;
        }
        const std::string path = candidate.string();
        const std::string found = sha256File(path);
        if (found != file.sha256) {
            throw ModelError(
                path, std::string("bundled model file is altered or damaged: sha256 ") + found +
                          ", expected " + file.sha256 + " (reinstall vidrnn or restore the file)");
        }
        return path;
    }
    throw ModelError(file.name, "bundled model file not found (searched: " + searched +
                                    "; set VIDRNN_MODELS_DIR to the folder holding it)");
}

}  // namespace vidrnn::bundled
