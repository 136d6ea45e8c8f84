#include "demo/demo_scene.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace vidrnn::data {
namespace {

constexpr int kShift = 4;  // fixed-point bits for OpenCV's sub-pixel drawing
constexpr double kOne = 1 << kShift;

// HSV (h in degrees, s and v in [0, 1]) to a BGR scalar; our own so that
// colours never depend on OpenCV's conversion tables.
cv::Scalar hsv(double h, double s, double v) {
    h = std::fmod(h, 360.0) / 60.0;
    const int i = static_cast<int>(h);
    const double f = h - i;
    const double pv = v * (1 - s), qv = v * (1 - s * f), tv = v * (1 - s * (1 - f));
    // (r, g, b) for each 60-degree sector of the hue circle.
    const double sector[6][3] = {{v, tv, pv}, {qv, v, pv}, {pv, v, tv},
                                 {pv, qv, v}, {tv, pv, v}, {v, pv, qv}};
    const double* rgb = sector[i % 6];
    return {rgb[2] * 255, rgb[1] * 255, rgb[0] * 255};
}

cv::Scalar randomColour(Rng& rng, double sLo, double sHi, double vLo, double vHi) {
    return hsv(rng.uniform(0, 360), rng.uniform(sLo, sHi), rng.uniform(vLo, vHi));
}

cv::Scalar jitterColour(Rng& rng, const cv::Scalar& c, double amount) {
    cv::Scalar out;
    for (int k = 0; k < 3; ++k) {
        out[k] = std::clamp(c[k] + rng.uniform(-amount, amount), 0.0, 255.0);
    }
    return out;
}

cv::Scalar mix(const cv::Scalar& a, const cv::Scalar& b, double t) {
    return a * (1 - t) + b * t;
}

// Sky or wall above the ground line, ground below, plus one of four scene
// types, so that groups differ the way UCF11's locations do. The sky or wall
// and the ground are muted mid-tones of any hue. They cover most of the frame,
// and a CNN's whole-frame features respond to a flat area roughly in
// proportion to how far its colour is from the network's input mean: bright,
// saturated backdrops drowned the action in the features (the group explained
// most of their variance, the class a few percent), muted ones still make
// every group look different.
cv::Mat makeBackground(Rng& rng, const SceneGeometry& geo, double groundY) {
    const cv::Size size = geo.canvas();
    cv::Mat bg(size, CV_8UC3);
    const int horizon = geo.margin + static_cast<int>(groundY * geo.frame.height) -
                        static_cast<int>(rng.uniform(0.05, 0.25) * geo.frame.height);
    const cv::Scalar top = randomColour(rng, 0.05, 0.3, 0.45, 0.65);
    const cv::Scalar low = jitterColour(rng, top, 25);
    const cv::Scalar ground = randomColour(rng, 0.1, 0.4, 0.32, 0.55);
    for (int y = 0; y < size.height; ++y) {
        const cv::Scalar c = y < horizon
                                 ? mix(top, low, double(y) / std::max(1, horizon))
                                 : mix(ground, ground * 0.75,
                                       double(y - horizon) / std::max(1, size.height - horizon));
        bg.row(y).setTo(c);
    }
    const int kind = static_cast<int>(rng.below(4));
    if (kind == 1) {  // field: bands across the ground
        const int band = std::max(2, size.height / 24);
        for (int y = horizon; y < size.height; y += 2 * band) {
            bg.rowRange(y, std::min(size.height, y + band)) += cv::Scalar::all(18);
        }
    } else if (kind == 2) {  // indoor: wall panels
        const int w = std::max(4, static_cast<int>(size.width * rng.uniform(0.08, 0.2)));
        const cv::Scalar shade = cv::Scalar::all(rng.uniform(10, 30));
        for (int x = 0; x < size.width; x += 2 * w) {
            bg(cv::Rect(x, 0, std::min(w, size.width - x), horizon)) -= shade;
        }
    } else if (kind == 3) {  // outdoors: trees or buildings along the horizon
        const int n = rng.range(4, 9);
        for (int i = 0; i < n; ++i) {
            const cv::Point c(static_cast<int>(rng.uniform(0, size.width)),
                              horizon - static_cast<int>(rng.uniform(0, 0.25) * size.height));
            const cv::Size axes(static_cast<int>(rng.uniform(0.05, 0.15) * size.width),
                                static_cast<int>(rng.uniform(0.06, 0.2) * size.height));
            cv::ellipse(bg, c, axes, 0, 0, 360, randomColour(rng, 0.2, 0.8, 0.2, 0.7), -1,
                        cv::LINE_AA);
        }
    }
    cv::GaussianBlur(bg, bg, cv::Size(5, 5), 0);
    return bg;
}

P rotateDown(P down, double a) {
    return {down.x * std::cos(a) + down.y * std::sin(a),
            -down.x * std::sin(a) + down.y * std::cos(a)};
}

}  // namespace

