// Opening a run store: every bad file is refused with a message naming the
// path and the reason, and a store from every earlier schema version is
// upgraded with its data intact.
#include <sqlite3.h>
#include <sys/stat.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <functional>

#include "rawsqlite.h"
#include "unprivileged.h"
#include "vidrnn/errors.h"
#include "vidrnn/report.h"
#include "vidrnn/store.h"

using namespace vidrnn;
using vidrnn::test::inChild;
using vidrnn::test::rawCount;
using vidrnn::test::rawExec;
using vidrnn::test::rawText;
namespace fs = std::filesystem;

namespace {

// Frozen copies of the released schema steps: a store written by an older
// vidrnn looks exactly like this, whatever the current code says.
const char* const kSchemaV1 = R"sql(
PRAGMA application_id = 1447318094;
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, started_at TEXT,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed',
                                           'cancelled', 'interrupted', 'reference')),
    kind TEXT NOT NULL DEFAULT 'trained' CHECK (kind IN ('trained', 'reference')),
    config_json TEXT, dataset TEXT, frames INTEGER, image_size INTEGER, backbone TEXT,
    cache_dir TEXT, protocol TEXT, fold INTEGER, seed INTEGER, arch TEXT NOT NULL,
    hidden INTEGER NOT NULL, layers INTEGER NOT NULL, config_layers INTEGER, dropout REAL,
    max_epochs INTEGER, batch INTEGER, lr REAL, weight_decay REAL, grad_clip REAL,
    patience INTEGER, requested_device TEXT, threads INTEGER, device TEXT, params INTEGER,
    backbone_id TEXT, pretrained INTEGER NOT NULL DEFAULT 0, leaking INTEGER NOT NULL DEFAULT 0,
    num_classes INTEGER, class_names TEXT, train_seconds REAL, extract_seconds REAL,
    best_epoch INTEGER, accuracy REAL, macro_f1 REAL, test_count INTEGER, message TEXT,
    owner_host TEXT, owner_pid INTEGER, checkpoint TEXT);
CREATE TABLE epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, epoch INTEGER NOT NULL,
    train_loss REAL, train_acc REAL, val_loss REAL, val_acc REAL, val_macro_f1 REAL,
    seconds REAL, lr REAL, PRIMARY KEY (run_id, epoch)) WITHOUT ROWID;
CREATE TABLE class_metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    class_index INTEGER NOT NULL, name TEXT NOT NULL, support INTEGER NOT NULL,
    predicted INTEGER NOT NULL, tp INTEGER NOT NULL, precision REAL, recall REAL, f1 REAL,
    PRIMARY KEY (run_id, class_index)) WITHOUT ROWID;
CREATE TABLE confusion (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, truth INTEGER NOT NULL,
    predicted INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (run_id, truth, predicted)) WITHOUT ROWID;
CREATE TABLE predictions (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    clip TEXT NOT NULL, truth INTEGER NOT NULL, predicted INTEGER NOT NULL,
    probabilities TEXT, PRIMARY KEY (run_id, position)) WITHOUT ROWID;
PRAGMA user_version = 1;
)sql";

const char* const kSchemaV2 = R"sql(
CREATE TABLE sweeps (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, spec TEXT NOT NULL,
    dataset TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')));
ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE runs ADD COLUMN owner_start TEXT;
ALTER TABLE runs ADD COLUMN note TEXT;
UPDATE runs SET heartbeat_at = COALESCE(finished_at, started_at, created_at);
PRAGMA user_version = 2;
)sql";

const char* const kSchemaV3 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta (key, value)
    SELECT 'reference_import', 'ucf11-course-report'
    WHERE EXISTS (SELECT 1 FROM runs WHERE kind = 'reference');
CREATE INDEX runs_by_status ON runs (status);
CREATE INDEX runs_by_sweep_cell ON runs (sweep_id, arch, hidden, layers, fold, seed);
CREATE TRIGGER reference_runs_keep BEFORE DELETE ON runs WHEN OLD.kind = 'reference'
BEGIN SELECT RAISE(ABORT, 'reference runs are read-only'); END;
CREATE TRIGGER reference_runs_fixed BEFORE UPDATE ON runs WHEN OLD.kind = 'reference'
BEGIN SELECT RAISE(ABORT, 'reference runs are read-only'); END;
PRAGMA user_version = 3;
)sql";

