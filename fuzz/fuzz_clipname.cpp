// Fuzz target: clip-name parsing (UCF11 v_<token>_GG_CC, UCF101 v_Name_gGG_cCC)
// and naturalLess, which sorts classes, groups and clips. Input: up to five
// lines: a file stem, a UCF11 token, then three strings to compare.
// Properties: parsing never crashes, results are well formed, case does not
// matter, a parsed name rebuilt from its parts parses the same, a UCF11 parse
// agrees with the generic one, and naturalLess is a strict total order (an
// inconsistent comparator makes std::sort read out of bounds).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "data/scan.h"
#include "fuzzutil.h"
#include "vidrnn/dataset.h"

using namespace vidrnn::data;

namespace {

[[noreturn]] void fail(const std::string& what) {
    vidrnn::fuzz::fail("fuzz_clipname", what);
}

bool operator==(const UcfName& a, const UcfName& b) {
    return a.group == b.group && a.clipNumber == b.clipNumber;
}

std::string two(int n) {
    return n < 10 ? "0" + std::to_string(n) : std::to_string(n);
}

bool digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

void checkWellFormed(const std::string& stem, const UcfName& n) {
    const bool ucf101 = !n.group.empty() && n.group[0] == 'g';
    const std::string number = ucf101 ? n.group.substr(1) : n.group;
    if (!digits(number) || number.size() < 2 || number.size() > 4 || n.clipNumber < 0 ||
        n.clipNumber > 9999) {
        fail("malformed result for '" + stem + "': group '" + n.group + "', clip " +
             std::to_string(n.clipNumber));
    }
    // The canonical name of the same group and clip parses to the same result.
    const std::string rebuilt = "v_x_" + n.group + "_" + (ucf101 ? "c" : "") + two(n.clipNumber);
    const auto again = parseAnyUcfName(rebuilt);
    if (!again || !(*again == n)) {
        fail("'" + rebuilt + "' (rebuilt from '" + stem + "') parses differently");
    }
}

void checkOrder(const std::vector<std::string>& s) {
    for (const auto& a : s) {
        if (naturalLess(a, a)) {
            fail("naturalLess(a, a) for '" + a + "'");
        }
        for (const auto& b : s) {
            const bool ab = naturalLess(a, b);
            const bool ba = naturalLess(b, a);
            if (ab && ba) {
                fail("both '" + a + "' < '" + b + "' and the reverse");
            }
            if (a != b && !ab && !ba) {
                fail("'" + a + "' and '" + b + "' differ but neither sorts first");
            }
            for (const auto& c : s) {
                if (ab && naturalLess(b, c) && !naturalLess(a, c)) {
                    fail("not transitive: '" + a + "' < '" + b + "' < '" + c + "'");
                }
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> parts;
    std::string current;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == '\n' && parts.size() < 4) {
            parts.push_back(current);
            current.clear();
        } else {
            current += static_cast<char>(data[i]);
        }
    }
    parts.push_back(current);
    parts.resize(5);
    const std::string& stem = parts[0];

    const auto any = parseAnyUcfName(stem);
    if (any) {
        checkWellFormed(stem, *any);
    }
    const auto lower = parseAnyUcfName(toLower(stem));
    if (any.has_value() != lower.has_value() || (any && !(*any == *lower))) {
        fail("case changes the parse of '" + stem + "'");
    }
    std::vector<std::string> tokens = {parts[1]};
    for (const auto& entry : vidrnn::ucf11Classes()) {
        tokens.push_back(entry.second);
    }
    for (const auto& token : tokens) {
        if (const auto ucf11 = parseUcf11Name(stem, token)) {
            checkWellFormed(stem, *ucf11);
            if (!any || !(*any == *ucf11)) {
                fail("'" + stem + "' parses as UCF11 for token '" + token +
                     "' but not the same generically");
            }
        }
    }

    checkOrder({parts[2], parts[3], parts[4], stem});
    // And as std::sort sees it, over every piece and its prefixes.
    std::vector<std::string> all;
    for (const auto& p : parts) {
        for (std::size_t n = 0; n <= p.size() && n < 24; ++n) {
            all.push_back(p.substr(0, n));
        }
    }
    std::sort(all.begin(), all.end(), naturalLess);
    for (std::size_t i = 1; i < all.size(); ++i) {
        if (naturalLess(all[i], all[i - 1])) {
            fail("std::sort left '" + all[i - 1] + "' before '" + all[i] + "'");
        }
    }
    return 0;
}
