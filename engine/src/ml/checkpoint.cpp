#include "ml/checkpoint.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ml/backbone_bundled.h"
#include "nn/motion.h"
#include "util/featurefile.h"
#include "util/jsontext.h"
#include "util/safefile.h"
#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

constexpr int kCheckpointVersion = 1;

nlohmann::json backboneJson(const BackboneDescription& b) {
    return {{"name", b.name},
            {"source", b.source},
            {"identity", b.identity},
            {"pretrained", b.pretrained},
            {"spatial", b.spatial},
            {"channels", b.channels},
            {"map_height", b.mapHeight},
            {"map_width", b.mapWidth},
            {"image_size", b.imageSize},
            {"batched", b.batched},
            {"qengine", b.qengine}};
}

BackboneDescription backboneFromJson(const nlohmann::json& j) {
    BackboneDescription b;
    b.name = j.at("name");
    b.source = j.at("source");
    b.identity = j.at("identity");
    b.pretrained = j.at("pretrained");
    b.spatial = j.at("spatial");
    b.channels = j.at("channels");
    b.mapHeight = j.at("map_height");
    b.mapWidth = j.at("map_width");
    b.imageSize = j.at("image_size");
    b.batched = j.at("batched");
    b.qengine = j.value("qengine", "");
    return b;
}

std::string shapeText(const torch::IntArrayRef& s) {
    return c10::str(s);
}

// Module::save nests one archive per submodule: "rnn.weight_ih_l0" lives as
// weight_ih_l0 inside the archive "rnn".
bool readNested(torch::serialize::InputArchive& root, const std::string& key, torch::Tensor& out) {
    const auto dot = key.find('.');
    if (dot == std::string::npos) {
        return root.try_read(key, out);
    }
    torch::serialize::InputArchive child;
    if (!root.try_read(key.substr(0, dot), child)) {
        return false;
    }
    return readNested(child, key.substr(dot + 1), out);
}

}  // namespace

nn::ClipClassifier buildModel(const TrainConfig& config, std::int64_t inputDim, int numClasses) {
    const bool motion = config.input == "motion";
    auto body =
        nn::makeClassifier(nn::ClassifierOptions(config.arch, motion ? 2 * inputDim : inputDim,
                                                 config.hidden, numClasses)
                               .num_layers(config.layers)
                               .dropout(config.dropout));
    if (motion) {
        return std::make_shared<nn::MotionInputImpl>(std::move(body));
    }
    return body;
}

std::string saveCheckpoint(const std::string& path, const nn::ClipClassifier& model,
                           torch::optim::Optimizer* optimizer, const torch::Tensor& featureMean,
                           const torch::Tensor& featureStd, const CheckpointMeta& meta) {
    nlohmann::json shapes = nlohmann::json::object();
    for (const auto& p : model->named_parameters()) {
        shapes[p.key()] = p.value().sizes().vec();
    }
    nlohmann::json doc = {{"format", "vidrnn-checkpoint"},
                          {"version", kCheckpointVersion},
                          {"config", nlohmann::json::parse(toJson(meta.config))},
                          {"classes", meta.classes},
                          {"backbone", backboneJson(meta.backbone)},
                          {"input_dim", meta.inputDim},
                          {"best_epoch", meta.bestEpoch},
                          {"shapes", shapes}};
    torch::serialize::OutputArchive archive;
    archive.write("meta", c10::IValue(util::jsonText(doc)));
    torch::serialize::OutputArchive weights;
    model->save(weights);
    archive.write("model", weights);
    archive.write("feature_mean", featureMean.cpu());
    archive.write("feature_std", featureStd.cpu());
    if (optimizer) {
        torch::serialize::OutputArchive opt;
        optimizer->save(opt);
        archive.write("optimizer", opt);
    }
    std::ostringstream bytes;
    try {
        archive.save_to(bytes);
    } catch (const c10::Error& e) {
        throw ModelError(path,
                         std::string("cannot write checkpoint: ") + e.what_without_backtrace());
    }
    const std::string data = bytes.str();
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    // The checkpoint folder may be shared storage: exclusive temporary file,
    // then rename (a link planted at either name is never followed).
    if (const auto failed = util::writeReplacing(
            path, [&path] { return cache::privateTempName(path); }, {{data.data(), data.size()}})) {
        throw ModelError(failed->path, "cannot write checkpoint: " + failed->reason);
    }
    return bundled::sha256Bytes(data);
}

