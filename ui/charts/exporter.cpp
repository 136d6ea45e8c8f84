#include "charts/exporter.h"

#include <QAbstractItemModel>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include "charts/qcp.h"

namespace vidrnn::ui {

namespace {

QString suffixOf(const QString& file) {
    return QFileInfo(file).suffix().toLower();
}

QString failure(const QString& file, const QString& reason) {
    return QStringLiteral("%1: %2").arg(file, reason);
}

QString csvField(QString s) {
    if (s.contains(',') || s.contains('"') || s.contains('\n')) {
        s.replace('"', QStringLiteral("\"\""));
        return '"' + s + '"';
    }
    return s;
}

QString markdownField(QString s) {
    s.replace('|', QStringLiteral("\\|"));
    s.replace('\n', ' ');
    return s;
}

QString latexField(const QString& s) {
    QString out;
    for (const QChar c : s) {
        switch (c.unicode()) {
            case '\\':
                out += QStringLiteral("\\textbackslash{}");
                break;
            case '&':
            case '%':
            case '$':
            case '#':
            case '_':
            case '{':
            case '}':
                out += '\\';
                out += c;
                break;
            case '~':
                out += QStringLiteral("\\textasciitilde{}");
                break;
            case '^':
                out += QStringLiteral("\\textasciicircum{}");
                break;
            case 0x00B1:
                out += QStringLiteral("$\\pm$");
                break;  // ±
            case 0x2014:
                out += QStringLiteral("---");
                break;  // —
            case 0x00D7:
                out += QStringLiteral("$\\times$");
                break;  // ×
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

bool isChartFile(const QString& file) {
    const auto s = suffixOf(file);
    return s == "png" || s == "svg" || s == "pdf";
}

bool tableFormatForFile(const QString& file, TableFormat* format) {
    const auto s = suffixOf(file);
    if (s == "csv") {
        *format = TableFormat::Csv;
    } else if (s == "md" || s == "markdown") {
        *format = TableFormat::Markdown;
    } else if (s == "tex" || s == "latex") {
        *format = TableFormat::Latex;
    } else {
        return false;
    }
    return true;
}

QString exportChart(QCustomPlot* plot, const QString& file, int width, int height) {
    const int w = width > 0 ? width : plot->width();
    const int h = height > 0 ? height : plot->height();
    const auto suffix = suffixOf(file);
    bool ok = false;
    if (suffix == "png") {
        ok = plot->savePng(file, w, h);
    } else if (suffix == "pdf") {
        ok = plot->savePdf(file, w, h);
    } else if (suffix == "svg") {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setTitle(QFileInfo(file).completeBaseName());
        svg.setDescription(QStringLiteral("vidrnn workbench chart"));
        QCPPainter painter;
        if (painter.begin(&svg)) {
            plot->toPainter(&painter, w, h);
            ok = painter.end();
        }
    } else {
        return failure(file,
                       QObject::tr("unknown chart format '%1' (use png, svg or pdf)").arg(suffix));
    }
    if (!ok || !QFileInfo(file).exists() || QFileInfo(file).size() == 0) {
        return failure(file, QObject::tr("cannot be written"));
    }
    return {};
}

QString exportWidget(QWidget* widget, const QString& file, int width, int height) {
    const QSize size(width > 0 ? width : widget->width(), height > 0 ? height : widget->height());
    const QSize old = widget->size();
    const auto suffix = suffixOf(file);
    bool ok = false;
    widget->resize(size);
    if (suffix == "png") {
        QImage image(size, QImage::Format_ARGB32);
        image.fill(Qt::white);
        widget->render(&image);
        ok = image.save(file, "PNG");
    } else if (suffix == "svg") {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        QPainter painter;
        if (painter.begin(&svg)) {
            widget->render(&painter);
            ok = painter.end();
        }
    } else if (suffix == "pdf") {
        QPdfWriter pdf(file);
        pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(72);
        QPainter painter;
        if (painter.begin(&pdf)) {
            widget->render(&painter);
            ok = painter.end();
        }
    } else {
        widget->resize(old);
        return failure(file,
                       QObject::tr("unknown chart format '%1' (use png, svg or pdf)").arg(suffix));
    }
    widget->resize(old);
    if (!ok || QFileInfo(file).size() == 0) {
        return failure(file, QObject::tr("cannot be written"));
    }
    return {};
}

QString tableText(const QAbstractItemModel* model, TableFormat format, const QString& caption) {
    const int cols = model->columnCount();
    const int rows = model->rowCount();
    auto header = [&](int c) {
        return model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    };
    auto cell = [&](int r, int c) { return model->index(r, c).data(Qt::DisplayRole).toString(); };
    QString out;
    if (format == TableFormat::Csv) {
        QStringList fields;
        for (int c = 0; c < cols; ++c) {
            fields << csvField(header(c));
        }
        out += fields.join(',') + '\n';
        for (int r = 0; r < rows; ++r) {
            fields.clear();
            for (int c = 0; c < cols; ++c) {
                fields << csvField(cell(r, c));
            }
            out += fields.join(',') + '\n';
        }
    } else if (format == TableFormat::Markdown) {
        if (!caption.isEmpty()) {
            out += caption + "\n\n";
        }
        QStringList fields, rule;
        for (int c = 0; c < cols; ++c) {
            fields << markdownField(header(c));
            rule << QStringLiteral("---");
        }
        out += "| " + fields.join(" | ") + " |\n|" + rule.join('|') + "|\n";
        for (int r = 0; r < rows; ++r) {
            fields.clear();
            for (int c = 0; c < cols; ++c) {
                fields << markdownField(cell(r, c));
            }
            out += "| " + fields.join(" | ") + " |\n";
        }
    } else {
        out += QStringLiteral("\\begin{table}[ht]\n\\centering\n\\begin{tabular}{%1}\n\\hline\n")
                   .arg(QString(cols, 'l'));
        QStringList fields;
        for (int c = 0; c < cols; ++c) {
            fields << latexField(header(c));
        }
        out += fields.join(" & ") + " \\\\\n\\hline\n";
        for (int r = 0; r < rows; ++r) {
            fields.clear();
            for (int c = 0; c < cols; ++c) {
                fields << latexField(cell(r, c));
            }
            out += fields.join(" & ") + " \\\\\n";
        }
        out += "\\hline\n\\end{tabular}\n";
        if (!caption.isEmpty()) {
            out += "\\caption{" + latexField(caption) + "}\n";
        }
        out += "\\end{table}\n";
    }
    return out;
}

QString writeTextFile(const QString& file, const QString& text) {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Text)) {
        return failure(file, out.errorString());
    }
    out.write(text.toUtf8());
    if (!out.commit()) {
        return failure(file, out.errorString());
    }
    return {};
}

}  // namespace vidrnn::ui
