// Progress on stderr, silent with --quiet. On a terminal one line is
// rewritten in place (at most ten times a second); to a file or pipe each
// update is a line of its own, at most one every few seconds, so a log stays
// readable. The last update of a phase is always written.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>

#include "vidrnn/features.h"
#include "vidrnn/store.h"
#include "vidrnn/trainer.h"

namespace vidrnn::cli {

class ProgressPrinter {
public:
    explicit ProgressPrinter(bool quiet)
        : ProgressPrinter(quiet, ::isatty(::fileno(stderr)) == 1) {}
    ProgressPrinter(bool quiet, bool terminal) : mQuiet(quiet), mTerminal(terminal) {}
    ~ProgressPrinter() { finish(); }  // an error ends the line before its message
    ProgressPrinter(const ProgressPrinter&) = delete;
    ProgressPrinter& operator=(const ProgressPrinter&) = delete;

    // "what done/total", e.g. scanning or generating clips.
    void count(const char* what, int done, int total) {
        if (!mQuiet && due(done == total)) {
            line(done == total, "%s %d/%d", what, done, total);
        }
    }
    void extract(const ExtractProgress& p) {
        if (mQuiet || !due(p.done == p.total)) {
            return;
        }
        line(p.done == p.total,
             "features %d/%d (computed %d, cached %d, skipped %d) %.1f clips/s, ETA %.0f s", p.done,
             p.total, p.computed, p.cached, p.skipped, p.clipsPerSecond, p.etaSeconds);
    }
    void batch(const BatchProgress& p) {
        if (mQuiet || !due(false)) {
            return;
        }
        line(false, "epoch %d batch %d/%d loss %.4f (smoothed %.4f) ETA %.0f s", p.epoch, p.batch,
             p.batches, p.loss, p.smoothedLoss, p.etaSeconds);
    }
    void epoch(const EpochRecord& e) {
        if (mQuiet) {
            return;
        }
        finish();
        std::fprintf(stderr, "epoch %d: train loss %.4f acc %.3f", e.epoch, e.trainLoss,
                     e.trainAcc);
        if (e.valLoss) {
            std::fprintf(stderr, " | val loss %.4f acc %.3f macro F1 %.3f", *e.valLoss, *e.valAcc,
                         *e.valMacroF1);
        }
        std::fprintf(stderr, " (%.1f s)\n", e.seconds);
    }
    // Ends an in-place line.
    void finish() {
        if (mOpen) {
            std::fputc('\n', stderr);
            mOpen = false;
        }
    }

private:
    // Terminal: one line overwritten; otherwise one line per update.
    __attribute__((format(printf, 3, 4))) void line(bool last, const char* format, ...) {
        va_list args;
        va_start(args, format);
        std::fputs(mTerminal ? "\r" : "", stderr);
        std::vfprintf(stderr, format, args);
        va_end(args);
        if (mTerminal) {
            std::fputs("   ", stderr);
            mOpen = true;
            if (last) {
                finish();
            }
        } else {
            std::fputc('\n', stderr);
        }
        std::fflush(stderr);
    }

    bool due(bool last) {
        const auto now = std::chrono::steady_clock::now();
        const auto every =
            mTerminal ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
        if (!last && mStarted && now - mLast < every) {
            return false;
        }
        mStarted = true;
        mLast = now;
        return true;
    }

    bool mQuiet;
    bool mTerminal;
    bool mOpen = false;
    bool mStarted = false;
    std::chrono::steady_clock::time_point mLast{};
};

}  // namespace vidrnn::cli
