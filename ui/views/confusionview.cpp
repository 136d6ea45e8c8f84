#include "views/confusionview.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "widgets/exportdialog.h"
#include "charts/plotsupport.h"
#include "support/qtsupport.h"
#include "widgets/runchooser.h"
#include "models/storesession.h"

namespace vidrnn::ui {

namespace {

QTableWidgetItem* numberItem(const QString& text, double sortValue) {
    auto* item = new QTableWidgetItem(text);
    item->setData(Qt::UserRole, sortValue);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableWidget* makeTable(QWidget* parent, const QStringList& headers, const char* name) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->verticalHeader()->setVisible(false);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAlternatingRowColors(true);
    t->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(t, &QWidget::customContextMenuRequested, t, [t, name](const QPoint& pos) {
        QMenu menu(t);
        menu.addAction(QObject::tr("Export table…"), t, [t, name] {
            ExportDialog::exportTable(t, t->model(), QString::fromLatin1(name));
        });
        menu.exec(t->viewport()->mapToGlobal(pos));
    });
    return t;
}

}  // namespace

ConfusionView::ConfusionView(StoreSession* session, QWidget* parent)
    : QWidget(parent), mSession(session) {
    mRunChooser = new RunChooser(session, this);
    mRunChooser->setObjectName("confusionRun");
    mRunChooser->setMinimumWidth(mRunChooser->fontMetrics().averageCharWidth() * 48);
    mMode = new QComboBox(this);
    mMode->setObjectName("confusionMode");
    mMode->addItem(tr("Counts"));
    mMode->addItem(tr("Row-normalised (recall)"));
    mSummary = new QLabel(this);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Run:"), this));
    top->addWidget(mRunChooser);
    top->addWidget(mMode);
    top->addWidget(mSummary, 1);

    mPlot = makePlot(this, QString(), tr("predicted"), tr("true class"));
    mPlot->setObjectName("confusion-matrix");
    mPlot->legend->setVisible(false);
    mPlot->axisRect()->setupFullAxesBox(false);
    mMap = new QCPColorMap(mPlot->xAxis, mPlot->yAxis);
    mMap->setInterpolate(false);
    // Cell k spans [k - 0.5, k + 0.5] (no tight boundary), so axis ticks sit on cell centres.
    mMap->setTightBoundary(false);
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0, QColor(247, 251, 255));
    gradient.setColorStopAt(0.35, QColor(158, 202, 225));
    gradient.setColorStopAt(0.7, QColor(49, 130, 189));
    gradient.setColorStopAt(1, QColor(8, 48, 107));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    mMap->setGradient(gradient);
    mScale = new QCPColorScale(mPlot);
    mPlot->plotLayout()->addElement(0, 1, mScale);
    mScale->setType(QCPAxis::atRight);
    mScale->setBarWidth(12);
    mMap->setColorScale(mScale);
    mScale->setGradient(gradient);  // linking gives the map the scale's gradient
    auto* margins = new QCPMarginGroup(mPlot);
    mPlot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    mScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    // Rotated labels that would cross the widget's edge are not drawn: leave room.
    mPlot->axisRect()->setMinimumMargins(QMargins(0, 0, 40, 0));
    mPlot->yAxis->setRangeReversed(true);
    mSelection = new QCPItemRect(mPlot);
    mSelection->setPen(QPen(QColor(230, 60, 20), 3));
    mSelection->setVisible(false);

    mClassTable = makeTable(
        this,
        {tr("Class"), tr("Support"), tr("Predicted"), tr("Precision"), tr("Recall"), tr("F1")},
        "per-class-metrics");
    mClipsTitle = new QLabel(tr("Click a cell to list its clips."), this);
    mClips =
        makeTable(this, {tr("Clip"), tr("True"), tr("Predicted"), tr("Confidence")}, "cell-clips");
    auto* clipsBox = new QWidget(this);
    auto* clipsLayout = new QVBoxLayout(clipsBox);
    clipsLayout->setContentsMargins(0, 0, 0, 0);
    clipsLayout->addWidget(mClipsTitle);
    clipsLayout->addWidget(mClips, 1);
    auto* open = new QPushButton(tr("Open clip in scrubber"), clipsBox);
    clipsLayout->addWidget(open);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(mClassTable);
    right->addWidget(clipsBox);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName("confusionSplitter");
    splitter->addWidget(mPlot);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({720, 520});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    connect(mRunChooser, &RunChooser::runChosen, this, [this](qint64 id) {
        if (id != mRunId) {
            setRunId(id);
        }
    });
    connect(mMode, &QComboBox::currentIndexChanged, this, &ConfusionView::drawMatrix);
    connect(mPlot, &QCustomPlot::mousePress, this, &ConfusionView::onPlotClick);
    auto openCurrent = [this] {
        const int row = mClips->currentRow();
        if (row >= 0) {
            Q_EMIT openClip(mClips->item(row, 0)->data(Qt::UserRole).toString(), mRunId);
        }
    };
    connect(mClips, &QTableWidget::cellDoubleClicked, this, openCurrent);
    connect(open, &QPushButton::clicked, this, openCurrent);
}

