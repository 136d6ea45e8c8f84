// The bad-input suite's store URLs: malformed, unknown scheme, a password
// in the URL, a wrong database, another program's database, a store from a
// newer schema version and a read-only role, through the engine and the
// real vidrnn binary. Each is refused with a message naming the store and
// the reason (a password never appears in it). Needs a throwaway
// PostgreSQL; skipped, naming the package, when postgresql-15 is missing.
#include <QtTest>

#include "cliutil.h"
#include "pgserver.h"
#include "vidrnn/errors.h"
#include "vidrnn/store.h"

using vidrnn::RunStore;
using vidrnn::test::PgServer;
using vidrnn::test::runCli;

namespace {

std::string openError(const std::string& url, RunStore::OpenMode mode) {
    try {
        RunStore::open(url, mode).listRuns();
    } catch (const vidrnn::StoreError& e) {
        return e.what();
    }
    return "opened";
}

}  // namespace

class TestBadInputStoreUrls : public QObject {
    Q_OBJECT
    PgServer mPg;
    int mRows = 0;

private Q_SLOTS:
    void initTestCase() {
        if (const QString missing = PgServer::missing(); !missing.isEmpty()) {
            QSKIP(qPrintable(missing));
        }
        QVERIFY2(mPg.start(), qPrintable(mPg.error()));
        // A good store, a newer one, another program's database, a reader role.
        RunStore::open(mPg.url().toStdString());
        QVERIFY(mPg.createDb("newer"));
        RunStore::open(mPg.url("newer").toStdString());
        QVERIFY(mPg.psql("newer", "INSERT INTO vidrnn_schema VALUES (99, 'later')"));
        QVERIFY(mPg.createDb("photos"));
        QVERIFY(mPg.psql("photos", "CREATE TABLE photos (id integer, file text)"));
        QVERIFY(mPg.psql("vidrnn",
                         "CREATE ROLE reader LOGIN; GRANT SELECT ON ALL TABLES IN "
                         "SCHEMA public TO reader"));
    }

    void refused_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("named");  // what the message starts with
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("readOnly");
        const QString sock = mPg.socketDir();
        QTest::newRow("malformed: no database") << "postgresql://localhost"
                                                << "postgresql://localhost"
                                                << "malformed store URL: no database name" << false;
        QTest::newRow("malformed: a path") << "postgresql://localhost/a/b"
                                           << "postgresql://localhost/a/b"
                                           << "'a/b' is not a database name" << false;
        QTest::newRow("password in the URL")
            << "postgresql://vidrnn:s3cret@localhost/vidrnn"
            << "postgresql://..."
            << "the URL carries a password; vidrnn takes passwords only from ~/.pgpass or the "
               "PGPASSWORD environment variable"
            << false;
        // Read as libpq reads it: a percent-encoded key is the same key.
        QTest::newRow("password, key percent-encoded")
            << "postgresql://vidrnn@localhost/vidrnn?pass%77ord=s3cret"
            << "postgresql://..."
            << "the URL carries a password; vidrnn takes passwords only from ~/.pgpass or the "
               "PGPASSWORD environment variable"
            << false;
        QTest::newRow("sslpassword in the URL")
            << "postgresql://vidrnn@localhost/vidrnn?sslpassword=s3cret"
            << "postgresql://..."
            << "the URL carries a key password (sslpassword)" << false;
        QTest::newRow("unknown scheme") << "mysql://localhost/vidrnn"
                                        << "mysql://localhost/vidrnn"
                                        << "unknown store URL scheme 'mysql'" << false;
        QTest::newRow("wrong database")
            << mPg.url("nosuchdb") << mPg.url("nosuchdb")
            << "cannot connect to the PostgreSQL server on " + sock +
                   ": connection to server on socket \"" + sock +
                   "/.s.PGSQL.5432\" failed: FATAL:  database \"nosuchdb\" does not exist"
            << false;
        QTest::newRow("another program's database")
            << mPg.url("photos") << mPg.url("photos")
            << "not a vidrnn run store (PostgreSQL database with other tables: photos)" << false;
        QTest::newRow("newer schema") << mPg.url("newer") << mPg.url("newer")
                                      << "schema version 99, newer than version" << false;
        QTest::newRow("newer schema, read-only") << mPg.url("newer") << mPg.url("newer")
                                                 << "schema version 99, newer than version" << true;
        QTest::newRow("read-only role")
            << mPg.url("vidrnn", "reader") << mPg.url("vidrnn", "reader")
            << "the store is read-only (role reader may not write its tables)" << false;
    }

    void refused() {
        QFETCH(QString, url);
        QFETCH(QString, named);
        QFETCH(QString, reason);
        QFETCH(bool, readOnly);
        ++mRows;
        const std::string engine =
            openError(url.toStdString(),
                      readOnly ? RunStore::OpenMode::ReadOnly : RunStore::OpenMode::ReadWrite);
        QVERIFY2(engine.rfind(named.toStdString() + ": ", 0) == 0, engine.c_str());
        QVERIFY2(engine.find(reason.toStdString()) != std::string::npos, engine.c_str());
        QVERIFY2(engine.find("s3cret") == std::string::npos, engine.c_str());

        // The CLI: `runs list` reads; `runs annotate` writes.
        auto r = runCli(readOnly ? QStringList{"--db", url, "runs", "list"}
                                 : QStringList{"--db", url, "runs", "annotate", "1", "x"});
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(r.exitCode != 0, qPrintable(err));
        QVERIFY2(err.startsWith("error: " + named + ": "), qPrintable(err));
        QVERIFY2(err.contains(reason), qPrintable(err));
        QVERIFY2(!err.contains("s3cret") && !r.out.contains("s3cret"), qPrintable(err));
    }

    void readOnlyRoleMayBrowse() {
        ++mRows;
        auto r = runCli({"--db", mPg.url("vidrnn", "reader"), "runs", "list", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto store =
            RunStore::open(mPg.url("vidrnn", "reader").toStdString(), RunStore::OpenMode::ReadOnly);
        QCOMPARE(store.listRuns().size(), std::size_t(16));  // the study's reference rows
    }

    void cleanupTestCase() { qInfo("store URL rows checked: %d", mRows); }
};

QTEST_GUILESS_MAIN(TestBadInputStoreUrls)
#include "tst_badinput_store_urls.moc"
