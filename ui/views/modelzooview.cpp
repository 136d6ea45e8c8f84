#include "views/modelzooview.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "support/qtsupport.h"
#include "vidrnn/models.h"
#include "work/background.h"

namespace vidrnn::ui {

namespace {
const QList<std::int64_t> kHiddenSizes = {64, 128, 256, 512};
}

ModelZooView::ModelZooView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Architectures of the study over 512-d frame features "
                                "(ConvLSTM: 512-channel maps), 11 classes."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    mTable = new QTableWidget(this);
    mTable->setObjectName("modelTable");
    layout->addWidget(mTable);

    const auto& archs = architectures();
    mTable->setColumnCount(1 + static_cast<int>(kHiddenSizes.size()));
    QStringList headers = {tr("Architecture")};
    for (auto h : kHiddenSizes) {
        headers << tr("hidden %1").arg(h);
    }
    mTable->setHorizontalHeaderLabels(headers);
    mTable->setRowCount(static_cast<int>(archs.size()));
    mTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    for (int row = 0; row < static_cast<int>(archs.size()); ++row) {
        mTable->setItem(
            row, 0,
            new QTableWidgetItem(qs(archDisplayName(archs[static_cast<std::size_t>(row)]))));
    }

    mWatcher = new QFutureWatcher<QVector<qint64>>(this);
    connect(mWatcher, &QFutureWatcher<QVector<qint64>>::finished, this,
            [this] { populate(mWatcher->result()); });
    mWatcher->setFuture(QtConcurrent::run(backgroundPool(), [] {
        lowerThreadPriority();
        QVector<qint64> counts;
        for (const auto& arch : architectures()) {
            for (auto h : kHiddenSizes) {
                ModelSpec spec;
                spec.arch = arch;
                spec.hidden = h;
                counts << static_cast<qint64>(parameterCount(spec));
            }
        }
        return counts;
    }));
}

ModelZooView::~ModelZooView() {
    mWatcher->waitForFinished();
}

void ModelZooView::populate(const QVector<qint64>& counts) {
    const int cols = static_cast<int>(kHiddenSizes.size());
    for (int i = 0; i < counts.size(); ++i) {
        auto* item = new QTableWidgetItem(QLocale().toString(counts[i]));
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        mTable->setItem(i / cols, i % cols + 1, item);
    }
    mReady = true;
    Q_EMIT ready();
}

}  // namespace vidrnn::ui
