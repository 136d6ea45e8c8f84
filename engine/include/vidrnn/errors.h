// The engine's exception hierarchy. Logic errors are bugs (a broken invariant);
// runtime errors come from the environment (a file, a video, the store) or from
// the user's settings. Every runtime error that concerns a file carries its path
// and the message always names it, so boundaries (CLI, GUI) can print what()
// as it is.
#pragma once

#include <stdexcept>
#include <string>

namespace vidrnn {

// A broken invariant inside vidrnn: a bug, never the user's fault.
class LogicError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// Base of every error caused by input, files or the machine.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& reason) : std::runtime_error(reason), mReason(reason) {}
    Error(const std::string& path, const std::string& reason)
        : std::runtime_error(path.empty() ? reason : path + ": " + reason),
          mPath(path),
          mReason(reason) {}

    // The file or folder concerned; empty when none.
    const std::string& path() const noexcept { return mPath; }
    // The reason alone, without the path.
    const std::string& reason() const noexcept { return mReason; }

private:
    std::string mPath;
    std::string mReason;
};

// Bad settings: unknown architecture, hidden 0, a fold that does not exist...
class ConfigError : public Error {
public:
    using Error::Error;
};

// A video that cannot be opened or decoded.
class VideoError : public Error {
public:
    using Error::Error;
};

// A data set folder or manifest that cannot be used.
class DatasetError : public Error {
public:
    using Error::Error;
};

// The SQLite run store: not a database, newer schema, locked, read-only...
class StoreError : public Error {
public:
    using Error::Error;
};

// A sweep cell's write refused: the attempt that made it lost its lease (it
// ran out and another worker claimed the cell, or the cell ended meanwhile).
// The attempt stops; the cell is the other attempt's now.
class LeaseLost : public StoreError {
public:
    using StoreError::StoreError;
};

// Backbones, checkpoints and model files.
class ModelError : public Error {
public:
    using Error::Error;
};

// The feature cache (corrupt entries are recomputed, so this is rare).
class CacheError : public Error {
public:
    using Error::Error;
};

// A training run that cannot go on (non-finite loss, ...).
class TrainingError : public Error {
public:
    using Error::Error;
};

}  // namespace vidrnn
