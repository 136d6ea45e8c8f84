#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

#include "mainwindow.h"
#include "vidrnn/runtime.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("vidrnn-workbench");
    QApplication::setOrganizationName("vidrnn");
    QApplication::setApplicationVersion(VIDRNN_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("vidrnn workbench: recurrent networks for video actions");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot("screenshot", "render the window to FILE (PNG) and quit", "FILE");
    parser.addOption(screenshot);
    parser.process(app);

    vidrnn::configureThreads(0);
    vidrnn::ui::MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(300, &window, [&window, file] {
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
