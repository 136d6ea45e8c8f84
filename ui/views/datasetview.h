// The data set view: open a UCF11 folder, a class-folder tree, a manifest or
// the demo data; classes, groups and clips with counts; skipped clips with
// their reasons; a clip preview.
#pragma once

#include <QWidget>

#include <memory>

#include "vidrnn/dataset.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStandardItemModel;
class QTableWidget;
class QTabWidget;
class QTreeView;
class QPlainTextEdit;
class QModelIndex;

namespace vidrnn::ui {

class ClipPlayer;
class DatasetLoader;

class DatasetView : public QWidget {
    Q_OBJECT
public:
    explicit DatasetView(QWidget* parent = nullptr);

    std::shared_ptr<const Dataset> dataset() const { return mDataset; }
    DatasetLoader* loader() const { return mLoader; }
    ClipPlayer* player() const { return mPlayer; }
    QTreeView* tree() const { return mTree; }
    QTableWidget* skippedTable() const { return mSkipped; }
    QSplitter* splitter() const { return mSplitter; }

public Q_SLOTS:
    void openPath(const QString& path);
    void generateDemo(const QString& dir, const QString& preset);
    void chooseFolder();
    void chooseManifest();
    void chooseDemo();
    void previewClip(const QString& path);

Q_SIGNALS:
    void datasetLoaded(std::shared_ptr<const vidrnn::Dataset> dataset);
    void openInScrubber(const QString& clipPath);
    void errorOccurred(const QString& title, const QString& message);
    void statusMessage(const QString& message);

private:
    void setDataset(std::shared_ptr<const Dataset> dataset, const QString& note);
    void populateTree();
    void populateSkipped();
    void onActivated(const QModelIndex& index);
    void setBusy(bool busy);

    std::shared_ptr<const Dataset> mDataset;
    DatasetLoader* mLoader = nullptr;
    QLabel* mSummary = nullptr;
    QProgressBar* mProgress = nullptr;
    QPushButton* mCancel = nullptr;
    QList<QPushButton*> mOpenButtons;
    QSplitter* mSplitter = nullptr;
    QTreeView* mTree = nullptr;
    QStandardItemModel* mModel = nullptr;
    QTabWidget* mSideTabs = nullptr;
    QTableWidget* mSkipped = nullptr;
    QPlainTextEdit* mNotes = nullptr;
    ClipPlayer* mPlayer = nullptr;
    QLabel* mClipLabel = nullptr;
    QPushButton* mScrub = nullptr;
};

}  // namespace vidrnn::ui
