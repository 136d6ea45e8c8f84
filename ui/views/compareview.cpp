#include "views/compareview.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <map>
#include <set>

#include "charts/chartlayout.h"
#include "charts/plotsupport.h"
#include "support/qtsupport.h"

#include <algorithm>
#include "models/storesession.h"
#include "vidrnn/compare.h"
#include "vidrnn/models.h"
#include "vidrnn/report.h"

namespace vidrnn::ui {

namespace {

enum Metric { ValAcc, ValLoss, ValF1, TrainLoss, TrainAcc };

std::optional<double> metricOf(const EpochRecord& e, int metric) {
    switch (metric) {
        case ValAcc:
            return e.valAcc;
        case ValLoss:
            return e.valLoss;
        case ValF1:
            return e.valMacroF1;
        case TrainLoss:
            return e.trainLoss;
        case TrainAcc:
            return e.trainAcc;
        default:
            return std::nullopt;
    }
}

// Decades as "100", "10k", "1M": QCustomPlot's beautiful powers draw the
// exponent in a smaller font than a figure's text may have.
class DecadeTicker : public QCPAxisTickerLog {
protected:
    QString getTickLabel(double tick, const QLocale& locale, QChar, int) override {
        const double a = std::abs(tick);
        if (a >= 1e6) {
            return locale.toString(tick / 1e6, 'g', 3) + QStringLiteral("M");
        }
        if (a >= 1e4) {
            return locale.toString(tick / 1e3, 'g', 3) + QStringLiteral("k");
        }
        return locale.toString(tick, 'g', 4);
    }
};

// Index of the order-reliance chart among the hidden-size charts.
constexpr int kRelianceChart = 4;

void setHiddenAxis(QCustomPlot* plot) {
    plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
    // The sizes a sweep uses; the layout drops every other one where they crowd.
    QSharedPointer<CategoryTicker> ticker(new CategoryTicker);
    QVector<std::pair<double, QString>> ticks;
    for (int h : {16, 32, 64, 128, 256, 512, 1024}) {
        ticks.append({double(h), QString::number(h)});
    }
    ticker->setTicks(ticks);
    plot->xAxis->setTicker(ticker);
}

}  // namespace

CompareView::CompareView(StoreSession* session, QWidget* parent)
    : QWidget(parent), mSession(session) {
    mTitle = new QLabel(this);
    mTitle->setWordWrap(true);
    mMetric = new QComboBox(this);
    mMetric->setObjectName("compareMetric");
    mMetric->addItem(tr("Validation accuracy"), ValAcc);
    mMetric->addItem(tr("Validation loss"), ValLoss);
    mMetric->addItem(tr("Validation macro F1"), ValF1);
    mMetric->addItem(tr("Training loss"), TrainLoss);
    mMetric->addItem(tr("Training accuracy"), TrainAcc);
    auto* top = new QHBoxLayout;
    top->addWidget(mTitle, 1);
    top->addWidget(new QLabel(tr("Curves:"), this));
    top->addWidget(mMetric);

    mCurves =
        makePlot(this, tr("Validation accuracy per epoch"), tr("epoch"), tr("validation accuracy"));
    mCurves->setObjectName("compare-curves");
    setIntegerTicks(mCurves->xAxis);
    const struct {
        const char* name;
        QString title, y;
        bool logY;
    } specs[] = {
        {"accuracy-vs-hidden", tr("Test accuracy by hidden size (mean, 95% CI)"), tr("accuracy"),
         false},
        {"macro-f1-vs-hidden", tr("Test macro F1 by hidden size (mean, 95% CI)"), tr("macro F1"),
         false},
        {"params-vs-hidden", tr("Parameters by hidden size"), tr("parameters (count)"), true},
        {"time-vs-hidden", tr("Training time by hidden size"), tr("training time (s)"), true},
        // Does the model read time: accuracy lost when the test clips'
        // frames are shuffled (mean_pool: 0 by construction).
        {"order-reliance-vs-hidden", tr("Order reliance by hidden size (mean, 95% CI)"),
         tr("accuracy − shuffled accuracy"), false},
    };
    auto* grid = new QWidget(this);
    auto* gridLayout = new QGridLayout(grid);
    gridLayout->setContentsMargins(0, 0, 0, 0);
    int i = 0;
    for (const auto& s : specs) {
        auto* plot = makePlot(grid, s.title, tr("hidden size (units)"), s.y);
        plot->setObjectName(s.name);
        plot->setProperty("vidrnnBaseTitle", s.title);
        setHiddenAxis(plot);
        if (s.logY) {
            plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
            QSharedPointer<QCPAxisTickerLog> ticker(new DecadeTicker);
            ticker->setSubTickCount(8);
            plot->yAxis->setTicker(ticker);
        }
        mHiddenPlots << plot;
        gridLayout->addWidget(plot, i / 2, i % 2);
        ++i;
    }
    mEarly = makePlot(this, tr("Early classification"),
                      tr("fraction of the clip seen (frames k/T)"), tr("test accuracy"));
    mEarly->setObjectName("early-classification");

    mRows = new QTableWidget(0, 7, this);
    mRows->setObjectName("compare-rows");
    mRows->setHorizontalHeaderLabels({tr("Row"), tr("Type"), tr("Hidden"), tr("n"),
                                      tr("Accuracy [95% CI]"), tr("Differs"), tr("Runs")});
    mRows->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mRows->setSelectionBehavior(QAbstractItemView::SelectRows);
    mRows->verticalHeader()->setVisible(false);
    mRows->horizontalHeader()->setStretchLastSection(true);
    mPairA = new QComboBox(this);
    mPairA->setObjectName("comparePairA");
    mPairB = new QComboBox(this);
    mPairB->setObjectName("comparePairB");
    mPairText =
        new QLabel(tr("Choose two rows to compare them on their matched folds and seeds."), this);
    mPairText->setObjectName("comparePairText");
    mPairText->setWordWrap(true);
    mPairText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* pairBar = new QHBoxLayout;
    pairBar->addWidget(new QLabel(tr("Paired test:"), this));
    pairBar->addWidget(mPairA, 1);
    pairBar->addWidget(new QLabel(tr("vs"), this));
    pairBar->addWidget(mPairB, 1);
    auto* rowsBox = new QWidget(this);
    auto* rowsLayout = new QVBoxLayout(rowsBox);
    rowsLayout->setContentsMargins(0, 0, 0, 0);
    rowsLayout->addWidget(mRows, 1);
    rowsLayout->addLayout(pairBar);
    rowsLayout->addWidget(mPairText);

    auto* topCharts = new QSplitter(Qt::Horizontal, this);
    topCharts->addWidget(mCurves);
    topCharts->addWidget(mEarly);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName("compareSplitter");
    splitter->addWidget(topCharts);
    splitter->addWidget(grid);
    splitter->addWidget(rowsBox);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 1);
    splitter->setSizes({300, 580, 220});
    topCharts->setSizes({500, 500});