// Version 4 as vidrnn wrote it: the log of changed runs and the sort indexes.
const char* const kSchemaV4 = R"sql(
CREATE TABLE run_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL);
CREATE INDEX run_log_by_run ON run_log (run_id);
CREATE TRIGGER run_log_insert AFTER INSERT ON runs
BEGIN INSERT INTO run_log (run_id) VALUES (NEW.id); END;
CREATE TRIGGER run_log_update AFTER UPDATE ON runs
BEGIN INSERT INTO run_log (run_id) VALUES (NEW.id); END;
CREATE TRIGGER run_log_delete AFTER DELETE ON runs
BEGIN INSERT INTO run_log (run_id) VALUES (OLD.id); END;
CREATE INDEX runs_by_kind ON runs (kind, id);
CREATE INDEX runs_by_created ON runs (created_at);
CREATE INDEX runs_by_arch ON runs (arch, hidden, layers);
CREATE INDEX runs_by_accuracy ON runs (accuracy);
CREATE INDEX runs_by_macro_f1 ON runs (macro_f1);
PRAGMA user_version = 4;
)sql";

// Version 5 as vidrnn wrote it: requested and effective precision.
const char* const kSchemaV5 = R"sql(
ALTER TABLE runs ADD COLUMN requested_precision TEXT;
ALTER TABLE runs ADD COLUMN precision TEXT;
UPDATE runs SET requested_precision = 'fp32', precision = 'fp32' WHERE kind = 'trained';
PRAGMA user_version = 5;
)sql";

// Version 6 as vidrnn wrote it: claims of a cell, batch job of a run's owner.
const char* const kSchemaV6 = R"sql(
ALTER TABLE runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN owner_job TEXT;
UPDATE runs SET attempts = 1 WHERE kind = 'trained' AND started_at IS NOT NULL;
PRAGMA user_version = 6;
)sql";

// Version 7 as vidrnn wrote it: data set fingerprints, early-classification curves.
const char* const kSchemaV7 = R"sql(
ALTER TABLE runs ADD COLUMN dataset_fingerprint TEXT;
CREATE TABLE early_curve (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
    fraction REAL NOT NULL, accuracy REAL NOT NULL, PRIMARY KEY (run_id, step)) WITHOUT ROWID;
PRAGMA user_version = 7;
)sql";

// Version 8 as vidrnn wrote it: checkpoint hashes, provenance, order
// diagnostics (accuracies and per-class recall, no clip-by-clip counts).
const char* const kSchemaV8 = R"sql(
ALTER TABLE runs ADD COLUMN checkpoint_sha256 TEXT;
ALTER TABLE runs ADD COLUMN provenance TEXT;
ALTER TABLE runs ADD COLUMN reversed_accuracy REAL;
ALTER TABLE runs ADD COLUMN reversed_macro_f1 REAL;
ALTER TABLE runs ADD COLUMN shuffled_accuracy REAL;
ALTER TABLE runs ADD COLUMN shuffled_macro_f1 REAL;
ALTER TABLE runs ADD COLUMN order_reliance REAL;
ALTER TABLE runs ADD COLUMN order_seconds REAL;
CREATE TABLE order_classes (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    class_index INTEGER NOT NULL, reversed_recall REAL, shuffled_recall REAL,
    PRIMARY KEY (run_id, class_index)) WITHOUT ROWID;
PRAGMA user_version = 8;
)sql";

// A version-8 vidrnn stored the run's order diagnostics and provenance.
const char* const kV8Data = R"sql(
UPDATE runs SET provenance = '{"version":"0.8.0","host":"old-host"}', reversed_accuracy = 0.5,
    reversed_macro_f1 = 0.4, shuffled_accuracy = 0.625, shuffled_macro_f1 = 0.6,
    order_reliance = 0.125, order_seconds = 0.5,
    config_json = '{"arch":"gru","backbone":"resnet18","batch":16,"dataset":"/d","device":"auto","dropout":0.0,"epochs":15,"fold":4,"frames":12,"grad_clip":5.0,"hidden":256,"image_size":64,"input":"motion","layers":0,"lr":0.001,"patience":5,"precision":"fp32","seed":1,"split":"logo","threads":1,"weight_decay":0.0}'
    WHERE id = 1;
)sql";

