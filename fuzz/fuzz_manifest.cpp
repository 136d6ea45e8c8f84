// Fuzz target: CSV manifests (path,label[,group]). The bytes are parsed as
// text, then scanned as a real manifest file beside one real clip and one
// folder (without probing videos). Properties: no crash and only
// DatasetError escapes; row numbers increase and every row is either a clip
// or a problem; quoting every field and parsing again gives the same rows;
// the scanned data set is consistent (labels index sorted, unique classes).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "data/scan.h"
#include "fuzzutil.h"
#include "vidrnn/dataset.h"
#include "vidrnn/errors.h"

namespace fs = std::filesystem;
using namespace vidrnn;
using namespace vidrnn::data;

namespace {

[[noreturn]] void fail(const std::string& what) {
    vidrnn::fuzz::fail("fuzz_manifest", what);
}

// A folder holding a clip, a sub-folder and the manifest.
const fs::path& folder() {
    static const fs::path dir = [] {
        const fs::path d = vidrnn::fuzz::scratchPath("manifest");
        fs::create_directories(d / "clips");
        std::ofstream(d / "a.avi") << "not probed";
        std::ofstream(d / "clips" / "v_Jump_g04_c02.avi") << "not probed";
        return d;
    }();
    return dir;
}

std::string quoted(const std::string& field) {
    std::string out = "\"";
    for (const char c : field) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

void checkRows(const std::vector<ManifestRow>& rows, const std::vector<ManifestProblem>& problems) {
    std::set<int> lines;
    int last = 0;
    for (const ManifestRow& r : rows) {
        if (r.line <= last || r.path.empty()) {
            fail("row " + std::to_string(r.line) + " out of order or without a path");
        }
        last = r.line;
        lines.insert(r.line);
    }
    for (const ManifestProblem& p : problems) {
        if (p.line < 1 || !lines.insert(p.line).second || p.reason.empty()) {
            fail("problem on line " + std::to_string(p.line) + " is a row too, or has no reason");
        }
    }
}

void checkRoundTrip(const std::vector<ManifestRow>& rows) {
    std::string text = "path,label,group\n";
    for (const ManifestRow& r : rows) {
        text += quoted(r.path) + "," + quoted(r.label) + "," + quoted(r.group) + "\n";
    }
    std::istringstream in(text);
    std::vector<ManifestProblem> problems;
    const auto again = parseManifest(in, problems);
    if (!problems.empty() || again.size() != rows.size()) {
        fail("quoted rows parse differently (" + std::to_string(again.size()) + " rows, " +
             std::to_string(problems.size()) + " problems, expected " +
             std::to_string(rows.size()) + " rows)");
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (again[i].path != rows[i].path || again[i].label != rows[i].label ||
            again[i].group != rows[i].group) {
            fail("row " + std::to_string(rows[i].line) + " changes when quoted: '" + rows[i].path +
                 "' -> '" + again[i].path + "'");
        }
    }
}

void checkDataset(const Dataset& ds) {
    if (!std::is_sorted(ds.classes.begin(), ds.classes.end(), naturalLess) ||
        std::adjacent_find(ds.classes.begin(), ds.classes.end()) != ds.classes.end()) {
        fail("classes are not sorted and unique");
    }
    for (const Clip& c : ds.clips) {
        if (c.label < 0 || std::size_t(c.label) >= ds.classes.size() ||
            ds.classes[std::size_t(c.label)] != c.className || c.group.empty()) {
            fail("clip " + c.path + " has a bad label or no group");
        }
    }
    if (ds.clips.empty()) {
        fail("a data set without clips was returned");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::istringstream in(text);
    std::vector<ManifestProblem> problems;
    const std::vector<ManifestRow> rows = parseManifest(in, problems);
    checkRows(rows, problems);
    checkRoundTrip(rows);

    const fs::path csv = folder() / "set.csv";
    std::ofstream(csv, std::ios::binary | std::ios::trunc) << text;
    ScanOptions options;
    options.probe = false;
    try {
        checkDataset(scanDataset(csv.string(), options));
    } catch (const DatasetError& e) {
        if (std::string(e.what()).rfind(csv.string() + ": ", 0) != 0) {
            fail(std::string("error does not name the manifest: ") + e.what());
        }
    }
    return 0;
}
