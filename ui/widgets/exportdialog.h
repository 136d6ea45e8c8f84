// Asks where to write a chart and at what size (PNG, SVG or PDF), or where to
// write a table (CSV, Markdown, LaTeX), then writes it; failures are shown
// naming the file and the reason.
#pragma once

#include <QDialog>

class QAbstractItemModel;
class QComboBox;
class QCustomPlot;
class QLineEdit;
class QSpinBox;

namespace vidrnn::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(QWidget* parent, const QString& baseName, QSize size);

    QString fileName() const;
    QSize imageSize() const;

    static void exportChart(QCustomPlot* plot);
    static void exportWidgetChart(QWidget* widget, const QString& baseName);
    static void exportTable(QWidget* parent, const QAbstractItemModel* model,
                            const QString& baseName);

private:
    void browse();
    void syncSuffix();

    QLineEdit* mFile = nullptr;
    QComboBox* mFormat = nullptr;
    QSpinBox* mWidth = nullptr;
    QSpinBox* mHeight = nullptr;
};

}  // namespace vidrnn::ui
