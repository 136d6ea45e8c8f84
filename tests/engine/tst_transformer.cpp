// White-box tests of the causal Transformer head (nn/transformer.h); what
// every architecture must do (parameter formula, shapes, lengths, causality,
// bf16, determinism) tst_models checks over the registry, this one included.
#include <torch/torch.h>

#include <QtTest>

#include "nn/classifier.h"
#include "nn/transformer.h"
#include "vidrnn/archs.h"
#include "vidrnn/config.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"

using namespace vidrnn;

namespace {

nn::ClipClassifier build(const std::string& arch, int64_t in, int64_t hidden, int64_t classes,
                         int64_t layers = 0) {
    return nn::makeClassifier(nn::ClassifierOptions(arch, in, hidden, classes).num_layers(layers));
}

// Two classes made of the same frames in opposite order: the first half of
// class 0 is pattern a and its second half pattern b, class 1 the reverse,
// with noise. Their means are equal: only the order tells them apart.
std::pair<torch::Tensor, torch::Tensor> orderedTask(int64_t clips, int64_t steps, int64_t dim) {
    auto a = torch::zeros({dim});
    a[0] = 1.0;
    auto b = torch::zeros({dim});
    b[1] = 1.0;
    const auto reversed = torch::arange(clips) % 2 == 1;                  // [N]: class 1
    const auto firstHalf = torch::arange(steps) < steps / 2;              // [T]
    const auto showsA = firstHalf.unsqueeze(0) != reversed.unsqueeze(1);  // [N,T]
    auto x = torch::where(showsA.unsqueeze(2), a, b);
    return {x + 0.3 * torch::randn_like(x), reversed.to(torch::kLong)};
}

double trainedAccuracy(const std::string& arch) {
    torch::manual_seed(11);
    const int64_t steps = 8, dim = 4;
    auto model = build(arch, dim, 16, 2);
    torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(1e-2));
    for (int step = 0; step < 100; ++step) {
        auto [x, y] = orderedTask(32, steps, dim);
        opt.zero_grad();
        auto loss = torch::nn::functional::cross_entropy(model->forward(x).clip_logits, y);
        loss.backward();
        opt.step();
    }
    model->eval();
    torch::NoGradGuard guard;
    auto [x, y] = orderedTask(200, steps, dim);
    return model->forward(x).clip_logits.argmax(1).eq(y).to(torch::kDouble).mean().item<double>();
}

}  // namespace

