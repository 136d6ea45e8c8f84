// The training step (ml/graph_step.h) and the Adam whose state lives on the
// device (ml/device_adam.h). On the CPU: the device Adam agrees with
// LibTorch's, the step the trainer takes off CUDA is the plain step bit for
// bit, the device-state step (the graph's eager fallback) keeps its tensors'
// storage and tracks LibTorch's Adam, and the decision when to capture is a
// pure function. With a CUDA device (none here): replay against eager.
#include <torch/torch.h>

#include <QtTest>

#include <cstdlib>
#include <sstream>

#include "ml/device_adam.h"
#include "ml/graph_step.h"
#include "nn/classifier.h"
#include "testutil.h"
#include "vidrnn/runtime.h"

using namespace vidrnn;

Q_DECLARE_METATYPE(vidrnn::GraphBuild)

namespace {

constexpr std::int64_t kDim = 6;
constexpr std::int64_t kClasses = 3;
constexpr std::int64_t kSteps = 5;  // frames per clip
constexpr std::int64_t kBatch = 4;

struct Batch {
    torch::Tensor x, lengths, labels;
};

// Full batches, one with shorter clips, and a ragged last one of 3 clips.
std::vector<Batch> makeBatches(const torch::Device& device) {
    torch::manual_seed(11);
    std::vector<Batch> out;
    for (int b = 0; b < 7; ++b) {
        const std::int64_t n = b == 6 ? 3 : kBatch;
        Batch batch;
        batch.x = torch::randn({n, kSteps, kDim}).to(device);
        batch.lengths = torch::full({n}, kSteps, torch::kLong);
        if (b == 2) {
            batch.lengths[1] = 2;
        }
        batch.labels = torch::randint(kClasses, {n}, torch::kLong).to(device);
        out.push_back(batch);
    }
    return out;
}

// Dropout on by default: the steps must draw the same random numbers too.
nn::ClipClassifier makeModel(const std::string& arch, const torch::Device& device,
                             double dropout = 0.25) {
    torch::manual_seed(3);
    auto m = nn::makeClassifier(nn::ClassifierOptions(arch, kDim, 8, kClasses).dropout(dropout));
    m->to(device);
    m->train();
    return m;
}

TrainConfig config(const std::string& arch, double gradClip, double weightDecay) {
    TrainConfig c;
    c.arch = arch;
    c.batch = static_cast<int>(kBatch);
    c.lr = 1e-2;
    c.gradClip = gradClip;
    c.weightDecay = weightDecay;
    return c;
}

std::vector<torch::Tensor> snapshot(const nn::ClipClassifier& m) {
    std::vector<torch::Tensor> out;
    for (const auto& p : m->parameters()) {
        out.push_back(p.detach().cpu().clone());
    }
    return out;
}

// The trainer's step as it was written before it became a TrainStep: the
// reference both steps are held to.
std::vector<double> trainPlain(const nn::ClipClassifier& m, const TrainConfig& c,
                               const std::vector<Batch>& batches) {
    torch::optim::Adam optimizer(m->parameters(),
                                 torch::optim::AdamOptions(c.lr).weight_decay(c.weightDecay));
    std::vector<double> losses;
    torch::manual_seed(5);  // dropout
    for (const auto& b : batches) {
        optimizer.zero_grad();
        auto logits = m->forward(b.x, b.lengths).clip_logits;
        auto loss = torch::nn::functional::cross_entropy(logits, b.labels);
        losses.push_back(loss.item<double>());
        loss.backward();
        if (c.gradClip > 0) {
            torch::nn::utils::clip_grad_norm_(m->parameters(), c.gradClip);
        }
        optimizer.step();
    }
    return losses;
}

std::vector<double> trainWith(TrainStep& step, const std::vector<Batch>& batches) {
    std::vector<double> losses;
    torch::manual_seed(5);
    for (const auto& b : batches) {
        losses.push_back(step.run(b.x, b.lengths, b.labels, [](double) {}).loss);
    }
    return losses;
}

double maxDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
    }
    return worst;
}

bool allClose(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b, double rtol,
              double atol) {
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!torch::allclose(a[i], b[i], rtol, atol)) {
            return false;
        }
    }
    return a.size() == b.size();
}

}  // namespace

