#include "charts/chartlayout.h"

#include <QFontMetricsF>
#include <QPointer>

#include <algorithm>
#include <cmath>
#include <set>

#include "charts/chartgeometry.h"

namespace vidrnn::ui {

namespace {

constexpr const char* kGroupProperty = "vidrnnLegendGroup";
constexpr const char* kMatrixProperty = "vidrnnMatrix";
constexpr const char* kScreenFitName = "vidrnnScreenFit";
// The plot area's share of the figure's width and height that a layout must
// leave it (STYLE: the plot keeps most of the figure).
constexpr double kMinArea = 0.55;

// The undo of the last on-screen fit, kept with the plot.
class ScreenFit : public QObject {
public:
    explicit ScreenFit(QObject* parent) : QObject(parent) { setObjectName(kScreenFitName); }
    UndoList undo;
};

void runUndo(UndoList& undo) {
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
        (*it)();
    }
    undo.clear();
}

}  // namespace

void undoScreenFit(QCustomPlot* plot) {
    if (auto* fit = plot->findChild<ScreenFit*>(kScreenFitName, Qt::FindDirectChildrenOnly)) {
        runUndo(fit->undo);
    }
}

namespace {

double areaShare(const ChartGeometry& g) {
    if (g.axisRect.isNull() || g.figure.isEmpty()) {
        return 0;
    }
    return std::min(double(g.axisRect.width()) / g.figure.width(),
                    double(g.axisRect.height()) / g.figure.height());
}

// --- Ticks ------------------------------------------------------------------

// Whether neighbouring tick labels of the axis (as laid out last) would
// touch: their extents along the axis, from the font, against the distance
// between their ticks.
bool ticksCollide(QCPAxis* axis) {
    if (!axis->visible() || !axis->tickLabels()) {
        return false;
    }
    const QVector<double> ticks = axis->tickVector();
    const QVector<QString> labels = axis->tickVectorLabels();
    const QFontMetricsF fm(axis->tickLabelFont());
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    const double angle = std::abs(axis->tickLabelRotation()) * M_PI / 180.0;
    auto extent = [&](const QString& label) {
        double w = 0;
        for (const QString& line : label.split('\n')) {
            w = std::max(w, fm.horizontalAdvance(line));
        }
        const double h = fm.height() * std::max<qsizetype>(1, label.count('\n') + 1);
        return horizontal ? w * std::cos(angle) + h * std::sin(angle)
                          : w * std::sin(angle) + h * std::cos(angle);
    };
    const double gap = horizontal ? fm.averageCharWidth() : 1.0;
    double previousPos = 0, previousExtent = 0;
    bool first = true;
    for (int i = 0; i < ticks.size() && i < labels.size(); ++i) {
        if (!axis->range().contains(ticks[i]) || labels[i].isEmpty()) {
            continue;
        }
        const double pos = axis->coordToPixel(ticks[i]);
        const double e = extent(labels[i]);
        if (!first && std::abs(pos - previousPos) < (e + previousExtent) / 2 + gap) {
            return true;
        }
        first = false;
        previousPos = pos;
        previousExtent = e;
    }
    return false;
}

// One step fewer labels on each axis whose labels collide; false when none
// changed.
bool thinTicks(QCustomPlot* plot, UndoList* undo) {
    bool changed = false;
    for (auto* rect : plot->axisRects()) {
        for (auto* axis : rect->axes()) {
            if (!ticksCollide(axis)) {
                continue;
            }
            QSharedPointer<QCPAxisTicker> ticker = axis->ticker();
            if (auto category = ticker.dynamicCast<CategoryTicker>()) {
                const int old = category->stride();
                if (old >= category->ticks().size()) {
                    continue;
                }
                category->setStride(old + 1);
                undo->push_back([category, old] { category->setStride(old); });
                changed = true;
            } else if (ticker->tickCount() > 2) {
                const int old = ticker->tickCount();
                ticker->setTickCount(old - 1);
                undo->push_back([ticker, old] { ticker->setTickCount(old); });
                changed = true;
            }
        }
    }
    return changed;
}

// Measures, thins colliding ticks and measures again until none collide.
ChartGeometry settle(QCustomPlot* plot, int w, int h, UndoList* undo) {
    ChartGeometry g = measureChart(plot, w, h);
    for (int round = 0; round < 12 && thinTicks(plot, undo); ++round) {
        g = measureChart(plot, w, h);
    }
    return g;
}

// --- Legend -----------------------------------------------------------------

QList<QPointer<QCPAbstractPlottable>> legendPlottables(QCPLegend* legend) {
    QList<QPointer<QCPAbstractPlottable>> out;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i))) {
            out.append(item->plottable());
        }
    }
    return out;
}

