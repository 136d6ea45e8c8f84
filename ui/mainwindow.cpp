#include "mainwindow.h"

#include <QHeaderView>
#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "vidrnn/models.h"
#include "vidrnn/runtime.h"

namespace vidrnn::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("vidrnn workbench"));
    auto* tabs = new QTabWidget(this);
    tabs->setObjectName("mainTabs");

    auto* modelsPage = new QWidget(tabs);
    auto* layout = new QVBoxLayout(modelsPage);
    auto* intro = new QLabel(tr("Architectures of the study over 512-d frame features "
                                "(ConvLSTM: 512-channel maps), 11 classes."),
                             modelsPage);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    mModelTable = new QTableWidget(modelsPage);
    mModelTable->setObjectName("modelTable");
    layout->addWidget(mModelTable);
    tabs->addTab(modelsPage, tr("Models"));
    setCentralWidget(tabs);

    populateModelTable();
    const auto info = runtimeInfo();
    statusBar()->showMessage(
        tr("LibTorch %1 · %2 threads · %3")
            .arg(QString::fromStdString(info.torchVersion))
            .arg(info.threads)
            .arg(info.cudaAvailable ? tr("CUDA: %1 device(s)").arg(info.cudaDevices)
                                    : tr("CPU only")));
    resize(1280, 800);
}

void MainWindow::populateModelTable() {
    const QList<std::int64_t> hiddenSizes = {64, 128, 256, 512};
    const auto& archs = architectures();
    mModelTable->setColumnCount(1 + static_cast<int>(hiddenSizes.size()));
    QStringList headers = {tr("Architecture")};
    for (auto h : hiddenSizes) {
        headers << tr("hidden %1").arg(h);
    }
    mModelTable->setHorizontalHeaderLabels(headers);
    mModelTable->setRowCount(static_cast<int>(archs.size()));
    mModelTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int row = 0; row < static_cast<int>(archs.size()); ++row) {
        const auto& arch = archs[static_cast<std::size_t>(row)];
        mModelTable->setItem(row, 0,
                             new QTableWidgetItem(QString::fromStdString(archDisplayName(arch))));
        for (int col = 0; col < hiddenSizes.size(); ++col) {
            ModelSpec spec;
            spec.arch = arch;
            spec.hidden = hiddenSizes[col];
            auto* item = new QTableWidgetItem(QLocale().toString(
                static_cast<qlonglong>(parameterCount(spec))));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            mModelTable->setItem(row, col + 1, item);
        }
    }
    mModelTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
}

}  // namespace vidrnn::ui