// A completed run as an old vidrnn wrote it.
const char* const kV1Data = R"sql(
INSERT INTO runs (created_at, started_at, finished_at, status, kind, arch, hidden, layers,
                  protocol, fold, seed, params, accuracy, macro_f1, train_seconds, num_classes,
                  class_names, owner_host, owner_pid)
VALUES ('2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05.000Z', '2024-01-02T03:14:05.000Z',
        'completed', 'trained', 'gru', 256, 1, 'logo', 4, 1, 594187, 0.75, 0.74, 600.0, 2,
        '["a","b"]', 'old-host', 42);
INSERT INTO epochs (run_id, epoch, train_loss, train_acc, seconds, lr) VALUES (1, 1, 0.9, 0.6, 20, 0.001);
INSERT INTO confusion VALUES (1, 0, 0, 3), (1, 0, 1, 1), (1, 1, 0, 0), (1, 1, 1, 4);
)sql";

// Version 2 adds a sweep, a note, and a reference row an older program imported.
const char* const kV2Data = R"sql(
INSERT INTO sweeps (created_at, spec, dataset) VALUES ('2024-02-01T00:00:00.000Z', '{}', '/d');
UPDATE runs SET sweep_id = 1, note = 'kept' WHERE id = 1;
INSERT INTO runs (created_at, status, kind, arch, hidden, layers, params, accuracy)
VALUES ('2024-02-01T00:00:00.000Z', 'reference', 'reference', 'lstm', 64, 1, 148683, 0.64);
)sql";

struct Fixture {
    int version;
    std::string sql;
    long long expectedReferenceRows;
};

const std::vector<Fixture>& fixtures() {
    static const std::vector<Fixture> all{
        {1, std::string(kSchemaV1) + kV1Data, 16},
        {2, std::string(kSchemaV1) + kV1Data + kSchemaV2 + kV2Data, 1},
        {3, std::string(kSchemaV1) + kV1Data + kSchemaV2 + kV2Data + kSchemaV3, 1},
        {4, std::string(kSchemaV1) + kV1Data + kSchemaV2 + kV2Data + kSchemaV3 + kSchemaV4, 1},
        {5,
         std::string(kSchemaV1) + kV1Data + kSchemaV2 + kV2Data + kSchemaV3 + kSchemaV4 + kSchemaV5,
         1},
        {6,
         std::string(kSchemaV1) + kV1Data + kSchemaV2 + kV2Data + kSchemaV3 + kSchemaV4 +
             kSchemaV5 + kSchemaV6,
         1},
        {7,
         std::string(kSchemaV1) + kV1Data + kSchemaV2 + kV2Data + kSchemaV3 + kSchemaV4 +
             kSchemaV5 + kSchemaV6 + kSchemaV7,
         1},
        {8,
         std::string(kSchemaV1) + kV1Data + kSchemaV2 + kV2Data + kSchemaV3 + kSchemaV4 +
             kSchemaV5 + kSchemaV6 + kSchemaV7 + kSchemaV8 + kV8Data,
         1},
    };
    return all;
}

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// Opening checks only what it can check cheaply: a damaged page shows when
// the store is used, as the same clear error.
std::string openError(const std::string& path, RunStore::OpenMode mode) {
    try {
        auto store = RunStore::open(path, mode);
        store.listRuns();
    } catch (const StoreError& e) {
        return e.what();
    }
    return "opened";
}

}  // namespace

