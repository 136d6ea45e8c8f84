// The default backbone on data it was not designed for: a generated set unlike
// the demo (no figures, no sports), three temporal-order pairs (each reversed
// class holds the same frames as its forward class, played backwards) and
// eight groups that differ in colours, textures and object shapes, split
// group-disjoint. An order-blind model (mean_pool) cannot separate a pair; a
// recurrent one must, from features of a backbone that has never seen this
// data: GRU >= 0.80 test accuracy and >= 0.25 above mean_pool.
#include <torch/torch.h>

#include <QtTest>

#include <QTemporaryDir>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <random>

#include "demo/avi_writer.h"
#include "vidrnn/dataset.h"
#include "vidrnn/experiment.h"
#include "vidrnn/features.h"
#include "vidrnn/splits.h"
#include "vidrnn/trainer.h"

using namespace vidrnn;
namespace fs = std::filesystem;

namespace {

constexpr int kSize = 160;   // frame side, and the backbone's input
constexpr int kFrames = 16;  // frames per clip; T = 8 are sampled
constexpr int kGroups = 8;
constexpr int kClipsPerGroup = 5;

// The look of one group: background texture and colours, object shape and colour.
struct Look {
    int texture = 0;  // 0 stripes, 1 checker, 2 dots, 3 smooth gradient
    int shape = 0;    // 0 disc, 1 square, 2 triangle, 3 ring
    cv::Scalar back1, back2, object;
    double angle = 0;
};

cv::Scalar randomColour(std::mt19937& rng, int lo, int hi) {
    std::uniform_int_distribution<int> d(lo, hi);
    return cv::Scalar(d(rng), d(rng), d(rng));
}

Look lookOf(int group) {
    std::mt19937 rng(1000 + group);
    Look l;
    l.texture = group % 4;
    l.shape = (group / 2 + group) % 4;
    l.back1 = randomColour(rng, 30, 140);
    l.back2 = randomColour(rng, 90, 220);
    l.object = randomColour(rng, 60, 255);
    l.angle = std::uniform_real_distribution<double>(0, CV_PI)(rng);
    return l;
}

cv::Mat background(const Look& l, double phase) {
    cv::Mat img(kSize, kSize, CV_8UC3, l.back1);
    const double c = std::cos(l.angle), s = std::sin(l.angle);
    for (int y = 0; y < kSize; ++y) {
        auto* row = img.ptr<cv::Vec3b>(y);
        for (int x = 0; x < kSize; ++x) {
            double w = 0;
            const double u = x * c + y * s + phase, v = -x * s + y * c;
            switch (l.texture) {
                case 0:
                    w = std::fmod(std::abs(u), 20.0) < 10 ? 1 : 0;
                    break;
                case 1:
                    w = ((int(std::floor(u / 16)) + int(std::floor(v / 16))) & 1) ? 1 : 0;
                    break;
                case 2:
                    w = std::hypot(std::fmod(std::abs(u), 14.0) - 7,
                                   std::fmod(std::abs(v), 14.0) - 7) < 4
                            ? 1
                            : 0;
                    break;
                default:
                    w = 0.5 + 0.5 * std::sin(u / 25.0);
                    break;
            }
            for (int k = 0; k < 3; ++k) {
                row[x][k] = cv::saturate_cast<uchar>(l.back1[k] * (1 - w) + l.back2[k] * w);
            }
        }
    }
    return img;
}

void drawShape(cv::Mat& img, const Look& l, cv::Point2d at, double r) {
    const cv::Point c(cvRound(at.x), cvRound(at.y));
    const int ri = std::max(2, cvRound(r));
    switch (l.shape) {
        case 0:
            cv::circle(img, c, ri, l.object, cv::FILLED, cv::LINE_AA);
            break;
        case 1:
            cv::rectangle(img, c - cv::Point(ri, ri), c + cv::Point(ri, ri), l.object, cv::FILLED,
                          cv::LINE_AA);
            break;
        case 2: {
            std::vector<cv::Point> p = {c + cv::Point(0, -ri), c + cv::Point(ri, ri),
                                        c + cv::Point(-ri, ri)};
            cv::fillConvexPoly(img, p, l.object, cv::LINE_AA);
            break;
        }
        default:
            cv::circle(img, c, ri, l.object, std::max(2, ri / 3), cv::LINE_AA);
            break;
    }
}

// One forward clip of a process; its pair partner is the same frames reversed.
// process 0: an object grows from small to filling the frame.
// process 1: the picture fades in from near black.
// process 2: the picture comes into focus from a strong blur.
std::vector<cv::Mat> renderClip(int process, const Look& look, std::mt19937& rng) {
    std::uniform_real_distribution<double> u(0, 1);
    const cv::Point2d centre(kSize * (0.4 + 0.2 * u(rng)), kSize * (0.4 + 0.2 * u(rng)));
    std::vector<cv::Point2d> spots;
    for (int i = 0; i < 9; ++i) {
        spots.emplace_back(kSize * (0.12 + 0.76 * u(rng)), kSize * (0.12 + 0.76 * u(rng)));
    }
    const double phase0 = 40 * u(rng);
    const double gain = 0.85 + 0.3 * u(rng);
    std::vector<cv::Mat> frames;
    for (int f = 0; f < kFrames; ++f) {
        const double t = double(f) / (kFrames - 1);
        cv::Mat img = background(look, phase0 + 3 * f);
        if (process == 0) {
            drawShape(img, look, centre, kSize * (0.04 + 0.7 * t));
        } else if (process == 1) {
            // The lights come up: a fade from near black.
            drawShape(img, look, centre, kSize * 0.2);
            img.convertTo(img, -1, 0.05 + 0.95 * t, 0);
        } else {
            drawShape(img, look, centre, kSize * 0.2);
            drawShape(img, look, spots[0], kSize * 0.1);
            const double sigma = 10.0 * (1 - t);
            if (sigma > 0.3) {
                cv::GaussianBlur(img, img, cv::Size(), sigma);
            }
        }
        img.convertTo(img, -1, gain, 0);
        cv::Mat noise(img.size(), CV_16SC3);
        cv::randn(noise, 0, 4);
        cv::Mat noisy;
        img.convertTo(noisy, CV_16SC3);
        noisy += noise;
        noisy.convertTo(img, CV_8UC3);
        frames.push_back(img);
    }
    return frames;
}

const std::array<std::array<const char*, 2>, 3> kPairs = {
    {{"grow", "shrink"}, {"fadein", "fadeout"}, {"focus", "defocus"}}};

}  // namespace