GroupStyle makeGroupStyle(Rng& rng, const SceneGeometry& geo) {
    GroupStyle g;
    g.groundY = rng.uniform(0.8, 0.9);
    g.background = makeBackground(rng, geo, g.groundY);
    g.actor = randomColour(rng, 0.5, 1.0, 0.45, 1.0);
    g.accent = randomColour(rng, 0.6, 1.0, 0.6, 1.0);
    g.thickness = rng.uniform(0.032, 0.046);
    return g;
}

ClipStyle makeClipStyle(Rng& rng, const GroupStyle& group, const SceneGeometry& geo, int frames,
                        double noiseMax) {
    ClipStyle c;
    c.frames = frames;
    c.speed = rng.uniform(0.8, 1.25);
    c.phase = rng.uniform();
    c.scale = rng.uniform(0.85, 1.15);
    c.amplitude = rng.uniform(0.8, 1.2);
    c.shift = {rng.uniform(-0.06, 0.06), rng.uniform(-0.015, 0.015)};
    c.mirror = rng.chance(0.5);
    c.actor = jitterColour(rng, group.actor, 20);
    c.accent = jitterColour(rng, group.accent, 30);
    c.extra = randomColour(rng, 0.3, 0.8, 0.3, 0.8);
    // Exposure and white balance: one gain per channel.
    const double exposure = rng.uniform(0.9, 1.1);
    for (int ch = 0; ch < 3; ++ch) {
        c.gain[ch] = exposure * rng.uniform(0.9, 1.1);
    }
    c.bias = rng.uniform(-10, 10);
    c.noise = rng.uniform(1.0, noiseMax);
    // Hand-held camera: a bounded random walk.
    const double shake = rng.uniform(0.0, 0.6) * geo.margin;
    P at;
    for (int t = 0; t < frames; ++t) {
        at.x =
            std::clamp(at.x + rng.normal() * shake * 0.5, -double(geo.margin), double(geo.margin));
        at.y =
            std::clamp(at.y + rng.normal() * shake * 0.5, -double(geo.margin), double(geo.margin));
        c.jitter.emplace_back(static_cast<int>(std::lround(at.x)),
                              static_cast<int>(std::lround(at.y)));
    }
    const int n = rng.range(0, 3);
    for (int i = 0; i < n; ++i) {
        Distractor d;
        d.start = {rng.uniform(0, 1), rng.uniform(0.05, group.groundY - 0.1)};
        d.velocity = {rng.uniform(-0.4, 0.4), rng.uniform(-0.1, 0.1)};
        d.radius = rng.uniform(0.015, 0.045);
        d.colour = randomColour(rng, 0.2, 1.0, 0.3, 1.0);
        d.shape = static_cast<int>(rng.below(3));
        c.distractors.push_back(d);
    }
    c.noiseSeed = rng.next();
    return c;
}

Painter::Painter(cv::Mat& canvas, const SceneGeometry& geo, const ClipStyle& clip)
    : mCanvas(canvas), mGeo(geo), mMirror(clip.mirror), mShift(clip.shift) {}

cv::Point Painter::px(P p) const {
    double x = p.x + mShift.x;
    if (mMirror) {
        x = 1.0 - x;
    }
    const double y = p.y + mShift.y;
    // Both axes in frame heights, x centred: circles stay round at any aspect
    // ratio, and x in [0, 1] is the central square of the frame.
    const double h = mGeo.frame.height;
    return {static_cast<int>(
                std::lround((mGeo.margin + 0.5 * mGeo.frame.width + (x - 0.5) * h) * kOne)),
            static_cast<int>(std::lround((mGeo.margin + y * mGeo.frame.height) * kOne))};
}

int Painter::len(double l) const {
    return std::max(1, static_cast<int>(std::lround(l * mGeo.frame.height * kOne)));
}

int Painter::width(double thickness) const {
    return thickness < 0
               ? cv::FILLED
               : std::max(1, static_cast<int>(std::lround(thickness * mGeo.frame.height)));
}

