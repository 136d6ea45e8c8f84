// Internals of scanDataset(): each layout reader fills a RawScan (candidate
// clips before probing); dataset.cpp detects the layout, probes and sorts.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vidrnn/dataset.h"

namespace vidrnn::data {

struct Candidate {
    std::string path;
    std::string className;
    std::string group;
    int clipNumber = 0;
};

struct RawScan {
    std::string root;
    std::string layout;
    std::set<std::string> classes;  // names; finalised (natural order) later
    std::vector<Candidate> candidates;
    std::vector<SkippedClip> skipped;
    std::vector<std::string> notes;
};

// Group and clip parsed from a file stem by UCF naming.
struct UcfName {
    std::string group;  // "01" (UCF11) or "g01" (UCF101)
    int clipNumber = 0;
};

// v_<token>_<GG>_<CC> for the given token (may contain '_', e.g. walk_dog).
std::optional<UcfName> parseUcf11Name(const std::string& stem, const std::string& token);
// v_<Name>_g<GG>_c<CC> (UCF101), then v_<anything>_<GG>_<CC> (UCF11, unknown token).
std::optional<UcfName> parseAnyUcfName(const std::string& stem);

// Regular files under `dir`, recursively, following symbolic links but entering
// each real folder once (a link loop ends there). Folders for which `skipDir`
// returns true are not entered. Sorted by path.
std::vector<std::filesystem::path> listFilesRecursive(
    const std::filesystem::path& dir,
    const std::function<bool(const std::filesystem::path&)>& skipDir);

// Immediate sub-folders (links to folders included), sorted by name.
std::vector<std::filesystem::path> listSubfolders(const std::filesystem::path& dir);

std::string toLower(std::string text);
// "a2" < "a10": digit runs compare by value. Used for classes and groups.
bool naturalLess(const std::string& a, const std::string& b);

// Layout readers. tryScan* return false (and leave `out` untouched) when the
// folder does not have that layout.
bool tryScanUcf11(const std::filesystem::path& root, RawScan& out);
bool tryScanFolders(const std::filesystem::path& root, RawScan& out);
RawScan scanManifest(const std::filesystem::path& file);

// The text side of a manifest, before any path is looked up: comments, blank
// lines, an optional header row, RFC 4180 quoting within a line.
struct ManifestRow {
    int line = 0;       // 1-based line in the file
    std::string path;   // as written (never empty)
    std::string label;  // may be empty (reported against the clip's path)
    std::string group;  // "" when the column is absent or empty
};
struct ManifestProblem {
    int line = 0;
    std::string reason;  // without the "row N: " prefix
};
std::vector<ManifestRow> parseManifest(std::istream& in, std::vector<ManifestProblem>& problems);

// One CSV line into fields ("" is a literal quote inside quotes; unquoted
// fields are trimmed). False for an unterminated quote: quoted fields
// spanning lines are not supported.
bool splitCsvLine(const std::string& line, std::vector<std::string>& fields);

}  // namespace vidrnn::data