class TestGraphStep : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void deviceAdamMatchesTorchAdam_data() {
        QTest::addColumn<double>("lr");
        QTest::addColumn<double>("weightDecay");
        QTest::newRow("trainer defaults") << 1e-3 << 0.0;
        QTest::newRow("weight decay") << 1e-2 << 1e-2;
    }
    void deviceAdamMatchesTorchAdam() {
        QFETCH(double, lr);
        QFETCH(double, weightDecay);
        torch::manual_seed(1);
        const std::vector<torch::Tensor> start = {torch::randn({5, 3}), torch::randn({7}),
                                                  torch::randn({2})};
        std::vector<torch::Tensor> mine, theirs;
        for (const auto& t : start) {
            mine.push_back(t.clone().requires_grad_());
            theirs.push_back(t.clone().requires_grad_());
        }
        const auto options = torch::optim::AdamOptions(lr).weight_decay(weightDecay);
        DeviceAdam deviceAdam(mine, options);
        torch::optim::Adam adam(theirs, options);
        for (int step = 0; step < 40; ++step) {
            // The last parameter never gets a gradient: both leave it alone.
            for (std::size_t i = 0; i + 1 < start.size(); ++i) {
                const auto g = torch::randn_like(start[i]) * (1 + step % 3);
                mine[i].mutable_grad() = g.clone();
                theirs[i].mutable_grad() = g.clone();
            }
            deviceAdam.step();
            adam.step();
        }
        const double diff = maxDifference(mine, theirs);
        qInfo("largest difference from torch::optim::Adam: %g", diff);
        QVERIFY2(allClose(mine, theirs, 1e-6, 1e-7), qPrintable(QString::number(diff)));
        QVERIFY(!torch::equal(mine[0], start[0]));  // it did move
        QVERIFY(torch::equal(mine[2], start[2]));
        QCOMPARE(deviceAdam.stepCount(mine[0]).item<double>(), 40.0);
        QCOMPARE(deviceAdam.stepCount(mine[2]).item<double>(), 0.0);
        QCOMPARE(deviceAdam.stepCount(mine[0]).device(), mine[0].device());
        QVERIFY(!deviceAdam.stepCount(torch::zeros({1})).defined());
    }

    void deviceAdamRefusesAmsgrad() {
        auto p = torch::zeros({2}, torch::requires_grad());
        QVERIFY_THROWS_EXCEPTION(c10::Error,
                                 DeviceAdam({p}, torch::optim::AdamOptions().amsgrad(true)));
    }

    // Saved and loaded, it continues exactly where it was.
    void deviceAdamSavesItsState() {
        torch::manual_seed(2);
        auto a = torch::randn({4}, torch::requires_grad());
        auto b = a.detach().clone().requires_grad_();
        DeviceAdam first({a}, torch::optim::AdamOptions(0.1));
        for (int i = 0; i < 3; ++i) {
            a.mutable_grad() = torch::randn({4});
            first.step();
        }
        torch::serialize::OutputArchive out;
        first.save(out);
        std::ostringstream bytes;
        out.save_to(bytes);
        {
            torch::NoGradGuard g;
            b.copy_(a);
        }
        DeviceAdam second({b}, torch::optim::AdamOptions(0.1));
        torch::serialize::InputArchive in;
        std::istringstream read(bytes.str());
        in.load_from(read);
        second.load(in);
        QCOMPARE(second.stepCount(b).item<double>(), 3.0);
        const auto g = torch::randn({4});
        a.mutable_grad() = g.clone();
        b.mutable_grad() = g.clone();
        first.step();
        second.step();
        QVERIFY(torch::equal(a, b));
    }

    void clipWithoutHostReadMatchesLibTorch() {
        torch::manual_seed(4);
        std::vector<torch::Tensor> mine, theirs;
        for (auto shape : {std::vector<std::int64_t>{3, 4}, {5}, {2, 2}}) {
            auto p = torch::zeros(shape, torch::requires_grad());
            auto q = torch::zeros(shape, torch::requires_grad());
            const auto g = torch::randn(shape) * 3;
            p.mutable_grad() = g.clone();
            q.mutable_grad() = g.clone();
            mine.push_back(p);
            theirs.push_back(q);
        }
        const auto before = mine[0].grad().clone();
        clipGradNormOnDevice(mine, 0.5);
        torch::nn::utils::clip_grad_norm_(theirs, 0.5);
        QVERIFY(!torch::equal(mine[0].grad(), before));  // it clipped
        for (std::size_t i = 0; i < mine.size(); ++i) {
            QVERIFY(torch::equal(mine[i].grad(), theirs[i].grad()));
        }
    }

    // Off CUDA the trainer takes EagerStep, which must be the step it always
    // took: same losses, same weights, bit for bit (reruns are checked so).
    void eagerStepIsThePlainStep_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("lstm") << "lstm";
        QTest::newRow("gru") << "gru";
        QTest::newRow("mean_pool") << "mean_pool";
    }
    void eagerStepIsThePlainStep() {
        QFETCH(QString, arch);
        const torch::Device cpu(torch::kCPU);
        const auto c = config(arch.toStdString(), 0.5, 1e-3);
        const auto batches = makeBatches(cpu);
        auto plain = makeModel(c.arch, cpu);
        const auto plainLosses = trainPlain(plain, c, batches);
        auto stepped = makeModel(c.arch, cpu);
        auto step = makeTrainStep(stepped, c, cpu);
        QVERIFY(dynamic_cast<EagerStep*>(step.get()));
        QCOMPARE(step->mode(), std::string("eager (not on a CUDA device)"));
        QVERIFY(dynamic_cast<torch::optim::Adam*>(&step->optimizer()));
        const auto losses = trainWith(*step, batches);
        QCOMPARE(losses, plainLosses);
        const auto a = snapshot(plain), b = snapshot(stepped);
        for (std::size_t i = 0; i < a.size(); ++i) {
            QVERIFY(torch::equal(a[i], b[i]));
        }
    }

    // The graphed step's eager half, on the CPU: it follows LibTorch's Adam,
    // and no tensor a graph would have captured changes its storage.
    void deviceStateStepTracksPlainStep_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<double>("gradClip");
        QTest::newRow("lstm, clipping") << "lstm" << 0.05;
        QTest::newRow("bilstm, no clipping") << "bilstm" << 0.0;
        QTest::newRow("deep_lstm") << "deep_lstm" << 5.0;
    }
    void deviceStateStepTracksPlainStep() {
        QFETCH(QString, arch);
        QFETCH(double, gradClip);
        const torch::Device cpu(torch::kCPU);
        const auto c = config(arch.toStdString(), gradClip, 1e-3);
        const auto batches = makeBatches(cpu);
        auto plain = makeModel(c.arch, cpu);
        const auto plainLosses = trainPlain(plain, c, batches);
        auto model = makeModel(c.arch, cpu);
        DeviceStateStep step(model, c);
        QVERIFY(dynamic_cast<DeviceAdam*>(&step.optimizer()));
        torch::manual_seed(5);
        std::vector<const void*> grads;
        std::vector<double> losses;
        for (const auto& b : batches) {
            losses.push_back(step.run(b.x, b.lengths, b.labels, [](double) {}).loss);
            std::vector<const void*> now;
            for (const auto& p : model->parameters()) {
                now.push_back(p.grad().data_ptr());
            }
            if (grads.empty()) {
                grads = now;
            }
            QVERIFY(now == grads);
        }
        for (std::size_t i = 0; i < losses.size(); ++i) {
            QVERIFY2(std::abs(losses[i] - plainLosses[i]) <= 1e-5 * std::abs(plainLosses[i]),
                     qPrintable(QString("batch %1: %2 vs %3")
                                    .arg(i)
                                    .arg(losses[i], 0, 'g', 17)
                                    .arg(plainLosses[i], 0, 'g', 17)));
        }
        const auto a = snapshot(plain), b = snapshot(model);
        QVERIFY2(allClose(a, b, 1e-5, 1e-6), qPrintable(QString::number(maxDifference(a, b))));
    }

    // The loss reaches the check; a throwing check stops the step before the
    // weights change (eager).
    void lossCheckStopsTheStep() {
        const torch::Device cpu(torch::kCPU);
        auto model = makeModel("lstm", cpu);
        DeviceStateStep step(model, config("lstm", 5.0, 0.0));
        const auto before = snapshot(model);
        const auto b = makeBatches(cpu).front();
        double seen = -1;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 step.run(b.x, b.lengths, b.labels, [&](double loss) {
                                     seen = loss;
                                     throw std::runtime_error("stop");
                                 }));
        QVERIFY(seen > 0);
        QCOMPARE(maxDifference(before, snapshot(model)), 0.0);
    }

    void decision_data() {
        QTest::addColumn<GraphBuild>("build");
        QTest::addColumn<bool>("cudaDevice");
        QTest::addColumn<QString>("arch");
        QTest::addColumn<bool>("switchedOff");
        QTest::addColumn<bool>("capture");
        QTest::addColumn<QString>("reason");
        const auto on = GraphBuild::Available;
        QTest::newRow("lstm on CUDA") << on << true << "lstm" << false << true << "captured";
        QTest::newRow("gru") << on << true << "gru" << false << true << "captured";
        QTest::newRow("bilstm") << on << true << "bilstm" << false << true << "captured";
        QTest::newRow("deep_lstm") << on << true << "deep_lstm" << false << true << "captured";
        QTest::newRow("switched off")
            << on << true << "lstm" << true << false << "VIDRNN_CUDA_GRAPHS";
        QTest::newRow("cpu") << on << false << "lstm" << false << false << "not on a CUDA device";
        QTest::newRow("cpu build") << GraphBuild::NotCompiled << false << "lstm" << false << false
                                   << "not on a CUDA device";
        QTest::newRow("not compiled")
            << GraphBuild::NotCompiled << true << "lstm" << false << false << "not compiled in";
        QTest::newRow("no device")
            << GraphBuild::NoDevice << true << "lstm" << false << false << "no device";
        QTest::newRow("convlstm") << on << true << "convlstm" << false << false << "convlstm";
        QTest::newRow("mean_pool") << on << true << "mean_pool" << false << false << "mean_pool";
    }
    void decision() {
        QFETCH(GraphBuild, build);
        QFETCH(bool, cudaDevice);
        QFETCH(QString, arch);
        QFETCH(bool, switchedOff);
        QFETCH(bool, capture);
        QFETCH(QString, reason);
        GraphFacts f;
        f.build = build;
        f.cudaDevice = cudaDevice;
        f.arch = arch.toStdString();
        f.switchedOff = switchedOff;
        const auto d = decideGraphs(f);
        QCOMPARE(d.capture, capture);
        QVERIFY2(QString::fromStdString(d.reason).contains(reason), d.reason.c_str());
    }

    void switchedOff_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("set");
        QTest::addColumn<bool>("off");
        QTest::newRow("unset") << "" << false << false;
        QTest::newRow("empty") << "" << true << false;
        QTest::newRow("0") << "0" << true << true;
        QTest::newRow("off") << "OFF" << true << true;
        QTest::newRow("false") << "false" << true << true;
        QTest::newRow("no") << "no" << true << true;
        QTest::newRow("1") << "1" << true << false;
        QTest::newRow("on") << "on" << true << false;
    }
    void switchedOff() {
        QFETCH(QString, value);
        QFETCH(bool, set);
        QFETCH(bool, off);
        const auto text = value.toStdString();
        QCOMPARE(graphsSwitchedOff(set ? text.c_str() : nullptr), off);
    }

    void fits_data() {
        QTest::addColumn<qint64>("clipsRow");
        QTest::addColumn<qint64>("shortest");
        QTest::addColumn<bool>("withLengths");
        QTest::addColumn<bool>("fits");
        const qint64 batch = kBatch, steps = kSteps;
        QTest::newRow("full batch") << batch << steps << true << true;
        QTest::newRow("no lengths") << batch << steps << false << true;
        QTest::newRow("ragged last batch") << batch - 1 << steps << true << false;
        QTest::newRow("a shorter clip") << batch << steps - 1 << true << false;
    }
    void fits() {
        QFETCH(qint64, clipsRow);
        QFETCH(qint64, shortest);
        const auto clips = static_cast<std::int64_t>(clipsRow);
        QFETCH(bool, withLengths);
        QFETCH(bool, fits);
        const auto x = torch::zeros({clips, kSteps, kDim});
        auto lengths = torch::full({clips}, kSteps, torch::kLong);
        lengths[0] = static_cast<std::int64_t>(shortest);
        QCOMPARE(fitsGraph(x, withLengths ? lengths : torch::Tensor(), kBatch), fits);
        QVERIFY(!fitsGraph(torch::zeros({kBatch, kDim}), torch::Tensor(), kBatch));
    }

    // CMake compiles the capture code exactly where LibTorch has CUDA, and
    // what the build can do is reported (vidrnn info's cuda_graphs).
    void buildSaysWhatItCompiled() {
        QCOMPARE(cudaGraphsCompiled(), VIDRNN_BUILT_TORCH_CUDA != 0);
        const bool device = torch::cuda::is_available();
        const auto expected = !cudaGraphsCompiled() ? GraphBuild::NotCompiled
                              : device              ? GraphBuild::Available
                                                    : GraphBuild::NoDevice;
        QCOMPARE(graphBuild(), expected);
        QCOMPARE(QString::fromStdString(runtimeInfo().cudaGraphs)
                     .startsWith(QString::fromStdString(describe(expected))),
                 true);
        std::string reason;
        auto graphed =
            makeGraphedStep(makeModel("lstm", torch::kCPU), config("lstm", 5, 0), reason);
        QCOMPARE(graphed != nullptr, expected == GraphBuild::Available);
        if (!graphed) {
            QVERIFY2(QString::fromStdString(reason).contains(
                         cudaGraphsCompiled() ? "compiled, no device" : "not compiled in"),
                     reason.c_str());
        }
    }

    void environmentSwitchesGraphsOff() {
        const test::ScopedEnv env(kGraphsEnv, "0");
        QVERIFY(QString::fromStdString(cudaGraphsStatus()).contains("switched off"));
        const auto step = makeTrainStep(makeModel("lstm", torch::kCPU), config("lstm", 5, 0),
                                        torch::Device(torch::kCPU));
        QVERIFY2(step->mode().find("switched off by VIDRNN_CUDA_GRAPHS") != std::string::npos,
                 step->mode().c_str());
    }

    // Only with a CUDA device (none on the build machines): replayed steps
    // against the device-state eager step on the same device, the ragged
    // batches and the batch with a shorter clip going eager in both.
    void graphedStepOnCuda() {
        if (!torch::cuda::is_available() || !cudaGraphsCompiled()) {
            QSKIP("no CUDA device, or CUDA graphs not compiled in");
        }
        const torch::Device cuda(torch::kCUDA);
        const auto c = config("lstm", 0.5, 1e-3);
        auto batches = makeBatches(cuda);
        const auto more = makeBatches(cuda);
        batches.insert(batches.end(), more.begin(), more.end());  // replays after capture
        auto eagerModel = makeModel(c.arch, cuda, 0.0);
        DeviceStateStep eager(eagerModel, c);
        const auto eagerLosses = trainWith(eager, batches);
        auto graphedModel = makeModel(c.arch, cuda, 0.0);
        auto graphed = makeTrainStep(graphedModel, c, cuda);
        QVERIFY2(graphed->mode().find("no batch") != std::string::npos, graphed->mode().c_str());
        const auto losses = trainWith(*graphed, batches);
        QVERIFY2(graphed->mode().rfind("cuda graph", 0) == 0, graphed->mode().c_str());
        for (std::size_t i = 0; i < losses.size(); ++i) {
            QVERIFY2(std::abs(losses[i] - eagerLosses[i]) <= 1e-4 * std::abs(eagerLosses[i]),
                     qPrintable(
                         QString("batch %1: %2 vs %3").arg(i).arg(losses[i]).arg(eagerLosses[i])));
        }
        const auto a = snapshot(eagerModel), b = snapshot(graphedModel);
        QVERIFY2(allClose(a, b, 1e-4, 1e-5), qPrintable(QString::number(maxDifference(a, b))));
    }
};

QTEST_GUILESS_MAIN(TestGraphStep)
#include "tst_graphstep.moc"
