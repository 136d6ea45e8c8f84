// Train / validation / test splits of a Dataset. A split is a pure function of
// (dataset clips, protocol, fold, seed, fractions): it uses vidrnn's own seeded
// PRNG, never std::shuffle (whose results differ between standard libraries).
//
// Protocols:
//  "logo"    leave-one-group-out: fold k tests every clip of Dataset::groups[k]
//            (groups in sorted order, so on UCF11 fold 0 tests GG = 01, 25 folds).
//  "groups"  one group-disjoint holdout: whole groups drawn for test (about
//            testFraction of the clips), then for validation. One fold (0).
//  "random"  clip-level, stratified by class. Clips of one group land on both
//            sides, so near-duplicates leak and accuracy is inflated: the split
//            is marked leaking. One fold (0).
// Validation (for early stopping) always comes out of the training groups:
// for logo and groups it is a set of whole groups (about valFraction of the
// non-test clips), group-disjoint from train and test; for random it is a
// stratified slice of the non-test clips.
#pragma once

#include <string>
#include <vector>

#include "vidrnn/dataset.h"

namespace vidrnn {

struct SplitSpec {
    std::string protocol = "logo";
    int fold = 0;
    int seed = 0;
    double valFraction = 0.15;  // of the non-test clips; 0 = no validation set
    double testFraction = 0.2;  // groups and random only
};

struct Split {
    std::vector<int> train, val, test;  // indices into Dataset::clips, ascending
    std::string protocol;
    int fold = 0;
    int seed = 0;
    bool leaking = false;                 // some group has clips in both train and test
    std::vector<std::string> testGroups;  // groups held out for test (empty for random)
    std::vector<std::string> valGroups;   // groups held out for validation (empty for random)
};

// Throws ConfigError for an unknown protocol, a fold outside [0, foldCount),
// fractions out of range, or a data set with too few groups or clips for the
// protocol (naming what is wrong).
Split makeSplit(const Dataset& dataset, const SplitSpec& spec);

// logo: number of groups; groups and random: 1. Throws ConfigError for an
// unknown protocol.
int foldCount(const Dataset& dataset, const std::string& protocol);

// The protocols, for option lists: {"logo", "groups", "random"}.
const std::vector<std::string>& splitProtocols();

}  // namespace vidrnn
