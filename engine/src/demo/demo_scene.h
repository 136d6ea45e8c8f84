// Procedural scenes for the demo data set (see vidrnn/demo.h): group and clip
// styles drawn from the PRNG, a painter in normalised scene coordinates, the
// stick figure, and one drawing routine per action.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "util/rng.h"

namespace vidrnn::data {

// One per UCF11 class, in ucf11Classes() order. Jumping (trampoline) has no
// drawing of its own: it is Diving played backwards.
enum class DemoAction {
    Shooting,
    Biking,
    Diving,
    Golf,
    Riding,
    Juggle,
    Swing,
    Tennis,
    Jumping,
    Spiking,
    WalkDog
};

struct SceneGeometry {
    cv::Size frame;  // output frame size
    int margin = 0;  // canvas border for camera jitter, px
    cv::Size canvas() const { return {frame.width + 2 * margin, frame.height + 2 * margin}; }
};

// Shared by every clip of a group, like a UCF11 group's scene and actor.
struct GroupStyle {
    cv::Mat background;       // canvas-sized, BGR
    cv::Scalar actor;         // figure colour
    cv::Scalar accent;        // balls, bikes, rackets
    double thickness = 0.04;  // line width, fraction of the frame height
    double groundY = 0.85;    // ground line, fraction of the frame height
};

struct Distractor {
    cv::Point2d start;     // scene coordinates
    cv::Point2d velocity;  // per clip (u from 0 to 1)
    double radius = 0.03;
    cv::Scalar colour;
    int shape = 0;  // 0 disc, 1 square, 2 triangle
};

// Nuisance variation of one clip.
struct ClipStyle {
    int frames = 0;
    double speed = 1.0;               // action rate multiplier
    double phase = 0.0;               // where in its cycle the action starts, [0, 1)
    double scale = 1.0;               // figure size multiplier
    double amplitude = 1.0;           // swing/bounce size multiplier
    cv::Point2d shift;                // framing offset, scene units
    bool mirror = false;              // action runs right-to-left
    cv::Scalar actor, accent, extra;  // extra: horse coat, water tint...
    cv::Vec3d gain{1, 1, 1};          // exposure and white balance (B, G, R)
    double bias = 0.0;                // black level
    double noise = 0.0;               // pixel noise sigma
    std::vector<cv::Point> jitter;    // camera offset per frame, px
    std::vector<Distractor> distractors;
    std::uint64_t noiseSeed = 0;
};

GroupStyle makeGroupStyle(Rng& rng, const SceneGeometry& geo);
ClipStyle makeClipStyle(Rng& rng, const GroupStyle& group, const SceneGeometry& geo, int frames,
                        double noiseMax);

// Frame t (0-based) of a clip: BGR, geo.frame sized.
cv::Mat renderFrame(DemoAction action, const GroupStyle& group, const ClipStyle& clip,
                    const SceneGeometry& geo, int t);

using P = cv::Point2d;

// Draws in scene coordinates, both in frame heights: y in [0, 1] down the
// frame, x in [0, 1] across its central square (wider frames show a little
// beyond), mirrored about x = 0.5 when the clip is. Shapes keep their
// proportions at any aspect ratio. Antialiased, sub-pixel precise.
class Painter {
public:
    Painter(cv::Mat& canvas, const SceneGeometry& geo, const ClipStyle& clip);

    void line(P a, P b, const cv::Scalar& colour, double thickness) const;
    void circle(P centre, double radius, const cv::Scalar& colour, double thickness = -1) const;
    void ellipse(P centre, double rx, double ry, double angleDeg, const cv::Scalar& colour,
                 double thickness = -1) const;
    void rect(P a, P b, const cv::Scalar& colour) const;
    void polygon(const std::vector<P>& points, const cv::Scalar& colour) const;

private:
    cv::Point px(P p) const;
    int len(double l) const;
    int width(double thickness) const;

    cv::Mat& mCanvas;
    SceneGeometry mGeo;
    bool mMirror;
    P mShift;
};

struct Pose {
    P hip;
    double size = 0.35;              // standing height from hip to head top is about 0.77 * size
    double tilt = 0.0;               // body rotation, radians, positive leans toward +x
    double armA = 0.3, armB = -0.3;  // from hanging down, positive toward +x
    double legA = 0.12, legB = -0.12;
};

struct Joints {
    P hip, neck, head, handA, handB, footA, footB;
};

Joints drawFigure(const Painter& p, const Pose& pose, const cv::Scalar& colour, double thickness);
// Where the limbs end, without drawing.
Joints figureJoints(const Pose& pose);
// Hip height that puts the feet of an upright figure of `size` on the ground.
double standingHip(double groundY, double size);

// The action's own objects and figure at progress u in [0, 1].
void drawAction(DemoAction action, const Painter& p, const GroupStyle& group, const ClipStyle& clip,
                double u);

}  // namespace vidrnn::data