int legendEntries(QCPLegend* legend) {
    int n = 0;
    for (int i = 0; i < legend->itemCount(); ++i) {
        n += legend->item(i) != nullptr;
    }
    return n;
}

void setColumns(QCPLegend* legend, int columns, UndoList* undo) {
    const int oldWrap = legend->wrap();
    const auto oldOrder = legend->fillOrder();
    legend->setWrap(std::max(1, columns));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    undo->push_back([legend, oldWrap, oldOrder] {
        legend->setWrap(oldWrap);
        legend->setFillOrder(oldOrder, true);
    });
}

// As many columns as fit the width, each as wide as its widest entry (the
// grid sizes columns one by one), filled row by row.
int columnsFor(QCPLegend* legend, int width) {
    QList<int> widths;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (auto* item = legend->item(i)) {
            widths << item->minimumOuterSizeHint().width();
        }
    }
    const int available = width - legend->margins().left() - legend->margins().right() - 4;
    for (int columns = static_cast<int>(widths.size()); columns > 1; --columns) {
        int total = legend->columnSpacing() * (columns - 1);
        for (int c = 0; c < columns; ++c) {
            int widest = 0;
            for (int i = c; i < widths.size(); i += columns) {
                widest = std::max(widest, widths[i]);
            }
            total += widest;
        }
        if (total <= available) {
            return columns;
        }
    }
    return 1;
}

// One entry per group (architecture): the first plottable of each group
// stands for all of them, named by the group.
bool summariseLegend(QCustomPlot* plot, UndoList* undo) {
    QCPLegend* legend = plot->legend;
    const auto all = legendPlottables(legend);
    std::set<QString> seen;
    QList<QCPAbstractPlottable*> kept;
    for (const auto& p : all) {
        const QString group = p ? p->property(kGroupProperty).toString() : QString();
        if (group.isEmpty() || seen.insert(group).second) {
            kept.append(p);
        }
    }
    if (kept.size() == all.size()) {
        return false;
    }
    legend->clearItems();
    for (auto* p : kept) {
        const QString group = p->property(kGroupProperty).toString();
        if (!group.isEmpty() && p->name() != group) {
            const QString old = p->name();
            p->setName(group);
            undo->push_back([guard = QPointer<QCPAbstractPlottable>(p), old] {
                if (guard) {
                    guard->setName(old);
                }
            });
        }
        legend->addItem(new QCPPlottableLegendItem(legend, p));
    }
    undo->push_back([legend, all] {
        // Put back only if the plot was not redrawn meanwhile.
        if (std::any_of(all.begin(), all.end(), [](const auto& p) { return p.isNull(); })) {
            return;
        }
        legend->clearItems();
        for (const auto& p : all) {
            legend->addItem(new QCPPlottableLegendItem(legend, p));
        }
    });
    return true;
}

