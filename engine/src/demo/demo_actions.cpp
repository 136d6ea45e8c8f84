// One drawing routine per demo action. Each maps clip progress u in [0, 1]
// (plus the clip's speed and phase) to a pose of the figure and its objects.
//
// The actions are framed the way UCF11's hand-held clips are: the actor and
// the objects of the sport fill much of the picture (a figure about two thirds
// of the frame high, thick limbs, a backboard, a pool, a net, a horse), so
// that the class shows in whole-frame CNN features and not only in a few
// pixels. They differ in their objects and in their motion; in the dive the
// big changes of the picture (the figure leaving the board, the splash rising
// and its foam spreading over the water) come in one order only, so that frame
// order carries information (see the reversed pair in demo.h).
#include <algorithm>
#include <cmath>

#include "demo/demo_scene.h"

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
cv::Scalar mixColour(const cv::Scalar& a, const cv::Scalar& b, double t) {
    return a * (1 - t) + b * t;
}

const cv::Scalar kWhite(235, 235, 235);
const cv::Scalar kGrey(110, 110, 110);
const cv::Scalar kDark(35, 35, 35);
const cv::Scalar kWood(60, 95, 140);
const cv::Scalar kOrange(30, 110, 235);

// A net or racket strings: a grid of thin lines inside the quadrilateral
// a-b-c-d (a-b top edge, d-c bottom edge).
void mesh(const Painter& p, P a, P b, P c, P d, int across, int down, const cv::Scalar& colour,
          double th) {
    for (int i = 0; i <= across; ++i) {
        const double t = double(i) / across;
        p.line(lerpP(a, b, t), lerpP(d, c, t), colour, th);
    }
    for (int i = 0; i <= down; ++i) {
        const double t = double(i) / down;
        p.line(lerpP(a, d, t), lerpP(b, c, t), colour, th);
    }
}

void shooting(const Ctx& k, double u) {
    // A hardwood floor; backboard (facing the camera), pole and hoop with its net.
    const cv::Scalar floor = cv::Scalar(45, 105, 185) * 0.85 + k.c.extra * 0.15;
    k.p.rect({-0.3, k.G - 0.01}, {1.3, 1.2}, floor);
    for (double plank = -0.3; plank < 1.3; plank += 0.09) {
        k.p.line({plank, k.G}, {plank - 0.05, 1.2}, floor * 0.75, k.th * 0.35);
    }
    const P ring(0.72, 0.31);
    k.p.line({0.93, 0.18}, {0.93, k.G}, kGrey, k.th * 1.8);
    k.p.rect({0.60, 0.06}, {0.95, 0.29}, kWhite);
    const cv::Scalar trim = cv::Scalar(40, 40, 200) * 0.7 + k.c.accent * 0.3;
    for (const auto& [a, b] : {std::pair{P(0.60, 0.06), P(0.95, 0.06)},
                               {P(0.60, 0.29), P(0.95, 0.29)},
                               {P(0.60, 0.06), P(0.60, 0.29)},
                               {P(0.95, 0.06), P(0.95, 0.29)},
                               {P(0.66, 0.16), P(0.78, 0.16)},
                               {P(0.66, 0.16), P(0.66, 0.27)},
                               {P(0.78, 0.16), P(0.78, 0.27)}}) {
        k.p.line(a, b, trim, k.th * 0.7);
    }
    mesh(k.p, ring + P(-0.075, 0), ring + P(0.075, 0), ring + P(0.04, 0.11), ring + P(-0.04, 0.11),
         4, 2, kWhite * 0.9, k.th * 0.35);
    k.p.ellipse(ring, 0.08, 0.02, 0, kOrange, k.th * 0.9);

    const double r = 0.055 * k.c.scale;
    const double q = clamp01(0.25 * k.c.phase + u * k.c.speed * 0.95);
    Pose pose;
    pose.size = k.size;
    pose.hip = {0.3, standingHip(k.G, k.size)};
    P ball;
    if (q < 0.5) {  // three dribbles
        const double b = std::abs(std::sin(kPi * 3 * q / 0.5));
        pose.armA = 0.5 + 0.3 * (1 - b);
        pose.legA = 0.3;
        pose.legB = -0.2;
        const Joints j = figureJoints(pose);
        ball = {j.handA.x + 0.02, lerp(j.handA.y + r, k.G - r, b)};
    } else if (q < 0.62) {  // gather above the head
        const double s = smooth((q - 0.5) / 0.12);
        pose.armA = lerp(0.8, 2.9, s);
        pose.armB = lerp(-0.3, 2.7, s);
        ball = figureJoints(pose).handA + P(0, -r);
    } else {  // jump shot: up to the ring, then through it
        const double s = (q - 0.62) / 0.38;
        pose.hip.y -= 0.08 * std::sin(kPi * std::min(1.0, s * 1.6));
        pose.armA = 3.0;
        pose.armB = 2.8;
        pose.legA = 0.04;
        pose.legB = -0.04;
        Pose start = pose;
        start.hip.y = standingHip(k.G, k.size);
        const P from = figureJoints(start).handA + P(0, -r);
        ball = s < 0.7 ? arc(from, ring + P(0, -r), s / 0.7, 0.12)
                       : ring + P(0, (s - 0.7) / 0.3 * (k.G - r - ring.y));
    }
    drawFigure(k.p, pose, k.c.actor, k.th);
    const cv::Scalar leather = kOrange * 0.75 + k.c.accent * 0.25;
    k.p.circle(ball, r, leather);
    k.p.line(ball - P(r, 0), ball + P(r, 0), kDark, k.th * 0.35);
    k.p.line(ball - P(0, r), ball + P(0, r), kDark, k.th * 0.35);
}

