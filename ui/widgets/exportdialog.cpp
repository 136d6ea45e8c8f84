#include "widgets/exportdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

#include "charts/exporter.h"
#include "charts/qcp.h"

namespace vidrnn::ui {

ExportDialog::ExportDialog(QWidget* parent, const QString& baseName, QSize size) : QDialog(parent) {
    setWindowTitle(tr("Export chart"));
    mFile = new QLineEdit(QDir::current().absoluteFilePath(baseName + ".png"), this);
    mFile->setMinimumWidth(360);
    auto* browse = new QPushButton(tr("Browse…"), this);
    mFormat = new QComboBox(this);
    mFormat->addItem(tr("PNG image"), "png");
    mFormat->addItem(tr("SVG drawing"), "svg");
    mFormat->addItem(tr("PDF document"), "pdf");
    mWidth = new QSpinBox(this);
    mWidth->setRange(100, 10000);
    mWidth->setValue(std::max(size.width(), 800));
    mWidth->setSuffix(tr(" px"));
    mHeight = new QSpinBox(this);
    mHeight->setRange(100, 10000);
    mHeight->setValue(std::max(size.height(), 500));
    mHeight->setSuffix(tr(" px"));
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(mFile, 1);
    fileRow->addWidget(browse);
    auto* form = new QFormLayout(this);
    form->addRow(tr("File"), fileRow);
    form->addRow(tr("Format"), mFormat);
    form->addRow(tr("Width"), mWidth);
    form->addRow(tr("Height"), mHeight);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(mFormat, &QComboBox::currentIndexChanged, this, &ExportDialog::syncSuffix);
}

QString ExportDialog::fileName() const {
    return mFile->text();
}
QSize ExportDialog::imageSize() const {
    return {mWidth->value(), mHeight->value()};
}

void ExportDialog::syncSuffix() {
    QFileInfo info(mFile->text());
    mFile->setText(
        info.dir().filePath(info.completeBaseName() + '.' + mFormat->currentData().toString()));
}

void ExportDialog::browse() {
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export chart"), mFile->text(),
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (file.isEmpty()) {
        return;
    }
    mFile->setText(file);
    const int i = mFormat->findData(QFileInfo(file).suffix().toLower());
    if (i >= 0) {
        mFormat->setCurrentIndex(i);
    }
}

void ExportDialog::exportChart(QCustomPlot* plot) {
    QString base = plot->objectName().isEmpty() ? QStringLiteral("chart") : plot->objectName();
    ExportDialog dialog(plot->window(), base, plot->size());
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    QString file = dialog.fileName();
    if (!isChartFile(file)) {
        file += '.' + dialog.mFormat->currentData().toString();
    }
    const QString error =
        ui::exportChart(plot, file, dialog.imageSize().width(), dialog.imageSize().height());
    if (!error.isEmpty()) {
        QMessageBox::critical(plot->window(), tr("Export failed"), error);
    }
}

void ExportDialog::exportWidgetChart(QWidget* widget, const QString& baseName) {
    ExportDialog dialog(widget->window(), baseName, widget->size());
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    QString file = dialog.fileName();
    if (!isChartFile(file)) {
        file += '.' + dialog.mFormat->currentData().toString();
    }
    const QString error =
        exportWidget(widget, file, dialog.imageSize().width(), dialog.imageSize().height());
    if (!error.isEmpty()) {
        QMessageBox::critical(widget->window(), tr("Export failed"), error);
    }
}

void ExportDialog::exportTable(QWidget* parent, const QAbstractItemModel* model,
                               const QString& baseName) {
    const QString file = QFileDialog::getSaveFileName(
        parent, tr("Export table"), QDir::current().absoluteFilePath(baseName + ".csv"),
        tr("CSV (*.csv);;Markdown (*.md);;LaTeX (*.tex)"));
    if (file.isEmpty()) {
        return;
    }
    TableFormat format;
    if (!tableFormatForFile(file, &format)) {
        QMessageBox::critical(parent, tr("Export failed"),
                              tr("%1: unknown table format (use .csv, .md or .tex)").arg(file));
        return;
    }
    const QString error = writeTextFile(file, tableText(model, format, baseName));
    if (!error.isEmpty()) {
        QMessageBox::critical(parent, tr("Export failed"), error);
    }
}

}  // namespace vidrnn::ui
