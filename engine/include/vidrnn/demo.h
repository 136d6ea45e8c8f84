// A synthetic stand-in for UCF11, so the whole pipeline can run without the
// real archive: real video files (Motion-JPEG in .avi: libjpeg frames from
// OpenCV in a plain AVI container) in the exact UCF11 layout,
// <out>/<class folder>/v_<token>_<GG>/v_<token>_<GG>_<CC>.avi, with the 11
// real class folder names and file tokens.
//
// Each class is a distinct procedurally animated action of a stick figure and
// its objects (dribble-and-shoot under a backboard, riding along a road, a
// dive from a platform into a pool, a golf swing on a fairway, a horse by a
// paddock fence, juggling before a goal, a playground swing, a tennis stroke
// at the net, a spike at a beach volleyball net, walking a dog on a brick
// path). The action is framed close, as UCF11's hand-held clips are: the
// figure is about two thirds of the frame high and the sport's objects and
// ground are large, so the class survives in globally pooled CNN features
// (even the built-in, not pretrained ResNet-18), not only in a few pixels.
// Nuisance variation: speed, phase, size, position, mirroring, colours,
// per-group backdrop and actor style (clips of one group share them, as UCF11
// groups share actor and scene; backdrops are muted mid-tones of any hue),
// exposure and white balance per clip, pixel noise, camera jitter and
// drifting distractor objects.
//
// The reversed pair: every trampoline_jumping clip v_jumping_GG_CC is the
// diving clip v_diving_GG_CC played backwards, frame for frame. The two
// classes hold the same set of frames, so an order-blind model (mean pooling
// of frame features) cannot tell them apart; a recurrent model can. The dive
// changes large areas of the picture in one direction only (the diver leaves
// the platform, a tall splash rises and falls, foam spreads over the pool and
// stays to the end of the clip), so the order shows in the features.
//
// Everything is a function of (preset, seed): vidrnn's own PRNG drives every
// choice, and each clip has its own stream, so the bytes written do not depend
// on thread count or order (for one OpenCV/libjpeg build).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vidrnn/config.h"

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

// Named run settings, one set shared by the CLI (`--preset NAME`) and the
// workbench (Train view, Preset):
// - "user": vidrnn's defaults for user data, TrainConfig's own (the pretrained
//   MobileNetV2, 16 frames at 224 px, logo split, 30 epochs, batch 32, patience 8);
// - "demo": the demo's, as `vidrnn demo` and "Reproduce the study" run them
//   (12 frames at 64 px: 2x2 ResNet maps keep ConvLSTM affordable on two
//   cores; the built-in random ResNet-18, which serves the demo better (docs/models.md);
//   groups split, 15 epochs, batch 16, patience 5).
// Only backbone, frames, image size, split, epochs, batch, learning rate and
// patience change; the data set, model, seed and device are kept. Throws
// ConfigError naming the presets for an unknown name.
TrainConfig withPreset(const std::string& name, TrainConfig config);
const std::vector<std::string>& presetNames();

}  // namespace vidrnn
