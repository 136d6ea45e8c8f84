#include "models/runsmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include "support/qtsupport.h"

namespace vidrnn::ui {

RunsModel::RunsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsModel::setRuns(std::vector<RunRecord> runs) {
    beginResetModel();
    mRuns = std::move(runs);
    endResetModel();
}

const RunRecord* RunsModel::runAt(int row) const {
    return row >= 0 && row < static_cast<int>(mRuns.size()) ? &mRuns[static_cast<std::size_t>(row)]
                                                            : nullptr;
}

int RunsModel::rowOfId(qint64 id) const {
    for (std::size_t i = 0; i < mRuns.size(); ++i) {
        if (mRuns[i].id == id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

int RunsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(mRuns.size());
}

int RunsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

QVariant optionalNumber(const std::optional<double>& v) {
    return v ? QVariant(*v) : QVariant(-1.0);
}

QString statusText(const RunRecord& r) {
    return r.kind == RunKind::Reference ? QStringLiteral("reference") : qs(toString(r.status));
}

}  // namespace

QVariant RunsModel::data(const QModelIndex& index, int role) const {
    const RunRecord* r = runAt(index.row());
    if (!r) {
        return {};
    }
    const bool reference = r->kind == RunKind::Reference;
    switch (role) {
        case IdRole:
            return QVariant::fromValue(static_cast<qlonglong>(r->id));
        case Qt::DisplayRole:
            switch (index.column()) {
                case ColId:
                    return QVariant::fromValue(static_cast<qlonglong>(r->id));
                case ColType:
                    return runTypeLabel(*r);
                case ColHidden:
                    return r->hidden;
                case ColParams:
                    return r->params ? formatCount(r->params) : QString();
                case ColTrainTime:
                    return r->trainSeconds ? QString::number(*r->trainSeconds, 'f', 2) : QString();
                case ColAccuracy:
                    return r->accuracy ? QString::number(*r->accuracy, 'f', 3) : QString();
                case ColMacroF1:
                    return r->macroF1 ? QString::number(*r->macroF1, 'f', 3) : QString();
                case ColStatus:
                    return statusText(*r);
                case ColProtocol:
                    return protocolLabel(*r);
                case ColBackbone:
                    return backboneLabel(*r);
                case ColPrecision:
                    return qs(r->precision);
                case ColEpochs:
                    return r->bestEpoch ? QStringLiteral("%1").arg(*r->bestEpoch) : QString();
                case ColSeed:
                    return reference ? QVariant() : QVariant(r->seed);
                case ColCreated:
                    return qs(r->createdAt).replace('T', ' ').remove('Z');
                case ColNote:
                    return qs(r->note);
                default:
                    return {};
            }
        case SortRole:
            switch (index.column()) {
                case ColId:
                    return QVariant::fromValue(static_cast<qlonglong>(r->id));
                case ColHidden:
                    return r->hidden;
                case ColParams:
                    return QVariant::fromValue(static_cast<qlonglong>(r->params));
                case ColTrainTime:
                    return optionalNumber(r->trainSeconds);
                case ColAccuracy:
                    return optionalNumber(r->accuracy);
                case ColMacroF1:
                    return optionalNumber(r->macroF1);
                case ColEpochs:
                    return r->bestEpoch.value_or(-1);
                case ColSeed:
                    return r->seed;
                default:
                    return data(index, Qt::DisplayRole);
            }
        case Qt::ToolTipRole:
            if (index.column() == ColStatus && !r->message.empty()) {
                return qs(r->message);
            }
            if (index.column() == ColProtocol && r->leaking) {
                return tr(
                    "Random clip-level split: clips of one group are on both sides, so "
                    "accuracy is inflated.");
            }
            if (index.column() == ColEpochs) {
                return tr("Best epoch (weights restored)");
            }
            if (index.column() == ColPrecision && !reference) {
                return tr("What the run computed in (fp32, or bf16 mixed precision)");
            }
            if (reference) {
                return tr("Published row of the study (single run, split not stated)");
            }
            return {};
        case Qt::TextAlignmentRole:
            switch (index.column()) {
                case ColId:
                case ColHidden:
                case ColParams:
                case ColTrainTime:
                case ColAccuracy:
                case ColMacroF1:
                case ColEpochs:
                case ColSeed:
                    return int(Qt::AlignRight | Qt::AlignVCenter);
                default:
                    return {};
            }
        case Qt::FontRole:
            if (reference) {
                QFont f;
                f.setItalic(true);
                return f;
            }
            return {};
        case Qt::ForegroundRole:
            if (index.column() == ColStatus) {
                switch (r->status) {
                    case RunStatus::Completed:
                        return QBrush(QColor(30, 130, 50));
                    case RunStatus::Failed:
                        return QBrush(QColor(190, 30, 30));
                    case RunStatus::Running:
                        return QBrush(QColor(20, 110, 200));
                    case RunStatus::Cancelled:
                    case RunStatus::Interrupted:
                        return QBrush(QColor(170, 110, 0));
                    default:
                        return {};
                }
            }
            if (index.column() == ColProtocol && r->leaking) {
                return QBrush(QColor(190, 30, 30));
            }
            return {};
        case Qt::BackgroundRole:
            return reference ? QBrush(QColor(245, 242, 230)) : QVariant();
        default:
            return {};
    }
}

QVariant RunsModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::ToolTipRole && section == ColMacroF1) {
        return tr("Unweighted mean of per-class F1 (the study's \"avg. F1\")");
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case ColId:
            return tr("Run");
        case ColType:
            return tr("Type");
        case ColHidden:
            return tr("Hidden");
        case ColParams:
            return tr("Parameters");
        case ColTrainTime:
            return tr("Training time (s)");
        case ColAccuracy:
            return tr("Accuracy");
        case ColMacroF1:
            return tr("Macro F1");
        case ColStatus:
            return tr("Status");
        case ColProtocol:
            return tr("Protocol");
        case ColBackbone:
            return tr("Backbone");
        case ColPrecision:
            return tr("Precision");
        case ColEpochs:
            return tr("Best epoch");
        case ColSeed:
            return tr("Seed");
        case ColCreated:
            return tr("Created (UTC)");
        case ColNote:
            return tr("Note");
        default:
            return {};
    }
}

RunsFilter::RunsFilter(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(RunsModel::SortRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void RunsFilter::setText(const QString& text) {
    mText = text.trimmed();
    invalidateFilter();
}

void RunsFilter::setStatus(const QString& status) {
    mStatus = status;
    invalidateFilter();
}

void RunsFilter::setShowReference(bool show) {
    mShowReference = show;
    invalidateFilter();
}

bool RunsFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
    const auto* m = static_cast<const RunsModel*>(sourceModel());
    const RunRecord* r = m->runAt(row);
    if (!r) {
        return false;
    }
    const bool reference = r->kind == RunKind::Reference;
    if (reference && !mShowReference) {
        return false;
    }
    if (!mStatus.isEmpty() &&
        (reference ? QStringLiteral("reference") : qs(toString(r->status))) != mStatus) {
        return false;
    }
    if (mText.isEmpty()) {
        return true;
    }
    // Every word must match some column ("gru 256 groups").
    const auto words = mText.split(' ', Qt::SkipEmptyParts);
    for (const auto& w : words) {
        bool found = false;
        for (int c = 0; c < RunsModel::ColumnCount && !found; ++c) {
            found = m->index(row, c, parent).data().toString().contains(w, Qt::CaseInsensitive);
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

}  // namespace vidrnn::ui
