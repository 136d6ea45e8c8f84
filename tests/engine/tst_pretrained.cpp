// The bundled pretrained backbone (MobileNetV2, ImageNet): its two forms, the
// checksum that refuses an altered file, and, when ../shared is there, real
// footage: features checked against python3-torch running the same file on
// the same frames (torchvision's preprocessing), and ImageNet labels of real
// clips through the engine's preprocessing.
#include <torch/torch.h>

#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "data/decode.h"
#include "ml/backbone.h"
#include "testutil.h"
#include "vidrnn/errors.h"
#include "vidrnn/features.h"

using namespace vidrnn;
namespace fs = std::filesystem;

namespace {

fs::path bundledDir() {
    return test::sourceDir() / "resources" / "models";
}

// The middle frame of a video, as decoded (RGB, full size).
cv::Mat middleFrame(const std::string& path) {
    cv::VideoCapture cap(path, cv::CAP_FFMPEG);
    const auto n = static_cast<std::int64_t>(cap.get(cv::CAP_PROP_FRAME_COUNT));
    cv::Mat frame, rgb;
    for (std::int64_t i = 0; i <= n / 2 && cap.grab(); ++i) {
        cap.retrieve(frame);
    }
    cv::cvtColor(frame, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

// Engine preprocessing of full frames -> [N,224,224,3] uint8.
torch::Tensor enginePixels(const std::vector<cv::Mat>& rgb) {
    std::vector<torch::Tensor> frames;
    for (const auto& f : rgb) {
        cv::Mat bgr;
        cv::cvtColor(f, bgr, cv::COLOR_RGB2BGR);
        const cv::Mat p = data::preprocessFrame(bgr, 224);
        frames.push_back(torch::from_blob(p.data, {224, 224, 3}, torch::kUInt8).clone());
    }
    return torch::stack(frames);
}

// Debian's python3 with torch, or empty.
QString pythonWithTorch() {
    for (const QString& exe : {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
        QProcess p;
        p.start(exe, {"-c", "import torch"});
        if (p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit &&
            p.exitCode() == 0) {
            return exe;
        }
    }
    return {};
}

std::vector<std::string> readLines(const fs::path& file) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

}  // namespace

class TestPretrained : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;

private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(2);
        QVERIFY(mDir.isValid());
    }

    // One name, two forms: vectors for the vector models, maps for ConvLSTM,
    // each its own cache identity, both labelled as pretrained.
    void bundledForms() {
        Backbone vectors(kPretrainedBackbone, 224, torch::kCPU);
        const auto& v = vectors.description();
        QVERIFY(v.pretrained);
        QVERIFY(!v.spatial);
        QCOMPARE(v.channels, int64_t(1280));
        QVERIFY(v.batched);
        QCOMPARE(v.qengine, std::string("qnnpack"));
        QCOMPARE(pretrainedLabel(v), std::string("MobileNetV2 (ImageNet, pretrained)"));
        Backbone maps(kPretrainedBackbone, 224, torch::kCPU, /*maps=*/true);
        const auto& m = maps.description();
        QVERIFY(m.spatial);
        QCOMPARE(m.channels, int64_t(1280));
        QCOMPARE(m.mapHeight, int64_t(7));
        QCOMPARE(m.mapWidth, int64_t(7));
        QVERIFY(m.identity != v.identity);
        QCOMPARE(m.name, v.name);
        // The maps' spatial mean is the pooled vector, within quantization.
        auto frames = torch::randint(0, 255, {3, 224, 224, 3}, torch::kUInt8);
        const auto a = vectors.forward(frames).flatten(1);
        const auto b = maps.forward(frames).mean({2, 3});
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{3, 1280}));
        const double diff = (a - b).abs().max().item<double>();
        QVERIFY2(diff < 0.05, qPrintable(QString::number(diff)));
        // Batched and frame-by-frame agree (the graph is batch-safe).
        const auto one = vectors.forward(frames.narrow(0, 1, 1)).flatten(1);
        QVERIFY(torch::allclose(one, a.narrow(0, 1, 1), 1e-4, 1e-4));
    }

    // A bundled file changed by one byte, or missing, is refused by name.
    void alteredOrMissingFileIsRefused() {
        const fs::path dir = mDir.filePath("models").toStdString();
        fs::create_directories(dir);
        for (const char* name :
             {"mobilenet_v2_quantized_features1280.pt", "mobilenet_v2_quantized_maps1280.pt"}) {
            fs::copy_file(bundledDir() / name, dir / name, fs::copy_options::overwrite_existing);
        }
        const test::ScopedEnv env("VIDRNN_MODELS_DIR", dir.string());
        QCOMPARE(describeBackbone(kPretrainedBackbone, 224).channels, int64_t(1280));

        const auto victim = dir / "mobilenet_v2_quantized_features1280.pt";
        {
            std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
            f.seekg(1000);
            char c = 0;
            f.read(&c, 1);
            c = static_cast<char>(c ^ 0x01);
            f.seekp(1000);
            f.write(&c, 1);
        }
        try {
            describeBackbone(kPretrainedBackbone, 224);
            QFAIL("an altered model file was accepted");
        } catch (const ModelError& e) {
            const QString m = e.what();
            QVERIFY2(m.contains(QString::fromStdString(victim.string())) && m.contains("altered"),
                     e.what());
            qInfo("%s", e.what());
        }
        // The other form's file is untouched and still loads.
        QVERIFY(describeBackbone(kPretrainedBackbone, 224, true).spatial);

        fs::remove(victim);
        try {
            describeBackbone(kPretrainedBackbone, 224);
            QFAIL("a missing model file was accepted");
        } catch (const ModelError& e) {
            const QString m = e.what();
            QVERIFY2(m.contains("mobilenet_v2_quantized_features1280.pt") &&
                         m.contains("not found") &&
                         m.contains(QString::fromStdString(dir.string())),
                     e.what());
        }
    }

    // Item 3, first test: the engine's features against python3-torch running
    // the same file on the same frames, preprocessed the torchvision way.
    void featuresMatchPythonPeer() {
        const auto shared = test::sharedDir();
        if (shared.empty() || !fs::is_directory(shared / "data" / "real-clips")) {
            QSKIP("../shared/data/real-clips is absent");
        }
        const QString python = pythonWithTorch();
        if (python.isEmpty()) {
            QSKIP("no python3 with torch (Debian's python3-torch)");
        }
        const fs::path clips = shared / "data" / "real-clips";
        std::vector<cv::Mat> rgb;
        for (const char* clip :
             {"basketball/v_Basketball_g01_c01.avi",
              "basketball/pexels_basketball_pavel_danilyuk.mp4", "biking/v_Biking_g01_c01.avi",
              "walking/activitynet_v_ZNVhz7ctTq0_walking_the_dog.mp4",
              "_other/ucf101_v_PlayingGuitar_g16_c02.avi",
              "_other/kinetics_flipping_a_pancake.mkv"}) {
            rgb.push_back(middleFrame((clips / clip).string()));
            QVERIFY2(!rgb.back().empty(), clip);
        }
        const std::string framesFile = mDir.filePath("frames.bin").toStdString();
        {
            std::ofstream out(framesFile, std::ios::binary);
            const auto count = static_cast<std::int32_t>(rgb.size());
            out.write(reinterpret_cast<const char*>(&count), 4);
            for (const auto& f : rgb) {
                const std::int32_t hw[2] = {f.rows, f.cols};
                out.write(reinterpret_cast<const char*>(hw), 8);
                const cv::Mat c = f.isContinuous() ? f : f.clone();
                out.write(reinterpret_cast<const char*>(c.data),
                          static_cast<std::streamsize>(c.total() * c.elemSize()));
            }
        }
        const auto model = bundledDir() / "mobilenet_v2_quantized_features1280.pt";
        const std::string outFile = mDir.filePath("peer.bin").toStdString();
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(python,
                {QString::fromStdString(
                     (test::sourceDir() / "tests" / "engine" / "peer_features.py").string()),
                 QString::fromStdString(model.string()), QString::fromStdString(framesFile),
                 QString::fromStdString(outFile)});
        QVERIFY(p.waitForFinished(300000));
        QVERIFY2(p.exitCode() == 0, p.readAll().constData());
        std::vector<float> peer(rgb.size() * 1280);
        {
            std::ifstream in(outFile, std::ios::binary);
            in.read(reinterpret_cast<char*>(peer.data()),
                    static_cast<std::streamsize>(peer.size() * sizeof(float)));
            QCOMPARE(static_cast<std::size_t>(in.gcount()), peer.size() * sizeof(float));
        }
        const auto theirs = torch::from_blob(peer.data(), {static_cast<int64_t>(rgb.size()), 1280});
        Backbone engine(kPretrainedBackbone, 224, torch::kCPU);
        const auto ours = engine.forward(enginePixels(rgb)).flatten(1);
        const double mad = (ours - theirs).abs().mean().item<double>();
        const double scale = theirs.abs().mean().item<double>();
        const double maxAbs = theirs.abs().max().item<double>();
        // Per frame: the same features, not merely the same scale.
        const auto cosine = torch::cosine_similarity(ours, theirs, 1);
        qInfo(
            "engine vs python3-torch on %zu real frames: mean |diff| %.4f, mean |feature| %.4f "
            "(ratio %.3f), max |feature| %.2f, cosine min %.4f",
            rgb.size(), mad, scale, mad / scale, maxAbs, cosine.min().item<double>());
        // The features are sparse (most channels near 0, a few up to ~5), so
        // the mean |feature| is a strict scale: the two differ by under a
        // quarter of it, and every frame's direction agrees.
        QVERIFY2(mad < 0.25 * scale, qPrintable(QString::number(mad / scale)));
        QVERIFY(cosine.min().item<double>() > 0.97);
        // Different frames really differ far more than the two implementations.
        const double between =
            (theirs.narrow(0, 0, 1) - theirs.narrow(0, 1, 1)).abs().mean().item<double>();
        QVERIFY(between > 3 * mad);
    }

    // Item 3, second test: the batch-safe classifier through the engine's
    // preprocessing names what real clips show.
    void classifierTop5OnRealClips() {
        const auto shared = test::sharedDir();
        const auto model = shared / "models" / "mobilenet_v2_quantized_batchable.pt";
        const auto labelsFile = shared / "models" / "imagenet1k_labels.txt";
        if (shared.empty() || !fs::exists(model) || !fs::exists(labelsFile) ||
            !fs::is_directory(shared / "data" / "real-clips")) {
            QSKIP("../shared models or real clips are absent");
        }
        const auto labels = readLines(labelsFile);
        QCOMPARE(labels.size(), std::size_t(1000));
        Backbone classifier(model.string(), 224, torch::kCPU);
        QVERIFY(classifier.description().batched);  // probed in a child: batch-safe
        QCOMPARE(classifier.description().channels, int64_t(1000));
        const fs::path clips = shared / "data" / "real-clips";
        struct Case {
            std::string clip;
            std::vector<std::string> expect;  // any label containing one of these
        };
        std::vector<Case> cases;
        for (const auto& e : fs::directory_iterator(clips / "basketball")) {
            cases.push_back({e.path().string(), {"basketball", "volleyball"}});
        }
        for (const auto& e : fs::directory_iterator(clips / "biking")) {
            cases.push_back({e.path().string(), {"bicycle", "bike"}});
        }
        cases.push_back(
            {(clips / "_other" / "ucf101_v_PlayingGuitar_g16_c02.avi").string(), {"guitar"}});
        std::sort(cases.begin(), cases.end(),
                  [](const Case& a, const Case& b) { return a.clip < b.clip; });
        std::map<std::string, std::pair<int, int>> hits;  // folder -> (hits, clips)
        for (const auto& c : cases) {
            // The engine's own decoding: T = 1 samples the middle frame.
            const auto decoded = data::decodeClip(c.clip, 1, 224);
            QCOMPARE(decoded.frames.size(), std::size_t(1));
            const cv::Mat& f = decoded.frames[0];
            const auto pixels = torch::from_blob(f.data, {1, 224, 224, 3}, torch::kUInt8);
            const auto logits = classifier.forward(pixels).flatten(1)[0];
            const auto top = std::get<1>(logits.topk(5));
            QString names;
            bool hit = false;
            for (int i = 0; i < 5; ++i) {
                const auto& label = labels[static_cast<std::size_t>(top[i].item<int64_t>())];
                names += QString::fromStdString(label) + (i < 4 ? "; " : "");
                for (const auto& want : c.expect) {
                    hit = hit || label.find(want) != std::string::npos;
                }
            }
            qInfo("%s (frame %lld): %s", fs::path(c.clip).filename().c_str(),
                  (long long)decoded.indices[0], qPrintable(names));
            auto& h = hits[fs::path(c.clip).parent_path().filename().string()];
            h.first += hit ? 1 : 0;
            h.second += 1;
        }
        // One basketball clip (a wide shot of players under the hoop) shows
        // neither ball nor court in its middle frame: most clips, not all.
        QVERIFY2(hits["basketball"].first >= hits["basketball"].second - 1,
                 qPrintable(QString::number(hits["basketball"].first)));
        QCOMPARE(hits["biking"].first, hits["biking"].second);
        QCOMPARE(hits["_other"].first, 1);
    }
};

QTEST_GUILESS_MAIN(TestPretrained)
#include "tst_pretrained.moc"
