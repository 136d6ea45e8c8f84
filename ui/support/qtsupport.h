// Small conversions between the engine's std types and Qt, shared by the views.
#pragma once

#include <QColor>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

#include "vidrnn/features.h"
#include "vidrnn/store.h"
#include "vidrnn/trainer.h"

namespace vidrnn::ui {

inline QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
inline std::string ss(const QString& s) {
    return s.toStdString();
}

QStringList toQStringList(const std::vector<std::string>& v);

// "12.3 s", "4 min 05 s", "1 h 02 min".
QString formatDuration(double seconds);
// "0.763" or "—" when empty.
QString formatOptional(const std::optional<double>& v, int decimals = 3);
// "1,581,579" in the current locale.
QString formatCount(long long n);

// The study's name for an architecture plus the layer count where it is not
// the default, and the input where it is motion ("LSTM", "Deep LSTM (2
// layers)", "GRU ×3", "LSTM on motion").
QString runTypeLabel(const RunRecord& run);
// "random (leaking)", "logo fold 3", "groups", "unstated".
QString protocolLabel(const RunRecord& run);
// "MobileNetV2 (ImageNet, pretrained)", "resnet18 (not pretrained)", "model.pt
// (pretrained)", "report (pretrained)" for reference rows.
QString backboneLabel(const RunRecord& run);
// "run 12 · GRU h256 · groups".
QString runTitle(const RunRecord& run);

// A fixed qualitative palette: class k always gets the same colour.
QColor classColor(int index);
// One colour per architecture (in architectures() order), for charts.
QColor archColor(const std::string& arch);

}  // namespace vidrnn::ui

Q_DECLARE_METATYPE(vidrnn::BatchProgress)
Q_DECLARE_METATYPE(vidrnn::EpochRecord)
Q_DECLARE_METATYPE(vidrnn::ExtractProgress)
Q_DECLARE_METATYPE(vidrnn::VideoPrediction)
