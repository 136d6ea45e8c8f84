#include "shell/about.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QtGlobal>

#include "support/qtsupport.h"
#include "vidrnn/features.h"
#include "vidrnn/runtime.h"

namespace vidrnn::ui {

namespace {

QString row(const QString& name, const QString& value) {
    return QStringLiteral("<tr><td>%1</td><td>%2</td></tr>")
        .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
}

}  // namespace

QString aboutText(const QString& storePath) {
    auto versions = componentVersions();
    const QString vidrnn = qs(versions.front().second);
    versions.erase(versions.begin());

    QString qt = QString::fromLatin1(qVersion());
    if (qt != QLatin1String(QT_VERSION_STR)) {
        qt += QCoreApplication::translate("About", " (built with %1)").arg(QT_VERSION_STR);
    }
    QString rows = row(QStringLiteral("Qt"), qt);
    for (const auto& [name, version] : versions) {
        rows += row(qs(name), qs(version));
    }
    rows += row(QStringLiteral("BLAS"), qs(runtimeInfo().blasLibrary));
    if (!storePath.isEmpty()) {
        rows += row(QCoreApplication::translate("About", "Run store"),
                    QDir::toNativeSeparators(QFileInfo(storePath).absoluteFilePath()));
    }
    rows += row(QCoreApplication::translate("About", "Feature cache"),
                QDir::toNativeSeparators(qs(defaultCacheDir())));

    return QCoreApplication::translate(
               "About",
               "<h3>vidrnn %1</h3><p>A workbench for recurrent networks (LSTM, GRU, ConvLSTM "
               "and more) over per-frame CNN features, for classifying action videos.</p>")
               .arg(vidrnn.toHtmlEscaped()) +
           QStringLiteral("<table cellspacing=\"4\">%1</table>").arg(rows);
}

}  // namespace vidrnn::ui