class TestHeldOut : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;

private Q_SLOTS:
    void gruBeatsMeanPoolOnUnseenGroups() {
        torch::set_num_threads(2);
        QVERIFY(mDir.isValid());
        const fs::path root = mDir.filePath("orderpairs").toStdString();
        for (int g = 0; g < kGroups; ++g) {
            const Look look = lookOf(g);
            for (int p = 0; p < 3; ++p) {
                for (int c = 0; c < kClipsPerGroup; ++c) {
                    std::mt19937 rng(static_cast<unsigned>(g * 1000 + p * 100 + c));
                    const auto jpegs = data::encodeJpegFrames(renderClip(p, look, rng), 90);
                    for (int dir = 0; dir < 2; ++dir) {
                        const fs::path folder =
                            root / kPairs[p][dir] / ("look" + std::to_string(g));
                        fs::create_directories(folder);
                        const auto file = folder / ("clip" + std::to_string(c) + ".avi");
                        data::writeMjpegAvi(file.string(), jpegs, cv::Size(kSize, kSize), 15,
                                            dir == 1);
                    }
                }
            }
        }
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(int(ds.classes.size()), 6);
        QCOMPARE(int(ds.groups.size()), kGroups);
        QCOMPARE(int(ds.clips.size()), 6 * kGroups * kClipsPerGroup);

        TrainConfig base;  // the default backbone: nothing set here
        QCOMPARE(base.backbone, std::string(kPretrainedBackbone));
        base.dataset = root.string();
        base.frames = 8;
        base.imageSize = kSize;
        base.cacheDir = mDir.filePath("cache").toStdString();
        base.split = "groups";
        base.hidden = 128;
        base.batch = 8;
        base.lr = 1e-3;
        // A fixed 40 epochs on all six training groups, no validation group.
        // With one of the six held out for validation (the default 15%),
        // early stopping on its loss kept epoch 1 (measured: the loss of an
        // unseen look rises as the model grows confident while its accuracy
        // climbs), and the GRU scored 0.55. Measured with 40 epochs and no
        // validation, split seeds 0, 1, 2: GRU 0.850, 1.000, 0.867;
        // mean_pool 0.350, 0.617, 0.583 (sampling T = 8 of 16 frames is not
        // symmetric under reversal, so mean_pool may pass 0.5 a little).
        base.epochs = 40;
        base.patience = 0;
        base.device = "cpu";
        std::atomic<bool> stop{false};
        const auto features = featuresFor(ds, base, {}, stop);
        QVERIFY(features.backbone.pretrained);
        QCOMPARE(features.backbone.channels, int64_t(1280));
        QVERIFY(features.skipped.empty());

        SplitSpec spec;
        spec.protocol = base.split;
        spec.seed = base.seed;
        spec.testFraction = 0.25;
        spec.valFraction = 0;
        TrainInputs in;
        in.dataset = &ds;
        in.split = makeSplit(ds, spec);
        in.features = features;
        QVERIFY(!in.split.leaking);
        std::map<std::string, double> accuracy;
        for (const char* arch : {"gru", "mean_pool"}) {
            TrainConfig c = base;
            c.arch = arch;
            const auto out = train(c, in, {}, stop, "");
            accuracy[arch] = out.test.accuracy;
            qInfo("%s: test accuracy %.3f on %lld clips of unseen groups, %d epochs", arch,
                  out.test.accuracy, (long long)out.test.total, out.epochsRun);
        }
        QVERIFY(in.split.val.empty());
        QVERIFY2(accuracy["gru"] >= 0.80, qPrintable(QString::number(accuracy["gru"])));
        QVERIFY2(accuracy["gru"] - accuracy["mean_pool"] >= 0.25,
                 qPrintable(QString::number(accuracy["gru"] - accuracy["mean_pool"])));
    }
};

QTEST_GUILESS_MAIN(TestHeldOut)
#include "tst_heldout.moc"
