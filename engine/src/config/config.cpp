#include "vidrnn/config.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "util/jsontext.h"
#include "vidrnn/archs.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"

namespace vidrnn {

namespace {

void require(bool ok, const std::string& what) {
    if (!ok) {
        throw ConfigError(what);
    }
}

}  // namespace

int effectiveLayers(const TrainConfig& config) {
    return config.layers > 0 ? config.layers : defaultLayers(config.arch);
}

void validate(const TrainConfig& c) {
    ModelSpec spec;
    spec.arch = c.arch;
    spec.hidden = c.hidden;
    spec.layers = c.layers;
    spec.dropout = c.dropout;
    validate(spec);
    require(c.frames >= 1 && c.frames <= 1024,
            "frames per clip must lie in [1, 1024], got " + std::to_string(c.frames));
    const int maxFrames = archInfo(c.arch).maxFrames;
    require(maxFrames == 0 || c.frames <= maxFrames,
            c.arch + " reads at most " + std::to_string(maxFrames) + " frames per clip, got " +
                std::to_string(c.frames));
    require(c.imageSize >= 32 && c.imageSize <= 1024,
            "image size must lie in [32, 1024], got " + std::to_string(c.imageSize));
    require(c.split == "logo" || c.split == "groups" || c.split == "random",
            "split protocol '" + c.split + "' is not one of logo, groups, random");
    require(c.fold >= 0, "fold must not be negative, got " + std::to_string(c.fold));
    require(c.epochs >= 1, "epochs must be at least 1, got " + std::to_string(c.epochs));
    require(c.batch >= 1, "batch size must be at least 1, got " + std::to_string(c.batch));
    require(std::isfinite(c.lr) && c.lr > 0.0,
            "learning rate must be positive, got " + std::to_string(c.lr));
    require(std::isfinite(c.weightDecay) && c.weightDecay >= 0.0,
            "weight decay must not be negative, got " + std::to_string(c.weightDecay));
    require(std::isfinite(c.gradClip) && c.gradClip >= 0.0,
            "gradient clip must not be negative, got " + std::to_string(c.gradClip));
    require(c.patience >= 0, "patience must not be negative, got " + std::to_string(c.patience));
    require(c.threads >= 0, "threads must not be negative, got " + std::to_string(c.threads));
    require(c.precision == "fp32" || c.precision == "bf16" || c.precision == "auto",
            "precision '" + c.precision + "' is not one of fp32, bf16, auto");
    require(c.input == "appearance" || c.input == "motion",
            "input '" + c.input + "' is not one of appearance, motion");
    require(!c.backbone.empty(),
            "backbone must be 'mobilenet_v2', 'resnet18' or a TorchScript file");
}

std::string toJson(const TrainConfig& c) {
    nlohmann::json j = {
        {"dataset", c.dataset},
        {"frames", c.frames},
        {"image_size", c.imageSize},
        {"backbone", c.backbone},
        {"cache_dir", c.cacheDir},
        {"split", c.split},
        {"fold", c.fold},
        {"seed", c.seed},
        {"arch", c.arch},
        {"hidden", c.hidden},
        {"layers", c.layers},
        {"dropout", c.dropout},
        {"epochs", c.epochs},
        {"batch", c.batch},
        {"lr", c.lr},
        {"weight_decay", c.weightDecay},
        {"grad_clip", c.gradClip},
        {"patience", c.patience},
        {"device", c.device},
        {"threads", c.threads},
        {"precision", c.precision},
    };
    // Only when not the default, so that every configuration stored before
    // it existed keeps its text (sweeps resume by it).
    if (c.input != "appearance") {
        j["input"] = c.input;
    }
    return util::jsonText(j);
}

TrainConfig trainConfigFromJson(const std::string& text) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(std::string("run configuration is not valid JSON: ") + e.what());
    }
    if (!j.is_object()) {
        throw ConfigError("run configuration must be a JSON object");
    }
    TrainConfig c;
    auto get = [&j](const char* key, auto& field) {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) {
            return;
        }
        try {
            it->get_to(field);
        } catch (const nlohmann::json::exception&) {
            throw ConfigError(std::string("run configuration field '") + key +
                              "' has the wrong type");
        }
    };
    get("dataset", c.dataset);
    get("frames", c.frames);
    get("image_size", c.imageSize);
    get("backbone", c.backbone);
    get("cache_dir", c.cacheDir);
    get("split", c.split);
    get("fold", c.fold);
    get("seed", c.seed);
    get("arch", c.arch);
    get("hidden", c.hidden);
    get("layers", c.layers);
    get("dropout", c.dropout);
    get("epochs", c.epochs);
    get("batch", c.batch);
    get("lr", c.lr);
    get("weight_decay", c.weightDecay);
    get("grad_clip", c.gradClip);
    get("patience", c.patience);
    get("device", c.device);
    get("threads", c.threads);
    get("precision", c.precision);
    get("input", c.input);
    return c;
}

}  // namespace vidrnn