// The legend beside the plot area (in a grid with it), one column.
void moveLegendBeside(QCustomPlot* plot, UndoList* undo) {
    QCPLayoutGrid* top = plot->plotLayout();
    QCPAxisRect* rect = plot->axisRect();
    QCPLegend* legend = plot->legend;
    int row = -1, column = -1;
    for (int r = 0; r < top->rowCount(); ++r) {
        for (int c = 0; c < top->columnCount(); ++c) {
            if (top->element(r, c) == rect) {
                row = r;
                column = c;
            }
        }
    }
    if (row < 0 || legend->layout() != top) {
        return;
    }
    int legendRow = -1;
    for (int r = 0; r < top->rowCount(); ++r) {
        if (top->element(r, 0) == legend) {
            legendRow = r;
        }
    }
    const double legendStretch = top->rowStretchFactors().value(legendRow, 0.001);
    // The legend's row goes (it follows the plot's, so `row` stays), then the
    // plot's cell holds a grid of plot and legend.
    top->take(legend);
    top->simplify();
    top->take(rect);
    auto* beside = new QCPLayoutGrid;
    top->addElement(row, column, beside);
    beside->addElement(0, 0, rect);
    beside->addElement(0, 1, legend);
    beside->setColumnStretchFactor(1, 0.001);
    beside->setColumnSpacing(2);
    undo->push_back([top, beside, rect, legend, row, column, legendRow, legendStretch] {
        beside->take(rect);
        beside->take(legend);
        top->remove(beside);
        top->addElement(row, column, rect);
        const int at = std::min(std::max(legendRow, 0), top->rowCount());
        top->insertRow(at);
        top->addElement(at, 0, legend);
        top->setRowStretchFactor(at, legendStretch);
    });
}

// --- Matrix -------------------------------------------------------------------

struct MatrixParts {
    QCPAxisRect* cells = nullptr;
    QCPAxisRect* bar = nullptr;
    QSharedPointer<CategoryTicker> x, y;
};

MatrixParts matrixParts(QCustomPlot* plot) {
    MatrixParts m;
    const auto rects = plot->axisRects();
    if (rects.size() < 1) {
        return m;
    }
    m.cells = rects[0];
    m.bar = rects.size() > 1 ? rects[1] : nullptr;
    m.x = m.cells->axis(QCPAxis::atBottom)->ticker().dynamicCast<CategoryTicker>();
    m.y = m.cells->axis(QCPAxis::atLeft)->ticker().dynamicCast<CategoryTicker>();
    return m;
}

