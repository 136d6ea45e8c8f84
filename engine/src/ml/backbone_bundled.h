// The bundled pretrained backbone (resources/models): where its files are and
// whether they are the ones shipped. No LibTorch here.
#pragma once

#include <string>
#include <vector>

namespace vidrnn::bundled {

// One vendored TorchScript file and the sha256 it must have.
struct ModelFile {
    const char* name;    // file name inside the models folder
    const char* sha256;  // lower-case hex
};

// MobileNetV2 (ImageNet, int8): the 1280-d pooled features and the 1280x7x7 maps.
const ModelFile& mobilenetV2(bool maps);

// Folders searched, in order: $VIDRNN_MODELS_DIR alone when it is set;
// otherwise <exe>/../share/vidrnn/models, the compiled-in install folder
// (<prefix>/share/vidrnn/models) and the source tree's resources/models.
std::vector<std::string> modelSearchPath();

// sha256 of a file's bytes, lower-case hex (OpenSSL EVP). Throws ModelError
// naming the file when it cannot be read.
std::string sha256File(const std::string& path);
// sha256 of bytes in memory, lower-case hex (what a checkpoint's record holds).
std::string sha256Bytes(const std::string& bytes);

// The first folder of modelSearchPath() holding the file; its sha256 is
// checked. Throws ModelError naming the file: not found (with the folders
// searched) or altered (expected and found checksums).
std::string locateVerified(const ModelFile& file);

}  // namespace vidrnn::bundled
