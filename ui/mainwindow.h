// The workbench's main window.
#pragma once

#include <QMainWindow>

class QTableWidget;

namespace vidrnn::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    QTableWidget* modelTable() const { return mModelTable; }

private:
    void populateModelTable();

    QTableWidget* mModelTable = nullptr;
};

}  // namespace vidrnn::ui
