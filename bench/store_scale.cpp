// The workbench at store scale: launch to usable, tab switches, a search
// keystroke, select all, compare, an outside write, an epoch of in-app
// training, delete; the wall time of each and the longest UI-thread stall
// (StallProbe: a 10 ms timer's longest gap) while it happens. Also grows a
// store by cloning one run (tests/storegrow.h), for bench/store_scale.sh.
//
//   bench_store_scale --grow SOURCE.db OUT.db N   OUT = SOURCE + N clones of its newest run
//   bench_store_scale --workbench STORE.db        one JSON object per action on stdout
#include <sys/resource.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QTableView>
#include <QTest>
#include <cstdio>
#include <functional>
#include <utility>

#include "instruments/stallprobe.h"
#include "models/runsmodel.h"
#include "models/storesession.h"
#include "shell/mainwindow.h"
#include "storegrow.h"
#include "views/compareview.h"
#include "views/runsview.h"

using namespace vidrnn;
using namespace vidrnn::ui;

namespace {

double peakMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

// Does `action`, then lets the event loop run until `done` holds; prints the
// wall time until then and the longest stall of the UI thread meanwhile.
void measure(const char* name, const std::function<void()>& action,
             const std::function<bool()>& done) {
    StallProbe probe;
    probe.start();
    QTest::qWait(25);  // ticks before the action, so that an action that blocks shows as a gap
    QElapsedTimer clock;
    clock.start();
    action();
    const bool finished = QTest::qWaitFor(done, 120000);
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    QTest::qWait(30);  // one more tick, so a stall at the very end is seen
    probe.stop();
    // max_busy_ms: the UI thread's own CPU time within its longest gap (the
    // stall without the time spent waiting for a core on a loaded machine).
    std::printf(
        "{\"action\": \"%s\", \"ms\": %.1f, \"max_stall_ms\": %.1f, "
        "\"max_busy_ms\": %.1f, \"finished\": %s}\n",
        name, ms, probe.maxGapMs(), probe.maxBusyMs(), finished ? "true" : "false");
    std::fflush(stdout);
}

int workbench(const QString& db) {
    MainWindowOptions options;
    options.storePath = db;
    options.restoreSettings = false;
    options.saveSettings = false;
    std::unique_ptr<MainWindow> window;
    RunsView* runs = nullptr;
    auto idle = [&] { return runs && runs->model()->rowCount() > 0 && !runs->model()->busy(); };
    measure(
        "launch to usable",
        [&] {
            QElapsedTimer construct;
            construct.start();
            window = std::make_unique<MainWindow>(options);
            std::printf("{\"action\": \"launch: window constructed\", \"ms\": %.1f}\n",
                        double(construct.nsecsElapsed()) / 1e6);
            runs = window->runsView();
            window->resize(1400, 900);
            window->show();
        },
        idle);
    window->session()->setPollInterval(100);
    int rebuilt = 0;  // the Compare view reads and draws when shown
    QObject::connect(window->compareView(), &CompareView::rebuilt, [&] { ++rebuilt; });
    const std::pair<MainWindow::View, const char*> tabs[] = {
        {MainWindow::DataView, "tab switch to Data set"},
        {MainWindow::TrainView, "tab switch to Train"},
        {MainWindow::CompareTab, "tab switch to Compare"},
        {MainWindow::ResultsView, "tab switch to Results"},
        {MainWindow::ScrubView, "tab switch to Scrubber"},
        {MainWindow::ModelsView, "tab switch to Models"},
        {MainWindow::RunsTab, "tab switch to Runs"}};
    for (const auto& tab : tabs) {
        const MainWindow::View view = tab.first;
        rebuilt = 0;
        measure(
            tab.second, [&] { window->showView(view); },
            [&] {
                QTest::qWait(50);
                return view != MainWindow::CompareTab || rebuilt > 0;
            });
    }
    auto* model = runs->model();
    measure(
        "search keystroke (nothing selected)", [&] { runs->filterEdit()->setText("g"); }, idle);
    measure(
        "search cleared", [&] { runs->filterEdit()->clear(); }, idle);
    // Compare on the Compare tab (hidden, it only marks itself stale), until
    // it has read and drawn.
    window->showView(MainWindow::CompareTab);
    (void)QTest::qWaitFor([&] { return rebuilt > 0; }, 120000);
    rebuilt = 0;
    measure(
        "compare (nothing selected)", [&] { window->compareView()->setRunIds({}); },
        [&] { return rebuilt > 0; });
    window->showView(MainWindow::RunsTab);
    measure(
        "select all", [&] { runs->selectAll(); }, [] { return true; });
    measure(
        "search keystroke (all selected)", [&] { runs->filterEdit()->setText("g"); }, idle);
    measure(
        "search cleared (all selected)", [&] { runs->filterEdit()->clear(); }, idle);
    const auto selected = runs->selectedRunIds();
    window->showView(MainWindow::CompareTab);
    rebuilt = 0;
    measure(
        "compare (all selected)", [&] { window->compareView()->setRunIds(selected); },
        [&] { return rebuilt > 0; });
    window->showView(MainWindow::RunsTab);
    auto writer = RunStore::open(db.toStdString());
    const qint64 target = model->runAt(0)->id;
    int changes = 0;
    QObject::connect(model, &QAbstractItemModel::dataChanged, [&] { ++changes; });
    measure(
        "outside write", [&] { writer.annotate(target, "outside write"); },
        [&] { return changes > 0 && !model->busy(); });
    changes = 0;
    // What an epoch of in-app training does to the window: the trainer writes
    // its epoch, the training view announces it (TrainingView -> MainWindow ->
    // StoreSession::refresh).
    measure(
        "epoch of in-app training",
        [&] {
            writer.heartbeat(target);
            window->session()->refresh();
        },
        [&] { return !model->busy(); });
    const int rows = model->rowCount();
    measure(
        "delete", [&] { runs->deleteRuns({target}); },
        [&] { return model->rowCount() == rows - 1 && !model->busy(); });
    std::printf("{\"action\": \"peak memory\", \"mb\": %.1f}\n", peakMb());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 5 && std::string(argv[1]) == "--grow") {
        QFile::remove(argv[3]);
        if (!QFile::copy(argv[2], argv[3])) {
            std::fprintf(stderr, "error: cannot copy %s to %s\n", argv[2], argv[3]);
            return 1;
        }
        const auto source = RunStore::open(argv[3]).runIds(
            RunQuery{RunFilter{RunStatus::Completed, RunKind::Trained, {}, {}, {}, 0},
                     {},
                     RunSort::Id,
                     true,
                     0,
                     1});
        if (source.empty()) {
            std::fprintf(stderr, "error: %s: no completed run to clone\n", argv[2]);
            return 1;
        }
        const std::string error =
            vidrnn::test::growStore(argv[3], source.front(), std::atoll(argv[4]));
        if (!error.empty()) {
            std::fprintf(stderr, "error: %s: %s\n", argv[3], error.c_str());
            return 1;
        }
        return 0;
    }
    if (argc == 3 && std::string(argv[1]) == "--workbench") {
        QApplication app(argc, argv);
        return workbench(QString::fromLocal8Bit(argv[2]));
    }
    std::fprintf(stderr,
                 "usage: bench_store_scale --grow SOURCE.db OUT.db N | --workbench STORE.db\n");
    return 2;
}