    // Legible charts before fitting ones: each keeps a minimum height (its
    // legend below it takes up to a third), and the page scrolls when the
    // window is smaller than them all. At 1280x800 the six charts squeezed
    // into the window had plot areas 40 px high.
    mCurves->setMinimumHeight(300);
    mEarly->setMinimumHeight(300);
    for (auto* plot : mHiddenPlots) {
        plot->setMinimumHeight(290);
    }
    rowsBox->setMinimumHeight(220);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName("compareScroll");
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(splitter);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);

    connect(mMetric, &QComboBox::currentIndexChanged, this, &CompareView::rebuildCurves);
    connect(mPairA, &QComboBox::currentIndexChanged, this, &CompareView::showPair);
    connect(mPairB, &QComboBox::currentIndexChanged, this, &CompareView::showPair);
    // Reading every run's epochs and replotting five charts is work the UI
    // thread does only for a visible view; a hidden one catches up when shown.
    connect(mSession, &StoreSession::runsChanged, this, [this] {
        if (isVisible()) {
            rebuildLater();
        } else {
            mDirty = true;
        }
    });
}

void CompareView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (mDirty && !mReading) {
        rebuildLater();
    }
}

void CompareView::ensureCurrent() {
    if (mDirty || mReading) {
        rebuild();
    }
}

QList<QPair<QString, QCustomPlot*>> CompareView::charts() const {
    QList<QPair<QString, QCustomPlot*>> out{{mCurves->objectName(), mCurves}};
    for (auto* p : mHiddenPlots) {
        out.append({p->objectName(), p});
    }
    out.append({mEarly->objectName(), mEarly});
    return out;
}

void CompareView::setRunIds(const QList<qint64>& ids) {
    mIds = ids;
    if (isVisible()) {
        rebuildLater();
    } else {
        mDirty = true;  // read when shown, or now by ensureCurrent()
    }
}

