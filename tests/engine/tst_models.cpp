// White-box tests of the LibTorch modules: parameter parity with the study,
// shapes, lengths, determinism, ConvLSTM gradients and its fast path.
#include <torch/torch.h>

#include <QtTest>

#include "nn/classifier.h"
#include "nn/convlstm.h"
#include "nn/motion.h"
#include "nn/recurrent.h"
#include "vidrnn/archs.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"

using namespace vidrnn;

namespace {

nn::ClipClassifier build(const std::string& arch, int64_t in, int64_t hidden, int64_t classes) {
    return nn::makeClassifier(nn::ClassifierOptions(arch, in, hidden, classes));
}

// A data-driven test's rows: one per architecture of the registry.
void oneRowPerArchitecture() {
    QTest::addColumn<QString>("arch");
    for (const auto& arch : architectures()) {
        QTest::newRow(arch.c_str()) << QString::fromStdString(arch);
    }
}

}  // namespace

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void studyParameterCounts_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("hidden");
        QTest::addColumn<qlonglong>("params");
        const struct {
            const char* arch;
            int hidden;
            qlonglong params;
        } rows[] = {
            {"lstm", 64, 148683},        {"lstm", 128, 330123},       {"lstm", 256, 791307},
            {"lstm", 512, 2106891},      {"gru", 64, 111691},         {"gru", 128, 247947},
            {"gru", 256, 594187},        {"gru", 512, 1581579},       {"deep_lstm", 64, 181963},
            {"deep_lstm", 128, 462219},  {"deep_lstm", 256, 1317643}, {"deep_lstm", 512, 4208139},
            {"convlstm", 64, 1328075},   {"convlstm", 128, 2951051},  {"convlstm", 256, 7081739},
            {"convlstm", 512, 18882059},
        };
        for (const auto& r : rows) {
            QTest::addRow("%s-%d", r.arch, r.hidden) << r.arch << r.hidden << r.params;
        }
    }

    void studyParameterCounts() {
        QFETCH(QString, arch);
        QFETCH(int, hidden);
        QFETCH(qlonglong, params);
        ModelSpec spec;
        spec.arch = arch.toStdString();
        spec.hidden = hidden;
        QCOMPARE(static_cast<qlonglong>(parameterCount(spec)), params);
    }

    void extraArchitecturesCount() {
        // bilstm: both directions plus a head over 2h; mean_pool: D->h, h->C.
        ModelSpec spec;
        spec.arch = "bilstm";
        spec.hidden = 64;
        QCOMPARE(parameterCount(spec), 2 * 4 * 64 * (512 + 64 + 2) + (2 * 64 * 11 + 11));
        spec.arch = "mean_pool";
        QCOMPARE(parameterCount(spec), 512 * 64 + 64 + 64 * 11 + 11);
    }

    // Every registry row has a module in the factory table, and the table
    // builds nothing the registry does not list.
    void registryAndFactoriesAgree() {
        QVERIFY(!architectures().empty());
        for (const ArchInfo& a : archRegistry()) {
            QVERIFY2(nn::classifierFactories().count(a.name) == 1, a.name.c_str());
            QVERIFY2(a.parameters != nullptr, a.name.c_str());
            QVERIFY2(!a.displayName.empty() && !a.shortName.empty(), a.name.c_str());
            QVERIFY2(a.defaultLayers >= 1 && a.defaultLayers <= a.maxLayers, a.name.c_str());
        }
        for (const auto& [name, factory] : nn::classifierFactories()) {
            QVERIFY2(findArch(name) != nullptr, name.c_str());
        }
        // What a module says about itself agrees with its row.
        for (const ArchInfo& a : archRegistry()) {
            auto model = build(a.name, 8, 6, 4);
            QCOMPARE(model->spatial(), a.input == ArchInput::Maps);
        }
    }

    // Each row's parameter formula (what the CLI and the model zoo show) is
    // the real module's count, for every architecture of the registry.
    void closedFormCountsEqualTheModules() {
        for (const ArchInfo& info : archRegistry()) {
            const std::string& arch = info.name;
            for (std::int64_t hidden : {1, 7, 64, 128, 256, 512}) {
                for (int layers : {0, 1, 3}) {
                    if (layers > info.maxLayers)
                        continue;
                    ModelSpec spec;
                    spec.arch = arch;
                    spec.hidden = hidden;
                    spec.layers = layers;
                    spec.inputDim = isSpatialArch(arch) ? 64 : 300;
                    spec.classes = 5;
                    auto model = nn::makeClassifier(
                        nn::ClassifierOptions(arch, spec.inputDim, hidden, spec.classes)
                            .num_layers(layers));
                    QVERIFY2(parameterCount(spec) == nn::countParameters(*model),
                             (arch + " hidden " + std::to_string(hidden) + " layers " +
                              std::to_string(layers))
                                 .c_str());
                }
            }
        }
    }

    void shapes_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<bool>("maps");
        QTest::addColumn<bool>("withLengths");
        for (const auto& arch : architectures()) {
            for (bool maps : {false, true}) {
                if (isSpatialArch(arch) && !maps) {
                    continue;
                }
                for (bool withLengths : {false, true}) {
                    QTest::addRow("%s-%s-%s", arch.c_str(), maps ? "maps" : "vectors",
                                  withLengths ? "lengths" : "full")
                        << QString::fromStdString(arch) << maps << withLengths;
                }
            }
        }
    }

    void shapes() {
        QFETCH(QString, arch);
        QFETCH(bool, maps);
        QFETCH(bool, withLengths);
        torch::manual_seed(1);
        const int64_t B = 3, T = 5, D = 8, H = 6, C = 4;
        auto model = build(arch.toStdString(), D, H, C);
        auto x = maps ? torch::randn({B, T, D, 3, 3}) : torch::randn({B, T, D});
        auto lengths = withLengths ? torch::tensor({5, 2, 1}, torch::kLong) : torch::Tensor();
        auto out = model->forward(x, lengths);
        QCOMPARE(out.clip_logits.sizes().vec(), (std::vector<int64_t>{B, C}));
        QCOMPARE(out.step_logits.sizes().vec(), (std::vector<int64_t>{B, T, C}));
        QVERIFY(torch::isfinite(out.clip_logits).all().item<bool>());
        // Backward reaches every parameter.
        (out.clip_logits.sum() + out.step_logits.sum()).backward();
        for (const auto& p : model->named_parameters()) {
            QVERIFY2(p.value().grad().defined(), p.key().c_str());
            QCOMPARE(p.value().grad().sizes(), p.value().sizes());
        }
        if (withLengths) {
            // Steps past a clip's end carry no logits.
            QCOMPARE(out.step_logits[2].slice(0, 1).abs().sum().item<double>(), 0.0);
        }
    }

    void lengthsMatchTruncatedClips_data() { oneRowPerArchitecture(); }

    // A padded clip with its length must give what the clip alone gives: the
    // padding never leaks into the answer (bilstm's backward direction too).
    void lengthsMatchTruncatedClips() {
        QFETCH(QString, arch);
        torch::manual_seed(2);
        const bool maps = isSpatialArch(arch.toStdString());
        auto model = build(arch.toStdString(), 8, 6, 4);
        model->eval();
        auto x = maps ? torch::randn({2, 6, 8, 3, 3}) : torch::randn({2, 6, 8});
        auto padded = x.clone();
        padded[1].slice(0, 3).fill_(7.5);  // garbage after the third step
        auto out = model->forward(padded, torch::tensor({6, 3}, torch::kLong));
        auto alone = model->forward(x[1].slice(0, 0, 3).unsqueeze(0));
        QVERIFY(torch::allclose(out.clip_logits[1], alone.clip_logits[0], 1e-5, 1e-6));
        QVERIFY(
            torch::allclose(out.step_logits[1].slice(0, 0, 3), alone.step_logits[0], 1e-5,
                            1e-6) ||
            !archInfo(arch.toStdString()).causal);  // bilstm's backward half sees the whole clip
        auto full = model->forward(x[0].unsqueeze(0));
        QVERIFY(torch::allclose(out.clip_logits[0], full.clip_logits[0], 1e-5, 1e-6));
    }

    void gruLoopMatchesLibTorch_data() {
        QTest::addColumn<int>("hidden");
        QTest::addColumn<int>("layers");
        QTest::addColumn<bool>("ragged");
        // Hidden 256 at B = 32 takes oneDNN's product for the steps too, 16
        // ATen's (the loop's size rule).
        for (const int hidden : {16, 256}) {
            for (const int layers : {1, 2}) {
                for (const bool ragged : {false, true}) {
                    QTest::addRow("h%d-l%d-%s", hidden, layers, ragged ? "ragged" : "full")
                        << hidden << layers << ragged;
                }
            }
        }
    }

    // The GRU loop the classifier runs where fp32 products go to oneDNN
    // (LibTorch 2.x) gives LibTorch's GRU's outputs, final states and
    // gradients, for full and packed clips alike; here on 1.13 too, which
    // has oneDNN's inner product but keeps torch::nn::GRU in the classifier.
    void gruLoopMatchesLibTorch() {
        QFETCH(int, hidden);
        QFETCH(int, layers);
        QFETCH(bool, ragged);
        torch::manual_seed(11);
        const int64_t batch = 32, steps = 7, dim = 24;
        torch::nn::GRU gru(torch::nn::GRUOptions(dim, hidden).num_layers(layers).batch_first(true));
        auto x = torch::randn({batch, steps, dim}).requires_grad_(true);
        auto lengths = ragged ? torch::randint(1, steps + 1, {batch}, torch::kLong)
                              : torch::full({batch}, steps, torch::kLong);
        auto outWeight = torch::randn({batch, steps, hidden});
        auto stateWeight = torch::randn({layers, batch, hidden});

        auto gradients = [&](const torch::Tensor& out, const torch::Tensor& h_n) {
            gru->zero_grad();
            x.mutable_grad() = torch::Tensor();
            ((out * outWeight).sum() + (h_n * stateWeight).sum()).backward();
            std::vector<torch::Tensor> grads{x.grad().clone()};
            for (const auto& w : gru->all_weights()) {
                grads.push_back(w.grad().clone());
            }
            return grads;
        };

        namespace rnn = torch::nn::utils::rnn;
        auto packed = rnn::pack_padded_sequence(x, lengths, true, false);
        auto [packedOut, refState] = gru->forward_with_packed_input(packed);
        auto refOut = std::get<0>(rnn::pad_packed_sequence(packedOut, true, 0.0, steps));
        const auto refGrads = gradients(refOut, refState);

        torch::Tensor valid;
        if (ragged) {
            valid = nn::detail::validMask(lengths, steps).unsqueeze(2);
        }
        auto [out, state] = nn::detail::gruLoop(x, gru->all_weights(), layers, 0.0, true, valid);
        QCOMPARE(out.sizes().vec(), refOut.sizes().vec());
        QCOMPARE(state.sizes().vec(), refState.sizes().vec());
        QVERIFY2(
            torch::allclose(out, refOut, 1e-4, 1e-5),
            qPrintable(
                QString("outputs differ by %1").arg((out - refOut).abs().max().item<double>())));
        QVERIFY(torch::allclose(state, refState, 1e-4, 1e-5));
        const auto grads = gradients(out, state);
        QCOMPARE(grads.size(), refGrads.size());
        for (size_t i = 0; i < grads.size(); ++i) {
            QVERIFY2(torch::allclose(grads[i], refGrads[i], 1e-3, 1e-4),
                     qPrintable(QString("gradient %1 differs by %2")
                                    .arg(i)
                                    .arg((grads[i] - refGrads[i]).abs().max().item<double>())));
        }
        // Padding steps output 0, as the packed GRU's do.
        if (ragged) {
            QCOMPARE(out.masked_select(valid.logical_not()).abs().sum().item<double>(), 0.0);
        }
    }

    void causalRowsAnswerFromTheFramesSoFar_data() { oneRowPerArchitecture(); }

    // The registry's causal flag is true to the module: a causal model's
    // step t is the same whatever frames come after t (so its per-step
    // answers are early classification); a non-causal one's is not.
    void causalRowsAnswerFromTheFramesSoFar() {
        QFETCH(QString, arch);
        const std::string name = arch.toStdString();
        torch::manual_seed(5);
        const bool maps = isSpatialArch(name);
        auto model = build(name, 8, 6, 4);
        model->eval();
        auto x = maps ? torch::randn({2, 6, 8, 3, 3}) : torch::randn({2, 6, 8});
        auto changed = x.clone();
        const int64_t t = 2;
        changed.slice(1, t + 1).normal_();  // new frames after step t
        auto a = model->forward(x).step_logits.slice(1, 0, t + 1);
        auto b = model->forward(changed).step_logits.slice(1, 0, t + 1);
        const double diff = (a - b).abs().max().item<double>();
        if (archInfo(name).causal) {
            QVERIFY2(diff <= 1e-5, qPrintable(QString("steps 0..%1 moved by %2").arg(t).arg(diff)));
        } else {
            QVERIFY2(diff > 1e-4, "a non-causal model's early steps ignored the later frames");
        }
    }

    void sameSeedSameLosses_data() { oneRowPerArchitecture(); }

    void sameSeedSameLosses() {
        QFETCH(QString, arch);
        auto train = [&](uint64_t seed) {
            torch::manual_seed(seed);
            const bool maps = isSpatialArch(arch.toStdString());
            auto model = build(arch.toStdString(), 8, 6, 3);
            torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(1e-2));
            auto x = maps ? torch::randn({4, 5, 8, 3, 3}) : torch::randn({4, 5, 8});
            auto y = torch::tensor({0, 1, 2, 1}, torch::kLong);
            std::vector<double> losses;
            for (int step = 0; step < 5; ++step) {
                opt.zero_grad();
                auto loss = torch::nn::functional::cross_entropy(model->forward(x).clip_logits, y);
                loss.backward();
                opt.step();
                losses.push_back(loss.item<double>());
            }
            return losses;
        };
        const auto a = train(7);
        const auto b = train(7);
        const auto c = train(8);
        QCOMPARE(a, b);
        QVERIFY(a != c);
        QVERIFY2(a.back() < a.front(), "five Adam steps on a fixed batch lower the loss");
    }

    // Central finite differences against autograd on a tiny double-precision
    // ConvLSTM cell, for the weights, the bias and the inputs.
    void convLstmCellGradients() {
        torch::manual_seed(3);
        nn::ConvLSTMCell cell(nn::ConvLSTMCellOptions(2, 3));
        cell->to(torch::kDouble);
        auto x0 = torch::randn({1, 2, 4, 4}, torch::kDouble).requires_grad_(true);
        auto x1 = torch::randn({1, 2, 4, 4}, torch::kDouble);
        auto c0 = torch::randn({1, 3, 4, 4}, torch::kDouble);
        auto h0 = torch::randn({1, 3, 4, 4}, torch::kDouble);
        auto objective = [&] {
            auto s = cell->forward(x0, {h0, c0});
            s = cell->forward(x1, s);
            return (std::get<0>(s) * std::get<0>(s)).sum() + std::get<1>(s).sum();
        };
        auto loss = objective();
        cell->zero_grad();
        loss.backward();
        const double eps = 1e-6;
        auto check = [&](torch::Tensor param, const torch::Tensor& grad, const char* what) {
            torch::NoGradGuard guard;
            auto flat = param.view(-1);
            auto g = grad.view(-1);
            const int64_t n = flat.numel();
            for (int64_t i = 0; i < n; i += std::max<int64_t>(1, n / 17)) {
                const double orig = flat[i].item<double>();
                flat[i] = orig + eps;
                const double up = objective().item<double>();
                flat[i] = orig - eps;
                const double down = objective().item<double>();
                flat[i] = orig;
                const double numeric = (up - down) / (2 * eps);
                const double analytic = g[i].item<double>();
                QVERIFY2(std::abs(numeric - analytic) <= 1e-6 * std::max(1.0, std::abs(numeric)),
                         qPrintable(QString("%1[%2]: numeric %3 vs autograd %4")
                                        .arg(what)
                                        .arg(i)
                                        .arg(numeric)
                                        .arg(analytic)));
            }
        };
        check(cell->conv->weight, cell->conv->weight.grad().clone(), "weight");
        check(cell->conv->bias, cell->conv->bias.grad().clone(), "bias");
        check(x0, x0.grad().clone(), "input");
    }

    // The batched input-gates path computes what the straightforward
    // concatenate-then-convolve form computes, forward and backward.
    void convLstmFastPathMatchesReference() {
        torch::manual_seed(4);
        nn::ConvLSTM stack(6, 5, 2, 3);
        auto x = torch::randn({2, 4, 6, 5, 5});
        auto fast = stack->forward(x);
        auto ref = stack->forward_reference(x);
        QVERIFY(fast.sizes() == ref.sizes());
        QVERIFY((fast - ref).abs().max().item<double>() <= 1e-5);
        auto gFast = torch::autograd::grad({fast.sum()}, {stack->parameters()[0]})[0];
        auto gRef =
            torch::autograd::grad({stack->forward_reference(x).sum()}, {stack->parameters()[0]})[0];
        QVERIFY((gFast - gRef).abs().max().item<double>() <= 1e-4);
    }

    void bf16ForwardMatchesFp32_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<bool>("ragged");
        for (const auto& arch : architectures()) {
            for (bool ragged : {false, true}) {
                QTest::addRow("%s-%s", arch.c_str(), ragged ? "lengths" : "full")
                    << QString::fromStdString(arch) << ragged;
            }
        }
    }

    // Mixed precision computes the same model: on fixed inputs the bf16
    // logits lie within 0.03 of the fp32 ones (|logits| around 0.1-1; bf16
    // keeps 8 significant bits, ~0.4% per rounding), while differing from
    // them at all (the bf16 path really ran); outputs stay fp32 and the
    // gradients reach the fp32 weights.
    void bf16ForwardMatchesFp32() {
        QFETCH(QString, arch);
        QFETCH(bool, ragged);
        torch::manual_seed(9);
        const bool maps = isSpatialArch(arch.toStdString());
        auto model = build(arch.toStdString(), 32, 24, 5);
        model->eval();
        auto x = maps ? torch::randn({4, 6, 32, 3, 3}) : torch::randn({4, 6, 32});
        auto lengths = ragged ? torch::tensor({6, 3, 6, 1}, torch::kLong) : torch::Tensor();
        auto ref = model->forward(x, lengths);
        model->compute_type = torch::kBFloat16;
        auto low = model->forward(x, lengths);
        QCOMPARE(low.clip_logits.scalar_type(), torch::kFloat);
        QCOMPARE(low.step_logits.scalar_type(), torch::kFloat);
        const double clipDiff = (low.clip_logits - ref.clip_logits).abs().max().item<double>();
        const double stepDiff = (low.step_logits - ref.step_logits).abs().max().item<double>();
        QVERIFY2(clipDiff <= 0.03 && stepDiff <= 0.03,
                 qPrintable(QString("bf16 - fp32: clip %1, steps %2").arg(clipDiff).arg(stepDiff)));
        QVERIFY2(clipDiff > 0.0, "bf16 gave bit-identical logits: the bf16 path did not run");
        if (ragged) {
            QCOMPARE(low.step_logits[3].slice(0, 1).abs().sum().item<double>(), 0.0);
        }
        (low.clip_logits.sum() + low.step_logits.sum()).backward();
        for (const auto& p : model->named_parameters()) {
            QCOMPARE(p.value().scalar_type(), torch::kFloat);
            QVERIFY2(p.value().grad().defined(), p.key().c_str());
            QCOMPARE(p.value().grad().scalar_type(), torch::kFloat);
        }
    }

    void stackedConvLstmParameterNames() {
        // Checkpoint keys are the registered names: keep them stable.
        auto model = build("convlstm", 4, 3, 2);
        QStringList keys;
        for (const auto& p : model->named_parameters()) {
            keys << QString::fromStdString(p.key());
        }
        QCOMPARE(keys, (QStringList{"convlstm.cells.0.conv.weight", "convlstm.cells.0.conv.bias",
                                    "head.weight", "head.bias"}));
    }

    // The motion input: [x_t, x_t - x_{t-1}], zero change at the first step,
    // computed from the sequence the model is given (a reordered sequence
    // gets the differences of its own order).
    void motionInput() {
        const auto x = torch::tensor({1.f, 2.f, 4.f, 7.f, 0.f, -1.f}).view({1, 3, 2});  // [B,T,D]
        const auto m = nn::appendMotion(x);
        QCOMPARE(m.sizes().vec(), (std::vector<int64_t>{1, 3, 4}));
        const auto expected =
            torch::tensor({1.f, 2.f, 0.f, 0.f, 4.f, 7.f, 3.f, 5.f, 0.f, -1.f, -4.f, -8.f})
                .view({1, 3, 4});
        QVERIFY(torch::equal(m, expected));
        const auto reversed = nn::appendMotion(x.flip(1));
        QVERIFY(torch::equal(reversed.narrow(2, 2, 2)[0][1], torch::tensor({4.f, 8.f})));
        const auto maps = nn::appendMotion(torch::ones({2, 4, 3, 5, 5}));
        QCOMPARE(maps.sizes().vec(), (std::vector<int64_t>{2, 4, 6, 5, 5}));
        QCOMPARE(maps.narrow(2, 3, 3).abs().sum().item<float>(), 0.f);

        torch::manual_seed(0);
        auto body = build("gru", 16, 8, 3);
        const auto plain = nn::countParameters(*build("gru", 8, 8, 3));
        QCOMPARE(nn::countParameters(*body), plain + 3 * 8 * 8);  // three gates see 8 more inputs
        nn::MotionInputImpl model(body);
        QVERIFY(model.named_parameters().contains("body.rnn.weight_ih_l0"));
        const auto out = model.forward(torch::randn({2, 5, 8}));
        QCOMPARE(out.clip_logits.sizes().vec(), (std::vector<int64_t>{2, 3}));
        QCOMPARE(out.step_logits.sizes().vec(), (std::vector<int64_t>{2, 5, 3}));
    }

    void badOptionsAndInputs() {
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError, build("no_such_arch", 8, 6, 4));
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError, build("lstm", 8, 0, 4));
        auto model = build("lstm", 8, 6, 4);
        QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::randn({2, 3, 9})));
        QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::randn({2, 3, 8}),
                                                            torch::tensor({0, 3}, torch::kLong)));
        auto conv = build("convlstm", 8, 6, 4);
        QVERIFY_THROWS_EXCEPTION(c10::Error, conv->forward(torch::randn({2, 3, 8})));
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
