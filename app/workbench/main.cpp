#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QTimer>

#include <cstdio>

#include "instruments/autopilot.h"
#include "shell/mainwindow.h"
#include "vidrnn/demo.h"
#include "vidrnn/errors.h"
#include "vidrnn/runtime.h"
#include "vidrnn/store.h"
#include "views/datasetview.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("vidrnn-workbench");
    QApplication::setOrganizationName("vidrnn");
    QApplication::setApplicationVersion(VIDRNN_VERSION);
    // The installed desktop entry (packaging/), so desktops match the window to it.
    QGuiApplication::setDesktopFileName(QStringLiteral("org.vidrnn.workbench"));
    QApplication::setWindowIcon(
        QIcon::fromTheme(QStringLiteral("vidrnn"), QIcon(QStringLiteral(":/vidrnn/vidrnn.svg"))));

    QCommandLineParser parser;
    parser.setApplicationDescription("vidrnn workbench: recurrent networks for video actions");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot("screenshot", "render the window to FILE (PNG) and quit", "FILE");
    QCommandLineOption delay("screenshot-delay",
                             "milliseconds before --screenshot renders (default 300)", "MS", "300");
    QCommandLineOption views("screenshot-views",
                             "train one small run on the data (or the demo), fill every view, save "
                             "a screenshot of each into DIR and quit",
                             "DIR");
    QCommandLineOption probe("stall-probe",
                             "train one demo-sized run and print the longest UI-thread stall");
    QCommandLineOption data("data", "open this data set (folder or manifest) at start", "PATH");
    QCommandLineOption db("db",
                          "the run store: a SQLite file or postgresql://[user@]host[:port]/dbname "
                          "(default: ./experiments.db if it exists, else experiments.db in "
                          "$XDG_DATA_HOME/vidrnn or ~/.local/share/vidrnn)",
                          "FILE|URL");
    QCommandLineOption demo("demo", "open the demo data (generated into demo-data/ when missing)");
    QCommandLineOption reproduce("reproduce",
                                 "the main job in the window: the demo data (generated into "
                                 "demo-data/ when missing) and the study's sweep on it, as "
                                 "`vidrnn demo` runs it (either resumes the other's sweep)");
    QCommandLineOption report("export-report",
                              "write File > Export report into DIR (the store's newest sweep "
                              "on a first start) and quit",
                              "DIR");
    QCommandLineOption exportSize(
        "export-size",
        "the charts' size for --export-report: WIDTHxHEIGHT[cm|px][@POINTSpt] (8.5x6.5cm@8pt "
        "for one column of a two-column paper, 17x10cm@9pt for both; default: the last size "
        "exported, else 12x7.5cm@9pt)",
        "SIZE");
    QCommandLineOption threads("threads", "LibTorch threads (default: all cores)", "N", "0");
    QCommandLineOption fresh("no-settings", "ignore and keep the saved layout and settings");
    parser.addOptions({screenshot, delay, views, probe, data, db, demo, reproduce, report,
                       exportSize, threads, fresh});
    parser.process(app);

    vidrnn::configureThreads(parser.value(threads).toInt());
    const bool autopilot = parser.isSet(views) || parser.isSet(probe);
    vidrnn::ui::MainWindowOptions options;
    options.storePath = parser.value(db);
    if (options.storePath.isEmpty()) {
        // Without a home folder there is no default store (never one in
        // /tmp): said here, not as an exception out of the window.
        try {
            (void)vidrnn::resolveStorePath({});
        } catch (const vidrnn::Error& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            return 1;
        }
    }
    options.dataPath = autopilot ? QString() : parser.value(data);
    const bool oneShot = parser.isSet(screenshot) || parser.isSet(report);
    options.restoreSettings = !parser.isSet(fresh) && !autopilot && !oneShot;
    options.saveSettings = !parser.isSet(fresh) && !autopilot && !oneShot;
    // A first start lands on the newest sweep's results (after tools/demo.sh:
    // the demo's), a later one reopens the last data set and view.
    options.landOnResults = !autopilot && !parser.isSet(reproduce) && !parser.isSet(demo);
    vidrnn::ui::MainWindow window(options);
    window.show();
    if (parser.isSet(reproduce) && !autopilot) {
        window.reproduceStudy();
    } else if (parser.isSet(demo) && !autopilot) {
        window.datasetView()->generateDemo(QDir::current().absoluteFilePath("demo-data"), "small");
    }

    if (autopilot) {
        vidrnn::ui::AutopilotOptions ao;
        ao.screenshotDir = parser.value(views);
        ao.dataPath = parser.value(data);
        // The CLI demo's data settings with one GRU.
        ao.run = vidrnn::withPreset("demo", vidrnn::TrainConfig{});
        ao.run.arch = "gru";
        ao.run.hidden = 128;
        ao.run.device = "cpu";
        auto* pilot = new vidrnn::ui::Autopilot(&window, ao, &window);
        QObject::connect(pilot, &vidrnn::ui::Autopilot::done, &app,
                         [](int code, const QString& message) {
                             std::fprintf(code ? stderr : stdout, "%s%s\n", code ? "error: " : "",
                                          qPrintable(message));
                             QApplication::exit(code);
                         });
        QTimer::singleShot(0, pilot, &vidrnn::ui::Autopilot::start);
    } else if (parser.isSet(report)) {
        const QString dir = parser.value(report);
        vidrnn::ui::ChartSize size = vidrnn::ui::ChartSize::load();
        if (parser.isSet(exportSize)) {
            QString error;
            if (!vidrnn::ui::ChartSize::parse(parser.value(exportSize), &size, &error)) {
                std::fprintf(stderr, "error: --export-size: %s\n", qPrintable(error));
                return 2;
            }
        }
        QTimer::singleShot(parser.value(delay).toInt(), &window, [&window, dir, size] {
            QStringList files;
            const QString error = window.exportReportTo(dir, size, &files);
            if (!error.isEmpty()) {
                std::fprintf(stderr, "error: %s\n", qPrintable(error));
                QApplication::exit(1);
                return;
            }
            std::printf("report: %d files in %s\n", static_cast<int>(files.size()),
                        qPrintable(dir));
            QApplication::quit();
        });
    } else if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(parser.value(delay).toInt(), &window, [&window, file] {
            if (!window.grab().save(file)) {
                std::fprintf(stderr, "error: %s: cannot write the screenshot\n", qPrintable(file));
                QApplication::exit(1);
                return;
            }
            QApplication::quit();
        });
    }
    return QApplication::exec();
}