void CompareView::rebuild() {
    ++mGeneration;  // a read still out is dropped
    auto data = std::make_shared<CompareData>();
    QString error;
    try {
        if (RunStore* store = mSession->store()) {
            *data = readCompareData(*store, mIds);
        }
    } catch (const std::exception& e) {
        error = qs(e.what());
    }
    apply(std::move(data), error);
}

// Read and aggregated on the session's reader thread: a comparison of every
// run of a large store never stalls the window, neither while it is read nor
// while its rows are built.
void CompareView::rebuildLater() {
    const quint64 generation = ++mGeneration;
    mReading = true;
    using Shared = std::shared_ptr<const CompareData>;
    mSession->read<Shared>(
        this,
        [ids = mIds](const RunStore& store) -> Shared {
            return std::make_shared<CompareData>(readCompareData(store, ids));
        },
        [this, generation](Shared data, QString error) {
            if (generation == mGeneration) {
                mReading = false;
                apply(std::move(data), error);
            }
        });
}

void CompareView::apply(std::shared_ptr<const CompareData> data, const QString& error) {
    mDirty = false;
    mReading = false;
    mData = data ? std::move(data) : std::make_shared<CompareData>();
    mTitle->setText(!error.isEmpty() ? error
                    : mIds.isEmpty()
                        ? tr("All %1 completed runs and the study's rows (select runs in the Runs "
                             "view to narrow this down).")
                              .arg(mData->measured)
                        : tr("%n selected run(s).", nullptr, static_cast<int>(mIds.size())));
    rebuildCurves();
    rebuildHiddenCharts();
    rebuildEarlyChart();
    fillRows();
    Q_EMIT rebuilt();
}

void CompareView::rebuildCurves() {
    mCurves->clearGraphs();
    const int metric = mMetric->currentData().toInt();
    mCurves->yAxis->setLabel(mMetric->currentText().toLower());
    // Up to 12 runs: one legend entry each, in its architecture's style
    // (darker for each further run of it). More: one entry per architecture.
    std::vector<const RunRecord*> shown;
    std::vector<const std::vector<EpochRecord>*> curves;
    for (const auto& c : mData->curves) {
        shown.push_back(&c.run);
        curves.push_back(&c.epochs);
    }
    const bool byArch = shown.size() > 12;
    std::map<std::string, int> perArch;
    std::set<std::string> archs;
    for (std::size_t k = 0; k < shown.size(); ++k) {
        const RunRecord& r = *shown[k];
        const int nth = perArch[r.arch]++;
        auto* g = addArchGraph(mCurves, byArch ? qs(archShortName(r.arch)) : runTitle(r), r.arch);
        if (!byArch && nth > 0) {
            QPen pen = g->pen();
            pen.setColor(pen.color().lighter(100 + 40 * nth));
            g->setPen(pen);
        }
        if (byArch && nth > 0) {
            g->removeFromLegend();
        }
        archs.insert(r.arch);
        for (const auto& e : *curves[k]) {
            if (auto v = metricOf(e, metric)) {
                g->addData(e.epoch, *v);
            }
        }
    }
    bool anyPoint = false;
    for (int k = 0; k < mCurves->graphCount(); ++k) {
        anyPoint = anyPoint || !mCurves->graph(k)->data()->isEmpty();
    }
    setPlotTitle(
        mCurves,
        tr("%1 per epoch: %n run(s)%2%3", nullptr, static_cast<int>(shown.size()))
            .arg(mMetric->currentText(),
                 byArch ? tr(" of %1 architectures").arg(archs.size()) : QString(),
                 shown.empty() || anyPoint ? QString() : tr(" (none has this metric recorded)")));
    mCurves->legend->setVisible(!shown.empty());
    const bool unit = metric == ValAcc || metric == ValF1 || metric == TrainAcc;
    rescale(mCurves, unit);
    fitChartOnScreen(mCurves);
    mCurves->replot();
}