LoadedCheckpoint loadCheckpoint(const std::string& path, const TrainConfig* expected,
                                const std::string& sha256) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw ModelError(path, "no such checkpoint file");
    }
    // Read once, hashed and parsed from the same bytes: a file swapped
    // between a check and a load would otherwise pass the check. A
    // checkpoint is a TorchScript archive, and loading one can run code.
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ModelError(path, "cannot read checkpoint");
    }
    const std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
        throw ModelError(path, "cannot read checkpoint");
    }
    if (!sha256.empty()) {
        const std::string found = bundled::sha256Bytes(data);
        if (found != sha256) {
            throw ModelError(path, "checkpoint differs from the one its run wrote (sha256 " +
                                       found + ", the store recorded " + sha256 +
                                       "): not loaded, a checkpoint file can run code");
        }
    }
    torch::serialize::InputArchive archive;
    nlohmann::json doc;
    try {
        archive.load_from(data.data(), data.size());
        c10::IValue metaValue;
        if (!archive.try_read("meta", metaValue) || !metaValue.isString()) {
            throw ModelError(path, "not a vidrnn checkpoint (no metadata)");
        }
        doc = nlohmann::json::parse(metaValue.toStringRef());
    } catch (const c10::Error& e) {
        throw ModelError(path, "not a vidrnn checkpoint: " +
                                   std::string(e.what_without_backtrace()).substr(0, 200));
    } catch (const nlohmann::json::exception& e) {
        throw ModelError(path, std::string("damaged checkpoint metadata: ") + e.what());
    }
    LoadedCheckpoint out;
    nlohmann::json shapes;
    try {
        if (!doc.is_object() || doc.value("format", "") != "vidrnn-checkpoint" ||
            doc.value("version", 0) != kCheckpointVersion) {
            throw ModelError(path, "unsupported checkpoint format or version");
        }
        out.meta.config = trainConfigFromJson(util::jsonText(doc.at("config")));
        out.meta.classes = doc.at("classes").get<std::vector<std::string>>();
        out.meta.backbone = backboneFromJson(doc.at("backbone"));
        out.meta.inputDim = doc.at("input_dim");
        out.meta.bestEpoch = doc.value("best_epoch", 0);
        shapes = doc.at("shapes");
        // Nothing is built from numbers that could not have been saved.
        validate(out.meta.config);
        if (out.meta.classes.size() < 2 || out.meta.inputDim < 1 || out.meta.inputDim > (1 << 20) ||
            !shapes.is_object()) {
            throw ConfigError(std::to_string(out.meta.classes.size()) + " classes, input_dim " +
                              std::to_string(out.meta.inputDim));
        }
    } catch (const nlohmann::json::exception& e) {
        throw ModelError(path, std::string("damaged checkpoint metadata: ") + e.what());
    } catch (const ConfigError& e) {
        throw ModelError(path, std::string("damaged checkpoint metadata: ") + e.what());
    }
    const auto& c = out.meta.config;
    if (expected) {
        const bool same = expected->arch == c.arch && expected->hidden == c.hidden &&
                          effectiveLayers(*expected) == effectiveLayers(c);
        if (!same) {
            throw ModelError(
                path, "checkpoint holds " + c.arch + " hidden " + std::to_string(c.hidden) +
                          " layers " + std::to_string(effectiveLayers(c)) + ", not the requested " +
                          expected->arch + " hidden " + std::to_string(expected->hidden) +
                          " layers " + std::to_string(effectiveLayers(*expected)));
        }
    }
    if (expected && expected->input != c.input) {
        throw ModelError(path, "checkpoint reads the " + c.input + " input, not the requested " +
                                   expected->input);
    }
    out.model = buildModel(c, out.meta.inputDim, static_cast<int>(out.meta.classes.size()));
    torch::serialize::InputArchive weights;
    try {
        archive.read("model", weights);
    } catch (const c10::Error& e) {
        throw ModelError(path, "checkpoint has no weights");
    }
    torch::NoGradGuard guard;
    for (auto& p : out.model->named_parameters()) {
        if (!shapes.contains(p.key())) {
            throw ModelError(path, "checkpoint lacks parameter " + p.key());
        }
        torch::Tensor stored;
        if (!readNested(weights, p.key(), stored)) {
            throw ModelError(path, "checkpoint lacks weights for " + p.key());
        }
        if (stored.sizes() != p.value().sizes()) {
            throw ModelError(path, "parameter " + p.key() + " has shape " +
                                       shapeText(stored.sizes()) + " but the model expects " +
                                       shapeText(p.value().sizes()));
        }
        p.value().copy_(stored);
    }
    try {
        archive.read("feature_mean", out.featureMean);
        archive.read("feature_std", out.featureStd);
    } catch (const c10::Error&) {
        throw ModelError(path, "checkpoint lacks the feature normalisation");
    }
    out.model->eval();
    return out;
}

std::string backboneToJson(const BackboneDescription& backbone) {
    return backboneJson(backbone).dump();
}

BackboneDescription backboneFromJsonText(const std::string& text) {
    try {
        return backboneFromJson(nlohmann::json::parse(text));
    } catch (const nlohmann::json::exception& e) {
        throw ModelError("backbone description", std::string("not valid: ") + e.what());
    }
}

}  // namespace vidrnn