// Lays the matrix out at w x h: full class names where they fit without
// crowding the cells (vertical under the matrix when wider than a cell),
// else the numbers 1..n (thinned to fit; the report's caption is the key);
// then margins that make the cells square. `natural` receives the cells'
// area before squaring (for the height a square needs).
void fitMatrix(QCustomPlot* plot, int w, int h, UndoList* undo, QSize* natural, bool onScreen) {
    MatrixParts m = matrixParts(plot);
    if (!m.x || !m.y) {
        return;
    }
    QCPAxis* xAxis = m.cells->axis(QCPAxis::atBottom);
    const int n = static_cast<int>(m.x->ticks().size());
    const QFontMetricsF fm(xAxis->tickLabelFont());
    double widestName = 0;
    for (const auto& [pos, name] : m.x->ticks()) {
        widestName = std::max(widestName, fm.horizontalAdvance(name));
    }
    const double widestNumber = fm.horizontalAdvance(QString::number(std::max(n, 1)));
    const double oldRotation = xAxis->tickLabelRotation();
    undo->push_back([xAxis, oldRotation] { xAxis->setTickLabelRotation(oldRotation); });
    for (auto ticker : {m.x, m.y}) {
        const bool numbered = ticker->numbered();
        const int stride = ticker->stride();
        undo->push_back([ticker, numbered, stride] {
            ticker->setNumbered(numbered);
            ticker->setStride(stride);
        });
    }
    QList<QCPItemText*> cellTexts;
    for (int i = 0; i < plot->itemCount(); ++i) {
        if (auto* t = qobject_cast<QCPItemText*>(plot->item(i)); t && t->visible()) {
            cellTexts.append(t);
        }
    }
    const QMargins cellsMargins = m.cells->minimumMargins();
    const QMargins barMargins = m.bar ? m.bar->minimumMargins() : QMargins();
    auto layOut = [&](bool numbered) {
        m.x->setNumbered(numbered);
        m.y->setNumbered(numbered);
        m.x->setStride(1);
        m.y->setStride(1);
        m.cells->setMinimumMargins(cellsMargins);
        if (m.bar) {
            m.bar->setMinimumMargins(barMargins);
        }
        xAxis->setTickLabelRotation(0);
        ChartGeometry g = measureChart(plot, w, h);
        const double cell =
            std::min(g.axisRect.width(), g.axisRect.height()) / double(std::max(n, 1));
        if (!numbered) {
            if (cell < fm.height() + 2) {
                return false;  // names are never thinned: every class keeps its label
            }
            xAxis->setTickLabelRotation(widestName <= cell - 4 ? 0 : -90);
        } else {
            m.x->setStride(
                static_cast<int>(std::ceil((widestNumber + fm.averageCharWidth()) / cell)));
            m.y->setStride(static_cast<int>(std::ceil((fm.height() + 1) / cell)));
        }
        g = measureChart(plot, w, h);
        if (natural) {
            *natural = g.axisRect.size();
        }
        // Square cells: the longer side gives up the difference, split
        // between the two margins (horizontally: the matrix's left and the
        // colour bar's right, so the two stay side by side).
        for (int round = 0; round < 3; ++round) {
            const int dx = g.axisRect.width() - g.axisRect.height();
            if (std::abs(dx) <= 1) {
                break;
            }
            QMargins cm = m.cells->margins();
            if (dx > 0) {
                cm.setLeft(cm.left() + dx / 2);
                if (m.bar) {
                    QMargins bm = m.bar->margins();
                    bm.setRight(bm.right() + dx - dx / 2);
                    m.bar->setMinimumMargins(bm);
                } else {
                    cm.setRight(cm.right() + dx - dx / 2);
                }
            } else {
                cm.setTop(cm.top() + (-dx) / 2);
                cm.setBottom(cm.bottom() + (-dx) - (-dx) / 2);
            }
            m.cells->setMinimumMargins(cm);
            g = measureChart(plot, w, h);
        }
        const double side = std::min(g.axisRect.width(), g.axisRect.height());
        const double square = side / std::max(n, 1);
        bool fits = true;
        for (auto* t : cellTexts) {
            const QFontMetricsF tm(t->font());
            if (tm.horizontalAdvance(t->text()) > square - 2 || tm.height() > square) {
                fits = false;
            }
        }
        for (auto* t : cellTexts) {
            t->setVisible(fits);
        }
        // A figure's matrix keeps 55% of its width and height (the report
        // makes it as tall as it needs); a widget's is square in whatever
        // shape the window gives it, so there it keeps 55% of the shorter side.
        const bool roomy = onScreen ? side >= kMinArea * std::min(w, h)
                                    : side >= kMinArea * w && side >= kMinArea * h;
        return numbered || (textProblems(g).isEmpty() && roomy);
    };
    undo->push_back([cells = m.cells, bar = m.bar, cellsMargins, barMargins] {
        cells->setMinimumMargins(cellsMargins);
        if (bar) {
            bar->setMinimumMargins(barMargins);
        }
    });
    for (auto* t : cellTexts) {
        undo->push_back([guard = QPointer<QCPItemText>(t)] {
            if (guard) {
                guard->setVisible(true);
            }
        });
    }
    if (!layOut(false)) {
        layOut(true);
    }
    // The colour bar's ticks may crowd at a small size.
    settle(plot, w, h, undo);
}

}  // namespace

QVector<double> CategoryTicker::createTickVector(double, const QCPRange& range) {
    QVector<double> out;
    for (int i = 0; i < mTicks.size(); i += mStride) {
        if (range.contains(mTicks[i].first)) {
            out << mTicks[i].first;
        }
    }
    return out;
}

void CategoryTicker::setTicks(const QVector<std::pair<double, QString>>& ticks) {
    mTicks = ticks;
    mStride = 1;
}

