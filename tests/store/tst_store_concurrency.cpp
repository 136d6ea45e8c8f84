// One store file, several connections: the GUI reads while the CLI trains.
// Readers never see "database is locked" nor a half-written run, a write lock
// held briefly is waited out, and one held too long gives a clear error.
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <functional>
#include <future>
#include <thread>

#include "vidrnn/errors.h"
#include "vidrnn/store.h"

using namespace vidrnn;

namespace {

constexpr int kRuns = 40;

RunResult tinyResult() {
    RunResult r;
    r.trainSeconds = 1.0;
    r.evaluation = evaluate({0, 1, 1}, {0, 1, 0}, 2);
    r.predictions = {{"a.mpg", 0, 0, {0.9f, 0.1f}}, {"b.mpg", 1, 1, {0.2f, 0.8f}}};
    return r;
}

// The trainer's side: runs with epochs, heartbeats and results.
std::string writeRuns(const std::string& path) {
    try {
        auto store = RunStore::open(path);
        RunMeta meta;
        meta.classNames = {"x", "y"};
        for (int i = 0; i < kRuns; ++i) {
            TrainConfig config;
            config.seed = i;
            auto id = store.createRun(config, meta);
            for (int epoch = 1; epoch <= 3; ++epoch) {
                store.addEpoch(id, {epoch, 1.0 / epoch, 0.5, 0.9, 0.5, 0.4, 0.01, 1e-3});
                store.heartbeat(id);
            }
            store.completeRun(id, tinyResult());
        }
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

// The GUI's side: lists and inspects runs until told to stop. A completed run
// must always come with its confusion matrix (completeRun is atomic).
std::string readRuns(const std::string& path, const std::function<bool()>& keepGoing, int& reads) {
    try {
        auto store = RunStore::open(path, RunStore::OpenMode::ReadOnly);
        RunFilter trained;
        trained.kind = RunKind::Trained;
        size_t seen = 0;
        do {
            auto runs = store.listRuns(trained);
            if (runs.size() < seen)
                return "the number of runs went down";
            seen = runs.size();
            for (const RunRecord& run : runs) {
                if (run.status == RunStatus::Completed && store.confusion(run.id).empty()) {
                    return "completed run " + std::to_string(run.id) + " without its results";
                }
            }
            if (!runs.empty())
                store.epochs(runs.back().id);
            // Meanwhile the GUI (or another CLI) opens read-write and writes
            // too: two writers contend, and busy_timeout must absorb it.
            if (++reads % 10 == 0 && !runs.empty()) {
                RunStore::open(path).annotate(runs.back().id, "seen by the reader");
            }
        } while (keepGoing());
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

// Holds an exclusive write lock from another connection until `release`.
class LockHolder {
public:
    LockHolder(const std::string& path, std::shared_future<void> release) {
        auto locked = mLocked.get_future();
        mThread = std::thread([this, path, release] {
            sqlite3* db = nullptr;
            sqlite3_open(path.c_str(), &db);
            sqlite3_busy_timeout(db, 5000);
            sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr);
            mLocked.set_value();
            release.wait();
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
            sqlite3_close(db);
        });
        locked.wait();
    }
    ~LockHolder() { mThread.join(); }

private:
    std::promise<void> mLocked;
    std::thread mThread;
};

}  // namespace

class TestStoreConcurrency : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(mDir.isValid());
        mPath = mDir.filePath(QStringLiteral("store-%1.db").arg(++mCount)).toStdString();
        RunStore::open(mPath);
    }

    void readerAndWriter_data() {
        QTest::addColumn<bool>("separateProcess");
        QTest::newRow("two threads") << false;
        QTest::newRow("two processes") << true;
    }

    void readerAndWriter() {
        QFETCH(bool, separateProcess);
        std::string writerError, readerError;
        int reads = 0;
        if (separateProcess) {
            pid_t child = fork();
            if (child == 0) {
                _exit(writeRuns(mPath).empty() ? 0 : 1);
            }
            int status = -1;
            auto childRunning = [&] { return waitpid(child, &status, WNOHANG) == 0; };
            readerError = readRuns(mPath, childRunning, reads);
            if (readerError.empty()) {
                while (childRunning())
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
            } else {
                waitpid(child, &status, 0);
            }
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                writerError = "writer failed";
        } else {
            std::atomic<bool> writing{true};
            std::thread writer([&] {
                writerError = writeRuns(mPath);
                writing = false;
            });
            readerError = readRuns(
                mPath, [&] { return writing.load(); }, reads);
            writer.join();
        }
        QVERIFY2(writerError.empty(), writerError.c_str());
        QVERIFY2(readerError.empty(), readerError.c_str());
        QVERIFY(reads > 0);
        auto store = RunStore::open(mPath);
        RunFilter done;
        done.status = RunStatus::Completed;
        QCOMPARE(store.listRuns(done).size(), size_t(kRuns));
    }

    // Many programs open one new file at the same moment (a sweep's workers
    // on a fresh store, some read-only): one creates the schema, and no other
    // may catch it half done ("not a vidrnn run store ... with other tables").
    void firstOpensRaceTheMigration() {
        constexpr int kProcesses = 6;
        constexpr int kRounds = 15;
        for (int round = 0; round < kRounds; ++round) {
            const std::string path =
                mDir.filePath(QStringLiteral("race-%1.db").arg(round)).toStdString();
            int gate[2];
            QVERIFY(pipe(gate) == 0);
            std::vector<pid_t> children;
            for (int i = 0; i < kProcesses; ++i) {
                pid_t child = fork();
                if (child == 0) {
                    close(gate[1]);
                    char go = 0;
                    (void)!read(gate[0], &go, 1);  // all start together
                    // Read-only opens of a file not yet there wait for it.
                    const bool readOnly = i % 3 == 2;
                    for (int attempt = 0; attempt < 2000; ++attempt) {
                        try {
                            if (readOnly) {
                                RunStore::open(path, RunStore::OpenMode::ReadOnly);
                            } else {
                                RunStore::open(path);
                            }
                            _exit(0);
                        } catch (const StoreError& e) {
                            const std::string what = e.what();
                            const bool notYet =
                                readOnly && (what.find("no such") != std::string::npos ||
                                             what.find("empty database") != std::string::npos ||
                                             what.find("does not exist") != std::string::npos);
                            if (!notYet) {
                                std::fprintf(stderr, "%s\n", what.c_str());
                                _exit(1);
                            }
                            std::this_thread::sleep_for(std::chrono::milliseconds(1));
                        }
                    }
                    _exit(2);
                }
                children.push_back(child);
            }
            close(gate[0]);
            close(gate[1]);  // EOF wakes every child at once
            for (pid_t child : children) {
                int status = -1;
                waitpid(child, &status, 0);
                QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                         qPrintable(QStringLiteral("round %1: a first open failed (exit %2)")
                                        .arg(round)
                                        .arg(WIFEXITED(status) ? WEXITSTATUS(status) : -1)));
            }
            // The reference rows went in once, as in a store opened alone.
            QCOMPARE(RunStore::open(path).listRuns(RunFilter{}).size(),
                     RunStore::open(mPath).listRuns(RunFilter{}).size());
        }
    }

