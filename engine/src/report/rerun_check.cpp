#include "vidrnn/rerun.h"

#include <algorithm>
#include <cstdio>

#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

// 17 significant digits: two doubles that differ print differently.
std::string exact(double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.17g", v);
    return buffer;
}

std::string exact(const std::optional<double>& v) {
    return v ? exact(*v) : "none";
}

RunRecord completedRun(const RunStore& store, std::int64_t id) {
    auto run = store.getRun(id);
    if (!run) {
        throw ConfigError("no run " + std::to_string(id) + " in " + store.path());
    }
    if (run->status != RunStatus::Completed) {
        throw ConfigError("run " + std::to_string(id) + " is " + toString(run->status) +
                          ", not completed: nothing to compare");
    }
    return *run;
}

class Differences {
public:
    explicit Differences(std::vector<std::string>& out) : mOut(out) {}
    template <typename T>
    void compare(const std::string& what, const T& a, const T& b) {
        if (!(a == b)) {
            mOut.push_back(what + ": " + text(a) + " vs " + text(b));
        }
    }

private:
    static std::string text(double v) { return exact(v); }
    static std::string text(const std::optional<double>& v) { return exact(v); }
    static std::string text(std::int64_t v) { return std::to_string(v); }
    static std::string text(int v) { return std::to_string(v); }
    static std::string text(const std::optional<int>& v) { return v ? std::to_string(*v) : "none"; }
    static std::string text(const std::optional<std::int64_t>& v) {
        return v ? std::to_string(*v) : "none";
    }
    static std::string text(std::size_t v) { return std::to_string(v); }
    std::vector<std::string>& mOut;
};

}  // namespace

RerunCheck checkRerun(const RunStore& store, std::int64_t original, std::int64_t rerun) {
    const RunRecord a = completedRun(store, original);
    const RunRecord b = completedRun(store, rerun);
    RerunCheck check;
    check.original = original;
    check.rerun = rerun;
    Differences d(check.differences);

    const auto ea = store.epochs(original), eb = store.epochs(rerun);
    for (std::size_t i = 0; i < std::max(ea.size(), eb.size()); ++i) {
        const std::string at = "epoch " + std::to_string(i + 1) + " ";
        if (i >= ea.size() || i >= eb.size()) {
            check.differences.push_back(
                at + (i >= ea.size() ? "only in the rerun" : "only in the original"));
            continue;
        }
        d.compare(at + "train loss", ea[i].trainLoss, eb[i].trainLoss);
        d.compare(at + "train accuracy", ea[i].trainAcc, eb[i].trainAcc);
        d.compare(at + "val loss", ea[i].valLoss, eb[i].valLoss);
        d.compare(at + "val accuracy", ea[i].valAcc, eb[i].valAcc);
        d.compare(at + "val macro F1", ea[i].valMacroF1, eb[i].valMacroF1);
        d.compare(at + "lr", ea[i].lr, eb[i].lr);
    }
    d.compare("best epoch", a.bestEpoch, b.bestEpoch);
    d.compare("test clips", a.testCount, b.testCount);
    d.compare("test accuracy", a.accuracy, b.accuracy);
    d.compare("test macro F1", a.macroF1, b.macroF1);
    d.compare("params", a.params, b.params);
    d.compare("reversed accuracy", a.reversedAccuracy, b.reversedAccuracy);
    d.compare("reversed macro F1", a.reversedMacroF1, b.reversedMacroF1);
    d.compare("shuffled accuracy", a.shuffledAccuracy, b.shuffledAccuracy);
    d.compare("shuffled macro F1", a.shuffledMacroF1, b.shuffledMacroF1);
    // Clip by clip (schema 9): an original stored before has none to compare.
    if (a.shuffledLost && a.reversedLost) {
        d.compare("reversed clips lost", a.reversedLost, b.reversedLost);
        d.compare("reversed clips gained", a.reversedGained, b.reversedGained);
        d.compare("shuffled clips lost", a.shuffledLost, b.shuffledLost);
        d.compare("shuffled clips gained", a.shuffledGained, b.shuffledGained);
    }

    const auto ca = store.confusion(original), cb = store.confusion(rerun);
    if (ca.size() != cb.size()) {
        check.differences.push_back("confusion matrix: " + std::to_string(ca.size()) + " vs " +
                                    std::to_string(cb.size()) + " classes");
    } else {
        for (std::size_t t = 0; t < ca.size(); ++t) {
            for (std::size_t p = 0; p < ca[t].size() && p < cb[t].size(); ++p) {
                d.compare("confusion [" + std::to_string(t) + "][" + std::to_string(p) + "]",
                          ca[t][p], cb[t][p]);
            }
        }
    }
    const auto pa = store.predictions(original), pb = store.predictions(rerun);
    d.compare("test predictions", pa.size(), pb.size());
    for (std::size_t i = 0; i < std::min(pa.size(), pb.size()); ++i) {
        if (pa[i].clip != pb[i].clip || pa[i].predicted != pb[i].predicted ||
            pa[i].probabilities != pb[i].probabilities) {
            check.differences.push_back(
                "prediction of " + pa[i].clip + ": class " + std::to_string(pa[i].predicted) +
                " vs " + std::to_string(pb[i].predicted) +
                (pa[i].probabilities != pb[i].probabilities ? ", probabilities differ" : ""));
        }
    }

    const auto fa = provenanceFields(a.provenance), fb = provenanceFields(b.provenance);
    for (std::size_t i = 0; i < fa.size(); ++i) {
        if (fa[i].second != fb[i].second) {
            check.provenance.push_back(fa[i].first + ": " + fa[i].second + " vs " + fb[i].second);
        }
    }
    return check;
}

std::string formatRerunCheck(const RerunCheck& check, std::size_t maxLines) {
    std::string out = "run " + std::to_string(check.rerun) + " against run " +
                      std::to_string(check.original) + ": ";
    if (check.identical()) {
        out +=
            "identical (every epoch's losses and accuracies, the test metrics, the "
            "confusion matrix, the per-clip probabilities and the order diagnostics, to "
            "the last bit)\n";
    } else {
        out += std::to_string(check.differences.size()) + " difference" +
               (check.differences.size() == 1 ? "" : "s") + "\n";
        for (std::size_t i = 0; i < check.differences.size() && i < maxLines; ++i) {
            out += "  " + check.differences[i] + "\n";
        }
        if (check.differences.size() > maxLines) {
            out += "  ... and " + std::to_string(check.differences.size() - maxLines) + " more\n";
        }
    }
    if (check.provenance.empty()) {
        out += "provenance: the same build, libraries, CPU, threads, device, precision and host\n";
    } else {
        out += "provenance differs:\n";
        for (const auto& line : check.provenance) {
            out += "  " + line + "\n";
        }
    }
    return out;
}

}  // namespace vidrnn