QString CategoryTicker::getTickLabel(double tick, const QLocale&, QChar, int) {
    for (int i = 0; i < mTicks.size(); ++i) {
        if (qFuzzyCompare(mTicks[i].first + 1.0, tick + 1.0)) {
            return mNumbered ? QString::number(i + 1) : mTicks[i].second;
        }
    }
    return {};
}

void setLegendGroup(QCPAbstractPlottable* plottable, const QString& group) {
    plottable->setProperty(kGroupProperty, group);
}

void markMatrix(QCustomPlot* plot) {
    plot->setProperty(kMatrixProperty, true);
}

bool isMatrix(const QCustomPlot* plot) {
    return plot->property(kMatrixProperty).toBool();
}

namespace {

void fit(QCustomPlot* plot, int w, int h, UndoList* undo, bool onScreen) {
    undoScreenFit(plot);
    if (w < 20 || h < 20) {
        return;
    }
    if (isMatrix(plot)) {
        fitMatrix(plot, w, h, undo, nullptr, onScreen);
        return;
    }
    QCPLegend* legend = plot->legend;
    if (!legend || !legend->visible() || legendEntries(legend) == 0) {
        settle(plot, w, h, undo);
        return;
    }
    // In order of preference: below in columns, beside in one, and the same
    // two with one entry per architecture.
    struct Attempt {
        bool beside;
        bool summary;
    };
    const Attempt attempts[] = {{false, false}, {true, false}, {false, true}, {true, true}};
    // Lays the legend out as `a` asks and settles the ticks; false when a
    // summary would change nothing (no architecture has two entries).
    auto apply = [&](const Attempt& a, UndoList* into, ChartGeometry* g) {
        if (a.summary && !summariseLegend(plot, into)) {
            return false;
        }
        if (a.beside) {
            moveLegendBeside(plot, into);
            setColumns(legend, 1, into);
        } else {
            setColumns(legend, columnsFor(legend, w), into);
        }
        *g = settle(plot, w, h, into);
        return true;
    };
    int best = -1;
    double bestScore = -1;
    for (int i = 0; i < 4; ++i) {
        UndoList local;
        ChartGeometry g;
        if (!apply(attempts[i], &local, &g)) {
            continue;
        }
        const double share = areaShare(g);
        const bool clean = textProblems(g).isEmpty();
        if (clean && share >= kMinArea) {
            undo->insert(undo->end(), local.begin(), local.end());
            return;
        }
        const double score = share + (clean ? 1.0 : 0.0);
        if (score > bestScore) {
            bestScore = score;
            best = i;
        }
        runUndo(local);
    }
    // Nothing holds (a tiny widget): the attempt that comes closest.
    if (best >= 0) {
        ChartGeometry g;
        apply(attempts[best], undo, &g);
    }
}

}  // namespace

void fitChart(QCustomPlot* plot, int w, int h, UndoList* undo) {
    fit(plot, w, h, undo, false);
}

void fitChartOnScreen(QCustomPlot* plot) {
    auto* screen = plot->findChild<ScreenFit*>(kScreenFitName, Qt::FindDirectChildrenOnly);
    if (!screen) {
        screen = new ScreenFit(plot);
    }
    runUndo(screen->undo);
    UndoList undo;
    fit(plot, plot->width(), plot->height(), &undo, true);
    screen->undo = std::move(undo);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

int matrixHeightFor(QCustomPlot* plot, int w) {
    int h = static_cast<int>(std::lround(w * 0.9));
    for (int round = 0; round < 4; ++round) {
        UndoList undo;
        QSize natural;
        fitMatrix(plot, w, h, &undo, &natural, false);
        runUndo(undo);
        const int next = h + natural.width() - natural.height();
        if (std::abs(next - h) <= 1) {
            break;
        }
        h = std::clamp(next, w / 2, w * 2);
    }
    return h;
}

}  // namespace vidrnn::ui
