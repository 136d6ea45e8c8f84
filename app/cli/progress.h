// Progress lines on stderr (one line rewritten in place), silent with --quiet.
#pragma once

#include <chrono>
#include <cstdio>

#include "vidrnn/features.h"
#include "vidrnn/store.h"
#include "vidrnn/trainer.h"

namespace vidrnn::cli {

class ProgressPrinter {
public:
    explicit ProgressPrinter(bool quiet) : mQuiet(quiet) {}

    void extract(const ExtractProgress& p) {
        if (mQuiet || !due(p.done == p.total)) {
            return;
        }
        std::fprintf(stderr, "\rfeatures %d/%d (computed %d, cached %d, skipped %d) %.1f clips/s, ETA %.0f s   ",
                     p.done, p.total, p.computed, p.cached, p.skipped, p.clipsPerSecond, p.etaSeconds);
        mOpen = true;
        if (p.done == p.total) {
            finish();
        }
    }
    void batch(const BatchProgress& p) {
        if (mQuiet || !due(false)) {
            return;
        }
        std::fprintf(stderr, "\repoch %d batch %d/%d loss %.4f (smoothed %.4f) ETA %.0f s   ",
                     p.epoch, p.batch, p.batches, p.loss, p.smoothedLoss, p.etaSeconds);
        mOpen = true;
    }
    void epoch(const EpochRecord& e) {
        if (mQuiet) {
            return;
        }
        finish();
        std::fprintf(stderr, "epoch %d: train loss %.4f acc %.3f", e.epoch, e.trainLoss, e.trainAcc);
        if (e.valLoss) {
            std::fprintf(stderr, " | val loss %.4f acc %.3f macro F1 %.3f", *e.valLoss, *e.valAcc,
                         *e.valMacroF1);
        }
        std::fprintf(stderr, " (%.1f s)\n", e.seconds);
    }
    void finish() {
        if (mOpen) {
            std::fputc('\n', stderr);
            mOpen = false;
        }
    }

private:
    // At most ten updates a second, and always the last one.
    bool due(bool last) {
        const auto now = std::chrono::steady_clock::now();
        if (!last && now - mLast < std::chrono::milliseconds(100)) {
            return false;
        }
        mLast = now;
        return true;
    }

    bool mQuiet;
    bool mOpen = false;
    std::chrono::steady_clock::time_point mLast{};
};

}  // namespace vidrnn::cli