// One series per (type, settings that differ, measured|reference); each point
// is the mean over the runs of that configuration (folds, seeds), with its 95%
// t confidence interval as error bars for accuracy and macro F1.
void CompareView::rebuildHiddenCharts() {
    for (auto* p : mHiddenPlots) {
        p->clearPlottables();
    }
    const Report& report = mData->report;
    struct Series {
        std::string arch;
        bool reference = false;
        std::vector<const ReportRow*> rows;
    };
    std::set<std::string> protocols;
    for (const auto& row : report.rows) {
        if (!row.reference) {
            protocols.insert(row.protocolLabel());
        }
    }
    // Precision is a series of its own only where one configuration was
    // measured at one hidden size in both (else fp32 at one size and bf16 at
    // another are one line); the title says once that precisions differ.
    std::map<std::string, std::map<int, std::set<std::string>>> precisionsAt;
    std::set<std::string> precisions;
    auto configuration = [&protocols](const ReportRow& row) {
        const bool named = !row.reference && protocols.size() > 1;
        return row.type + (named ? " · " + row.protocolLabel() : "") +
               (row.differs.empty() ? "" : " · " + row.differs);
    };
    for (const auto& row : report.rows) {
        if (!row.reference) {
            precisionsAt[configuration(row)][row.hidden].insert(row.precisionLabel());
            precisions.insert(row.precisionLabel());
        }
    }
    std::map<std::pair<std::string, bool>, Series> series;
    for (const auto& row : report.rows) {
        // Rows that differ in a setting (epochs, ...) are separate series,
        // named by what differs.
        std::string key = configuration(row);
        if (!row.reference) {
            const auto& at = precisionsAt[key];
            if (std::any_of(at.begin(), at.end(),
                            [](const auto& h) { return h.second.size() > 1; })) {
                key += " · " + row.precisionLabel();
            }
        }
        auto& s = series[{key, row.reference}];
        s.arch = row.arch;
        s.reference = row.reference;
        s.rows.push_back(&row);
    }
    // The legend names a series by its type; what differs ("· precision
    // bf16") only where one type has several measured series: a type with
    // one needs no more, and long names made the legend take half an
    // exported chart (the rows table below has every setting).
    std::map<std::string, int> measuredPerType;
    for (const auto& [key, s] : series) {
        if (!s.reference) {
            ++measuredPerType[s.rows.front()->type];
        }
    }
    for (const auto& [key, s] : series) {
        const ReportRow& first = *s.rows.front();
        const bool named = !s.reference && protocols.size() > 1;
        // Short names: seven entries of "Mean pool (no recurrence)" and the
        // like could not share a row of a one-column figure.
        std::string label = s.reference || measuredPerType[first.type] > 1
                                ? key.first
                                : first.type + (named ? " · " + first.protocolLabel() : "");
        if (!s.reference && label.rfind(first.type, 0) == 0) {
            label = archShortName(first.arch) + label.substr(first.type.size());
        }
        const QString name = qs(label) + (s.reference ? tr(" (study)") : QString());
        const QColor color = archColor(s.arch);
        for (int chart = 0; chart < mHiddenPlots.size(); ++chart) {
            auto* plot = mHiddenPlots[chart];
            // Measured: filled markers; the study's rows: hollow ones on a thin
            // line, with one legend entry for all of them (added below).
            if (s.reference && chart == kRelianceChart) {
                continue;  // the study measured no order reliance
            }
            auto* g = addArchGraph(plot, name, s.arch, s.reference);
            if (s.reference) {
                g->removeFromLegend();
            }
            QVector<double> x, y, err;
            for (const auto* row : s.rows) {
                const Stat& stat = chart == 0   ? row->accuracy
                                   : chart == 1 ? row->macroF1
                                   : chart == 2 ? row->params
                                   : chart == 3 ? row->trainSeconds
                                                : row->orderReliance;
                if (stat.n == 0 || ((chart == 2 || chart == 3) && stat.mean <= 0)) {
                    continue;
                }
                x << row->hidden;
                y << stat.mean;
                err << (stat.ciLow && stat.ciHigh ? (*stat.ciHigh - *stat.ciLow) / 2.0 : 0.0);
            }
            g->setData(x, y);
            const bool interval = chart < 2 || chart == kRelianceChart;
            if (interval && std::any_of(err.begin(), err.end(), [](double e) { return e > 0; })) {
                auto* bars = new QCPErrorBars(plot->xAxis, plot->yAxis);
                bars->setDataPlottable(g);
                bars->setData(err);
                bars->setPen(QPen(color, 1));
                bars->removeFromLegend();
            }
        }
    }
    const bool anyReference = std::any_of(report.rows.begin(), report.rows.end(),
                                          [](const ReportRow& r) { return r.reference; });
    for (int chart = 0; chart < mHiddenPlots.size() && anyReference; ++chart) {
        if (chart == kRelianceChart) {
            continue;  // the study measured no order reliance
        }
        // A graph without data: the legend's key for the study's rows.
        auto* key = mHiddenPlots[chart]->addGraph();
        key->setName(tr("the study (hollow)"));
        key->setPen(QPen(QColor(90, 90, 90), 1.2));
        key->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle,
                                             QPen(QColor(90, 90, 90), 1.5), Qt::white, 8));
    }
    for (int chart = 0; chart < mHiddenPlots.size(); ++chart) {
        auto* plot = mHiddenPlots[chart];
        const QString base = plot->property("vidrnnBaseTitle").toString();
        QStringList listed;
        for (const auto& p : precisions) {
            listed << qs(p);
        }
        setPlotTitle(plot, precisions.size() > 1
                               ? tr("%1; rows in %2 (see the table)").arg(base, listed.join(", "))
                               : base);
        plot->rescaleAxes(true);
        const auto xr = plot->xAxis->range();
        plot->xAxis->setRange(std::max(1.0, xr.lower / 1.4), xr.upper * 1.4);
        if (chart < 2) {
            plot->yAxis->setRange(0, 1.02);
        } else if (chart == kRelianceChart) {
            // 0 always in view: where order-blind rows lie; a negative
            // reliance (better shuffled) is possible and shown.
            const auto yr = plot->yAxis->range();
            plot->yAxis->setRange(std::min(-0.05, yr.lower - 0.05), std::max(0.1, yr.upper + 0.05));
        } else if (plot->graphCount() > 0) {
            // Whole decades, so the log axis is labelled 10, 100, 1000.
            const auto yr = plot->yAxis->range();
            const double lo = std::pow(10.0, std::floor(std::log10(std::max(1e-3, yr.lower))));
            const double hi = std::pow(10.0, std::ceil(std::log10(std::max(yr.upper, lo * 10))));
            plot->yAxis->setRange(lo, hi > yr.upper * 1.0001 ? hi : hi * 10);
        }
        plot->legend->setVisible(plot->graphCount() > 0);
        fitChartOnScreen(plot);
        plot->replot();
    }
}

