// One drawing routine per demo action. Each maps clip progress u in [0, 1]
// (plus the clip's speed and phase) to a pose of the figure and its objects.
// The actions differ in their objects and, above all, in their motion, so
// that frame order carries information (see the reversed pair in demo.h).
#include <algorithm>
#include <cmath>

#include "data/demo_scene.h"

namespace vidrnn::data {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Ctx {
    const Painter& p;
    const ClipStyle& c;
    double G;     // ground line
    double size;  // figure size
    double th;    // line width
};

double clamp01(double x) {
    return std::clamp(x, 0.0, 1.0);
}
double smooth(double x) {
    x = clamp01(x);
    return x * x * (3 - 2 * x);
}
double lerp(double a, double b, double t) {
    return a + (b - a) * t;
}
P lerpP(P a, P b, double t) {
    return a + (b - a) * t;
}
double frac(double x) {
    return x - std::floor(x);
}
// Parabolic hop from a to b peaking `height` above the straight line.
P arc(P a, P b, double t, double height) {
    return lerpP(a, b, t) + P(0, -4 * height * t * (1 - t));
}

const cv::Scalar kWhite(235, 235, 235);
const cv::Scalar kGrey(110, 110, 110);
const cv::Scalar kWood(60, 95, 140);

void shooting(const Ctx& k, double u) {
    const P ring(0.80, 0.34);
    k.p.rect({0.86, 0.16}, {0.885, 0.38}, kWhite);
    k.p.line({0.875, 0.38}, {0.875, k.G}, kGrey, k.th);
    const double r = 0.035 * k.c.scale;
    const double q = clamp01(0.25 * k.c.phase + u * k.c.speed * 0.95);
    Pose pose;
    pose.size = k.size;
    pose.hip = {0.32, standingHip(k.G, k.size)};
    P ball;
    if (q < 0.5) {  // three dribbles
        const double b = std::abs(std::sin(kPi * 3 * q / 0.5));
        pose.armA = 0.5 + 0.3 * (1 - b);
        const Joints j = figureJoints(pose);
        ball = {j.handA.x + 0.01, lerp(j.handA.y + r, k.G - r, b)};
    } else if (q < 0.62) {  // gather above the head
        const double s = smooth((q - 0.5) / 0.12);
        pose.armA = lerp(0.8, 2.9, s);
        pose.armB = lerp(-0.3, 2.7, s);
        ball = figureJoints(pose).handA + P(0, -r);
    } else {  // jump shot: up to the ring, then through it
        const double s = (q - 0.62) / 0.38;
        pose.hip.y -= 0.06 * std::sin(kPi * std::min(1.0, s * 1.6));
        pose.armA = 3.0;
        pose.armB = 2.8;
        pose.legA = 0.04;
        pose.legB = -0.04;
        const P start(0.34, standingHip(k.G, k.size) - 0.95 * k.size);
        ball = s < 0.7 ? arc(start, ring, s / 0.7, 0.2)
                       : ring + P(0, (s - 0.7) / 0.3 * (k.G - r - ring.y));
    }
    drawFigure(k.p, pose, k.c.actor, k.th);
    k.p.circle(ball, r, k.c.accent);
    k.p.ellipse(ring, 0.055, 0.012, 0, cv::Scalar(0, 90, 230), k.th * 0.8);
}

void biking(const Ctx& k, double u) {
    const double s = k.c.scale;
    const double r = 0.075 * s;
    const double travel = 0.55 * k.c.speed;
    const double x = 0.12 + 0.15 * k.c.phase + travel * u;
    const double wy = k.G - r;
    const P back(x - 0.11 * s, wy), front(x + 0.11 * s, wy), crank(x + 0.01, wy);
    const double turn = travel * u / r;  // rolling without slipping
    for (const P& w : {back, front}) {
        k.p.circle(w, r, cv::Scalar(40, 40, 40), k.th * 0.8);
        for (int i = 0; i < 3; ++i) {
            const double a = turn + i * kPi / 3;
            k.p.line(w - P(std::cos(a), std::sin(a)) * r, w + P(std::cos(a), std::sin(a)) * r,
                     kGrey, k.th * 0.4);
        }
    }
    const P seat(x - 0.03 * s, wy - 0.13 * s), bar(x + 0.09 * s, wy - 0.15 * s);
    for (const auto& [a, b] :
         {std::pair{back, seat}, {seat, crank}, {crank, back}, {seat, bar}, {bar, front}}) {
        k.p.line(a, b, k.c.accent, k.th);
    }
    Pose pose;
    pose.size = 0.85 * k.size;
    pose.hip = seat + P(0, -0.01);
    pose.tilt = 0.45;
    pose.armA = pose.armB = 1.05;
    const double crankAngle = 0.5 * turn;
    pose.legA = 0.5 + 0.45 * std::sin(crankAngle);
    pose.legB = 0.5 + 0.45 * std::sin(crankAngle + kPi);
    drawFigure(k.p, pose, k.c.actor, k.th);
}

void diving(const Ctx& k, double u) {
    const cv::Scalar water = cv::Scalar(190, 120, 35) * 0.75 + k.c.extra * 0.25;
    const double waterY = std::min(k.G, 0.82);
    const double board = 0.45;
    k.p.rect({-0.3, board}, {0.30, board + 0.025}, kGrey);
    k.p.line({0.05, board + 0.025}, {0.05, waterY}, kGrey, k.th * 1.2);
    const double q = clamp01(0.08 * k.c.phase + u * k.c.speed);
    Pose pose;
    pose.size = 0.8 * k.size;
    const double standY = board - 0.5 * pose.size * std::cos(0.12);
    double t = 0;
    if (q < 0.2) {  // arms up on the board edge, a small spring
        const double s = smooth(q / 0.2);
        pose.hip = {0.24, standY + 0.02 * std::sin(kPi * s)};
        pose.armA = lerp(0.3, 3.0, s);
        pose.armB = lerp(-0.3, 3.0, s);
    } else {  // flight: up a little, rotating head-first, then into the water
        t = (q - 0.2) / 0.8;
        pose.hip = {0.24 + 0.3 * t, standY + (waterY + 0.45 - standY) * std::pow(t, 1.7) -
                                        0.08 * std::sin(kPi * t)};
        pose.tilt = kPi * std::min(1.0, 1.3 * t);
        pose.armA = pose.armB = 3.05;
        pose.legA = 0.05;
        pose.legB = -0.05;
    }
    drawFigure(k.p, pose, k.c.actor, k.th);
    k.p.rect({-0.3, waterY}, {1.3, 1.2}, water);
    for (double y : {waterY + 0.04, waterY + 0.1}) {
        k.p.line({-0.3, y}, {1.3, y}, water + cv::Scalar::all(35), k.th * 0.5);
    }
    if (t > 0.7) {  // splash
        const double s = (t - 0.7) / 0.3;
        const P entry(0.24 + 0.3 * 0.8, waterY);
        for (int i = 0; i < 6; ++i) {
            const double a = kPi * (0.15 + 0.7 * i / 5.0);
            k.p.circle(entry + P(std::cos(a) * 0.09 * s, -std::sin(a) * 0.14 * s * (1.3 - s)),
                       0.012, kWhite);
        }
    }
}

void golf(const Ctx& k, double u) {
    Pose pose;
    pose.size = k.size;
    pose.hip = {0.42, standingHip(k.G, k.size)};
    pose.tilt = 0.3;
    pose.legA = 0.22;
    pose.legB = -0.05;
    const double club = 0.3 * k.c.scale;
    const auto clubHead = [&](double phi) {
        Pose at = pose;
        at.armA = at.armB = phi;
        const Joints j = figureJoints(at);
        const P dir = (j.handA - j.neck) * (1.0 / cv::norm(j.handA - j.neck));
        return std::pair{j.handA, j.handA + dir * club};
    };
    const double q = clamp01(0.1 * k.c.phase + u * k.c.speed * 0.95);
    double phi;
    if (q < 0.45) {
        phi = lerp(0.0, -2.5 * k.c.amplitude, smooth(q / 0.45));
    } else if (q < 0.6) {
        phi = lerp(-2.5 * k.c.amplitude, 0.4, std::pow((q - 0.45) / 0.15, 2));
    } else {
        phi = lerp(0.4, 2.7, smooth((q - 0.6) / 0.4));
    }
    pose.armA = pose.armB = phi;
    const double r = 0.016;
    const P tee = P(clubHead(0.0).second.x, k.G - r);
    const double hit = (q - 0.585) / 0.415;
    const P ball = hit <= 0 ? tee : arc(tee, tee + P(1.0, -0.1), hit, 0.35);
    drawFigure(k.p, pose, k.c.actor, k.th);
    const auto [hand, head] = clubHead(phi);
    k.p.line(hand, head, kGrey, k.th * 0.6);
    k.p.circle(head, 0.018, k.c.accent);
    k.p.circle(ball, r, kWhite);
}

void riding(const Ctx& k, double u) {
    const double s = k.c.scale;
    const double x = 0.2 + 0.15 * k.c.phase + 0.45 * k.c.speed * u;
    const double w = 2 * kPi * 4 * k.c.speed * u;
    const double bodyY = k.G - 0.2 * s + 0.012 * std::sin(2 * w);
    const cv::Scalar coat = k.c.extra;
    int i = 0;
    for (double lx : {x + 0.1 * s, x + 0.12 * s, x - 0.1 * s, x - 0.08 * s}) {
        const double a = w + (i++) * kPi * 0.5;
        k.p.line({lx, bodyY + 0.03 * s}, {lx + 0.05 * s * std::sin(a), k.G}, coat, k.th * 1.1);
    }
    k.p.line({x - 0.15 * s, bodyY - 0.01}, {x - 0.2 * s, bodyY + 0.06 * s + 0.02 * std::sin(w)},
             coat, k.th);
    k.p.ellipse({x, bodyY}, 0.15 * s, 0.055 * s, 0, coat);
    k.p.line({x + 0.12 * s, bodyY - 0.02 * s}, {x + 0.19 * s, bodyY - 0.12 * s}, coat, k.th * 2.2);
    k.p.ellipse({x + 0.22 * s, bodyY - 0.12 * s}, 0.045 * s, 0.022 * s, 30, coat);
    Pose rider;
    rider.size = 0.75 * k.size;
    rider.hip = {x - 0.01, bodyY - 0.05 * s};
    rider.tilt = 0.12;
    rider.legA = 0.5;
    rider.legB = -0.2;
    rider.armA = rider.armB = 0.9;
    drawFigure(k.p, rider, k.c.actor, k.th);
}

void juggle(const Ctx& k, double u) {
    Pose pose;
    pose.size = k.size;
    pose.hip = {0.5, standingHip(k.G, k.size)};
    const double cycles = 3.2 * k.c.speed;
    const double c = frac(k.c.phase + cycles * u);
    const double kick = std::exp(-std::pow(std::min(c, 1 - c) / 0.1, 2));
    pose.legA = 0.1 + 1.0 * kick;
    pose.legB = -0.1;
    const double sway = 0.15 * std::sin(4 * kPi * cycles * u);
    pose.armA = 0.9 + sway;
    pose.armB = -0.9 + sway;
    Pose contact = pose;
    contact.legA = 1.1;
    const P foot = figureJoints(contact).footA;
    const double r = 0.03 * k.c.scale;
    const P ball(foot.x, foot.y - r - 0.2 * k.c.amplitude * k.c.scale * 4 * c * (1 - c));
    drawFigure(k.p, pose, k.c.actor, k.th);
    k.p.circle(ball, r, k.c.accent);
}

void swing(const Ctx& k, double u) {
    const P pivot(0.5, 0.1);
    k.p.line({0.28, 0.1}, {0.72, 0.1}, kWood, k.th * 1.3);
    k.p.line({0.3, 0.1}, {0.22, k.G}, kWood, k.th);
    k.p.line({0.7, 0.1}, {0.78, k.G}, kWood, k.th);
    const double len = std::min(0.5 * k.c.scale, k.G - 0.22);
    const double theta =
        0.65 * k.c.amplitude * std::sin(2 * kPi * (k.c.phase + 1.1 * k.c.speed * u));
    const P dir(std::sin(theta), std::cos(theta));
    const P seat = pivot + dir * len;
    const P side(dir.y * 0.03, -dir.x * 0.03);
    k.p.line(pivot, seat, kGrey, k.th * 0.5);
    k.p.line(seat - side, seat + side, k.c.accent, k.th * 1.5);
    Pose pose;
    pose.size = 0.8 * k.size;
    pose.hip = seat - dir * 0.01;
    pose.tilt = -theta;  // hanging from the pivot: the body lines up with the rope
    pose.legA = pose.legB = 1.25 + 0.35 * std::sin(2 * kPi * (k.c.phase + 1.1 * k.c.speed * u) + 1);
    pose.armA = pose.armB = 2.95;
    drawFigure(k.p, pose, k.c.actor, k.th);
}

void tennis(const Ctx& k, double u) {
    k.p.line({-0.3, k.G}, {1.3, k.G}, kWhite, k.th * 0.6);
    k.p.rect({0.83, k.G - 0.09}, {0.84, k.G}, kWhite * 0.8);
    Pose pose;
    pose.size = k.size;
    pose.hip = {0.3, standingHip(k.G, k.size)};
    pose.legA = 0.3;
    pose.legB = -0.25;
    pose.armA = pose.armB = -0.35;
    // The stroke is a horizontal sweep seen from the side: the arm turns about
    // the vertical axis, so it shortens and lengthens in the picture.
    const double q = clamp01(0.15 * k.c.phase + u * k.c.speed * 0.9);
    double psi;
    if (q < 0.45) {
        psi = lerp(0.3, -1.5, smooth(q / 0.45));
    } else if (q < 0.6) {
        psi = lerp(-1.5, 1.3, (q - 0.45) / 0.15);
    } else {
        psi = lerp(1.3, 2.6, smooth((q - 0.6) / 0.4));
    }
    const Joints j = drawFigure(k.p, pose, k.c.actor, k.th);
    const double reach = 0.38 * pose.size;
    const P hand = j.neck + P(reach * std::sin(psi), 0.1 * pose.size);
    const P head = hand + P(0.16 * k.c.scale * std::sin(psi), -0.03);
    k.p.line(j.neck, hand, k.c.actor, k.th);
    k.p.line(hand, head, kGrey, k.th * 0.6);
    k.p.ellipse(head, 0.012 + 0.035 * std::abs(std::cos(psi)), 0.045, 0, k.c.accent, k.th * 0.7);
    const P contact = j.neck + P(reach * std::sin(1.0) + 0.16 * std::sin(1.0), 0.07);
    const P ball = q < 0.55 ? arc(P(1.1, k.G - 0.35), contact, q / 0.55, 0.12)
                            : arc(contact, P(1.3, k.G - 0.45), (q - 0.55) / 0.45, 0.1);
    k.p.circle(ball, 0.016, cv::Scalar(60, 230, 220));
}

void spiking(const Ctx& k, double u) {
    k.p.line({0.64, k.G}, {0.64, 0.28}, kGrey, k.th);
    k.p.rect({0.634, 0.30}, {0.646, 0.47}, kWhite * 0.85);
    const double q = clamp01(0.1 * k.c.phase + u * k.c.speed * 0.95);
    Pose pose;
    pose.size = k.size;
    const double standY = standingHip(k.G, k.size);
    const double lift = 0.2 * k.c.amplitude;
    double x = 0.45;
    double y = standY;
    if (q < 0.3) {  // approach run
        x = lerp(0.2, 0.45, q / 0.3);
        pose.legA = 0.5 * std::sin(2 * kPi * 3 * q / 0.3);
        pose.legB = -pose.legA;
        pose.armA = pose.armB = -0.4;
    } else if (q < 0.42) {  // crouch, arms back
        const double s = smooth((q - 0.3) / 0.12);
        y += 0.04 * s;
        pose.armA = pose.armB = lerp(-0.4, -1.3, s);
        pose.legA = 0.35;
        pose.legB = -0.35;
    } else if (q < 0.85) {  // jump and hit at the top
        const double s = (q - 0.42) / 0.43;
        y -= lift * std::sin(kPi * s);
        pose.armB = 2.6;
        pose.armA = q < 0.55   ? lerp(-1.3, 3.0, (q - 0.42) / 0.13)
                    : q < 0.62 ? lerp(3.0, 0.8, (q - 0.55) / 0.07)
                               : 0.8;
    }
    pose.hip = {x, y};
    drawFigure(k.p, pose, k.c.actor, k.th);
    const double r = 0.03 * k.c.scale;
    const P contact(0.47, standY - lift * std::sin(kPi * (0.6 - 0.42) / 0.43) - 0.9 * k.size);
    const P land(0.86, k.G - r);
    P ball;
    if (q < 0.6) {
        ball = arc(P(0.1, 0.15), contact, q / 0.6, 0.15);
    } else if (q < 0.7) {
        ball = lerpP(contact, land, (q - 0.6) / 0.1);
    } else {
        ball = land + P(0.2 * (q - 0.7), -0.12 * std::sin(kPi * std::min(1.0, (q - 0.7) / 0.2)));
    }
    k.p.circle(ball, r, k.c.accent);
}

void walkDog(const Ctx& k, double u) {
    const double s = k.c.scale;
    const double x = 0.1 + 0.15 * k.c.phase + 0.35 * k.c.speed * u;
    const double w = 2 * kPi * (2.5 * k.c.speed * u + k.c.phase);
    Pose pose;
    pose.size = k.size;
    const double swingAmp = 0.45;
    pose.legA = swingAmp * std::sin(w);
    pose.legB = -pose.legA;
    pose.hip = {x, standingHip(k.G, k.size) - 0.01 * std::abs(std::cos(w))};
    pose.armA = 0.75;
    pose.armB = -0.3 * std::sin(w);
    const double dx = x + 0.22 * s;
    const double dy = k.G - 0.06 * s;
    const cv::Scalar fur = k.c.extra;
    for (int i = 0; i < 4; ++i) {
        const double lx = dx + (i < 2 ? 0.04 : -0.04) * s + (i % 2) * 0.01;
        k.p.line({lx, dy}, {lx + 0.02 * s * std::sin(2 * w + i * kPi), k.G}, fur, k.th * 0.8);
    }
    k.p.line({dx - 0.055 * s, dy - 0.01}, {dx - 0.09 * s, dy - 0.05 * s + 0.01 * std::sin(3 * w)},
             fur, k.th * 0.7);
    k.p.ellipse({dx, dy - 0.01 * s}, 0.06 * s, 0.022 * s, 0, fur);
    k.p.circle({dx + 0.065 * s, dy - 0.04 * s}, 0.022 * s, fur);
    const Joints j = drawFigure(k.p, pose, k.c.actor, k.th);
    k.p.line(j.handA, {dx + 0.05 * s, dy - 0.03 * s}, cv::Scalar(30, 30, 30), k.th * 0.4);
}

}  // namespace

void drawAction(DemoAction action, const Painter& p, const GroupStyle& group, const ClipStyle& clip,
                double u) {
    const Ctx k{p, clip, group.groundY, 0.34 * clip.scale, group.thickness};
    switch (action) {
        case DemoAction::Shooting:
            shooting(k, u);
            break;
        case DemoAction::Biking:
            biking(k, u);
            break;
        case DemoAction::Diving:
            diving(k, u);
            break;
        case DemoAction::Golf:
            golf(k, u);
            break;
        case DemoAction::Riding:
            riding(k, u);
            break;
        case DemoAction::Juggle:
            juggle(k, u);
            break;
        case DemoAction::Swing:
            swing(k, u);
            break;
        case DemoAction::Tennis:
            tennis(k, u);
            break;
        // The generator writes trampoline clips as diving clips reversed; this
        // is the same picture for callers that draw a single frame.
        case DemoAction::Jumping:
            diving(k, 1.0 - u);
            break;
        case DemoAction::Spiking:
            spiking(k, u);
            break;
        case DemoAction::WalkDog:
            walkDog(k, u);
            break;
    }
}

}  // namespace vidrnn::data
