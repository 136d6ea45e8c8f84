// Splits: LOGO folds disjoint and covering every group once, no group on both
// sides of any split, random stratified and flagged leaking, determinism, and
// bad folds / protocols as ConfigError. Data sets are built in memory.
#include <QtTest>

#include <algorithm>
#include <map>
#include <set>

#include "util/rng.h"
#include "vidrnn/errors.h"
#include "vidrnn/splits.h"

using vidrnn::Dataset;
using vidrnn::makeSplit;
using vidrnn::Split;
using vidrnn::SplitSpec;

namespace {

std::string two(int n) {
    return n < 10 ? "0" + std::to_string(n) : std::to_string(n);
}

// UCF11-like: 11 classes x `groups` groups ("01".."25"), 3-6 clips each.
Dataset ucfLike(int groups = 25) {
    Dataset ds;
    ds.root = "/data/ucf11";
    ds.layout = "ucf11";
    for (int c = 0; c < 11; ++c) {
        ds.classes.push_back("class" + two(c));
    }
    for (int c = 0; c < 11; ++c) {
        for (int g = 1; g <= groups; ++g) {
            const int clips = 3 + (c * 7 + g * 3) % 4;
            for (int k = 1; k <= clips; ++k) {
                vidrnn::Clip clip;
                clip.path = "/data/ucf11/" + ds.classes[std::size_t(c)] + "/" + two(g) + "_" +
                            two(k) + ".avi";
                clip.label = c;
                clip.className = ds.classes[std::size_t(c)];
                clip.group = two(g);
                clip.clipNumber = k;
                ds.clips.push_back(clip);
            }
        }
    }
    for (int g = 1; g <= groups; ++g) {
        ds.groups.push_back(two(g));
    }
    return ds;
}

std::set<std::string> groupsOf(const Dataset& ds, const std::vector<int>& idx) {
    std::set<std::string> out;
    for (int i : idx) {
        out.insert(ds.clips[std::size_t(i)].group);
    }
    return out;
}

bool disjoint(const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::none_of(a.begin(), a.end(), [&](const std::string& g) { return b.count(g) > 0; });
}

// Every clip on exactly one side, indices ascending.
void checkPartition(const Dataset& ds, const Split& s) {
    std::vector<int> all;
    for (const auto* side : {&s.train, &s.val, &s.test}) {
        QVERIFY(std::is_sorted(side->begin(), side->end()));
        all.insert(all.end(), side->begin(), side->end());
    }
    std::sort(all.begin(), all.end());
    QCOMPARE(int(all.size()), int(ds.clips.size()));
    for (std::size_t i = 0; i < all.size(); ++i) {
        QCOMPARE(all[i], int(i));
    }
}

void checkGroupDisjoint(const Dataset& ds, const Split& s) {
    const auto train = groupsOf(ds, s.train);
    const auto val = groupsOf(ds, s.val);
    const auto test = groupsOf(ds, s.test);
    QVERIFY(disjoint(train, test));
    QVERIFY(disjoint(val, test));
    QVERIFY(disjoint(train, val));
    QVERIFY(!s.leaking);
    QCOMPARE(test, std::set<std::string>(s.testGroups.begin(), s.testGroups.end()));
    QCOMPARE(val, std::set<std::string>(s.valGroups.begin(), s.valGroups.end()));
}

}  // namespace

