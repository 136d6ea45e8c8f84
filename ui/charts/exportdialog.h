// Asks where to write a chart and at what size (PNG, SVG or PDF), or where to
// write a table (CSV, Markdown, LaTeX), then writes it; failures are shown
// naming the file and the reason.
#pragma once

#include <QDialog>

#include "charts/exporter.h"

class QAbstractItemModel;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLineEdit;

namespace vidrnn::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // The size starts as the last one used (ChartSize::load()).
    ExportDialog(QWidget* parent, const QString& baseName);

    QString fileName() const;
    ChartSize chartSize() const;

    static void exportChart(QCustomPlot* plot);
    static void exportWidgetChart(QWidget* widget, const QString& baseName);
    static void exportTable(QWidget* parent, const QAbstractItemModel* model,
                            const QString& baseName, const QString& caption = {});

private:
    void browse();
    void syncSuffix();
    void syncUnit();

    QLineEdit* mFile = nullptr;
    QComboBox* mFormat = nullptr;
    QComboBox* mUnit = nullptr;
    QDoubleSpinBox* mWidth = nullptr;
    QDoubleSpinBox* mHeight = nullptr;
    QDoubleSpinBox* mFont = nullptr;
};

}  // namespace vidrnn::ui
