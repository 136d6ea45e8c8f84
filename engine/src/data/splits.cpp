#include "vidrnn/splits.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "data/scan.h"
#include "util/rng.h"
#include "vidrnn/errors.h"

namespace vidrnn {
namespace {

using data::Rng;

std::vector<std::string> sortedGroups(const Dataset& ds) {
    std::vector<std::string> groups;
    for (const Clip& c : ds.clips) {
        groups.push_back(c.group);
    }
    std::sort(groups.begin(), groups.end(), data::naturalLess);
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    return groups;
}

std::uint64_t streamSeed(int seed, const char* purpose, int key) {
    return data::mixSeed(static_cast<std::uint64_t>(static_cast<std::int64_t>(seed)),
                         data::stableHash(purpose), static_cast<std::uint64_t>(key));
}

void checkFractions(const SplitSpec& spec, bool usesTest) {
    if (!(spec.valFraction >= 0.0 && spec.valFraction < 1.0)) {
        throw ConfigError("valFraction " + std::to_string(spec.valFraction) + " is outside [0, 1)");
    }
    if (usesTest && !(spec.testFraction > 0.0 && spec.testFraction < 1.0)) {
        throw ConfigError("testFraction " + std::to_string(spec.testFraction) +
                          " is outside (0, 1)");
    }
}

// Draws whole groups (in seeded random order) until `target` clips are held
// out, always leaving at least `keep` groups behind.
std::vector<std::string> drawGroups(std::vector<std::string> pool,
                                    const std::map<std::string, int>& clipsIn, double target,
                                    std::size_t keep, Rng& rng) {
    rng.shuffle(pool);
    std::vector<std::string> drawn;
    int count = 0;
    for (const std::string& g : pool) {
        if (count >= target || pool.size() - drawn.size() <= keep) {
            break;
        }
        drawn.push_back(g);
        count += clipsIn.at(g);
    }
    std::sort(drawn.begin(), drawn.end(), data::naturalLess);
    return drawn;
}

// Assigns every clip by its group: test groups, validation groups, else train.
void assignByGroup(const Dataset& ds, Split& split) {
    const std::set<std::string> test(split.testGroups.begin(), split.testGroups.end());
    const std::set<std::string> val(split.valGroups.begin(), split.valGroups.end());
    for (std::size_t i = 0; i < ds.clips.size(); ++i) {
        const std::string& g = ds.clips[i].group;
        auto& side = test.count(g) ? split.test : val.count(g) ? split.val : split.train;
        side.push_back(static_cast<int>(i));
    }
}

std::map<std::string, int> clipsPerGroup(const Dataset& ds) {
    std::map<std::string, int> n;
    for (const Clip& c : ds.clips) {
        ++n[c.group];
    }
    return n;
}

std::vector<std::string> without(const std::vector<std::string>& all,
                                 const std::vector<std::string>& drop) {
    std::vector<std::string> rest;
    for (const std::string& g : all) {
        if (std::find(drop.begin(), drop.end(), g) == drop.end()) {
            rest.push_back(g);
        }
    }
    return rest;
}

void pickValidationGroups(const SplitSpec& spec, const std::vector<std::string>& groups,
                          const std::map<std::string, int>& sizes, Split& split) {
    if (spec.valFraction <= 0.0) {
        return;
    }
    const std::vector<std::string> rest = without(groups, split.testGroups);
    int restClips = 0;
    for (const std::string& g : rest) {
        restClips += sizes.at(g);
    }
    Rng rng(streamSeed(spec.seed, "val-groups", spec.fold));
    split.valGroups = drawGroups(rest, sizes, spec.valFraction * restClips, 1, rng);
}

Split logoSplit(const Dataset& ds, const SplitSpec& spec, const std::vector<std::string>& groups) {
    Split split;
    const auto sizes = clipsPerGroup(ds);
    split.testGroups = {groups[static_cast<std::size_t>(spec.fold)]};
    pickValidationGroups(spec, groups, sizes, split);
    assignByGroup(ds, split);
    return split;
}

Split groupHoldout(const Dataset& ds, const SplitSpec& spec,
                   const std::vector<std::string>& groups) {
    Split split;
    const auto sizes = clipsPerGroup(ds);
    Rng rng(streamSeed(spec.seed, "test-groups", spec.fold));
    // Keep one group for training, and one more for validation when asked for.
    const std::size_t keep = spec.valFraction > 0.0 && groups.size() >= 3 ? 2 : 1;
    split.testGroups =
        drawGroups(groups, sizes, spec.testFraction * double(ds.clips.size()), keep, rng);
    pickValidationGroups(spec, groups, sizes, split);
    assignByGroup(ds, split);
    return split;
}

Split randomSplit(const Dataset& ds, const SplitSpec& spec) {
    Split split;
    std::map<int, std::vector<int>> byClass;
    for (std::size_t i = 0; i < ds.clips.size(); ++i) {
        byClass[ds.clips[i].label].push_back(static_cast<int>(i));
    }
    for (auto& [label, members] : byClass) {
        Rng rng(streamSeed(spec.seed, "random", label));
        rng.shuffle(members);
        const int n = static_cast<int>(members.size());
        // Every class keeps at least one training clip.
        const int nTest = std::clamp(int(std::lround(n * spec.testFraction)), 0, n - 1);
        const int nVal =
            std::clamp(int(std::lround((n - nTest) * spec.valFraction)), 0, n - nTest - 1);
        for (int k = 0; k < n; ++k) {
            auto& side = k < nTest ? split.test : k < nTest + nVal ? split.val : split.train;
            side.push_back(members[static_cast<std::size_t>(k)]);
        }
    }
    return split;
}

bool groupsOverlap(const Dataset& ds, const std::vector<int>& a, const std::vector<int>& b) {
    std::set<std::string> ga;
    for (int i : a) {
        ga.insert(ds.clips[static_cast<std::size_t>(i)].group);
    }
    return std::any_of(b.begin(), b.end(), [&](int i) {
        return ga.count(ds.clips[static_cast<std::size_t>(i)].group) > 0;
    });
}

}  // namespace

const std::vector<std::string>& splitProtocols() {
    static const std::vector<std::string> protocols = {"logo", "groups", "random"};
    return protocols;
}

int foldCount(const Dataset& dataset, const std::string& protocol) {
    if (protocol == "logo") {
        return static_cast<int>(sortedGroups(dataset).size());
    }
    if (protocol == "groups" || protocol == "random") {
        return 1;
    }
    throw ConfigError("unknown split protocol \"" + protocol +
                      "\" (expected logo, groups or random)");
}

Split makeSplit(const Dataset& dataset, const SplitSpec& spec) {
    const int folds = foldCount(dataset, spec.protocol);
    if (dataset.clips.empty()) {
        throw DatasetError(dataset.root, "no usable clips to split");
    }
    if (spec.fold < 0 || spec.fold >= folds) {
        throw ConfigError("fold " + std::to_string(spec.fold) + " is outside [0, " +
                          std::to_string(folds) + ") for split protocol " + spec.protocol);
    }
    checkFractions(spec, spec.protocol != "logo");
    const std::vector<std::string> groups = sortedGroups(dataset);
    if (spec.protocol != "random" && groups.size() < 2) {
        throw ConfigError("split protocol " + spec.protocol +
                          " needs at least 2 groups; the data set has " +
                          std::to_string(groups.size()));
    }

    Split split = spec.protocol == "logo"     ? logoSplit(dataset, spec, groups)
                  : spec.protocol == "groups" ? groupHoldout(dataset, spec, groups)
                                              : randomSplit(dataset, spec);
    split.protocol = spec.protocol;
    split.fold = spec.fold;
    split.seed = spec.seed;
    for (auto* side : {&split.train, &split.val, &split.test}) {
        std::sort(side->begin(), side->end());
    }
    // Random is leaking by construction (even if a draw happens to separate
    // every group, another seed would not); the others are checked.
    split.leaking = spec.protocol == "random" || groupsOverlap(dataset, split.train, split.test);
    if (split.train.empty() || split.test.empty()) {
        throw ConfigError("split " + spec.protocol + " fold " + std::to_string(spec.fold) +
                          " leaves an empty " + (split.train.empty() ? "training" : "test") +
                          " set (" + std::to_string(dataset.clips.size()) + " clips)");
    }
    return split;
}

}  // namespace vidrnn
