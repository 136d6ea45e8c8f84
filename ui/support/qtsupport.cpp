#include "support/qtsupport.h"

#include <QLocale>

#include <cmath>
#include <iterator>

#include "vidrnn/features.h"
#include "vidrnn/models.h"

namespace vidrnn::ui {

QStringList toQStringList(const std::vector<std::string>& v) {
    QStringList out;
    out.reserve(static_cast<qsizetype>(v.size()));
    for (const auto& s : v) {
        out << qs(s);
    }
    return out;
}

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) {
        return QStringLiteral("—");
    }
    if (seconds < 60) {
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
    }
    const auto total = static_cast<long long>(std::llround(seconds));
    if (total < 3600) {
        return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
    }
    return QStringLiteral("%1 h %2 min")
        .arg(total / 3600)
        .arg((total % 3600) / 60, 2, 10, QChar('0'));
}

QString formatOptional(const std::optional<double>& v, int decimals) {
    return v ? QString::number(*v, 'f', decimals) : QStringLiteral("—");
}

QString formatCount(long long n) {
    return QLocale().toString(n);
}

QString runTypeLabel(const RunRecord& run) {
    QString name = qs(archDisplayName(run.arch));
    if (run.layers > 0 && run.layers != defaultLayers(run.arch)) {
        name += QStringLiteral(" ×%1").arg(run.layers);
    }
    if (run.input == "motion") {
        name += QStringLiteral(" on motion");
    }
    return name;
}

QString protocolLabel(const RunRecord& run) {
    if (run.kind == RunKind::Reference) {
        return QStringLiteral("unstated");
    }
    QString p = qs(run.protocol);
    if (run.protocol == "logo") {
        p += QStringLiteral(" fold %1").arg(run.fold.value_or(0));
    }
    if (run.leaking) {
        p += QStringLiteral(" (leaking)");
    }
    return p;
}

QString backboneLabel(const RunRecord& run) {
    if (run.kind == RunKind::Reference) {
        return QStringLiteral("report (pretrained)");
    }
    return qs(vidrnn::backboneLabel(run.backbone, run.pretrained));
}

QString runTitle(const RunRecord& run) {
    return QStringLiteral("run %1 · %2 h%3 · %4")
        .arg(run.id)
        .arg(runTypeLabel(run))
        .arg(run.hidden)
        .arg(protocolLabel(run));
}

QColor classColor(int index) {
    // Tableau 20 reordered so that neighbours differ strongly.
    static const QColor colors[] = {
        QColor(31, 119, 180),  QColor(255, 127, 14),  QColor(44, 160, 44),   QColor(214, 39, 40),
        QColor(148, 103, 189), QColor(140, 86, 75),   QColor(227, 119, 194), QColor(127, 127, 127),
        QColor(188, 189, 34),  QColor(23, 190, 207),  QColor(57, 59, 121),   QColor(255, 187, 120),
        QColor(152, 223, 138), QColor(255, 152, 150), QColor(197, 176, 213), QColor(196, 156, 148),
    };
    constexpr int n = static_cast<int>(sizeof(colors) / sizeof(colors[0]));
    return colors[((index % n) + n) % n];
}

QColor archColor(const std::string& arch) {
    // Okabe-Ito: told apart by colour-blind readers (and, with each
    // architecture's marker and line style, in greyscale).
    static const QColor okabeIto[] = {
        QColor(0, 114, 178),    // blue: lstm
        QColor(213, 94, 0),     // vermillion: gru
        QColor(0, 158, 115),    // bluish green: deep_lstm
        QColor(204, 121, 167),  // reddish purple: bilstm
        QColor(230, 159, 0),    // orange: convlstm
        QColor(0, 0, 0),        // black: mean_pool
        QColor(86, 180, 233),   // sky blue
    };
    const auto& archs = architectures();
    for (std::size_t i = 0; i < archs.size() && i < std::size(okabeIto); ++i) {
        if (archs[i] == arch) {
            return okabeIto[i];
        }
    }
    return QColor(110, 110, 110);
}

}  // namespace vidrnn::ui