void biking(const Ctx& k, double u) {
    const double s = k.c.scale;
    const double r = 0.14 * s;
    const double travel = 0.35 * k.c.speed;
    const double x = 0.3 + 0.1 * k.c.phase + travel * u;
    const double wy = k.G - r;
    // An asphalt road: white edge line, yellow centre dashes.
    k.p.rect({-0.3, k.G - 0.02}, {1.3, 1.2}, cv::Scalar(45, 45, 50) * 0.85 + k.c.extra * 0.15);
    k.p.line({-0.3, k.G + 0.005}, {1.3, k.G + 0.005}, kWhite, k.th * 0.5);
    for (double dash = -0.3; dash < 1.3; dash += 0.2) {
        k.p.line({dash, k.G + 0.06}, {dash + 0.1, k.G + 0.06}, cv::Scalar(20, 200, 240),
                 k.th * 0.8);
    }
    const P back(x - 0.2 * s, wy), front(x + 0.2 * s, wy), crank(x, wy);
    const double turn = travel * u / r;  // rolling without slipping
    for (const P& w : {back, front}) {
        k.p.circle(w, r, kDark, k.th * 1.2);
        for (int i = 0; i < 4; ++i) {
            const double a = turn + i * kPi / 4;
            k.p.line(w - P(std::cos(a), std::sin(a)) * r, w + P(std::cos(a), std::sin(a)) * r,
                     kGrey, k.th * 0.35);
        }
        k.p.circle(w, 0.02 * s, kGrey);
    }
    const cv::Scalar frame = cv::Scalar(40, 50, 210) * 0.6 + k.c.accent * 0.4;
    const P seat(x - 0.06 * s, wy - 0.22 * s), bar(x + 0.16 * s, wy - 0.26 * s);
    for (const auto& [a, b] : {std::pair{back, seat},
                               {seat, crank},
                               {crank, back},
                               {seat, bar},
                               {bar, front},
                               {crank, bar}}) {
        k.p.line(a, b, frame, k.th * 1.1);
    }
    k.p.line(seat + P(-0.04 * s, 0), seat + P(0.04 * s, 0), kDark, k.th * 1.2);
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

// The dive, in three acts whose large changes of the picture only run one
// way: arms up on the platform, a head-first flight into the pool, then a
// tall white splash that collapses into foam spreading over the water. Even
// at the slowest speed the diver is in the water by about 60% of the clip, so
// every clip ends on foam (and its reversal, trampoline_jumping, starts on
// it). The diver is smaller than the other actors: pool, ropes and platform
// dominate every frame, so both classes of the pair look like diving and only
// the order of their frames tells them apart.
void diving(const Ctx& k, double u) {
    const cv::Scalar water = cv::Scalar(200, 130, 40) * 0.8 + k.c.extra * 0.2;
    const double waterY = k.G - 0.3;
    const double board = 0.36;
    // Platform tower on the left: concrete, a ladder.
    k.p.rect({-0.3, board}, {0.36, board + 0.035}, kGrey);
    k.p.rect({-0.3, board + 0.035}, {0.16, waterY}, kGrey * 1.6);
    for (double y = board + 0.07; y < waterY; y += 0.045) {
        k.p.line({0.03, y}, {0.13, y}, kGrey * 0.8, k.th * 0.5);
    }
    // Progress in dive units: 0-0.25 on the platform, 0.25-0.8 in flight,
    // then the splash.
    const double q = 0.05 * k.c.phase + u * k.c.speed * 1.6;
    Pose pose;
    pose.size = 0.5 * k.size;
    const double standY = board - 0.5 * pose.size * std::cos(0.12);
    const P entry(0.64, waterY);
    if (q < 0.25) {  // arms up on the platform edge, a small spring
        const double s = smooth(q / 0.25);
        pose.hip = {0.24, standY + 0.02 * std::sin(kPi * s)};
        pose.armA = lerp(0.3, 3.0, s);
        pose.armB = lerp(-0.3, 3.0, s);
        drawFigure(k.p, pose, k.c.actor, k.th);
    } else if (q < 0.9) {  // flight: up a little, rotating head-first, into the water
        const double t = (q - 0.25) / 0.55;
        pose.hip = {lerp(0.24, entry.x, std::min(1.0, t)),
                    standY + (waterY + 0.4 - standY) * std::pow(t, 1.8) - 0.1 * std::sin(kPi * t)};
        pose.tilt = kPi * std::min(1.0, 1.25 * t);
        pose.armA = pose.armB = 3.05;
        pose.legA = 0.05;
        pose.legB = -0.05;
        drawFigure(k.p, pose, k.c.actor, k.th);
    }
    // The pool, with red and white lane ropes.
    k.p.rect({-0.3, waterY}, {1.3, 1.2}, water);
    for (const auto& [y, r] :
         {std::pair{waterY + 0.08, 0.018}, {waterY + 0.18, 0.016}, {waterY + 0.27, 0.014}}) {
        int i = 0;
        for (double x = -0.3; x < 1.3; x += 2.4 * r) {
            k.p.circle({x, y}, r, (i++ % 2) ? kWhite : cv::Scalar(40, 40, 210));
        }
    }
    if (q > 0.78) {  // the splash: a column that rises and falls, foam that spreads
        const double e = q - 0.78;
        const double rise = std::sin(kPi * std::min(1.0, e / 0.6));
        const double foam = smooth(e / 0.5);
        for (int ring = 1; ring <= 2; ++ring) {  // ripples running out
            const double spread = foam * (0.25 + 0.2 * ring);
            k.p.ellipse(entry + P(0, 0.04), 0.08 + spread, 0.03 + 0.35 * spread * 0.3, 0,
                        mixColour(water, kWhite, 0.6), k.th * 0.6);
        }
        k.p.ellipse(entry + P(0, 0.03), 0.06 + 0.4 * foam, 0.03 + 0.07 * foam, 0,
                    mixColour(water, kWhite, 0.85));
        if (rise > 0) {
            const double h = 0.5 * rise;
            k.p.ellipse(entry + P(0, -0.5 * h), 0.04 + 0.1 * rise, 0.5 * h + 0.01, 0, kWhite);
            for (int i = 0; i < 7; ++i) {
                const double a = kPi * (0.12 + 0.76 * i / 6.0);
                k.p.circle(entry + P(std::cos(a) * 0.25 * rise, -std::sin(a) * 0.35 * rise),
                           0.015 + 0.025 * rise, kWhite);
            }
        }
    }
}

void golf(const Ctx& k, double u) {
    // The green with its flag on the right.
    const cv::Scalar green = cv::Scalar(60, 165, 70) * 0.8 + k.c.extra * 0.2;
    k.p.ellipse({0.7, k.G}, 1.0, 0.22, 0, green * 0.9);  // the fairway rolling away
    k.p.ellipse({0.1, k.G + 0.02}, 0.6, 0.12, 0, green * 1.1);
    k.p.rect({-0.3, k.G - 0.01}, {1.3, 1.2}, green * 0.8);
    for (double band = -0.3; band < 1.3; band += 0.2) {
        k.p.polygon(
            {{band, k.G - 0.01}, {band + 0.1, k.G - 0.01}, {band + 0.16, 1.2}, {band + 0.06, 1.2}},
            green);
    }
    k.p.ellipse({0.78, k.G + 0.05}, 0.14, 0.035, 0, cv::Scalar(150, 210, 225));  // bunker
    k.p.line({0.9, k.G}, {0.9, k.G - 0.62}, kWhite, k.th * 0.9);
    k.p.polygon({{0.9, k.G - 0.62}, {1.12, k.G - 0.55}, {0.9, k.G - 0.47}},
                cv::Scalar(40, 40, 220) * 0.6 + k.c.accent * 0.4);
    // The golf bag, standing beside the player, clubs sticking out.
    const cv::Scalar bag = cv::Scalar(30, 30, 150) * 0.6 + k.c.accent * 0.4;
    for (int i = 0; i < 4; ++i) {
        const P top(0.66 + 0.02 * i, k.G - 0.36 - 0.02 * (i % 2));
        k.p.line(top, top + P(-0.01, 0.1), kGrey, k.th * 0.4);
        k.p.circle(top, 0.014, kGrey * 1.4);
    }
    k.p.polygon({{0.64, k.G - 0.3}, {0.74, k.G - 0.3}, {0.73, k.G}, {0.65, k.G}}, bag);
    k.p.line({0.64, k.G - 0.28}, {0.74, k.G - 0.28}, kWhite, k.th * 0.6);
    k.p.line({0.645, k.G - 0.1}, {0.735, k.G - 0.1}, kWhite, k.th * 0.6);
    Pose pose;
    pose.size = k.size;
    pose.hip = {0.36, standingHip(k.G, k.size)};
    pose.tilt = 0.3;
    pose.legA = 0.25;
    pose.legB = -0.08;
    const double club = 0.42 * k.c.scale;
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
    const double r = 0.022;
    const P tee = P(clubHead(0.0).second.x, k.G - r);
    const double hit = (q - 0.585) / 0.415;
    const P ball = hit <= 0 ? tee : arc(tee, tee + P(1.0, -0.1), hit, 0.35);
    drawFigure(k.p, pose, k.c.actor, k.th);
    const auto [hand, head] = clubHead(phi);
    k.p.line(hand, head, kGrey, k.th * 0.6);
    k.p.circle(head, 0.028, k.c.accent);
    k.p.circle(ball, r, kWhite);
}

void riding(const Ctx& k, double u) {
    // A paddock fence behind.
    const cv::Scalar rail = kWhite * 0.85 + k.c.accent * 0.15;
    for (double post = -0.3; post < 1.3; post += 0.22) {
        k.p.line({post, k.G - 0.02}, {post, k.G - 0.34}, rail, k.th * 1.2);
    }
    k.p.line({-0.3, k.G - 0.31}, {1.3, k.G - 0.31}, rail, k.th * 1.0);
    k.p.line({-0.3, k.G - 0.18}, {1.3, k.G - 0.18}, rail, k.th * 1.0);
    const double s = 1.1 * k.c.scale;
    const double x = 0.32 + 0.1 * k.c.phase + 0.3 * k.c.speed * u;
    const double w = 2 * kPi * 3 * k.c.speed * u;
    const double bodyY = k.G - 0.3 * s + 0.015 * std::sin(2 * w);
    const cv::Scalar coat = cv::Scalar(40, 70, 120) * 0.7 + k.c.extra * 0.3;
    const cv::Scalar mane = coat * 0.45;
    int i = 0;
    for (double lx : {x + 0.15 * s, x + 0.18 * s, x - 0.15 * s, x - 0.12 * s}) {
        const double a = w + (i++) * kPi * 0.5;
        k.p.line({lx, bodyY + 0.04 * s}, {lx + 0.08 * s * std::sin(a), k.G}, coat, k.th * 1.3);
    }
    k.p.line({x - 0.22 * s, bodyY - 0.02}, {x - 0.3 * s, bodyY + 0.1 * s + 0.03 * std::sin(w)},
             mane, k.th * 1.4);
    k.p.ellipse({x, bodyY}, 0.22 * s, 0.085 * s, 0, coat);
    k.p.line({x + 0.17 * s, bodyY - 0.03 * s}, {x + 0.27 * s, bodyY - 0.18 * s}, coat, k.th * 3.0);
    k.p.line({x + 0.16 * s, bodyY - 0.06 * s}, {x + 0.24 * s, bodyY - 0.19 * s}, mane, k.th);
    k.p.ellipse({x + 0.31 * s, bodyY - 0.18 * s}, 0.065 * s, 0.032 * s, 30, coat);
    Pose rider;
    rider.size = 0.75 * k.size;
    rider.hip = {x - 0.02, bodyY - 0.07 * s};
    rider.tilt = 0.12;
    rider.legA = 0.5;
    rider.legB = -0.2;
    rider.armA = rider.armB = 0.9;
    drawFigure(k.p, rider, k.c.actor, k.th);
}

void juggle(const Ctx& k, double u) {
    // A goal behind: posts, crossbar, net.
    mesh(k.p, {0.6, k.G - 0.44}, {1.3, k.G - 0.44}, {1.3, k.G}, {0.6, k.G}, 12, 6, kWhite * 0.75,
         k.th * 0.25);
    k.p.line({0.6, k.G}, {0.6, k.G - 0.45}, kWhite, k.th * 1.2);
    k.p.line({0.6, k.G - 0.45}, {1.3, k.G - 0.45}, kWhite, k.th * 1.2);
    Pose pose;
    pose.size = k.size;
    pose.hip = {0.38, standingHip(k.G, k.size)};
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
    const double r = 0.075 * k.c.scale;
    const P ball(foot.x + 0.02, foot.y - r - 0.3 * k.c.amplitude * k.c.scale * 4 * c * (1 - c));
    drawFigure(k.p, pose, k.c.actor, k.th);
    // A football: white with black patches.
    k.p.circle(ball, r, kWhite);
    k.p.circle(ball, 0.35 * r, kDark);
    for (int i = 0; i < 5; ++i) {
        const double a = 2 * kPi * (i / 5.0 + 0.1 * c);
        k.p.circle(ball + P(std::cos(a), std::sin(a)) * (0.85 * r), 0.25 * r, kDark);
    }
}

void swing(const Ctx& k, double u) {
    // Bark mulch under a wooden swing frame.
    const cv::Scalar bark = cv::Scalar(30, 55, 95) * 0.85 + k.c.extra * 0.15;
    k.p.rect({-0.3, k.G - 0.02}, {1.3, 1.2}, bark);
    for (int i = 0; i < 30; ++i) {
        k.p.circle({-0.25 + 0.05 * i, k.G + 0.02 + 0.035 * ((i * 5) % 4)}, 0.009, bark * 1.6);
    }
    const P pivot(0.5, 0.06);
    k.p.line({0.12, 0.06}, {0.88, 0.06}, kWood, k.th * 2.2);
    k.p.line({0.2, 0.06}, {0.06, k.G}, kWood, k.th * 1.6);
    k.p.line({0.8, 0.06}, {0.94, k.G}, kWood, k.th * 1.6);
    k.p.line({0.24, 0.06}, {0.14, k.G}, kWood, k.th * 1.2);
    k.p.line({0.76, 0.06}, {0.86, k.G}, kWood, k.th * 1.2);
    const double len = std::min(0.58 * k.c.scale, k.G - 0.22);
    const double theta =
        0.65 * k.c.amplitude * std::sin(2 * kPi * (k.c.phase + 1.1 * k.c.speed * u));
    const P dir(std::sin(theta), std::cos(theta));
    const P seat = pivot + dir * len;
    const P side(dir.y * 0.06, -dir.x * 0.06);
    k.p.line(pivot - P(0.03, 0), seat - side, kGrey, k.th * 0.5);
    k.p.line(pivot + P(0.03, 0), seat + side, kGrey, k.th * 0.5);
    k.p.line(seat - side, seat + side, k.c.accent, k.th * 2.0);
    Pose pose;
    pose.size = 0.8 * k.size;
    pose.hip = seat - dir * 0.015;
    pose.tilt = -theta;  // hanging from the pivot: the body lines up with the rope
    pose.legA = pose.legB = 1.25 + 0.35 * std::sin(2 * kPi * (k.c.phase + 1.1 * k.c.speed * u) + 1);
    pose.armA = pose.armB = 2.95;
    drawFigure(k.p, pose, k.c.actor, k.th);
}

void tennis(const Ctx& k, double u) {
    // Court surface, baseline, and the net going back to the right.
    const cv::Scalar court = cv::Scalar(70, 110, 190) * 0.6 + k.c.extra * 0.4;
    k.p.rect({-0.3, k.G - 0.01}, {1.3, 1.2}, court);
    k.p.line({-0.3, k.G + 0.01}, {1.3, k.G + 0.01}, kWhite, k.th * 0.7);
    k.p.line({0.78, k.G}, {0.78, k.G - 0.2}, kDark, k.th);
    mesh(k.p, {0.78, k.G - 0.19}, {1.3, k.G - 0.13}, {1.3, k.G - 0.02}, {0.78, k.G}, 12, 4, kDark,
         k.th * 0.3);
    k.p.line({0.78, k.G - 0.19}, {1.3, k.G - 0.13}, kWhite, k.th * 0.8);
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
    const P head = hand + P(0.2 * k.c.scale * std::sin(psi), -0.04);
    k.p.line(j.neck, hand, k.c.actor, k.th);
    k.p.line(hand, head, kDark, k.th * 0.7);
    const double rx = 0.018 + 0.05 * std::abs(std::cos(psi));
    k.p.ellipse(head, rx, 0.065, 0, k.c.accent, k.th * 0.8);
    mesh(k.p, head + P(-0.7 * rx, -0.045), head + P(0.7 * rx, -0.045), head + P(0.7 * rx, 0.045),
         head + P(-0.7 * rx, 0.045), 3, 4, kWhite * 0.9, k.th * 0.25);
    const P contact = j.neck + P(reach * std::sin(1.0) + 0.2 * std::sin(1.0), 0.06);
    const P ball = q < 0.55 ? arc(P(1.1, k.G - 0.35), contact, q / 0.55, 0.12)
                            : arc(contact, P(1.3, k.G - 0.45), (q - 0.55) / 0.45, 0.1);
    k.p.circle(ball, 0.025, cv::Scalar(60, 230, 220));
}

void spiking(const Ctx& k, double u) {
    // Beach sand; the net, seen at an angle: a post and a wide mesh band going back.
    const cv::Scalar sand = cv::Scalar(140, 225, 245) * 0.85 + k.c.extra * 0.15;
    k.p.rect({-0.3, k.G - 0.01}, {1.3, 1.2}, sand);
    for (int i = 0; i < 24; ++i) {
        k.p.circle({-0.2 + 0.061 * i, k.G + 0.03 + 0.04 * ((i * 7) % 3)}, 0.008, sand * 0.7);
    }
    const cv::Scalar tape(170, 90, 20);  // blue bands, yellow padded post
    k.p.line({0.64, k.G}, {0.64, 0.14}, cv::Scalar(40, 200, 240), k.th * 1.8);
    mesh(k.p, {0.64, 0.18}, {1.3, 0.24}, {1.3, 0.40}, {0.64, 0.40}, 20, 7, kDark, k.th * 0.3);
    k.p.line({0.64, 0.18}, {1.3, 0.24}, tape, k.th * 1.6);
    k.p.line({0.64, 0.40}, {1.3, 0.40}, tape, k.th * 1.0);
    const double q = clamp01(0.1 * k.c.phase + u * k.c.speed * 0.95);
    Pose pose;
    pose.size = k.size;
    const double standY = standingHip(k.G, k.size);
    const double lift = 0.16 * k.c.amplitude;
    double x = 0.42;
    double y = standY;
    if (q < 0.3) {  // approach run
        x = lerp(0.12, 0.42, q / 0.3);
        pose.legA = 0.5 * std::sin(2 * kPi * 3 * q / 0.3);
        pose.legB = -pose.legA;
        pose.armA = pose.armB = -0.4;
    } else if (q < 0.42) {  // crouch, arms back
        const double s = smooth((q - 0.3) / 0.12);
        y += 0.05 * s;
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
    const double r = 0.045 * k.c.scale;
    Pose top = pose;
    top.hip = {0.42, standY - lift * std::sin(kPi * (0.6 - 0.42) / 0.43)};
    top.armA = 3.0;
    const P contact = figureJoints(top).handA + P(0.02, -r);
    const P land(0.9, k.G - r);
    P ball;
    if (q < 0.6) {
        ball = arc(P(0.05, 0.1), contact, q / 0.6, 0.12);
    } else if (q < 0.7) {
        ball = lerpP(contact, land, (q - 0.6) / 0.1);
    } else {
        ball = land + P(0.2 * (q - 0.7), -0.12 * std::sin(kPi * std::min(1.0, (q - 0.7) / 0.2)));
    }
    // A volleyball: white with coloured panels.
    k.p.circle(ball, r, kWhite);
    k.p.ellipse(ball, r, 0.4 * r, 35, k.c.accent);
    k.p.ellipse(ball, 0.4 * r, r, 35, cv::Scalar(200, 90, 30));
}

void walkDog(const Ctx& k, double u) {
    // A brick path and a street lamp.
    const cv::Scalar paving = cv::Scalar(70, 90, 170) * 0.8 + k.c.extra * 0.2;
    k.p.rect({-0.3, k.G - 0.01}, {1.3, 1.2}, paving);
    for (double row = k.G + 0.035; row < 1.2; row += 0.045) {
        k.p.line({-0.3, row}, {1.3, row}, kWhite * 0.7, k.th * 0.3);
    }
    for (double joint = -0.3; joint < 1.3; joint += 0.07) {
        k.p.line({joint, k.G}, {joint - 0.02, 1.2}, kWhite * 0.7, k.th * 0.3);
    }
    k.p.line({0.9, k.G}, {0.9, 0.12}, kDark, k.th * 1.4);
    k.p.ellipse({0.85, 0.12}, 0.08, 0.03, 0, kDark);
    k.p.circle({0.83, 0.16}, 0.03, cv::Scalar(120, 230, 250));
    // A clipped hedge along the back of the path.
    const cv::Scalar hedge = cv::Scalar(40, 100, 40) * 0.8 + k.c.extra * 0.2;
    k.p.rect({-0.3, k.G - 0.12}, {1.3, k.G - 0.01}, hedge);
    for (int i = 0; i < 20; ++i) {
        k.p.circle({-0.25 + 0.08 * i, k.G - 0.12}, 0.04, hedge);
        k.p.circle({-0.21 + 0.08 * i, k.G - 0.06}, 0.015, hedge * 0.7);
    }
    const double s = 1.3 * k.c.scale;
    const double x = 0.15 + 0.1 * k.c.phase + 0.25 * k.c.speed * u;
    const double w = 2 * kPi * (2.5 * k.c.speed * u + k.c.phase);
    Pose pose;
    pose.size = k.size;
    const double swingAmp = 0.45;
    pose.legA = swingAmp * std::sin(w);
    pose.legB = -pose.legA;
    pose.hip = {x, standingHip(k.G, k.size) - 0.015 * std::abs(std::cos(w))};
    pose.armA = 0.75;
    pose.armB = -0.3 * std::sin(w);
    const double dx = x + 0.28 * s;
    const double dy = k.G - 0.1 * s;
    const cv::Scalar fur = cv::Scalar(60, 110, 170) * 0.6 + k.c.extra * 0.4;
    for (int i = 0; i < 4; ++i) {
        const double lx = dx + (i < 2 ? 0.07 : -0.07) * s + (i % 2) * 0.015;
        k.p.line({lx, dy}, {lx + 0.035 * s * std::sin(2 * w + i * kPi), k.G}, fur, k.th * 1.1);
    }
    k.p.line({dx - 0.1 * s, dy - 0.015}, {dx - 0.16 * s, dy - 0.08 * s + 0.02 * std::sin(3 * w)},
             fur, k.th * 0.9);
    k.p.ellipse({dx, dy - 0.015 * s}, 0.11 * s, 0.042 * s, 0, fur);
    k.p.circle({dx + 0.12 * s, dy - 0.07 * s}, 0.04 * s, fur);
    k.p.ellipse({dx + 0.1 * s, dy - 0.1 * s}, 0.012 * s, 0.025 * s, -20, fur * 0.6);
    const Joints j = drawFigure(k.p, pose, k.c.actor, k.th);
    k.p.line(j.handA, {dx + 0.1 * s, dy - 0.05 * s}, kDark, k.th * 0.4);
}

}  // namespace

void drawAction(DemoAction action, const Painter& p, const GroupStyle& group, const ClipStyle& clip,
                double u) {
    const Ctx k{p, clip, group.groundY, 0.5 * clip.scale, group.thickness};
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
