#include <sys/wait.h>
#include <unistd.h>

#include <QtTest>

#include <QTemporaryDir>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "util/featurefile.h"
#include "vidrnn/errors.h"

using namespace vidrnn;

namespace {

cache::FeatureFile sample() {
    cache::FeatureFile f;
    f.header.length = 3;
    f.header.frames = 4;
    f.header.dim = 5;
    f.header.channels = 5;
    f.header.height = 2;
    f.header.width = 2;
    f.header.key = 42;
    for (int i = 0; i < 15; ++i)
        f.vectors.push_back(float(i) * 0.5f);
    for (int i = 0; i < 60; ++i)
        f.maps.push_back(static_cast<std::uint16_t>(i * 7));
    return f;
}

}  // namespace

class TestFeatureFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip() {
        QTemporaryDir dir;
        const auto path = dir.filePath("a.feat").toStdString();
        cache::writeFeatureFile(path, sample());
        auto back = cache::readFeatureFile(path, true);
        QCOMPARE(back.header.key, std::uint64_t(42));
        QCOMPARE(back.vectors, sample().vectors);
        QCOMPARE(back.maps, sample().maps);
        auto vecOnly = cache::readFeatureFile(path, false);
        QVERIFY(vecOnly.maps.empty());
        // The temporary file was renamed into place: a.feat is all there is.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"a.feat"});
    }

    // Writers of one entry at once (processes sharing a cache folder, here
    // threads) each write a private temporary file: none fails, none leaves a
    // temporary file behind, and the entry reads back whole.
    void concurrentWritersOfOneEntry() {
        QTemporaryDir dir;
        const auto path = dir.filePath("a.feat").toStdString();
        std::atomic<int> failures{0};
        std::vector<std::thread> writers;
        for (int t = 0; t < 4; ++t) {
            writers.emplace_back([&] {
                for (int i = 0; i < 50; ++i) {
                    try {
                        cache::writeFeatureFile(path, sample());
                    } catch (const CacheError&) {
                        ++failures;
                    }
                }
            });
        }
        for (auto& w : writers) {
            w.join();
        }
        QCOMPARE(failures.load(), 0);
        QCOMPARE(cache::readFeatureFile(path, true).maps, sample().maps);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"a.feat"});
        QVERIFY(cache::privateTempName(path) != cache::privateTempName(path));
    }

    // A writer killed mid-write leaves its temporary file: removed once its
    // process is gone, if it ran on this host; a live writer's, another
    // host's and the entries themselves are kept.
    void orphanedTempFilesRemoved() {
        QTemporaryDir dir;
        const auto path = dir.filePath("a.feat").toStdString();
        cache::writeFeatureFile(path, sample());
        const pid_t child = fork();
        if (child == 0) {
            _exit(0);
        }
        QVERIFY(child > 0);
        QCOMPARE(waitpid(child, nullptr, 0), child);
        const std::string live = cache::privateTempName(path);
        std::string dead = live;  // ".tmp.<host>.<our pid>.<n>" with the child's pid
        dead.replace(dead.rfind("." + std::to_string(getpid()) + "."),
                     std::to_string(getpid()).size() + 2, "." + std::to_string(child) + ".");
        const std::string elsewhere = path + ".tmp.another-host." + std::to_string(child) + ".0";
        for (const auto& f : {live, dead, elsewhere}) {
            std::ofstream(f) << "half";
        }
        QCOMPARE(cache::removeOrphanedTempFiles(dir.path().toStdString()), 1);
        QVERIFY(!std::filesystem::exists(dead));
        QVERIFY(std::filesystem::exists(live));
        QVERIFY(std::filesystem::exists(elsewhere));
        QVERIFY(std::filesystem::exists(path));
    }

    void damaged_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("reason");
        QTest::newRow("truncated header") << 0 << "truncated";
        QTest::newRow("truncated maps") << 1 << "truncated";
        QTest::newRow("bad magic") << 2 << "bad magic";
        QTest::newRow("flipped vector byte") << 3 << "checksum mismatch in vectors";
        QTest::newRow("flipped map byte") << 4 << "checksum mismatch in maps";
        QTest::newRow("empty file") << 5 << "truncated";
        QTest::newRow("unknown element types") << 6 << "unsupported element types";
    }

    void damaged() {
        QFETCH(int, mode);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const auto path = dir.filePath("b.feat").toStdString();
        cache::writeFeatureFile(path, sample());
        const auto size = std::filesystem::file_size(path);
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        auto flip = [&](std::streamoff at) {
            f.seekg(at);
            char c;
            f.read(&c, 1);
            c = static_cast<char>(c ^ 0x5a);
            f.seekp(at);
            f.write(&c, 1);
        };
        switch (mode) {
            case 0:
                f.close();
                std::filesystem::resize_file(path, 40);
                break;
            case 1:
                f.close();
                std::filesystem::resize_file(path, size - 3);
                break;
            case 2:
                flip(0);
                break;
            case 3:
                flip(88 + 4);
                break;
            case 4:
                flip(static_cast<std::streamoff>(size) - 2);
                break;
            case 5:
                f.close();
                std::filesystem::resize_file(path, 0);
                break;
            case 6:
                flip(36);
                break;  // the element-type field
        }
        if (f.is_open())
            f.close();
        QString fromFile;
        try {
            cache::readFeatureFile(path, true);
            QFAIL("no CacheError");
        } catch (const CacheError& e) {
            QVERIFY2(QString(e.what()).contains(reason), e.what());
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)), e.what());
            fromFile = e.what();
        }
        // The in-memory reader (the fuzz target's) refuses it the same way.
        std::ifstream in(path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        try {
            cache::parseFeatureFile(bytes.data(), bytes.size(), path, true);
            QFAIL("no CacheError from memory");
        } catch (const CacheError& e) {
            QCOMPARE(QString(e.what()), fromFile);
        }
    }

    void memoryReaderReadsWhatWasWritten() {
        QTemporaryDir dir;
        const auto path = dir.filePath("m.feat").toStdString();
        cache::writeFeatureFile(path, sample());
        std::ifstream in(path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        const auto back = cache::parseFeatureFile(bytes.data(), bytes.size(), path, true);
        QCOMPARE(back.header.key, std::uint64_t(42));
        QCOMPARE(back.vectors, sample().vectors);
        QCOMPARE(back.maps, sample().maps);
        QVERIFY(cache::parseFeatureFile(bytes.data(), bytes.size(), path, false).maps.empty());
    }
};

QTEST_GUILESS_MAIN(TestFeatureFile)
#include "tst_featurefile.moc"