class TestSplits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Splits must not change between platforms or releases: lock the PRNG.
    void prngIsSplitMix64() {
        std::uint64_t state = 0;
        QCOMPARE(vidrnn::data::splitMix64(state), 0xE220A8397B1DCDAFull);
        QCOMPARE(vidrnn::data::splitMix64(state), 0x6E789E6AA1B965F4ull);
        vidrnn::data::Rng rng(42);
        std::vector<int> v{0, 1, 2, 3, 4, 5, 6, 7};
        rng.shuffle(v);
        vidrnn::data::Rng again(42);
        std::vector<int> w{0, 1, 2, 3, 4, 5, 6, 7};
        again.shuffle(w);
        QCOMPARE(v, w);
        QVERIFY(v != (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
    }

    // The trainer's batch order comes from this header since issue 24 (it
    // had a copy of splitmix64): the orders below are what the trainer's own
    // copy gave for these seeds, so stored runs stay reproducible.
    void trainingOrderUnchanged_data() {
        QTest::addColumn<int>("seed");
        QTest::addColumn<std::vector<std::vector<int>>>("epochs");
        QTest::newRow("seed 0") << 0
                                << std::vector<std::vector<int>>{
                                       {4, 6, 7, 9, 11, 3, 10, 1, 2, 0, 8, 5},
                                       {0, 1, 5, 4, 2, 3, 10, 9, 11, 7, 6, 8},
                                       {5, 9, 8, 10, 11, 6, 0, 3, 2, 4, 1, 7}};
        QTest::newRow("seed 42") << 42
                                 << std::vector<std::vector<int>>{
                                        {11, 4, 2, 0, 3, 5, 8, 6, 10, 1, 9, 7},
                                        {6, 4, 8, 0, 10, 9, 5, 3, 7, 1, 2, 11},
                                        {0, 7, 2, 10, 3, 11, 9, 1, 8, 4, 6, 5}};
        QTest::newRow("seed -1") << -1
                                 << std::vector<std::vector<int>>{
                                        {7, 6, 4, 11, 0, 2, 5, 8, 3, 10, 9, 1},
                                        {5, 9, 8, 4, 3, 11, 1, 7, 6, 0, 2, 10},
                                        {2, 6, 3, 0, 9, 11, 8, 7, 10, 1, 4, 5}};
    }
    void trainingOrderUnchanged() {
        QFETCH(int, seed);
        QFETCH(std::vector<std::vector<int>>, epochs);
        auto rng = vidrnn::data::trainingRng(seed);
        std::vector<int> order{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        for (const auto& expected : epochs) {
            vidrnn::data::shuffleEpoch(rng, order);
            QCOMPARE(order, expected);
        }
    }
    void foldCounts() {
        const Dataset ds = ucfLike();
        QCOMPARE(vidrnn::foldCount(ds, "logo"), 25);
        QCOMPARE(vidrnn::foldCount(ds, "groups"), 1);
        QCOMPARE(vidrnn::foldCount(ds, "random"), 1);
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError, vidrnn::foldCount(ds, "kfold"));
    }

    void logoCoversEveryGroupOnce() {
        const Dataset ds = ucfLike();
        std::map<std::string, int> tested;
        std::vector<int> testedClips(ds.clips.size(), 0);
        for (int fold = 0; fold < 25; ++fold) {
            const Split s = makeSplit(ds, {"logo", fold, 3, 0.15, 0.2});
            checkPartition(ds, s);
            checkGroupDisjoint(ds, s);
            QCOMPARE(s.testGroups,
                     std::vector<std::string>{two(fold + 1)});  // fold k tests GG = k+1
            QVERIFY(!s.val.empty());
            for (const auto& g : groupsOf(ds, s.test)) {
                ++tested[g];
            }
            for (int i : s.test) {
                ++testedClips[std::size_t(i)];
            }
        }
        QCOMPARE(int(tested.size()), 25);
        for (const auto& [g, n] : tested) {
            QCOMPARE(n, 1);
        }
        QVERIFY(std::all_of(testedClips.begin(), testedClips.end(), [](int n) { return n == 1; }));
    }

    void groupHoldoutIsGroupDisjoint_data() {
        QTest::addColumn<int>("seed");
        QTest::addColumn<double>("val");
        QTest::newRow("seed 0") << 0 << 0.15;
        QTest::newRow("seed 1") << 1 << 0.15;
        QTest::newRow("seed 99, more val") << 99 << 0.3;
        QTest::newRow("no validation") << 5 << 0.0;
    }

    void groupHoldoutIsGroupDisjoint() {
        QFETCH(int, seed);
        QFETCH(double, val);
        const Dataset ds = ucfLike();
        const Split s = makeSplit(ds, {"groups", 0, seed, val, 0.2});
        checkPartition(ds, s);
        checkGroupDisjoint(ds, s);
        const double testShare = double(s.test.size()) / ds.clips.size();
        QVERIFY2(testShare >= 0.2 && testShare < 0.3, qPrintable(QString::number(testShare)));
        QCOMPARE(s.val.empty(), val == 0.0);
    }

    void randomIsStratifiedAndLeaking() {
        const Dataset ds = ucfLike();
        const Split s = makeSplit(ds, {"random", 0, 7, 0.15, 0.2});
        checkPartition(ds, s);
        QVERIFY(s.leaking);
        QVERIFY(s.testGroups.empty());
        std::map<int, int> total, test;
        for (const auto& c : ds.clips) {
            ++total[c.label];
        }
        for (int i : s.test) {
            ++test[ds.clips[std::size_t(i)].label];
        }
        for (const auto& [label, n] : total) {
            QCOMPARE(test[label], int(std::lround(n * 0.2)));
        }
        QVERIFY(!disjoint(groupsOf(ds, s.train), groupsOf(ds, s.test)));
    }

    void deterministic_data() {
        QTest::addColumn<QString>("protocol");
        QTest::newRow("logo") << "logo";
        QTest::newRow("groups") << "groups";
        QTest::newRow("random") << "random";
    }

    void deterministic() {
        QFETCH(QString, protocol);
        const Dataset ds = ucfLike();
        const SplitSpec spec{protocol.toStdString(), 0, 11, 0.15, 0.2};
        const Split a = makeSplit(ds, spec);
        const Split b = makeSplit(ucfLike(), spec);
        QCOMPARE(a.train, b.train);
        QCOMPARE(a.val, b.val);
        QCOMPARE(a.test, b.test);
        // Another seed draws other groups (or clips): compare a few seeds so
        // that one coincidence cannot fail the test.
        bool differs = false;
        for (int seed = 12; seed < 16 && !differs; ++seed) {
            const Split c = makeSplit(ds, {protocol.toStdString(), 0, seed, 0.15, 0.2});
            differs = c.val != a.val || c.test != a.test;
        }
        QVERIFY(differs);
    }

    // A stored run's split must be reproducible by later versions.
    void goldenSplit() {
        const Split s = makeSplit(ucfLike(), {"logo", 4, 0, 0.15, 0.2});
        QCOMPARE(s.testGroups, std::vector<std::string>{"05"});
        QStringList val;
        for (const auto& g : s.valGroups) {
            val << QString::fromStdString(g);
        }
        QCOMPARE(val, (QStringList{"08", "15", "20", "23"}));
    }

    void badSpecs_data() {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<int>("fold");
        QTest::addColumn<double>("val");
        QTest::addColumn<double>("test");
        QTest::addColumn<QString>("message");
        QTest::newRow("fold too big")
            << "logo" << 25 << 0.15 << 0.2 << "fold 25 is outside [0, 25)";
        QTest::newRow("negative fold")
            << "logo" << -1 << 0.15 << 0.2 << "fold -1 is outside [0, 25)";
        QTest::newRow("holdout fold 1")
            << "groups" << 1 << 0.15 << 0.2 << "fold 1 is outside [0, 1)";
        QTest::newRow("unknown") << "leave-two-out" << 0 << 0.15 << 0.2 << "unknown split protocol";
        QTest::newRow("val 1") << "random" << 0 << 1.0 << 0.2 << "valFraction";
        QTest::newRow("test 0") << "groups" << 0 << 0.1 << 0.0 << "testFraction";
    }

    void badSpecs() {
        QFETCH(QString, protocol);
        QFETCH(int, fold);
        QFETCH(double, val);
        QFETCH(double, test);
        QFETCH(QString, message);
        try {
            makeSplit(ucfLike(), {protocol.toStdString(), fold, 0, val, test});
            QFAIL("expected ConfigError");
        } catch (const vidrnn::ConfigError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void tooFewGroups() {
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError,
                                 makeSplit(ucfLike(1), {"groups", 0, 0, 0.1, 0.2}));
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError,
                                 makeSplit(ucfLike(1), {"logo", 0, 0, 0.1, 0.2}));
        // Two groups: logo still works, with no room for validation.
        const Split s = makeSplit(ucfLike(2), {"logo", 1, 0, 0.15, 0.2});
        QVERIFY(s.val.empty());
        QVERIFY(!s.train.empty());
    }
};

QTEST_GUILESS_MAIN(TestSplits)
#include "tst_splits.moc"
