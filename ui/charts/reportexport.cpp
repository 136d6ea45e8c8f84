#include "charts/reportexport.h"

#include <QDateTime>
#include <QDir>

#include "views/compareview.h"
#include "charts/exporter.h"
#include "support/qtsupport.h"
#include "vidrnn/report.h"

namespace vidrnn::ui {

QString exportReport(const QString& folder, CompareView* compare, QStringList* written) {
    QDir dir(folder);
    if (!dir.exists() && !QDir().mkpath(folder)) {
        return QObject::tr("%1: cannot create the folder").arg(folder);
    }
    compare->ensureCurrent();
    QStringList files;
    QString index = QStringLiteral("# vidrnn report\n\n");
    index += QObject::tr("Written %1 from %2 runs.\n\n")
                 .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))
                 .arg(compare->runs().size());
    const auto report = buildReport(compare->runs());
    const struct {
        const char* file;
        ReportFormat format;
    } tables[] = {{"table.md", ReportFormat::Markdown},
                  {"table.csv", ReportFormat::Csv},
                  {"table.tex", ReportFormat::Latex}};
    for (const auto& t : tables) {
        const QString path = dir.filePath(QString::fromLatin1(t.file));
        const QString error = writeTextFile(path, qs(formatReport(report, t.format)));
        if (!error.isEmpty()) {
            return error;
        }
        files << path;
    }
    index += QObject::tr("## Results\n\n") + qs(formatReport(report, ReportFormat::Markdown)) +
             "\n\n" +
             QObject::tr("Also as [CSV](table.csv) and [LaTeX](table.tex).\n\n## Charts\n\n");
    for (const auto& [name, plot] : compare->charts()) {
        for (const char* suffix : {"png", "svg", "pdf"}) {
            const QString path = dir.filePath(name + '.' + QString::fromLatin1(suffix));
            const QString error = exportChart(plot, path, 1000, 620);
            if (!error.isEmpty()) {
                return error;
            }
            files << path;
        }
        index += QStringLiteral("![%1](%1.png)\n\n[SVG](%1.svg) · [PDF](%1.pdf)\n\n").arg(name);
    }
    const QString indexPath = dir.filePath("index.md");
    const QString error = writeTextFile(indexPath, index);
    if (!error.isEmpty()) {
        return error;
    }
    files << indexPath;
    if (written) {
        *written = files;
    }
    return {};
}

}  // namespace vidrnn::ui
