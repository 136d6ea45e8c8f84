// The bad-input suite's inputs, generated at test time into a folder: broken
// and unusual videos, data sets, backbones, checkpoints, stores and settings,
// each with what vidrnn must make of it. The engine, CLI and GUI suites walk
// the same catalogue. Only std types here: Qt tests include this, and the
// generator's use of LibTorch and OpenCV stays in badinputs.cpp.
#pragma once

#include <string>
#include <vector>

#include "vidrnn/config.h"

namespace vidrnn::test {

struct BadInput {
    enum class Expect {
        Usable,  // works (a video decodes, a data set scans, a file loads)
        Error,   // refused with a message naming `path` and containing `reason`
    };
    std::string id;        // unique, e.g. "video/cut-mp4-100"
    std::string category;  // video | dataset | backbone | checkpoint | store | setting
    std::string path;      // the input (settings: empty)
    Expect expect = Expect::Usable;
    std::string reason;             // Error: a part of the message
    std::vector<std::string> args;  // setting: train options ("--hidden", "0")
    int clips = -1;                 // dataset, Usable: usable clips (-1 = not checked)
    std::string note;               // dataset, Usable: a part of some note or skip reason
    bool utf8Path = true;           // false: the path holds Latin-1 bytes, not valid UTF-8
    bool unprivileged = false;      // the reason shows only to a user other than root
};

struct BadInputs {
    std::string root;
    // Videos lie in <root>/videos/ok (usable) and <root>/videos/bad, so the
    // folder is also a two-class data set whose "bad" clips are all skipped.
    std::string videoDataset;
    std::vector<BadInput> inputs;
    // Data sets and settings refer to this clean folder data set (2 classes
    // x 2 groups x 2 clips of 24 frames, 64x48 MJPG).
    std::string cleanDataset;
    // The configuration checkpoints are checked against: gru, hidden 8, the
    // built-in backbone at 32 px, 4 frames, over cleanDataset's two classes.
    std::string checkpointArch = "gru";
    int checkpointHidden = 8;

    std::vector<const BadInput*> of(const std::string& category) const;
    int count(const std::string& category) const;
};

// Writes every input under `root` (created; it must not hold an earlier
// catalogue). Throws
// std::runtime_error when something cannot be written.
BadInputs writeBadInputs(const std::string& root);

// Removes what writeBadInputs wrote (QTemporaryDir cannot: it would not find
// the files whose names are not UTF-8).
void removeBadInputs(const BadInputs& inputs);

// The clean video every data set copies: `frames` frames, 64x48 MJPG.
void writeCleanClip(const std::string& path, int frames = 24);

// Holds the write lock of a store, as another program's open transaction
// does, until destroyed.
class StoreLock {
public:
    explicit StoreLock(const std::string& path);
    ~StoreLock();
    StoreLock(const StoreLock&) = delete;
    StoreLock& operator=(const StoreLock&) = delete;

private:
    void* mDb = nullptr;  // sqlite3*
};

// A setting's train options applied to `base` (the engine suite's view of
// what the CLI parses).
TrainConfig applySettings(TrainConfig base, const std::vector<std::string>& args);

// Checks a refusal: the message names the input (starts with "<path>: ",
// unless the input has no path) and contains the reason. Returns "" when it
// does, else what is wrong, for the test's failure message.
std::string checkMessage(const BadInput& input, const std::string& message);

}  // namespace vidrnn::test
