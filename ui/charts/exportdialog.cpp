#include "charts/exportdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>

#include "charts/exporter.h"
#include "charts/qcp.h"

namespace vidrnn::ui {

ExportDialog::ExportDialog(QWidget* parent, const QString& baseName) : QDialog(parent) {
    setWindowTitle(tr("Export chart"));
    mFile = new QLineEdit(QDir::current().absoluteFilePath(baseName + ".pdf"), this);
    mFile->setMinimumWidth(360);
    auto* browse = new QPushButton(tr("Browse…"), this);
    mFormat = new QComboBox(this);
    mFormat->addItem(tr("PDF document"), "pdf");
    mFormat->addItem(tr("SVG drawing"), "svg");
    mFormat->addItem(tr("PNG image"), "png");
    mUnit = new QComboBox(this);
    mUnit->setObjectName("exportUnit");
    mUnit->addItem(tr("cm (on paper; PNG at 300 dpi)"), "cm");
    mUnit->addItem(tr("pixels"), "px");
    mWidth = new QDoubleSpinBox(this);
    mWidth->setObjectName("exportWidth");
    mHeight = new QDoubleSpinBox(this);
    mHeight->setObjectName("exportHeight");
    mFont = new QDoubleSpinBox(this);
    mFont->setObjectName("exportFont");
    mFont->setRange(5, 24);
    mFont->setDecimals(1);
    mFont->setSuffix(tr(" pt"));
    auto* column = new QPushButton(tr("One column (8.5 cm)"), this);
    auto* page = new QPushButton(tr("Two columns (17 cm)"), this);
    const ChartSize last = ChartSize::load();
    mUnit->setCurrentIndex(last.unit == ChartSize::Unit::Px ? 1 : 0);
    syncUnit();
    mWidth->setValue(last.width);
    mHeight->setValue(last.height);
    mFont->setValue(last.fontPt > 0 ? last.fontPt : 9.0);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(mFile, 1);
    fileRow->addWidget(browse);
    auto* sizes = new QHBoxLayout;
    sizes->addWidget(column);
    sizes->addWidget(page);
    auto* form = new QFormLayout(this);
    form->addRow(tr("File"), fileRow);
    form->addRow(tr("Format"), mFormat);
    form->addRow(tr("Unit"), mUnit);
    form->addRow(tr("Width"), mWidth);
    form->addRow(tr("Height"), mHeight);
    form->addRow(tr("Text"), mFont);
    form->addRow(QString(), sizes);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    auto paper = [this](double width, double height) {
        mUnit->setCurrentIndex(0);
        mWidth->setValue(width);
        mHeight->setValue(height);
        mFont->setValue(width < 10 ? 8 : 9);
    };
    connect(column, &QPushButton::clicked, this, [paper] { paper(8.5, 6.5); });
    connect(page, &QPushButton::clicked, this,
            [paper] { paper(17, 10); });  // the sizes tst_chartlayout checks
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        chartSize().save();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(mFormat, &QComboBox::currentIndexChanged, this, &ExportDialog::syncSuffix);
    connect(mUnit, &QComboBox::currentIndexChanged, this, [this] {
        // Keep the physical size: 1 cm is 96 / 2.54 px on screen.
        const bool px = mUnit->currentData().toString() == "px";
        const double w = mWidth->value(), h = mHeight->value();
        syncUnit();
        const double f = px ? 96 / 2.54 : 2.54 / 96;
        mWidth->setValue(w * f);
        mHeight->setValue(h * f);
    });
}

void ExportDialog::syncUnit() {
    const bool px = mUnit->currentData().toString() == "px";
    for (auto* box : {mWidth, mHeight}) {
        box->setDecimals(px ? 0 : 1);
        box->setRange(px ? 100 : 2, px ? 10000 : 60);
        box->setSingleStep(px ? 10 : 0.5);
        box->setSuffix(px ? tr(" px") : tr(" cm"));
    }
    mFont->setEnabled(!px);
}

QString ExportDialog::fileName() const {
    return mFile->text();
}

ChartSize ExportDialog::chartSize() const {
    ChartSize size;
    size.unit = mUnit->currentData().toString() == "px" ? ChartSize::Unit::Px : ChartSize::Unit::Cm;
    size.width = mWidth->value();
    size.height = mHeight->value();
    size.fontPt = size.unit == ChartSize::Unit::Px ? 0.0 : mFont->value();
    return size;
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
    ExportDialog dialog(plot->window(), base);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    QString file = dialog.fileName();
    if (!isChartFile(file)) {
        file += '.' + dialog.mFormat->currentData().toString();
    }
    const QString error = ui::exportChart(plot, file, dialog.chartSize());
    if (!error.isEmpty()) {
        QMessageBox::critical(plot->window(), tr("Export failed"), error);
    }
}

void ExportDialog::exportWidgetChart(QWidget* widget, const QString& baseName) {
    ExportDialog dialog(widget->window(), baseName);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    QString file = dialog.fileName();
    if (!isChartFile(file)) {
        file += '.' + dialog.mFormat->currentData().toString();
    }
    // A widget is rendered at its pixels: cm at the screen's 96 dpi.
    const ChartSize size = dialog.chartSize();
    const double f = size.unit == ChartSize::Unit::Cm ? 96 / 2.54 : 1.0;
    const QString error = exportWidget(widget, file, static_cast<int>(size.width * f),
                                       static_cast<int>(size.height * f));
    if (!error.isEmpty()) {
        QMessageBox::critical(widget->window(), tr("Export failed"), error);
    }
}

void ExportDialog::exportTable(QWidget* parent, const QAbstractItemModel* model,
                               const QString& baseName, const QString& caption) {
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
    const QString error =
        writeTextFile(file, tableText(model, format, caption.isEmpty() ? baseName : caption));
    if (!error.isEmpty()) {
        QMessageBox::critical(parent, tr("Export failed"), error);
    }
}

}  // namespace vidrnn::ui
