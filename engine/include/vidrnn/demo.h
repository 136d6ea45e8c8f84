// A synthetic stand-in for UCF11, so the whole pipeline can run without the
// real archive: real video files (Motion-JPEG in .avi: libjpeg frames from
// OpenCV in a plain AVI container) in the exact UCF11 layout,
// <out>/<class folder>/v_<token>_<GG>/v_<token>_<GG>_<CC>.avi, with the 11
// real class folder names and file tokens.
//
// Each class is a distinct procedurally animated action of a stick figure and
// its objects (dribble-and-shoot, riding across on a bicycle, a dive into
// water, a golf swing, a galloping horse, ball juggling, a pendulum swing, a
// tennis stroke, ..., walking a dog). Nuisance variation: speed, phase, size,
// position, mirroring, colours, per-group background and actor style (clips of
// one group share them, as UCF11 groups share actor and scene), pixel noise,
// camera jitter and drifting distractor objects.
//
// The reversed pair: every trampoline_jumping clip v_jumping_GG_CC is the
// diving clip v_diving_GG_CC played backwards, frame for frame. The two
// classes hold the same set of frames, so an order-blind model (mean pooling
// of frame features) cannot tell them apart; a recurrent model can.
//
// Everything is a function of (preset, seed): vidrnn's own PRNG drives every
// choice, and each clip has its own stream, so the bytes written do not depend
// on thread count or order (for one OpenCV/libjpeg build).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace vidrnn {

// Reversed pair: kDemoReversedClass clips are kDemoForwardClass clips backwards.
inline constexpr const char* kDemoForwardClass = "diving";
inline constexpr const char* kDemoReversedClass = "trampoline_jumping";

struct DemoOptions {
    std::string outDir;
    // "small": 11 classes x 5 groups x 3 clips = 165 clips, 160x120, 24-32 frames
    //          (seconds to generate).
    // "full":  UCF11 scale: 25 groups, 4-7 clips per group and class (about
    //          1,500 clips, the count depends on the seed), 320x240, 32-48
    //          frames; about 350 MB and 90 CPU-seconds.
    // "tiny":  11 x 2 x 2 clips, 64x48, 12-16 frames, for tests.
    std::string preset = "small";
    std::uint64_t seed = 0;
    int threads = 0;  // writers; 0 = one per hardware thread (output is identical)
    // Called after each clip is written (from a worker thread, serialised).
    std::function<void(int done, int total)> progress;
    // Checked between clips; when it becomes true generateDemo throws
    // DatasetError(outDir, "demo generation cancelled") and writes no marker.
    const std::atomic<bool>* stop = nullptr;
};

struct DemoSummary {
    std::string outDir;  // absolute
    std::string preset;
    std::uint64_t seed = 0;
    int classes = 0;
    int groups = 0;
    int clips = 0;
    int width = 0;
    int height = 0;
    int minFrames = 0;
    int maxFrames = 0;
    double fps = 0.0;
    std::string reversedPair;  // "trampoline_jumping = diving reversed"
    bool reused = false;       // a complete demo of this preset+seed was already there
    double seconds = 0.0;      // wall time of this call
};

// Writes the demo (or finds it complete: a demo.json marker, written last,
// names the preset, seed and clip count). A folder holding anything else than
// an earlier demo is refused rather than overwritten: DatasetError. An earlier
// demo of another preset or seed, or an interrupted one, is replaced.
// Throws VideoError if the MJPG writer is unavailable or its output does not
// decode back.
DemoSummary generateDemo(const DemoOptions& options);

}  // namespace vidrnn
