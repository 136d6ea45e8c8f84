#include "vidrnn/provenance.h"

#include <mutex>
#include <nlohmann/json.hpp>

#include "util/jsontext.h"

namespace vidrnn {

namespace {

// The fields in display order, with their JSON keys. Keys are stored: never
// renamed, only appended.
std::vector<std::pair<const char*, std::string Provenance::*>> fieldTable() {
    return {{"version", &Provenance::version},   {"commit", &Provenance::commit},
            {"modified", &Provenance::modified}, {"libtorch", &Provenance::libtorch},
            {"opencv", &Provenance::opencv},     {"qt", &Provenance::qt},
            {"sqlite", &Provenance::sqlite},     {"blas", &Provenance::blas},
            {"onednn", &Provenance::onednn},     {"isa", &Provenance::isa},
            {"cpu", &Provenance::cpu},           {"cpu_flags", &Provenance::cpuFlags},
            {"threads", &Provenance::threads},   {"device", &Provenance::device},
            {"gpu", &Provenance::gpu},           {"precision", &Provenance::precision},
            {"host", &Provenance::host}};
}

std::mutex& qtMutex() {
    static std::mutex m;
    return m;
}
std::string& qtVersion() {
    static std::string v = "none";
    return v;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> provenanceFields(const Provenance& p) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, member] : fieldTable()) {
        const std::string& v = p.*member;
        out.emplace_back(key, v.empty() ? "unknown" : v);
    }
    return out;
}

std::string provenanceToJson(const Provenance& p) {
    nlohmann::json doc = nlohmann::json::object();
    for (const auto& [key, member] : fieldTable()) {
        if (!(p.*member).empty())
            doc[key] = p.*member;
    }
    return doc.empty() ? std::string() : util::jsonText(doc);
}

Provenance provenanceFromJson(const std::string& json) {
    Provenance p;
    if (json.empty())
        return p;
    const auto doc = nlohmann::json::parse(json, nullptr, false);
    if (!doc.is_object())
        return p;
    for (const auto& [key, member] : fieldTable()) {
        const auto it = doc.find(key);
        if (it != doc.end() && it->is_string())
            p.*member = it->get<std::string>();
    }
    return p;
}

std::vector<std::string> provenanceDifferences(const Provenance& a, const Provenance& b) {
    std::vector<std::string> out;
    for (const auto& [key, member] : fieldTable()) {
        if (a.*member != b.*member)
            out.emplace_back(key);
    }
    return out;
}

std::string buildIdentity(const Provenance& p) {
    if (p.version.empty() && p.commit.empty())
        return {};
    return p.version + " " + (p.commit.empty() ? "unknown" : p.commit.substr(0, 12)) +
           (p.modified == "yes" ? " modified" : "");
}

std::string cpuIdentity(const Provenance& p) {
    if (p.cpu.empty())
        return {};
    return p.cpu + " [" + p.cpuFlags + "; " + p.isa + "]";
}

void setProvenanceQt(const std::string& version) {
    std::lock_guard lock(qtMutex());
    qtVersion() = version;
}

std::string provenanceQt() {
    std::lock_guard lock(qtMutex());
    return qtVersion();
}

}  // namespace vidrnn
