// Where the store goes when no --db is given: experiments.db in the working
// directory when it exists there, else in the XDG data folder (created on
// demand); an explicit path always wins. The per-user folders follow the XDG
// base directory specification (relative values ignored).
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "vidrnn/paths.h"
#include "vidrnn/store.h"

using namespace vidrnn;
namespace fs = std::filesystem;

class TestStorePaths : public QObject {
    Q_OBJECT
private:
    QTemporaryDir mDir;
    QString mOldCwd;
    fs::path mHome, mData, mWork;

private Q_SLOTS:
    void init() {
        QVERIFY(mDir.isValid());
        const fs::path root = mDir.path().toStdString();
        static int count = 0;
        const fs::path base = root / ("case" + std::to_string(++count));
        mHome = base / "home";
        mData = base / "data";
        mWork = base / "work";
        fs::create_directories(mHome);
        fs::create_directories(mWork);
        qputenv("HOME", QByteArray::fromStdString(mHome.string()));
        qputenv("XDG_DATA_HOME", QByteArray::fromStdString(mData.string()));
        qputenv("XDG_CACHE_HOME", QByteArray::fromStdString((base / "cache").string()));
        mOldCwd = QDir::currentPath();
        QVERIFY(QDir::setCurrent(QString::fromStdString(mWork.string())));
    }

    void cleanup() { QDir::setCurrent(mOldCwd); }

    void givenPathWins() {
        std::ofstream(mWork / "experiments.db").put('x');
        QCOMPARE(resolveStorePath("elsewhere/x.db"), std::string("elsewhere/x.db"));
        QVERIFY(!fs::exists(mData));
    }

    void workingDirectoryStoreWhenItExists() {
        std::ofstream(mWork / "experiments.db").put('x');
        QCOMPARE(defaultStorePath(), std::string("experiments.db"));
        QCOMPARE(resolveStorePath(""), std::string("experiments.db"));
        QVERIFY2(!fs::exists(mData), "the data folder is not created when unused");
    }

    void xdgDataFolderOtherwise() {
        const std::string expected = (mData / "vidrnn" / "experiments.db").string();
        QCOMPARE(resolveStorePath(""), expected);
        QVERIFY2(fs::is_directory(mData / "vidrnn"), "the folder is created for the store");
        QVERIFY(!fs::exists(mWork / "experiments.db"));
        // And it opens there, with checkpoints beside it.
        auto store = RunStore::open(resolveStorePath(""));
        QCOMPARE(store.path(), expected);
        QVERIFY(fs::is_regular_file(expected));
    }

    void homeWhenXdgUnsetOrRelative_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("unset") << QByteArray();
        QTest::newRow("empty") << QByteArray("");
        QTest::newRow("relative") << QByteArray("relative/data");
    }

    void homeWhenXdgUnsetOrRelative() {
        QFETCH(QByteArray, value);
        if (value.isNull()) {
            qunsetenv("XDG_DATA_HOME");
            qunsetenv("XDG_CACHE_HOME");
        } else {
            qputenv("XDG_DATA_HOME", value);
            qputenv("XDG_CACHE_HOME", value);
        }
        QCOMPARE(userDataDir(), (mHome / ".local/share/vidrnn").string());
        QCOMPARE(userCacheDir(), (mHome / ".cache/vidrnn").string());
        QCOMPARE(defaultStorePath(), (mHome / ".local/share/vidrnn/experiments.db").string());
        QVERIFY(!fs::exists(mWork / "relative"));
    }

    void cacheFolderFollowsXdg() {
        QCOMPARE(userCacheDir(),
                 (fs::path(qgetenv("XDG_CACHE_HOME").toStdString()) / "vidrnn").string());
    }

    void uncreatableFolderIsNamedOnOpen() {
        // XDG_DATA_HOME under a regular file: the folder cannot be made.
        std::ofstream(mHome / "file").put('x');
        qputenv("XDG_DATA_HOME", QByteArray::fromStdString((mHome / "file").string()));
        const std::string path = resolveStorePath("");
        QCOMPARE(path, (mHome / "file" / "vidrnn" / "experiments.db").string());
        try {
            RunStore::open(path);
            QFAIL("opened a store under a file");
        } catch (const std::exception& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestStorePaths)
#include "tst_store_paths.moc"