    // Reads go on while another program holds the write lock (WAL).
    void readersDoNotWait() {
        auto store = RunStore::open(mPath);
        std::promise<void> release;
        LockHolder holder(mPath, release.get_future().share());
        QCOMPARE(store.listRuns().size(), size_t(16));
        auto reader = RunStore::open(mPath, RunStore::OpenMode::ReadOnly);
        QCOMPARE(reader.listRuns().size(), size_t(16));
        release.set_value();
    }

    // A write lock held for ~200 ms is waited out under the busy timeout.
    void briefLockIsWaitedOut() {
        auto store = RunStore::open(mPath);
        std::promise<void> release;
        LockHolder holder(mPath, release.get_future().share());
        std::thread releaser([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            release.set_value();
        });
        QElapsedTimer timer;
        timer.start();
        std::string error;
        std::int64_t id = 0;
        try {
            id = store.createRun(TrainConfig{}, RunMeta{});
        } catch (const StoreError& e) {
            error = e.what();
        }
        const auto waited = timer.elapsed();
        releaser.join();
        QVERIFY2(error.empty(), error.c_str());
        QVERIFY(waited >= 150);  // it did wait for the lock
        QVERIFY(store.getRun(id));
    }

    void lockHeldTooLong() {
        RunStore::Options options;
        options.busyTimeout = std::chrono::milliseconds(100);
        auto store = RunStore::open(mPath, options);
        std::promise<void> release;
        LockHolder holder(mPath, release.get_future().share());
        std::string message;
        try {
            store.createRun(TrainConfig{}, RunMeta{});
        } catch (const StoreError& e) {
            message = e.what();
        }
        release.set_value();
        QVERIFY2(message.rfind(mPath + ": ", 0) == 0, message.c_str());
        QVERIFY2(message.find("locked by another program") != std::string::npos, message.c_str());
        QVERIFY2(message.find("100 ms") != std::string::npos, message.c_str());
    }

private:
    QTemporaryDir mDir;
    std::string mPath;
    int mCount = 0;
};

QTEST_GUILESS_MAIN(TestStoreConcurrency)
#include "tst_store_concurrency.moc"
