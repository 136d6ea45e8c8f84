// The two folder layouts (UCF11 and class folders) and the name parsing and
// folder walking they share with the manifest reader.
#include <algorithm>
#include <cctype>
#include <map>

#include "data/scan.h"

namespace vidrnn::data {
namespace fs = std::filesystem;

namespace {

bool allDigits(const std::string& s) {
    return !s.empty() && s.size() <= 4 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "1" -> "01": UCF names are zero-padded; normalising keeps "1" and "01" one group.
std::string padTwo(int n) {
    return n < 10 ? "0" + std::to_string(n) : std::to_string(n);
}

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

void walk(const fs::path& dir, const std::function<bool(const fs::path&)>& skipDir,
          std::set<fs::path>& seen, int depth, std::vector<fs::path>& out) {
    std::error_code ec;
    const fs::path real = fs::canonical(dir, ec);
    // Entering each real folder once ends symlink loops; the depth cap guards
    // against pathological (non-looping) link farms.
    if (ec || depth > 64 || !seen.insert(real).second) {
        return;
    }
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::error_code sec;
        if (it->is_directory(sec)) {
            if (!skipDir || !skipDir(it->path())) {
                walk(it->path(), skipDir, seen, depth + 1, out);
            }
        } else if (it->is_regular_file(sec) || it->is_symlink(sec)) {
            // A link that leads nowhere (broken, or a loop) is listed too, so
            // that probing reports it instead of the scan silently dropping it.
            out.push_back(it->path());
        }
    }
}

}  // namespace

std::string toLower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::optional<UcfName> parseUcf11Name(const std::string& stem, const std::string& token) {
    const std::string lower = toLower(stem);
    const std::string prefix = "v_" + token + "_";
    if (!startsWith(lower, prefix)) {
        return std::nullopt;
    }
    const std::string rest = lower.substr(prefix.size());
    const std::size_t sep = rest.find('_');
    if (sep == std::string::npos) {
        return std::nullopt;
    }
    const std::string gg = rest.substr(0, sep);
    const std::string cc = rest.substr(sep + 1);
    if (!allDigits(gg) || !allDigits(cc)) {
        return std::nullopt;
    }
    return UcfName{padTwo(std::stoi(gg)), std::stoi(cc)};
}

std::optional<UcfName> parseAnyUcfName(const std::string& stem) {
    const std::string lower = toLower(stem);
    if (!startsWith(lower, "v_")) {
        return std::nullopt;
    }
    const std::size_t last = lower.rfind('_');
    const std::size_t prev =
        last == std::string::npos || last < 3 ? std::string::npos : lower.rfind('_', last - 1);
    if (prev == std::string::npos || prev < 2) {
        return std::nullopt;
    }
    const std::string a = lower.substr(prev + 1, last - prev - 1);
    const std::string b = lower.substr(last + 1);
    // UCF101: v_Name_g08_c01
    if (a.size() > 1 && a[0] == 'g' && b.size() > 1 && b[0] == 'c' && allDigits(a.substr(1)) &&
        allDigits(b.substr(1))) {
        return UcfName{"g" + padTwo(std::stoi(a.substr(1))), std::stoi(b.substr(1))};
    }
    // UCF11 with a token we do not know: v_whatever_08_01
    if (allDigits(a) && allDigits(b)) {
        return UcfName{padTwo(std::stoi(a)), std::stoi(b)};
    }
    return std::nullopt;
}

std::vector<fs::path> listFilesRecursive(const fs::path& dir,
                                         const std::function<bool(const fs::path&)>& skipDir) {
    std::vector<fs::path> out;
    std::set<fs::path> seen;
    walk(dir, skipDir, seen, 0, out);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<fs::path> listSubfolders(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::error_code sec;
        if (it->is_directory(sec)) {
            out.push_back(it->path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool tryScanUcf11(const fs::path& root, RawScan& out) {
    std::map<std::string, std::string> tokenOf;
    for (const auto& [folder, token] : ucf11Classes()) {
        tokenOf[folder] = token;
    }
    RawScan scan;
    scan.root = root.string();
    scan.layout = "ucf11";
    int annotationDirs = 0;
    int otherFiles = 0;
    const auto skipDir = [&](const fs::path& p) {
        const std::string name = p.filename().string();
        if (toLower(name) == "annotation") {
            ++annotationDirs;
            return true;
        }
        return startsWith(name, ".");
    };
    for (const fs::path& sub : listSubfolders(root)) {
        const std::string name = sub.filename().string();
        const auto known = tokenOf.find(toLower(name));
        if (known == tokenOf.end()) {
            if (!startsWith(name, ".")) {
                scan.notes.push_back("ignored folder " + name + " (not a UCF11 class)");
            }
            continue;
        }
        const std::string& token = known->second;
        for (const fs::path& file : listFilesRecursive(sub, skipDir)) {
            if (!isVideoFileName(file.filename().string())) {
                ++otherFiles;
                continue;
            }
            if (const auto ucf = parseUcf11Name(file.stem().string(), token)) {
                scan.candidates.push_back(
                    {file.string(), known->first, ucf->group, ucf->clipNumber});
                scan.classes.insert(known->first);
            } else {
                scan.skipped.push_back(
                    {file.string(), "name does not follow v_" + token + "_GG_CC (UCF11 layout)"});
            }
        }
    }
    if (scan.classes.empty()) {
        return false;
    }
    if (annotationDirs > 0 || otherFiles > 0) {
        scan.notes.push_back("ignored " + std::to_string(annotationDirs) +
                             " Annotation folder(s) and " + std::to_string(otherFiles) +
                             " non-video file(s)");
    }
    out = std::move(scan);
    return true;
}

bool tryScanFolders(const fs::path& root, RawScan& out) {
    RawScan scan;
    scan.root = root.string();
    scan.layout = "folders";
    const auto skipHidden = [](const fs::path& p) {
        return startsWith(p.filename().string(), ".");
    };
    for (const fs::path& sub : listSubfolders(root)) {
        const std::string name = sub.filename().string();
        if (startsWith(name, ".")) {
            continue;
        }
        if (startsWith(name, "_")) {
            scan.notes.push_back("ignored folder " + name +
                                 " (names starting with '_' are not classes)");
            continue;
        }
        std::vector<fs::path> videos;
        for (const fs::path& file : listFilesRecursive(sub, skipHidden)) {
            if (isVideoFileName(file.filename().string())) {
                videos.push_back(file);
            }
        }
        if (videos.empty()) {
            scan.notes.push_back("ignored folder " + name + " (no video files)");
            continue;
        }
        scan.classes.insert(name);
        for (const fs::path& file : videos) {
            Candidate c{file.string(), name, {}, 0};
            const fs::path rel = file.lexically_relative(sub);
            if (const auto ucf = parseAnyUcfName(file.stem().string())) {
                c.group = ucf->group;
                c.clipNumber = ucf->clipNumber;
            } else if (std::distance(rel.begin(), rel.end()) > 1) {
                c.group = rel.begin()->string();
            } else {
                c.group = name + "/" + file.stem().string();
            }
            scan.candidates.push_back(std::move(c));
        }
    }
    if (scan.classes.empty()) {
        return false;
    }
    out = std::move(scan);
    return true;
}

}  // namespace vidrnn::data
