// The run store at scale: pages, counts, sorting and searching done by the
// store, ids for a selection, the change log a table updates itself from, and
// when opening pays for an integrity check (after an unclean shutdown, on
// migration, on request) and when it does not.
#include <sys/wait.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <set>

#include "rawsqlite.h"
#include "storegrow.h"
#include "vidrnn/errors.h"
#include "vidrnn/store.h"

using namespace vidrnn;
using vidrnn::test::growStore;
using vidrnn::test::rawCount;

namespace {

constexpr int kClones = 3000;

// A store with one completed run; returns its id.
std::int64_t makeStore(const std::string& path) {
    auto store = RunStore::open(path);
    return vidrnn::test::addSourceRun(store);
}

}  // namespace

class TestStorePaged : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        mPath = mDir.filePath("big.db").toStdString();
        mSource = makeStore(mPath);
        QCOMPARE(growStore(mPath, mSource, kClones), std::string());
    }

    void countsAndPagesCoverEveryRunOnce() {
        auto store = RunStore::open(mPath);
        RunQuery all;
        all.filter.kind = RunKind::Trained;
        QCOMPARE(store.countRuns(all), std::int64_t(kClones + 1));
        std::set<std::int64_t> seen;
        RunQuery page = all;
        page.sort = RunSort::Accuracy;
        page.descending = true;
        page.limit = 256;
        double previous = 2.0;
        for (page.offset = 0; page.offset < store.countRuns(all); page.offset += page.limit) {
            for (const RunRecord& r : store.queryRuns(page)) {
                QVERIFY(seen.insert(r.id).second);  // no row twice across pages
                QVERIFY(r.accuracy);
                QVERIFY(*r.accuracy <= previous);
                previous = *r.accuracy;
            }
        }
        QCOMPARE(seen.size(), size_t(kClones + 1));
        QCOMPARE(store.runIds(all).size(), size_t(kClones + 1));
        std::int64_t streamed = 0;
        store.forEachRun(all, [&](const RunRecord&) { ++streamed; });
        QCOMPARE(streamed, std::int64_t(kClones + 1));
    }

    void listingsCanLeaveOutTheConfigDocument() {
        auto store = RunStore::open(mPath);
        const RunRecord full = *store.getRun(mSource);
        QVERIFY(!full.configJson.empty());
        RunQuery one;
        one.filter.kind = RunKind::Trained;
        one.limit = 1;
        one.withoutConfigJson = true;
        const auto runs = store.queryRuns(one);
        QCOMPARE(runs.size(), size_t(1));
        const RunRecord& brief = runs.front();
        QCOMPARE(brief.id, mSource);
        QVERIFY(brief.configJson.empty());
        // Every other field as a full read gives it.
        QCOMPARE(brief.arch, full.arch);
        QCOMPARE(brief.config.arch, full.config.arch);
        QCOMPARE(brief.config.epochs, full.config.epochs);
        QCOMPARE(brief.classNames, full.classNames);
        QVERIFY(!full.classNames.empty());
        one.withoutClassNames = true;
        const RunRecord slim = store.queryRuns(one).at(0);
        QVERIFY(slim.classNames.empty());
        QCOMPARE(slim.numClasses, full.numClasses);
        QCOMPARE(slim.accuracy, full.accuracy);
        QCOMPARE(slim.message, full.message);
        QCOMPARE(brief.accuracy, full.accuracy);
        QCOMPARE(brief.createdAt, full.createdAt);
        QCOMPARE(brief.checkpoint, full.checkpoint);
        // Without the config: the record's own fields stay, the settings
        // are the defaults.
        one.withoutConfig = true;
        const RunRecord bare = store.queryRuns(one).at(0);
        QCOMPARE(bare.arch, full.arch);
        QCOMPARE(bare.hidden, full.hidden);
        QCOMPARE(bare.protocol, full.protocol);
        QCOMPARE(bare.accuracy, full.accuracy);
        QCOMPARE(full.config.arch, std::string("gru"));
        QCOMPARE(full.config.hidden, 64);
        QCOMPARE(bare.config.arch, TrainConfig{}.arch);      // lstm
        QCOMPARE(bare.config.hidden, TrainConfig{}.hidden);  // 128
    }

    void searchAndFilterInTheStore() {
        auto store = RunStore::open(mPath);
        RunQuery q;
        q.text = "BiLSTM";  // case-insensitive
        QCOMPARE(store.countRuns(q), std::int64_t(kClones / 4));
        q.text = " deep_lstm  clone ";  // every word somewhere
        QCOMPARE(store.countRuns(q), std::int64_t(kClones / 4));
        q.text = "deep_lstm gru";
        QCOMPARE(store.countRuns(q), std::int64_t(0));
        q.text = "100%";  // taken literally, not as a pattern
        QCOMPARE(store.countRuns(q), std::int64_t(0));
        RunQuery byArch;
        byArch.filter.arch = "gru";
        byArch.filter.kind = RunKind::Trained;
        QCOMPARE(store.countRuns(byArch), std::int64_t(kClones / 4 + 1));
        RunQuery reference;
        reference.filter.kind = RunKind::Reference;
        reference.sort = RunSort::Fold;  // all NULL: sorted by id
        const auto rows = store.queryRuns(reference);
        QCOMPARE(rows.size(), size_t(16));
        QVERIFY(std::is_sorted(rows.begin(), rows.end(),
                               [](const RunRecord& a, const RunRecord& b) { return a.id < b.id; }));
        for (const RunRecord& r : rows) {
            QVERIFY(!r.fold && !r.seed && !r.ownerPid);  // NULL in the store, not 0
        }
    }

    void changesSinceAMarker() {
        auto store = RunStore::open(mPath);
        auto other = RunStore::open(mPath);
        const std::int64_t marker = store.changeMarker();
        QVERIFY(marker > 0);
        QVERIFY(store.changesSince(marker).changed.empty());
        other.annotate(mSource + 5, "changed elsewhere");
        other.deleteRun(mSource + 7);
        const std::int64_t added = other.createRun(TrainConfig{}, RunMeta{});
        const RunChanges changes = store.changesSince(marker);
        QVERIFY(changes.complete);
        QCOMPARE(changes.changed, (std::vector<std::int64_t>{mSource + 5, added}));
        QCOMPARE(changes.removed, (std::vector<std::int64_t>{mSource + 7}));
        QVERIFY(changes.marker > marker);
        QVERIFY(store.changesSince(changes.marker).changed.empty());
        // A marker from the future (another store) cannot be followed.
        QVERIFY(!store.changesSince(changes.marker + 1000).complete);
    }

    void openChecksOnlyWhenWorthIt() {
        const std::string path = mDir.filePath("check.db").toStdString();
        QCOMPARE(RunStore::open(path).integrityCheckReason(), std::string());
        QCOMPARE(RunStore::open(path).integrityCheckReason(), std::string());
        RunStore::Options always;
        always.integrityCheck = RunStore::Options::Check::Always;
        QCOMPARE(RunStore::open(path, always).integrityCheckReason(), std::string("requested"));
        QVERIFY(RunStore::open(path).checkIntegrity().empty());

        // A writer that dies without closing leaves its journal behind.
        pid_t child = fork();
        if (child == 0) {
            auto store = RunStore::open(path);
            store.createRun(TrainConfig{}, RunMeta{});
            _exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        {
            auto store = RunStore::open(path);
            QCOMPARE(store.integrityCheckReason(), std::string("unclean shutdown"));
            // While this connection is open, another is no reason to check.
            QCOMPARE(RunStore::open(path).integrityCheckReason(), std::string());
        }
        QCOMPARE(RunStore::open(path).integrityCheckReason(), std::string());
    }

    void fullCheckNamesTheDamage() {
        const std::string path = mDir.filePath("damaged.db").toStdString();
        QCOMPARE(growStore(path, makeStore(path), 200), std::string());
        // An index that no longer matches its table: pages fine, content wrong.
        QCOMPARE(vidrnn::test::rawExec(path,
                                       "PRAGMA writable_schema = ON; "
                                       "UPDATE sqlite_master SET sql = replace(sql, "
                                       "'(arch, hidden, layers)', '(hidden, arch, layers)') "
                                       "WHERE name = 'runs_by_arch';"),
                 std::string());
        auto store = RunStore::open(path);
        const auto problems = store.checkIntegrity();
        QVERIFY(!problems.empty());
        QVERIFY2(problems.front().find("runs_by_arch") != std::string::npos,
                 problems.front().c_str());
    }

private:
    QTemporaryDir mDir;
    std::string mPath;
    std::int64_t mSource = 0;
};

QTEST_GUILESS_MAIN(TestStorePaged)
#include "tst_store_paged.moc"
