// A throwaway PostgreSQL server for tests: initdb into a temp dir, a Unix
// socket there and no TCP port (it never clashes with a system server),
// fsync off. postgres refuses to run as root, so as root every server
// command runs as user nobody (setpriv, util-linux), and the temp dir is
// handed to nobody. Stopped with pg_ctl when the object goes, and killed by
// the postmaster's pid if that fails, so a failing test leaves no server.
//
// Usage: PgServer pg; if (!pg.missing().isEmpty()) QSKIP(...); QVERIFY2(pg.start(), ...)
#pragma once

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QThread>

namespace vidrnn::test {

class PgServer {
public:
    static QString binDir() { return QStringLiteral("/usr/lib/postgresql/15/bin"); }

    PgServer() = default;
    ~PgServer() { stop(); }
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    // "" when the server can be started, else what to install.
    static QString missing() {
        for (const char* tool : {"initdb", "pg_ctl", "postgres", "createdb", "psql"}) {
            const QString path = (QString::fromLatin1(tool) == QLatin1String("psql")
                                      ? QStringLiteral("/usr/bin/psql")
                                      : binDir() + QLatin1Char('/') + QLatin1String(tool));
            if (!QFileInfo(path).isExecutable()) {
                return QStringLiteral(
                           "package postgresql-15 is missing (no %1; tools/setup.sh "
                           "installs it)")
                    .arg(path);
            }
        }
        return {};
    }

    // initdb, start, createdb `db`; false with error() set when a step fails.
    bool start(const QString& db = QStringLiteral("vidrnn")) {
        char tmpl[] = "/tmp/vidrnn-pg.XXXXXX";
        if (!mkdtemp(tmpl)) {
            return fail(QStringLiteral("mkdtemp failed"));
        }
        mDir = QString::fromLocal8Bit(tmpl);
        QDir().mkpath(socketDir());
        ::chmod(tmpl, 0755);
        if (geteuid() == 0 && !runPlain({"chown", "-R", "nobody:nogroup", mDir})) {
            return false;
        }
        if (!runAs(binDir() + "/initdb", {"-D", dataDir(), "-U", "vidrnn", "--auth=trust", "-N",
                                          "-E", "UTF8", "--locale=C"})) {
            return false;
        }
        if (!startServer()) {
            return false;
        }
        return createDb(db);
    }

    bool createDb(const QString& db) {
        return runAs(binDir() + "/createdb", {"-h", socketDir(), "-U", "vidrnn", db});
    }

    // Runs SQL through psql as the superuser vidrnn; false on error.
    bool psql(const QString& db, const QString& sql, QString* out = nullptr) {
        return runAs(QStringLiteral("/usr/bin/psql"),
                     {"-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDir(), "-U",
                      "vidrnn", "-d", db, "-c", sql},
                     out);
    }
    // The first line psql prints for a query ("" on error).
    QString value(const QString& db, const QString& sql) {
        QString out;
        psql(db, sql, &out);
        return out.section(QLatin1Char('\n'), 0, 0).trimmed();
    }

    // `pg_ctl restart -m fast`: every connection is dropped.
    bool restart() {
        return runAs(binDir() + "/pg_ctl", {"-D", dataDir(), "-l", mDir + "/server.log", "-w", "-t",
                                            "30", "-m", "fast", "-o", serverOptions(), "restart"});
    }

    void stop() {
        if (mDir.isEmpty()) {
            return;
        }
        const qint64 pid = postmasterPid();
        if (pid > 0) {
            runAs(binDir() + "/pg_ctl", {"-D", dataDir(), "-m", "fast", "-w", "-t", "30", "stop"});
            if (::kill(pid_t(pid), 0) == 0) {
                ::kill(pid_t(pid), SIGKILL);
            }
        }
        QDir(mDir).removeRecursively();
        mDir.clear();
    }

    // libpq URL of database `db` as user `user` over the socket.
    QString url(const QString& db = QStringLiteral("vidrnn"),
                const QString& user = QStringLiteral("vidrnn")) const {
        return QStringLiteral("postgresql:///%1?host=%2&user=%3").arg(db, socketDir(), user);
    }
    QString socketDir() const { return mDir + QStringLiteral("/sock"); }
    const QString& error() const { return mError; }

private:
    QString dataDir() const { return mDir + QStringLiteral("/data"); }
    QString serverOptions() const {
        return QStringLiteral(
                   "-k %1 -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off")
            .arg(socketDir());
    }
    bool startServer() {
        return runAs(binDir() + "/pg_ctl", {"-D", dataDir(), "-l", mDir + "/server.log", "-w", "-t",
                                            "30", "-o", serverOptions(), "start"});
    }
    qint64 postmasterPid() const {
        QFile f(dataDir() + QStringLiteral("/postmaster.pid"));
        return f.open(QIODevice::ReadOnly) ? f.readLine().trimmed().toLongLong() : 0;
    }
    bool fail(const QString& why) {
        mError = why;
        return false;
    }
    bool runPlain(const QStringList& command, QString* out = nullptr) {
        QProcess p;
        p.start(command.first(), command.mid(1));
        if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit ||
            p.exitCode() != 0) {
            return fail(command.join(QLatin1Char(' ')) + QStringLiteral(": ") +
                        QString::fromLocal8Bit(p.readAllStandardError()));
        }
        if (out) {
            *out = QString::fromUtf8(p.readAllStandardOutput());
        }
        return true;
    }
    bool runAs(const QString& tool, const QStringList& args, QString* out = nullptr) {
        QStringList command;
        if (geteuid() == 0) {
            command << "setpriv"
                    << "--reuid=nobody"
                    << "--regid=nogroup"
                    << "--clear-groups"
                    << "--reset-env"
                    << "--";
        }
        return runPlain(command << tool << args, out);
    }

    QString mDir, mError;
};

}  // namespace vidrnn::test