class TestStoreOpen : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        // The unprivileged child must be able to reach the files.
        QCOMPARE(chmod(mDir.path().toLocal8Bit().constData(), 0755), 0);
    }

    void init() {
        mPath = mDir.filePath(QStringLiteral("store-%1.db").arg(++mCount)).toStdString();
    }

    void errorHandling_data() {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<bool>("readOnlyMode");
        QTest::addColumn<bool>("unprivileged");
        QTest::addColumn<QString>("reason");
        const QString newer = QStringLiteral("schema version 99, newer than version %1")
                                  .arg(RunStore::schemaVersion());
        QTest::newRow("text file")
            << "text" << false << false << "not a vidrnn run store (file is not a database)";
        QTest::newRow("tiny file")
            << "tiny" << false << false << "not a vidrnn run store (file is not a database)";
        QTest::newRow("truncated")
            << "truncated" << false << false << "the store is damaged (truncated";
        QTest::newRow("damaged page") << "damaged" << false << false << "the store is damaged";
        QTest::newRow("other program's database") << "foreign" << false << false
                                                  << "not a vidrnn run store (SQLite database with "
                                                     "other tables: photos)";
        QTest::newRow("newer schema") << "newer" << false << false << newer;
        QTest::newRow("newer schema, read-only") << "newer" << true << false << newer;
        QTest::newRow("a folder") << "folder" << false << false << "is a folder";
        QTest::newRow("missing folder") << "missing-folder" << false << false << "does not exist";
        QTest::newRow("missing file, read-only")
            << "missing" << true << false << "no such store file";
        QTest::newRow("old schema, read-only") << "v1" << true << false << "older than version";
        QTest::newRow("read-only file") << "readonly-file" << false << true
                                        << "the store is read-only (no permission to write "
                                           "the file)";
        QTest::newRow("read-only folder") << "readonly-folder" << false << true
                                          << "the store is read-only (no permission to write "
                                             "its folder";
    }

    void errorHandling() {
        QFETCH(QString, setup);
        QFETCH(bool, readOnlyMode);
        QFETCH(bool, unprivileged);
        QFETCH(QString, reason);
        const std::string path = prepare(setup.toStdString());
        const auto mode =
            readOnlyMode ? RunStore::OpenMode::ReadOnly : RunStore::OpenMode::ReadWrite;
        const std::string message = inChild([&] { return openError(path, mode); }, unprivileged);
        restorePermissions();
        QVERIFY2(message.rfind(path + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find(reason.toStdString()) != std::string::npos, message.c_str());
    }

    // A store on a read-only medium can still be browsed.
    void readOnlyFolderCanBeBrowsed() {
        const std::string path = prepare("readonly-folder");
        const std::string result = inChild(
            [&] {
                auto store = RunStore::open(path, RunStore::OpenMode::ReadOnly);
                std::string count = std::to_string(store.listRuns().size());
                try {
                    store.createRun(TrainConfig{}, RunMeta{});
                } catch (const StoreError& e) {
                    return count + " | " + e.what();
                }
                return count + " | written";
            },
            true);
        restorePermissions();
        QVERIFY2(result.rfind("16 | " + path +
                                  ": cannot create a run: the store was opened "
                                  "read-only",
                              0) == 0,
                 result.c_str());
    }

    void emptyFileIsANewStore() {
        writeFile(mPath, "");
        auto store = RunStore::open(mPath);
        QCOMPARE(rawCount(mPath, "PRAGMA user_version"), (long long)RunStore::schemaVersion());
        QCOMPARE(rawText(mPath, "PRAGMA journal_mode"), std::string("wal"));
        QCOMPARE(store.listRuns().size(), size_t(16));
    }

    void everyEarlierVersionHasAFixture() {
        QCOMPARE(fixtures().size(), size_t(RunStore::schemaVersion() - 1));
        for (size_t i = 0; i < fixtures().size(); ++i)
            QCOMPARE(fixtures()[i].version, int(i) + 1);
    }

    void migrateFromEveryVersion_data() {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < fixtures().size(); ++i) {
            QTest::addRow("from v%d", fixtures()[i].version) << int(i);
        }
    }

    void migrateFromEveryVersion() {
        QFETCH(int, index);
        const Fixture& fixture = fixtures()[size_t(index)];
        QCOMPARE(rawExec(mPath, fixture.sql), std::string());
        QCOMPARE(rawCount(mPath, "PRAGMA user_version"), (long long)fixture.version);

        auto store = RunStore::open(mPath);
        QCOMPARE(store.integrityCheckReason(), std::string("migration"));
        QCOMPARE(rawCount(mPath, "PRAGMA user_version"), (long long)RunStore::schemaVersion());
        auto run = store.getRun(1);
        QVERIFY(run);
        QCOMPARE(run->status, RunStatus::Completed);  // not taken for a dead run
        QCOMPARE(run->arch, std::string("gru"));
        QCOMPARE(run->hidden, 256);
        QCOMPARE(run->fold.value_or(-1), 4);
        QCOMPARE(*run->accuracy, 0.75);
        QCOMPARE(run->classNames, (std::vector<std::string>{"a", "b"}));
        QVERIFY(!run->heartbeatAt.empty());  // filled in by the v2 step
        // Runs before version 5 (precision) trained in fp32; the study's rows do not say.
        QCOMPARE(run->precision, std::string("fp32"));
        QCOMPARE(run->config.precision, std::string("fp32"));
        QCOMPARE(store.epochs(1).size(), size_t(1));
        // Runs before version 7 have neither a data set fingerprint nor a curve.
        QCOMPARE(run->datasetFingerprint, std::string());
        QVERIFY(store.earlyCurve(1).empty());
        // Nor, before version 8, a checkpoint's sha256.
        QCOMPARE(run->checkpointSha256, std::string());
        if (fixture.version < 8) {
            // Runs before version 8: provenance and order unknown, never guessed.
            for (const auto& [key, value] : provenanceFields(run->provenance)) {
                QCOMPARE(value, std::string("unknown"));
            }
            QVERIFY(!run->orderReliance);
            QVERIFY(!store.orderDiagnostics(1));
        } else {
            QCOMPARE(run->provenance.host, std::string("old-host"));
            QCOMPARE(*run->orderReliance, 0.125);
            const auto order = store.orderDiagnostics(1);
            QVERIFY(order);
            QCOMPARE(order->shuffledAccuracy, 0.625);
        }
        // Before version 9 no run has its clip-by-clip counts: no interval
        // over the clips is made up for it.
        QVERIFY(!run->shuffledLost && !run->shuffledGained && !run->reversedLost &&
                !run->reversedGained);
        if (const auto order = store.orderDiagnostics(1)) {
            QVERIFY(!order->shuffledFlips && !order->reversedFlips);
        }
        // The input it read: named in its configuration when not appearance
        // (motion, version 8), appearance otherwise (the only one before).
        QCOMPARE(run->input, std::string(fixture.version >= 8 ? "motion" : "appearance"));
        RunQuery withoutConfig;
        withoutConfig.withoutConfigJson = true;
        std::string streamed;
        store.forEachRun(withoutConfig, [&streamed](const RunRecord& r) {
            if (r.id == 1)
                streamed = r.input;
        });
        QCOMPARE(streamed, run->input);
        const Report report = buildReport({*run}, ReportOptions{false});
        QCOMPARE(report.rows.size(), size_t(1));
        QVERIFY(!report.rows[0].relianceOverClips);
        QVERIFY(!report.rows[0].orderReliance.ciLow);
        QCOMPARE(store.confusion(1), (std::vector<std::vector<std::int64_t>>{{3, 1}, {0, 4}}));
        if (fixture.version >= 2) {
            QCOMPARE(run->note, std::string("kept"));
            QCOMPARE(run->sweepId, std::optional<std::int64_t>(1));
        }
        RunFilter refs;
        refs.kind = RunKind::Reference;
        QCOMPARE((long long)store.listRuns(refs).size(), fixture.expectedReferenceRows);
        for (const auto& ref : store.listRuns(refs)) {
            QCOMPARE(ref.precision, std::string());
        }

        // What the newer versions added works on the upgraded store.
        store.annotate(1, "upgraded");
        QCOMPARE(store.getRun(1)->note, std::string("upgraded"));
        auto sweep = store.createSweep("{}", "/d");
        QVERIFY(store.getSweep(sweep));
        QVERIFY(rawExec(mPath, "DELETE FROM runs WHERE kind = 'reference'").find("read-only") !=
                std::string::npos);
    }

    // One URL rule for the CLI, the engine and the workbench's store dialog
    // (which calls these two and parses nothing itself): the server schemes
    // are URLs, another scheme is refused before anything is opened, a file
    // path with "://" further in is a file.
    void storeUrlRule() {
        QVERIFY(vidrnn::isStoreUrl("postgresql://host/db"));
        QVERIFY(vidrnn::isStoreUrl("postgres://host/db"));
        QVERIFY(!vidrnn::isStoreUrl("experiments.db"));
        QVERIFY(!vidrnn::isStoreUrl("mysql://host/db"));
        QVERIFY(!vidrnn::isStoreUrl("runs/postgresql://x"));
        try {
            vidrnn::checkStoreUrl("mysql://host/db");
            QFAIL("mysql:// passed the check");
        } catch (const vidrnn::StoreError& e) {
            QCOMPARE(
                std::string(e.what()).rfind("mysql://host/db: unknown store URL scheme 'mysql'", 0),
                std::size_t(0));
        }
        vidrnn::checkStoreUrl("runs/a://b.db");  // a file
        vidrnn::checkStoreUrl("experiments.db");
    }

    void readOnlyModeRefusesWrites() {
        RunStore::open(mPath);
        auto store = RunStore::open(mPath, RunStore::OpenMode::ReadOnly);
        QVERIFY(store.readOnly());
        QCOMPARE(store.listRuns().size(), size_t(16));
        try {
            store.annotate(1, "x");
            QFAIL("a read-only store was written");
        } catch (const StoreError& e) {
            QVERIFY2(std::string(e.what()).find("read-only") != std::string::npos, e.what());
        }
    }