// The mean curve of each row over its runs; mean_pool, which ignores frame
// order, shows what order adds as more of the clip is seen.
void CompareView::rebuildEarlyChart() {
    mEarly->clearPlottables();
    for (const auto& e : mData->early) {
        const ReportRow& row = mData->report.rows[e.row];
        // The row id leads to the rows table below, which has n and the runs.
        const QString name =
            tr("%1 %2 (%3)").arg(qs(archShortName(row.arch))).arg(row.hidden).arg(qs(row.id));
        auto* g = addArchGraph(mEarly, name, row.arch);
        for (const EarlyPoint& p : e.curve) {
            g->addData(p.fraction, p.accuracy);
        }
    }
    setPlotTitle(mEarly,
                 mData->early.empty()
                     ? tr("Early classification: no curve (runs stored before it, or bilstm)")
                 : mData->earlyBestOfArch ? tr("Early classification (each model's best row)")
                                          : tr("Early classification (mean of each row's runs)"));
    mEarly->xAxis->setRange(0, 1.02);
    mEarly->yAxis->setRange(0, 1.02);
    mEarly->legend->setVisible(!mData->early.empty());
    fitChartOnScreen(mEarly);
    mEarly->replot();
}

namespace {

// A row's run list ("1-3, 7 (repeats: 5)") cut after its last id within
// `limit` characters, with the counts: "1-3, 7, … (33 runs, 9,967 repeats)".
QString shortened(const QString& runs, int limit, const ReportRow& row) {
    if (runs.size() <= limit)
        return runs;
    const int cut = runs.lastIndexOf(QStringLiteral(", "), limit);
    QString counts = QObject::tr("%L1 runs").arg(static_cast<qulonglong>(row.runIds.size()));
    if (!row.repeatIds.empty())
        counts += QObject::tr(", %L1 repeats").arg(static_cast<qulonglong>(row.repeatIds.size()));
    return runs.left(cut > 0 ? cut : limit) + QStringLiteral(", … (%1)").arg(counts);
}

}  // namespace