class TestTransformer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    // The study's sizes, in closed form: the row's formula is checked against
    // the module for every size in tst_models; this pins what it is.
    void parameterCountAtTheStudysSize() {
        ModelSpec spec;
        spec.arch = "transformer";
        spec.hidden = 128;  // D 512, 11 classes, 1 layer, ff 256, 64 positions
        const std::int64_t h = 128, f = 256;
        const std::int64_t layer =
            2 * h + (3 * h * h + 3 * h) + (h * h + h) + 2 * h + (h * f + f) + (f * h + h);
        QCOMPARE(parameterCount(spec), 512 * h + h + 64 * h + layer + 2 * h + h * 11 + 11);
        auto model = build("transformer", 512, 128, 11);
        QCOMPARE(nn::countParameters(*model), parameterCount(spec));
    }

    void headsDivideTheWidth() {
        QCOMPARE(nn::TransformerClassifierImpl::headsFor(128), int64_t{4});
        QCOMPARE(nn::TransformerClassifierImpl::headsFor(6), int64_t{2});
        QCOMPARE(nn::TransformerClassifierImpl::headsFor(7), int64_t{1});
        // Widths the heads do not divide by 4 still build and run.
        for (int64_t width : {1, 6, 7}) {
            auto model = build("transformer", 5, width, 3);
            auto out = model->forward(torch::randn({2, 4, 5}));
            QVERIFY(torch::isfinite(out.clip_logits).all().item<bool>());
        }
    }

    // Checkpoint keys are the registered names: keep them stable.
    void parameterNames() {
        auto model = build("transformer", 4, 8, 2);
        QStringList keys;
        for (const auto& p : model->named_parameters()) {
            keys << QString::fromStdString(p.key());
        }
        QCOMPARE(keys,
                 (QStringList{"position", "input.weight", "input.bias", "layers.0.norm1.weight",
                              "layers.0.norm1.bias", "layers.0.qkv.weight", "layers.0.qkv.bias",
                              "layers.0.out.weight", "layers.0.out.bias", "layers.0.norm2.weight",
                              "layers.0.norm2.bias", "layers.0.ff1.weight", "layers.0.ff1.bias",
                              "layers.0.ff2.weight", "layers.0.ff2.bias", "norm.weight",
                              "norm.bias", "head.weight", "head.bias"}));
    }

    // The position table holds the row's maxFrames steps: a longer clip is
    // refused by the module, and first by the config's validation, naming
    // the limit.
    void clipsLongerThanThePositionTableAreRefused() {
        const int maxFrames = archInfo("transformer").maxFrames;
        QCOMPARE(maxFrames, 64);
        auto model = build("transformer", 4, 8, 2);
        QCOMPARE(model->forward(torch::randn({1, maxFrames, 4})).step_logits.size(1),
                 int64_t{maxFrames});
        QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::randn({1, maxFrames + 1, 4})));
        TrainConfig c;
        c.arch = "transformer";
        c.frames = maxFrames;
        validate(c);
        c.frames = maxFrames + 1;
        try {
            validate(c);
            QFAIL("65 frames passed the config's validation");
        } catch (const ConfigError& e) {
            QVERIFY2(QString(e.what()).contains("transformer reads at most 64 frames"), e.what());
        }
    }

    // The clip's answer is the last valid step's, and with several layers a
    // step still reads only the frames so far.
    void clipLogitsAreTheLastStepsAndLayersStayCausal() {
        torch::manual_seed(3);
        auto model = build("transformer", 6, 8, 3, 3);
        model->eval();
        auto x = torch::randn({2, 7, 6});
        auto out = model->forward(x, torch::tensor({7, 4}, torch::kLong));
        QVERIFY(torch::allclose(out.clip_logits[0], out.step_logits[0][6]));
        QVERIFY(torch::allclose(out.clip_logits[1], out.step_logits[1][3]));
        auto later = x.clone();
        later.slice(1, 3).normal_();
        auto moved = model->forward(later);
        QVERIFY(torch::allclose(moved.step_logits.slice(1, 0, 3),
                                model->forward(x).step_logits.slice(1, 0, 3), 1e-5, 1e-6));
        QVERIFY(!torch::allclose(moved.step_logits.slice(1, 3),
                                 model->forward(x).step_logits.slice(1, 3), 1e-3, 1e-3));
    }

    // It learns what only the order of the frames tells (mean_pool, the
    // order-blind control, cannot), from its learned positions and attention.
    void learnsAnOrderedTask() {
        const double transformer = trainedAccuracy("transformer");
        const double control = trainedAccuracy("mean_pool");
        QVERIFY2(transformer >= 0.95, qPrintable(QString("accuracy %1").arg(transformer)));
        QVERIFY2(control <= 0.75, qPrintable(QString("mean_pool reached %1").arg(control)));
    }

    // A bf16 training step runs and lowers the loss on a fixed batch, with
    // fp32 weights and gradients.
    void bf16TrainingSteps() {
        torch::manual_seed(4);
        auto model = build("transformer", 16, 32, 3, 2);
        model->compute_type = torch::kBFloat16;
        torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(1e-2));
        auto x = torch::randn({8, 10, 16});
        auto y = torch::randint(0, 3, {8}, torch::kLong);
        std::vector<double> losses;
        for (int step = 0; step < 10; ++step) {
            opt.zero_grad();
            auto loss = torch::nn::functional::cross_entropy(model->forward(x).clip_logits, y);
            loss.backward();
            opt.step();
            losses.push_back(loss.item<double>());
        }
        QVERIFY2(losses.back() < losses.front() * 0.8,
                 qPrintable(QString("loss %1 -> %2").arg(losses.front()).arg(losses.back())));
        for (const auto& p : model->parameters()) {
            QCOMPARE(p.scalar_type(), torch::kFloat);
            QCOMPARE(p.grad().scalar_type(), torch::kFloat);
        }
    }
};

QTEST_GUILESS_MAIN(TestTransformer)
#include "tst_transformer.moc"