private:
    // Builds the bad store named by `setup` and returns the path to open.
    std::string prepare(const std::string& setup) {
        const std::string folder =
            mDir.filePath(QStringLiteral("case-%1").arg(mCount)).toStdString();
        fs::create_directories(folder);
        chmod(folder.c_str(), 0777);
        const std::string path = folder + "/runs.db";
        if (setup == "text") {
            writeFile(path, std::string(300, 'x') + "\nthese are my notes, not a database\n");
        } else if (setup == "tiny") {
            writeFile(path, "SQLite");
        } else if (setup == "truncated" || setup == "damaged") {
            {
                auto store = RunStore::open(path);
                for (int i = 0; i < 40; ++i)
                    store.createRun(TrainConfig{}, RunMeta{});
            }
            auto size = fs::file_size(path);
            if (setup == "truncated") {
                fs::resize_file(path, size / 2);
            } else {
                // The header of a page in the middle of the runs table, which
                // listing reads (the middle of the file may hold a table of a
                // newer schema that it never touches; pages are 4096 bytes).
                const long long page = rawCount(
                    path,
                    "SELECT pageno FROM dbstat WHERE name = 'runs' ORDER BY pageno LIMIT 1 "
                    "OFFSET (SELECT COUNT(*) / 2 FROM dbstat WHERE name = 'runs')");
                std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
                f.seekp(std::streamoff((page - 1) * 4096));
                f << std::string(512, '\xA5');
            }
        } else if (setup == "foreign") {
            rawExec(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)");
        } else if (setup == "newer") {
            RunStore::open(path);
            rawExec(path, "PRAGMA user_version = 99");
        } else if (setup == "folder") {
            fs::create_directories(path);
        } else if (setup == "missing-folder") {
            return folder + "/no/such/folder/runs.db";
        } else if (setup == "v1") {
            rawExec(path, kSchemaV1);
        } else if (setup == "readonly-file") {
            RunStore::open(path);
            chmod(path.c_str(), 0444);
        } else if (setup == "readonly-folder") {
            RunStore::open(path);
            chmod(path.c_str(), 0666);
            chmod(folder.c_str(), 0555);
            mLocked = folder;
        }
        return path;
    }

    // A 0555 folder would keep QTemporaryDir from cleaning up.
    void restorePermissions() {
        if (!mLocked.empty())
            chmod(mLocked.c_str(), 0777);
        mLocked.clear();
    }

    QTemporaryDir mDir;
    std::string mPath;
    std::string mLocked;
    int mCount = 0;
};

QTEST_GUILESS_MAIN(TestStoreOpen)
#include "tst_store_open.moc"