void ConfusionView::setRunId(qint64 id) {
    mRunChooser->setRunId(id);
    mRunId = mRunChooser->runId();
    load();
}

void ConfusionView::setNormalised(bool rowNormalised) {
    mMode->setCurrentIndex(rowNormalised ? 1 : 0);
}

void ConfusionView::load() {
    mClasses.clear();
    mConfusion.clear();
    mMetrics.clear();
    mPredictions.clear();
    mTruth = mPredicted = -1;
    mClips->setRowCount(0);
    mClipsTitle->setText(tr("Click a cell to list its clips."));
    const auto run = mSession->run(mRunId);
    if (run && mSession->store()) {
        mClasses = run->classNames;
        try {
            mConfusion = mSession->store()->confusion(mRunId);
            mMetrics = mSession->store()->classMetrics(mRunId);
            mPredictions = mSession->store()->predictions(mRunId);
        } catch (const std::exception& e) {
            mSummary->setText(qs(e.what()));
        }
        mSummary->setText(tr("accuracy %1 · macro F1 %2 · %3 test clips · %4")
                              .arg(formatOptional(run->accuracy), formatOptional(run->macroF1))
                              .arg(run->testCount.value_or(0))
                              .arg(backboneLabel(*run)));
    } else {
        mSummary->setText(tr("No completed run selected."));
    }
    drawMatrix();
    fillClassTable();
}

void ConfusionView::drawMatrix() {
    mPlot->clearItems();
    mSelection = new QCPItemRect(mPlot);
    mSelection->setPen(QPen(QColor(230, 60, 20), 3));
    mSelection->setVisible(false);
    const int n = static_cast<int>(mConfusion.size());
    const bool normalised = mMode->currentIndex() == 1;
    mMap->data()->setSize(std::max(n, 1), std::max(n, 1));
    mMap->data()->setRange(QCPRange(0, std::max(n - 1, 0)), QCPRange(0, std::max(n - 1, 0)));
    QSharedPointer<QCPAxisTickerText> xt(new QCPAxisTickerText), yt(new QCPAxisTickerText);
    QFont cellFont = font();
    cellFont.setPointSizeF(n > 12 ? 7.5 : 9);
    double maxValue = 0;
    for (int t = 0; t < n; ++t) {
        const auto& row = mConfusion[static_cast<std::size_t>(t)];
        std::int64_t rowSum = 0;
        for (auto v : row) {
            rowSum += v;
        }
        for (int p = 0; p < n && p < static_cast<int>(row.size()); ++p) {
            const auto count = row[static_cast<std::size_t>(p)];
            const double value =
                normalised ? (rowSum ? double(count) / double(rowSum) : 0.0) : double(count);
            mMap->data()->setCell(p, t, value);
            maxValue = std::max(maxValue, value);
        }
    }
    for (int t = 0; t < n; ++t) {
        const QString name = t < static_cast<int>(mClasses.size())
                                 ? qs(mClasses[static_cast<std::size_t>(t)])
                                 : QString::number(t);
        xt->addTick(t, name);
        yt->addTick(t, name);
        const auto& row = mConfusion[static_cast<std::size_t>(t)];
        for (int p = 0; p < n && n <= 30; ++p) {
            const double value = mMap->data()->cell(p, t);
            if (row[static_cast<std::size_t>(p)] == 0) {
                continue;
            }
            auto* text = new QCPItemText(mPlot);
            text->position->setCoords(p, t);
            text->setText(normalised ? QString::number(value, 'f', 2)
                                     : QString::number(value, 'f', 0));
            text->setFont(cellFont);
            text->setColor(value > 0.55 * maxValue ? Qt::white : Qt::black);
            text->setClipToAxisRect(true);
        }
    }
    mMap->setDataRange(QCPRange(0, normalised ? 1.0 : (maxValue > 0 ? maxValue : 1)));
    mScale->axis()->setLabel(normalised ? tr("fraction of the true class") : tr("clips"));
    if (normalised) {
        mScale->axis()->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    } else {
        setIntegerTicks(mScale->axis());
    }
    mPlot->xAxis->setTicker(xt);
    mPlot->yAxis->setTicker(yt);
    mPlot->xAxis->setTickLabelRotation(n > 6 ? 40 : 0);
    mPlot->xAxis->setSubTicks(false);
    mPlot->yAxis->setSubTicks(false);
    mPlot->xAxis->grid()->setVisible(false);
    mPlot->yAxis->grid()->setVisible(false);
    mPlot->xAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    mPlot->yAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    if (mTruth >= 0) {
        selectCell(mTruth, mPredicted);
    }
    mPlot->replot();
}