void CompareView::fillRows() {
    const QString keepA = mPairA->currentData().toString();
    const QString keepB = mPairB->currentData().toString();
    const QSignalBlocker blockA(mPairA), blockB(mPairB);
    mPairA->clear();
    mPairB->clear();
    // Measured rows first (they are what can be paired), the study's after.
    std::vector<const ReportRow*> rows;
    for (bool reference : {false, true}) {
        for (const ReportRow& row : mData->report.rows) {
            if (row.reference == reference)
                rows.push_back(&row);
        }
    }
    mRows->setRowCount(static_cast<int>(rows.size()));
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const ReportRow& row = *rows[std::size_t(i)];
        QString accuracy = row.accuracy.n ? QString::number(row.accuracy.mean, 'f', 3) : "-";
        if (row.accuracy.ciLow && row.accuracy.ciHigh) {
            accuracy += QStringLiteral(" [%1, %2]")
                            .arg(*row.accuracy.ciLow, 0, 'f', 3)
                            .arg(*row.accuracy.ciHigh, 0, 'f', 3);
        }
        const QStringList cells{qs(row.id),
                                qs(row.type) + (row.reference ? tr(" (study)") : QString()),
                                QString::number(row.hidden),
                                QString::number(row.runIds.size()),
                                accuracy,
                                row.differs.empty() ? QStringLiteral("-") : qs(row.differs),
                                row.reference ? tr("reference") : qs(row.runsLabel())};
        for (int c = 0; c < cells.size(); ++c) {
            // The runs column of a row of 10,000 runs is a 60,000-character
            // list: measuring and painting it stalled the window 0.3 s. The
            // cell shows its start, the tooltip a longer start.
            auto* item = new QTableWidgetItem(c == 6 ? shortened(cells[c], 48, row) : cells[c]);
            if (c == 2 || c == 3 || c == 4)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setToolTip(c == 6 ? shortened(cells[c], 1000, row) : cells[c]);
            mRows->setItem(i, c, item);
        }
        if (!row.reference) {
            const QString label = qs(row.id) + " · " + qs(row.type) + " " +
                                  QString::number(row.hidden) +
                                  (row.differs.empty() ? QString() : " · " + qs(row.differs));
            mPairA->addItem(label, qs(row.id));
            mPairB->addItem(label, qs(row.id));
        }
    }
    mRows->resizeColumnsToContents();
    const int a = mPairA->findData(keepA);
    const int b = mPairB->findData(keepB);
    mPairA->setCurrentIndex(a >= 0 ? a : 0);
    mPairB->setCurrentIndex(b >= 0 ? b : std::min(1, mPairB->count() - 1));
    showPair();
}

QString CompareView::comparePair(const QString& rowA, const QString& rowB) {
    const QSignalBlocker blockA(mPairA), blockB(mPairB);
    mPairA->setCurrentIndex(mPairA->findData(rowA));
    mPairB->setCurrentIndex(mPairB->findData(rowB));
    showPair();
    return mPairText->text();
}

// Cheap: the rows already hold each (fold, seed)'s scores.
void CompareView::showPair() {
    const QString a = mPairA->currentData().toString();
    const QString b = mPairB->currentData().toString();
    if (a.isEmpty() || b.isEmpty() || a == b) {
        mPairText->setText(
            tr("Choose two different rows to compare them on their matched folds "
               "and seeds."));
        return;
    }
    try {
        const auto c = comparePaired(findReportRow(mData->report, a.toStdString()),
                                     findReportRow(mData->report, b.toStdString()));
        auto metric = [](const PairedMetric& m) {
            QString text = QString::asprintf("%+.3f", m.mean.mean);
            if (m.mean.low && m.mean.high)
                text += QString::asprintf(" [%+.3f, %+.3f]", *m.mean.low, *m.mean.high);
            if (m.wilcoxon && m.signFlip)
                text += QString::asprintf(", Wilcoxon p = %.3f, sign-flip p = %.3f", m.wilcoxon->p,
                                          m.signFlip->p);
            return text;
        };
        QString text = tr("%1 minus %2 on %3 matched (fold, seed) pairs. Accuracy: %4. Macro F1: "
                          "%5. (95% t intervals; two-sided exact tests.)")
                           .arg(qs(c.rowA), qs(c.rowB))
                           .arg(c.pairs.size())
                           .arg(metric(c.accuracy), metric(c.macroF1));
        if (!c.noTest.empty()) {
            text += " " + qs(c.noTest) + ".";
        }
        mPairText->setText(text);
    } catch (const std::exception& e) {
        mPairText->setText(qs(e.what()));
    }
}

}  // namespace vidrnn::ui