void Painter::line(P a, P b, const cv::Scalar& colour, double thickness) const {
    cv::line(mCanvas, px(a), px(b), colour, width(thickness), cv::LINE_AA, kShift);
}

void Painter::circle(P centre, double radius, const cv::Scalar& colour, double thickness) const {
    cv::circle(mCanvas, px(centre), len(radius), colour, width(thickness), cv::LINE_AA, kShift);
}

void Painter::ellipse(P centre, double rx, double ry, double angleDeg, const cv::Scalar& colour,
                      double thickness) const {
    cv::ellipse(mCanvas, px(centre), cv::Size(len(rx), len(ry)), mMirror ? -angleDeg : angleDeg, 0,
                360, colour, width(thickness), cv::LINE_AA, kShift);
}

void Painter::rect(P a, P b, const cv::Scalar& colour) const {
    polygon({a, {b.x, a.y}, b, {a.x, b.y}}, colour);
}

void Painter::polygon(const std::vector<P>& points, const cv::Scalar& colour) const {
    std::vector<cv::Point> pts;
    for (const P& p : points) {
        pts.push_back(px(p));
    }
    cv::fillConvexPoly(mCanvas, pts, colour, cv::LINE_AA, kShift);
}

Joints figureJoints(const Pose& pose) {
    const P up{std::sin(pose.tilt), -std::cos(pose.tilt)};
    const P down = -up;
    Joints j;
    j.hip = pose.hip;
    j.neck = pose.hip + up * (0.5 * pose.size);
    j.head = j.neck + up * (0.17 * pose.size);
    j.handA = j.neck + rotateDown(down, pose.armA) * (0.38 * pose.size);
    j.handB = j.neck + rotateDown(down, pose.armB) * (0.38 * pose.size);
    j.footA = j.hip + rotateDown(down, pose.legA) * (0.5 * pose.size);
    j.footB = j.hip + rotateDown(down, pose.legB) * (0.5 * pose.size);
    return j;
}

Joints drawFigure(const Painter& p, const Pose& pose, const cv::Scalar& colour, double thickness) {
    const Joints j = figureJoints(pose);
    p.line(j.hip, j.footA, colour, thickness);
    p.line(j.hip, j.footB, colour, thickness);
    p.line(j.hip, j.neck, colour, thickness * 1.8);
    p.line(j.neck, j.handA, colour, thickness);
    p.line(j.neck, j.handB, colour, thickness);
    p.circle(j.head, 0.11 * pose.size, colour);
    return j;
}

double standingHip(double groundY, double size) {
    return groundY - 0.5 * size * std::cos(0.12);
}

cv::Mat renderFrame(DemoAction action, const GroupStyle& group, const ClipStyle& clip,
                    const SceneGeometry& geo, int t) {
    cv::Mat canvas = group.background.clone();
    const Painter painter(canvas, geo, clip);
    const double u = clip.frames > 1 ? double(t) / (clip.frames - 1) : 0.0;
    for (const Distractor& d : clip.distractors) {
        const P c = d.start + d.velocity * u;
        if (d.shape == 0) {
            painter.circle(c, d.radius, d.colour);
        } else if (d.shape == 1) {
            painter.rect(c - P(d.radius, d.radius), c + P(d.radius, d.radius), d.colour);
        } else {
            painter.polygon(
                {c + P(0, -d.radius), c + P(d.radius, d.radius), c + P(-d.radius, d.radius)},
                d.colour);
        }
    }
    drawAction(action, painter, group, clip, u);

    const cv::Point j =
        clip.jitter.empty() ? cv::Point() : clip.jitter[static_cast<std::size_t>(t)];
    cv::Mat view =
        canvas(cv::Rect(geo.margin + j.x, geo.margin + j.y, geo.frame.width, geo.frame.height));
    cv::Mat frame16;
    cv::Mat lit;
    view.convertTo(lit, CV_32FC3);
    cv::multiply(lit, cv::Scalar(clip.gain[0], clip.gain[1], clip.gain[2]), lit);
    lit.convertTo(frame16, CV_16SC3, 1.0, clip.bias);
    cv::Mat noise(frame16.size(), CV_16SC3);
    cv::RNG rng(clip.noiseSeed ^ (0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(t + 1)));
    rng.fill(noise, cv::RNG::NORMAL, 0.0, clip.noise);
    frame16 += noise;
    cv::Mat frame;
    frame16.convertTo(frame, CV_8UC3);
    return frame;
}

}  // namespace vidrnn::data
