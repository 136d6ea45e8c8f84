// The model zoo: every architecture at the study's hidden sizes with the
// parameter count of the real LibTorch module. The counts build every module
// (about a second in all), so they are computed off the UI thread.
#pragma once

#include <QFutureWatcher>
#include <QVector>
#include <QWidget>

class QTableWidget;

namespace vidrnn::ui {

class ModelZooView : public QWidget {
    Q_OBJECT
public:
    explicit ModelZooView(QWidget* parent = nullptr);
    ~ModelZooView() override;

    QTableWidget* table() const { return mTable; }
    bool isReady() const { return mReady; }

Q_SIGNALS:
    void ready();

private:
    void populate(const QVector<qint64>& counts);

    QTableWidget* mTable = nullptr;
    QFutureWatcher<QVector<qint64>>* mWatcher = nullptr;
    bool mReady = false;
};

}  // namespace vidrnn::ui
