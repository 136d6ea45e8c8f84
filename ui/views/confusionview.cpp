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

#include <functional>

#include "charts/chartlayout.h"
#include "charts/exportdialog.h"
#include "charts/plotsupport.h"
#include "models/storesession.h"
#include "support/qtsupport.h"
#include "vidrnn/models.h"
#include "widgets/runchooser.h"

namespace vidrnn::ui {

namespace {

QTableWidgetItem* numberItem(const QString& text, double sortValue) {
    auto* item = new QTableWidgetItem(text);
    item->setData(Qt::UserRole, sortValue);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// Blues, light to dark.
QCPColorGradient cellGradient() {
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0, QColor(247, 251, 255));
    gradient.setColorStopAt(0.35, QColor(158, 202, 225));
    gradient.setColorStopAt(0.7, QColor(49, 130, 189));
    gradient.setColorStopAt(1, QColor(8, 48, 107));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    return gradient;
}

// A filled rectangle in plot coordinates of the given axes.
QCPItemRect* cellRect(QCustomPlot* plot, QCPAxis* x, QCPAxis* y, QRectF r, const QColor& fill) {
    auto* item = new QCPItemRect(plot);
    item->topLeft->setAxes(x, y);
    item->bottomRight->setAxes(x, y);
    item->setClipAxisRect(x->axisRect());
    item->topLeft->setCoords(r.left(), r.top());
    item->bottomRight->setCoords(r.right(), r.bottom());
    item->setPen(QPen(fill, 0.6));
    item->setBrush(fill);
    item->setSelectable(false);
    return item;
}

QTableWidget* makeTable(QWidget* parent, const QStringList& headers, const char* name,
                        std::function<QString()> caption = {}) {
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
    QObject::connect(t, &QWidget::customContextMenuRequested, t,
                     [t, name, caption](const QPoint& pos) {
                         QMenu menu(t);
                         menu.addAction(QObject::tr("Export table…"), t, [t, name, caption] {
                             ExportDialog::exportTable(t, t->model(), QString::fromLatin1(name),
                                                       caption ? caption() : QString());
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

    mPlot = makePlot(this, tr("Confusion matrix"), tr("predicted class"), tr("true class"));
    mPlot->setObjectName("confusion-matrix");
    mPlot->legend->setVisible(false);
    // No legend row: the matrix and its colour scale take the room below the title.
    mPlot->plotLayout()->take(mPlot->legend);
    mPlot->plotLayout()->simplify();
    mPlot->axisRect()->setupFullAxesBox(false);
    markMatrix(mPlot);
    // The colour scale: its own axes beside the matrix, drawn as rectangles.
    // Matrix and scale share a grid under the title, so the title spans both.
    mBar = new QCPAxisRect(mPlot, false);
    mBar->addAxis(QCPAxis::atBottom)->setVisible(false);
    mBar->addAxis(QCPAxis::atRight);
    mBar->axis(QCPAxis::atBottom)->setRange(0, 1);
    mBar->axis(QCPAxis::atBottom)->grid()->setVisible(false);
    mBar->axis(QCPAxis::atRight)->grid()->setVisible(false);
    mBar->axis(QCPAxis::atRight)->setLabelFont(mPlot->yAxis->labelFont());
    mBar->axis(QCPAxis::atRight)->setTickLabelFont(mPlot->yAxis->tickLabelFont());
    mBar->setMinimumSize(12, 40);
    mBar->setMaximumSize(12, QWIDGETSIZE_MAX);
    auto* matrixRow = new QCPLayoutGrid;
    QCPAxisRect* cells = mPlot->axisRect();
    const int cellsRow = mPlot->plotLayout()->rowCount() - 1;
    mPlot->plotLayout()->take(cells);
    mPlot->plotLayout()->addElement(cellsRow, 0, matrixRow);
    matrixRow->addElement(0, 0, cells);
    matrixRow->addElement(0, 1, mBar);
    matrixRow->setColumnStretchFactor(1, 0.001);
    matrixRow->setColumnSpacing(8);
    auto* margins = new QCPMarginGroup(mPlot);
    cells->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    mBar->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    mXTicks.reset(new CategoryTicker);
    mYTicks.reset(new CategoryTicker);
    mPlot->xAxis->setTicker(mXTicks);
    mPlot->yAxis->setTicker(mYTicks);
    mPlot->yAxis->setRangeReversed(true);

    mClassTable = makeTable(this,
                            {tr("Class"), tr("Support"), tr("Predicted"), tr("Precision"),
                             // Short: exported at a paper's text width; the caption says them.
                             tr("Recall"), tr("F1"), tr("Shuffled"), tr("Reliance")},
                            "per-class-metrics", [this] { return classTableCaption(); });
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
    mEarly = makePlot(this, tr("Early classification"),
                      tr("fraction of the clip seen (frames k/T)"), tr("test accuracy"));
    mEarly->setObjectName("early-classification-run");
    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(mPlot);
    left->addWidget(mEarly);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName("confusionSplitter");
    splitter->addWidget(left);
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
    drawMatrix();
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
    mOrder.reset();
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
            mOrder = mSession->store()->orderDiagnostics(mRunId);
        } catch (const std::exception& e) {
            mSummary->setText(qs(e.what()));
        }
        mSummary->setText(tr("accuracy %1 · macro F1 %2 · %3 test clips · %4 · order reliance %5")
                              .arg(formatOptional(run->accuracy), formatOptional(run->macroF1))
                              .arg(run->testCount.value_or(0))
                              .arg(backboneLabel(*run))
                              .arg(formatOptional(run->orderReliance)));
    } else {
        mSummary->setText(tr("No completed run selected."));
    }
    drawMatrix();
    fillClassTable();
    drawEarly(run);
}

// Reads two runs' curves by key and, for the control, the sweep's runs (an
// indexed lookup bounded by the sweep's size), never the whole store.
void ConfusionView::drawEarly(const std::optional<RunRecord>& run) {
    mEarly->clearPlottables();
    mHasEarlyCurve = false;
    RunStore* store = mSession->store();
    QString title = tr("Early classification");
    if (run && store) {
        try {
            const auto curve = store->earlyCurve(run->id);
            mHasEarlyCurve = !curve.empty();
            auto* g = addArchGraph(mEarly, runTitle(*run), run->arch);
            for (const EarlyPoint& p : curve)
                g->addData(p.fraction, p.accuracy);
            if (curve.empty()) {
                title = tr("Early classification: run %1 has no curve (stored before this "
                           "version, or bilstm)")
                            .arg(run->id);
            } else {
                title = tr("Early classification of run %1").arg(run->id);
            }
            if (run->sweepId && !isOrderBlindArch(run->arch) && !orderBlindControl().empty()) {
                RunFilter f;
                f.sweepId = run->sweepId;
                f.arch = orderBlindControl();
                f.status = RunStatus::Completed;
                for (const RunRecord& c : store->listRuns(f)) {
                    if (c.fold != run->fold || c.seed != run->seed)
                        continue;
                    auto* m = addArchGraph(mEarly, runTitle(c) + tr(" (control)"), c.arch);
                    for (const EarlyPoint& p : store->earlyCurve(c.id))
                        m->addData(p.fraction, p.accuracy);
                    break;
                }
            }
            if (run->numClasses > 0) {
                auto* chance = addLineGraph(mEarly, tr("chance (1/%1)").arg(run->numClasses),
                                            QColor(120, 120, 120), Qt::DotLine, false);
                chance->addData(0.0, 1.0 / run->numClasses);
                chance->addData(1.0, 1.0 / run->numClasses);
            }
        } catch (const std::exception& e) {
            title = qs(e.what());
        }
    }
    setPlotTitle(mEarly, title);
    mEarly->xAxis->setRange(0, 1.02);
    mEarly->yAxis->setRange(0, 1.02);
    mEarly->legend->setVisible(mEarly->graphCount() > 0);
    fitChartOnScreen(mEarly);
    mEarly->replot();
}

void ConfusionView::drawMatrix() {
    mPlot->clearItems();
    const int n = static_cast<int>(mConfusion.size());
    const bool normalised = mMode->currentIndex() == 1;
    const auto run = mSession->run(mRunId);
    setPlotTitle(mPlot, run ? tr("Confusion matrix of run %1: %2 h%3, test accuracy %4 (%5)")
                                  .arg(run->id)
                                  .arg(runTypeLabel(*run))
                                  .arg(run->hidden)
                                  .arg(formatOptional(run->accuracy),
                                       normalised ? tr("fraction of each true class") : tr("clips"))
                            : tr("Confusion matrix (no run)"));
    QVector<std::pair<double, QString>> ticks;
    // Cell values at the tick labels' size: the layout hides them all where
    // they do not fit a cell, never shrinks them.
    const QFont cellFont = mPlot->xAxis->tickLabelFont();
    auto& values = mValues;
    values.assign(static_cast<std::size_t>(n), {});
    double maxValue = 0;
    for (int t = 0; t < n; ++t) {
        const auto& row = mConfusion[static_cast<std::size_t>(t)];
        std::int64_t rowSum = 0;
        for (auto v : row) {
            rowSum += v;
        }
        for (int p = 0; p < n; ++p) {
            const auto count =
                p < static_cast<int>(row.size()) ? row[static_cast<std::size_t>(p)] : 0;
            const double value =
                normalised ? (rowSum ? double(count) / double(rowSum) : 0.0) : double(count);
            values[static_cast<std::size_t>(t)].push_back(value);
            maxValue = std::max(maxValue, value);
        }
    }
    const QCPRange range(0, normalised ? 1.0 : (maxValue > 0 ? maxValue : 1));
    QCPColorGradient gradient = cellGradient();  // color() fills its lookup table
    // Every cell a rectangle: [k - 0.5, k + 0.5], so ticks sit on cell centres.
    for (int t = 0; t < n; ++t) {
        for (int p = 0; p < n; ++p) {
            const double v = values[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)];
            cellRect(mPlot, mPlot->xAxis, mPlot->yAxis, QRectF(p - 0.5, t - 0.5, 1, 1),
                     QColor::fromRgb(gradient.color(v, range)));
        }
    }
    for (int t = 0; t < n; ++t) {
        const QString name = t < static_cast<int>(mClasses.size())
                                 ? qs(mClasses[static_cast<std::size_t>(t)])
                                 : QString::number(t);
        ticks.append({double(t), name});
        const auto& row = mConfusion[static_cast<std::size_t>(t)];
        for (int p = 0; p < n; ++p) {
            const double value = values[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)];
            if (p >= static_cast<int>(row.size()) || row[static_cast<std::size_t>(p)] == 0) {
                continue;
            }
            auto* text = new QCPItemText(mPlot);
            text->position->setCoords(p, t);
            text->setText(normalised ? QString::number(value, 'f', 2)
                                     : QString::number(value, 'f', 0));
            text->setFont(cellFont);
            text->setColor(value > 0.55 * range.upper ? Qt::white : Qt::black);
            text->setClipToAxisRect(true);
            text->setSelectable(false);
        }
    }
    // The colour scale in 64 steps.
    auto* barX = mBar->axis(QCPAxis::atBottom);
    auto* barY = mBar->axis(QCPAxis::atRight);
    barY->setRange(range);
    constexpr int kSteps = 64;
    for (int k = 0; k < kSteps; ++k) {
        const double lo = range.lower + range.size() * k / kSteps;
        const double hi = range.lower + range.size() * (k + 1) / kSteps;
        cellRect(mPlot, barX, barY, QRectF(0, lo, 1, hi - lo),
                 QColor::fromRgb(gradient.color((lo + hi) / 2, range)));
    }
    barY->setLabel(normalised ? tr("fraction of the true class") : tr("clips"));
    if (normalised) {
        barY->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    } else {
        setIntegerTicks(barY);
    }
    mSelection = new QCPItemRect(mPlot);
    mSelection->setPen(QPen(QColor(230, 60, 20), 3));
    mSelection->setVisible(false);
    mSelection->setSelectable(false);
    markScreenOnly(mSelection);
    mXTicks->setTicks(ticks);
    mYTicks->setTicks(ticks);
    mPlot->xAxis->setSubTicks(false);
    mPlot->yAxis->setSubTicks(false);
    mPlot->xAxis->grid()->setVisible(false);
    mPlot->yAxis->grid()->setVisible(false);
    mPlot->xAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    mPlot->yAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    if (mTruth >= 0) {
        selectCell(mTruth, mPredicted);
    }
    fitChartOnScreen(mPlot);
    mPlot->replot();
}

QString ConfusionView::classKey() const {
    QStringList entries;
    for (std::size_t i = 0; i < mClasses.size(); ++i) {
        entries << QStringLiteral("%1 %2").arg(i + 1).arg(qs(mClasses[i]));
    }
    return entries.isEmpty() ? QString()
                             : tr("Classes: %1.").arg(entries.join(QStringLiteral(", ")));
}

double ConfusionView::cellValue(int truth, int predicted) const {
    if (truth < 0 || predicted < 0 || truth >= static_cast<int>(mValues.size()) ||
        predicted >= static_cast<int>(mValues[static_cast<std::size_t>(truth)].size())) {
        return 0.0;
    }
    return mValues[static_cast<std::size_t>(truth)][static_cast<std::size_t>(predicted)];
}

QString ConfusionView::classTableCaption() const {
    const auto run = mSession->run(mRunId);
    if (!run) {
        return tr("Per-class precision, recall and F1");
    }
    return tr("Per-class precision, recall and F1 of run %1 (%2 h%3, %4; test accuracy %5); "
              "shuffled: recall with each clip's frames shuffled; reliance: recall minus it")
        .arg(run->id)
        .arg(runTypeLabel(*run))
        .arg(run->hidden)
        .arg(protocolLabel(*run), formatOptional(run->accuracy));
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
        // Which classes need order: recall lost when the frames are shuffled.
        const ClassOrder* order = nullptr;
        if (mOrder) {
            for (const auto& c : mOrder->perClass) {
                order = c.index == m.index ? &c : order;
            }
        }
        mClassTable->setItem(i, 6, opt(order ? order->shuffledRecall : std::nullopt));
        mClassTable->setItem(i, 7, opt(order ? order->reliance() : std::nullopt));
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
