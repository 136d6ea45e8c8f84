#include "views/compareview.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>
#include <map>
#include <set>

#include "charts/plotsupport.h"
#include "support/qtsupport.h"

#include <algorithm>
#include "models/storesession.h"
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

void setHiddenAxis(QCustomPlot* plot) {
    plot->xAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int h : {16, 32, 64, 128, 256, 512, 1024}) {
        ticker->addTick(h, QString::number(h));
    }
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

    mCurves = makePlot(this, tr("Validation accuracy per epoch"), tr("epoch"),
                       tr("validation accuracy"));
    mCurves->setObjectName("compare-curves");
    setIntegerTicks(mCurves->xAxis);
    const struct {
        const char* name;
        QString title, y;
        bool logY;
    } specs[] = {
        {"accuracy-vs-hidden", tr("Test accuracy against hidden size, by architecture"),
         tr("accuracy"), false},
        {"macro-f1-vs-hidden", tr("Test macro F1 against hidden size, by architecture"),
         tr("macro F1"), false},
        {"params-vs-hidden", tr("Parameters against hidden size, by architecture"),
         tr("parameters (count)"), true},
        {"time-vs-hidden", tr("Training time against hidden size, by architecture"),
         tr("training time (s)"), true},
    };
    auto* grid = new QWidget(this);
    auto* gridLayout = new QGridLayout(grid);
    gridLayout->setContentsMargins(0, 0, 0, 0);
    int i = 0;
    for (const auto& s : specs) {
        auto* plot = makePlot(grid, s.title, tr("hidden size (units)"), s.y);
        plot->setObjectName(s.name);
        setHiddenAxis(plot);
        if (s.logY) {
            plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
            QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
            ticker->setSubTickCount(8);
            plot->yAxis->setTicker(ticker);
            plot->yAxis->setNumberFormat("gb");
            plot->yAxis->setNumberPrecision(3);
        }
        mHiddenPlots << plot;
        gridLayout->addWidget(plot, i / 2, i % 2);
        ++i;
    }
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName("compareSplitter");
    splitter->addWidget(mCurves);
    splitter->addWidget(grid);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);

    connect(mMetric, &QComboBox::currentIndexChanged, this, &CompareView::rebuildCurves);
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

namespace {

// The runs asked for, by id; or, with none, every completed run and the
// study's rows (in id order, as the store lists them).
std::vector<RunRecord> readCompared(const RunStore& store, const QList<qint64>& wantedIds) {
    std::vector<RunRecord> runs;
    if (!wantedIds.isEmpty()) {
        std::vector<std::int64_t> ids(wantedIds.begin(), wantedIds.end());
        std::sort(ids.begin(), ids.end());
        return store.getRuns(ids);
    }
    RunQuery wanted;
    wanted.filter.status = RunStatus::Completed;
    wanted.filter.kind = RunKind::Trained;
    runs = store.queryRuns(wanted);
    wanted.filter.status.reset();
    wanted.filter.kind = RunKind::Reference;
    store.forEachRun(wanted, [&runs](const RunRecord& r) { runs.push_back(r); });
    std::sort(runs.begin(), runs.end(),
              [](const RunRecord& a, const RunRecord& b) { return a.id < b.id; });
    return runs;
}

}  // namespace

void CompareView::rebuild() {
    ++mGeneration;  // a read still out is dropped
    std::vector<RunRecord> runs;
    QString error;
    try {
        if (RunStore* store = mSession->store()) {
            runs = readCompared(*store, mIds);
        }
    } catch (const std::exception& e) {
        error = qs(e.what());
    }
    apply(std::move(runs), error);
}

// The runs are read on the session's reader thread: a comparison of every
// run of a large store never stalls the window while it is read.
void CompareView::rebuildLater() {
    const quint64 generation = ++mGeneration;
    mReading = true;
    mSession->read<std::vector<RunRecord>>(
        this, [ids = mIds](const RunStore& store) { return readCompared(store, ids); },
        [this, generation](std::vector<RunRecord> runs, QString error) {
            if (generation == mGeneration) {
                mReading = false;
                apply(std::move(runs), error);
            }
        });
}

void CompareView::apply(std::vector<RunRecord> runs, const QString& error) {
    mDirty = false;
    mReading = false;
    mRuns = std::move(runs);
    int measured = 0;
    for (const auto& r : mRuns) {
        measured += r.kind == RunKind::Trained;
    }
    mTitle->setText(!error.isEmpty() ? error
                    : mIds.isEmpty()
                        ? tr("All %1 completed runs and the study's rows (select runs in the Runs "
                             "view to narrow this down).")
                              .arg(measured)
                        : tr("%n selected run(s).", nullptr, static_cast<int>(mIds.size())));
    rebuildCurves();
    rebuildHiddenCharts();
    Q_EMIT rebuilt();
}

