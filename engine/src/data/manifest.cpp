// CSV manifests: path,label[,group]. A bad row never stops the scan; it becomes
// a skipped entry whose reason starts with "row N:" (N = line in the file) so a
// user can find and fix it.
#include <fstream>
#include <map>

#include "data/scan.h"
#include "vidrnn/errors.h"

namespace vidrnn::data {
namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

bool isHeader(const std::vector<std::string>& fields) {
    return fields.size() >= 2 && toLower(fields[0]) == "path" &&
           (toLower(fields[1]) == "label" || toLower(fields[1]) == "class");
}

std::string rowPrefix(int row) {
    return "row " + std::to_string(row) + ": ";
}

}  // namespace

bool splitCsvLine(const std::string& line, std::vector<std::string>& fields) {
    fields.clear();
    std::string field;
    bool quoted = false;
    bool wasQuoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && trim(field).empty()) {
            quoted = wasQuoted = true;
            field.clear();
        } else if (c == ',') {
            fields.push_back(wasQuoted ? field : trim(field));
            field.clear();
            wasQuoted = false;
        } else if (!(wasQuoted && (c == ' ' || c == '\t' || c == '\r'))) {
            field += c;
        }
    }
    if (quoted) {
        return false;
    }
    fields.push_back(wasQuoted ? field : trim(field));
    return true;
}

std::vector<ManifestRow> parseManifest(std::istream& in, std::vector<ManifestProblem>& problems) {
    std::vector<ManifestRow> rows;
    std::vector<std::string> fields;
    std::string line;
    bool sawData = false;
    for (int row = 1; std::getline(in, line); ++row) {
        const std::string text = trim(line);
        if (text.empty() || text[0] == '#') {
            continue;
        }
        if (!splitCsvLine(text, fields)) {
            problems.push_back({row, "unterminated quoted field"});
            continue;
        }
        if (!sawData) {
            sawData = true;
            if (isHeader(fields)) {
                continue;
            }
        }
        if (fields.size() < 2 || fields.size() > 3) {
            problems.push_back({row, "expected 2 or 3 columns (path,label[,group]), found " +
                                         std::to_string(fields.size())});
            continue;
        }
        if (fields[0].empty()) {
            problems.push_back({row, "empty path"});
            continue;
        }
        rows.push_back({row, fields[0], fields[1], fields.size() == 3 ? fields[2] : std::string()});
    }
    return rows;
}

RawScan scanManifest(const fs::path& file) {
    std::ifstream in(file);
    if (!in) {
        throw DatasetError(file.string(), "cannot be read");
    }
    RawScan scan;
    scan.root = file.string();
    scan.layout = "manifest";
    std::vector<ManifestProblem> problems;
    const std::vector<ManifestRow> rows = parseManifest(in, problems);
    for (const ManifestProblem& p : problems) {
        scan.skipped.push_back({file.string(), rowPrefix(p.line) + p.reason});
    }
    const fs::path base = file.parent_path();
    std::map<std::string, int> firstRowOf;  // resolved path -> row, to catch duplicates
    for (const ManifestRow& r : rows) {
        const std::string prefix = rowPrefix(r.line);
        fs::path clip = fs::path(r.path);
        if (clip.is_relative()) {
            clip = base / clip;
        }
        clip = clip.lexically_normal();
        const std::string path = clip.string();
        if (r.label.empty()) {
            scan.skipped.push_back({path, prefix + "empty label"});
            continue;
        }
        std::error_code ec;
        if (!fs::exists(clip, ec)) {
            scan.skipped.push_back({path, prefix + "file not found"});
            continue;
        }
        if (fs::is_directory(clip, ec)) {
            scan.skipped.push_back({path, prefix + "is a folder, not a video file"});
            continue;
        }
        const auto [it, fresh] = firstRowOf.emplace(path, r.line);
        if (!fresh) {
            scan.skipped.push_back(
                {path, prefix + "duplicate of row " + std::to_string(it->second)});
            continue;
        }
        Candidate c{path, r.label, {}, 0};
        const auto ucf = parseAnyUcfName(clip.stem().string());
        if (ucf) {
            c.clipNumber = ucf->clipNumber;
        }
        if (!r.group.empty()) {
            c.group = r.group;
        } else if (ucf) {
            c.group = ucf->group;
        } else {
            // Its own group: without a hint, assume nothing is shared.
            c.group = fs::path(r.path).replace_extension().generic_string();
        }
        scan.classes.insert(c.className);
        scan.candidates.push_back(std::move(c));
    }
    return scan;
}

}  // namespace vidrnn::data
