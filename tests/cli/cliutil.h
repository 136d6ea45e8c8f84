// Running the real vidrnn binary from tests.
#pragma once

#include <QJsonDocument>
#include <QProcess>
#include <QStringList>
#include <QtTest>

namespace vidrnn::test {

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline CliResult runCli(const QStringList& args, const QString& workDir = {},
                        int timeoutMs = 300000,
                        const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty()) {
        p.setWorkingDirectory(workDir);
    }
    p.start(QStringLiteral(VIDRNN_CLI), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline QJsonDocument parseJson(const QByteArray& bytes) {
    QJsonParseError error;
    auto doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        qWarning() << "not JSON:" << error.errorString() << bytes.left(400);
    }
    return doc;
}

}  // namespace vidrnn::test