void CompareView::rebuildCurves() {
    mCurves->clearGraphs();
    const int metric = mMetric->currentData().toInt();
    mCurves->yAxis->setLabel(mMetric->currentText().toLower());
    // Up to 12 runs: one legend entry each, in its architecture's style
    // (darker for each further run of it). More: one entry per architecture.
    constexpr std::size_t kMaxCurves = 48;
    std::vector<const RunRecord*> shown;
    std::vector<std::vector<EpochRecord>> curves;
    for (const auto& r : mRuns) {
        if (r.kind == RunKind::Reference || !mSession->store() || shown.size() >= kMaxCurves) {
            continue;
        }
        std::vector<EpochRecord> epochs;
        try {
            epochs = mSession->store()->epochs(r.id);
        } catch (const std::exception&) {
            continue;  // deleted meanwhile
        }
        if (!epochs.empty()) {
            shown.push_back(&r);
            curves.push_back(std::move(epochs));
        }
    }
    const bool byArch = shown.size() > 12;
    std::map<std::string, int> perArch;
    std::set<std::string> archs;
    for (std::size_t k = 0; k < shown.size(); ++k) {
        const RunRecord& r = *shown[k];
        const int nth = perArch[r.arch]++;
        auto* g = addArchGraph(mCurves, byArch ? qs(archDisplayName(r.arch)) : runTitle(r), r.arch);
        if (!byArch && nth > 0) {
            QPen pen = g->pen();
            pen.setColor(pen.color().lighter(100 + 40 * nth));
            g->setPen(pen);
        }
        if (byArch && nth > 0) {
            g->removeFromLegend();
        }
        archs.insert(r.arch);
        for (const auto& e : curves[k]) {
            if (auto v = metricOf(e, metric)) {
                g->addData(e.epoch, *v);
            }
        }
    }
    bool anyPoint = false;
    for (int k = 0; k < mCurves->graphCount(); ++k) {
        anyPoint = anyPoint || !mCurves->graph(k)->data()->isEmpty();
    }
    setPlotTitle(mCurves,
                 tr("%1 per epoch: %n run(s)%2%3", nullptr, static_cast<int>(shown.size()))
                     .arg(mMetric->currentText(),
                          byArch ? tr(" of %1 architectures").arg(archs.size()) : QString(),
                          shown.empty() || anyPoint ? QString()
                                                    : tr(" (none has this metric recorded)")));
    mCurves->legend->setVisible(!shown.empty());
    fitLegendColumns(mCurves);
    const bool unit = metric == ValAcc || metric == ValF1 || metric == TrainAcc;
    rescale(mCurves, unit);
    mCurves->replot();
}

// One series per (type, measured|reference); each point is the mean over the
// runs of that configuration (folds, seeds), with the sample standard
// deviation as error bars for accuracy and macro F1.
void CompareView::rebuildHiddenCharts() {
    for (auto* p : mHiddenPlots) {
        p->clearPlottables();
    }
    const auto report = buildReport(mRuns);
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
    std::map<std::pair<std::string, bool>, Series> series;
    for (const auto& row : report.rows) {
        const bool named = !row.reference && protocols.size() > 1;
        // fp32 and bf16 runs of one configuration are separate rows: separate series.
        auto& s = series[{row.type + (named ? " · " + row.protocolLabel() : "") +
                              (row.precision == "bf16" ? " · bf16" : ""),
                          row.reference}];
        s.arch = row.arch;
        s.reference = row.reference;
        s.rows.push_back(&row);
    }
    for (const auto& [key, s] : series) {
        const QString name = qs(key.first) + (s.reference ? tr(" (study)") : QString());
        const QColor color = archColor(s.arch);
        for (int chart = 0; chart < mHiddenPlots.size(); ++chart) {
            auto* plot = mHiddenPlots[chart];
            // Measured: filled markers; the study's rows: hollow ones on a thin
            // line, with one legend entry for all of them (added below).
            auto* g = addArchGraph(plot, name, s.arch, s.reference);
            if (s.reference) {
                g->removeFromLegend();
            }
            QVector<double> x, y, err;
            for (const auto* row : s.rows) {
                const Stat& stat = chart == 0   ? row->accuracy
                                   : chart == 1 ? row->macroF1
                                   : chart == 2 ? row->params
                                                : row->trainSeconds;
                if (stat.n == 0 || (chart >= 2 && stat.mean <= 0)) {
                    continue;
                }
                x << row->hidden;
                y << stat.mean;
                err << stat.stddev.value_or(0.0);
            }
            g->setData(x, y);
            if (chart < 2 && std::any_of(err.begin(), err.end(), [](double e) { return e > 0; })) {
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
        // A graph without data: the legend's key for the study's rows.
        auto* key = mHiddenPlots[chart]->addGraph();
        key->setName(tr("the study (hollow, thin)"));
        key->setPen(QPen(QColor(90, 90, 90), 1.2));
        key->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(90, 90, 90), 1.5), Qt::white, 8));
    }
    for (int chart = 0; chart < mHiddenPlots.size(); ++chart) {
        auto* plot = mHiddenPlots[chart];
        plot->rescaleAxes(true);
        const auto xr = plot->xAxis->range();
        plot->xAxis->setRange(std::max(1.0, xr.lower / 1.4), xr.upper * 1.4);
        if (chart < 2) {
            plot->yAxis->setRange(0, 1.02);
        } else if (plot->graphCount() > 0) {
            // Whole decades, so the log axis is labelled 10, 100, 1000.
            const auto yr = plot->yAxis->range();
            const double lo = std::pow(10.0, std::floor(std::log10(std::max(1e-3, yr.lower))));
            const double hi = std::pow(10.0, std::ceil(std::log10(std::max(yr.upper, lo * 10))));
            plot->yAxis->setRange(lo, hi > yr.upper * 1.0001 ? hi : hi * 10);
        }
        plot->legend->setVisible(plot->graphCount() > 0);
        fitLegendColumns(plot);
        plot->replot();
    }
}

}  // namespace vidrnn::ui