void ConfusionView::fillClassTable() {
    mClassTable->setSortingEnabled(false);
    mClassTable->setRowCount(static_cast<int>(mMetrics.size()));
    auto opt = [](const std::optional<double>& v) {
        return numberItem(v ? QString::number(*v, 'f', 3) : QStringLiteral("—"), v.value_or(-1));
    };
    for (int i = 0; i < static_cast<int>(mMetrics.size()); ++i) {
        const auto& m = mMetrics[static_cast<std::size_t>(i)];
        auto* name =
            new QTableWidgetItem(qs(m.name) + (m.metrics.absent() ? tr(" (absent)") : QString()));
        name->setData(Qt::DecorationRole, classColor(m.index));
        mClassTable->setItem(i, 0, name);
        mClassTable->setItem(
            i, 1, numberItem(QString::number(m.metrics.support), double(m.metrics.support)));
        mClassTable->setItem(
            i, 2, numberItem(QString::number(m.metrics.predicted), double(m.metrics.predicted)));
        mClassTable->setItem(i, 3, opt(m.metrics.precision));
        mClassTable->setItem(i, 4, opt(m.metrics.recall));
        mClassTable->setItem(i, 5, opt(m.metrics.f1));
    }
    mClassTable->resizeColumnsToContents();
}

QPoint ConfusionView::cellCenter(int truth, int predicted) const {
    return QPoint(static_cast<int>(mPlot->xAxis->coordToPixel(predicted)),
                  static_cast<int>(mPlot->yAxis->coordToPixel(truth)));
}

void ConfusionView::onPlotClick(QMouseEvent* event) {
    const int n = static_cast<int>(mConfusion.size());
    if (n == 0 || !mPlot->axisRect()->rect().contains(event->pos())) {
        return;
    }
    const int p = static_cast<int>(std::lround(mPlot->xAxis->pixelToCoord(event->pos().x())));
    const int t = static_cast<int>(std::lround(mPlot->yAxis->pixelToCoord(event->pos().y())));
    if (p >= 0 && p < n && t >= 0 && t < n) {
        selectCell(t, p);
    }
}

void ConfusionView::selectCell(int truth, int predicted) {
    mTruth = truth;
    mPredicted = predicted;
    mSelection->topLeft->setCoords(predicted - 0.5, truth - 0.5);
    mSelection->bottomRight->setCoords(predicted + 0.5, truth + 0.5);
    mSelection->setVisible(true);
    mPlot->replot();
    auto name = [this](int k) {
        return k >= 0 && k < static_cast<int>(mClasses.size())
                   ? qs(mClasses[static_cast<std::size_t>(k)])
                   : QString::number(k);
    };
    mClips->setSortingEnabled(false);
    mClips->setRowCount(0);
    for (const auto& pr : mPredictions) {
        if (pr.truth != truth || pr.predicted != predicted) {
            continue;
        }
        const int row = mClips->rowCount();
        mClips->insertRow(row);
        auto* clip = new QTableWidgetItem(QFileInfo(qs(pr.clip)).fileName());
        clip->setData(Qt::UserRole, qs(pr.clip));
        clip->setToolTip(qs(pr.clip));
        mClips->setItem(row, 0, clip);
        mClips->setItem(row, 1, new QTableWidgetItem(name(pr.truth)));
        mClips->setItem(row, 2, new QTableWidgetItem(name(pr.predicted)));
        const auto p = static_cast<std::size_t>(pr.predicted);
        const double conf = p < pr.probabilities.size() ? pr.probabilities[p] : -1;
        mClips->setItem(
            row, 3,
            numberItem(conf >= 0 ? QString::number(conf, 'f', 3) : QStringLiteral("—"), conf));
    }
    mClips->resizeColumnsToContents();
    mClipsTitle->setText(tr("%n clip(s) of %1 predicted as %2:", nullptr, mClips->rowCount())
                             .arg(name(truth), name(predicted)));
}

}  // namespace vidrnn::ui
