#include "views/datasetview.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include "support/qtsupport.h"
#include "widgets/clipplayer.h"
#include "work/datasetloader.h"

namespace vidrnn::ui {

namespace {

constexpr int kPathRole = Qt::UserRole + 1;

QStandardItem* countItem(long long n) {
    auto* item = new QStandardItem(formatCount(n));
    item->setData(static_cast<qlonglong>(n), Qt::UserRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

DatasetView::DatasetView(QWidget* parent) : QWidget(parent) {
    mLoader = new DatasetLoader(this);

    auto* openFolder = new QPushButton(tr("Open folder…"), this);
    openFolder->setToolTip(tr("A UCF11 folder or a tree of class folders"));
    auto* openManifest = new QPushButton(tr("Open manifest…"), this);
    openManifest->setToolTip(tr("A CSV file: path,label[,group]"));
    auto* demo = new QPushButton(tr("Demo data…"), this);
    demo->setObjectName("demoButton");
    demo->setToolTip(tr("Generate (or reuse) the synthetic UCF11 stand-in"));
    mOpenButtons = {openFolder, openManifest, demo};
    mProgress = new QProgressBar(this);
    mProgress->setObjectName("datasetProgress");
    mProgress->setVisible(false);
    mProgress->setMaximumWidth(320);
    mCancel = new QPushButton(tr("Cancel"), this);
    mCancel->setVisible(false);
    mSummary = new QLabel(tr("No data set open."), this);
    mSummary->setObjectName("datasetSummary");
    mSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mSummary->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(openFolder);
    top->addWidget(openManifest);
    top->addWidget(demo);
    top->addWidget(mProgress);
    top->addWidget(mCancel);
    top->addStretch(1);

    mModel = new QStandardItemModel(this);
    mTree = new QTreeView(this);
    mTree->setObjectName("datasetTree");
    mTree->setModel(mModel);
    mTree->setUniformRowHeights(true);
    mTree->setAlternatingRowColors(true);
    mTree->setEditTriggers(QAbstractItemView::NoEditTriggers);

    mSkipped = new QTableWidget(0, 2, this);
    mSkipped->setObjectName("skippedTable");
    mSkipped->setHorizontalHeaderLabels({tr("Clip"), tr("Reason")});
    mSkipped->horizontalHeader()->setStretchLastSection(true);
    mSkipped->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mSkipped->verticalHeader()->setVisible(false);
    mNotes = new QPlainTextEdit(this);
    mNotes->setReadOnly(true);
    mSideTabs = new QTabWidget(this);
    mSideTabs->addTab(mSkipped, tr("Skipped"));
    mSideTabs->addTab(mNotes, tr("Notes"));

    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(mTree);
    left->addWidget(mSideTabs);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);

    auto* right = new QWidget(this);
    mPlayer = new ClipPlayer(right);
    mPlayer->setObjectName("datasetPlayer");
    mClipLabel = new QLabel(right);
    mClipLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mClipLabel->setWordWrap(true);
    mScrub = new QPushButton(tr("Open in scrubber"), right);
    mScrub->setEnabled(false);
    auto* clipBar = new QHBoxLayout;
    clipBar->addWidget(mClipLabel, 1);
    clipBar->addWidget(mScrub);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(clipBar);
    rightLayout->addWidget(mPlayer, 1);

    mSplitter = new QSplitter(Qt::Horizontal, this);
    mSplitter->setObjectName("datasetSplitter");
    mSplitter->addWidget(left);
    mSplitter->addWidget(right);
    mSplitter->setStretchFactor(0, 1);
    mSplitter->setStretchFactor(1, 1);
    mSplitter->setSizes({560, 700});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(mSummary);
    layout->addWidget(mSplitter, 1);

    connect(openFolder, &QPushButton::clicked, this, &DatasetView::chooseFolder);
    connect(openManifest, &QPushButton::clicked, this, &DatasetView::chooseManifest);
    connect(demo, &QPushButton::clicked, this, &DatasetView::chooseDemo);
    connect(mCancel, &QPushButton::clicked, mLoader, &DatasetLoader::cancel);
    connect(mTree, &QTreeView::activated, this, &DatasetView::onActivated);
    connect(mTree, &QTreeView::doubleClicked, this, &DatasetView::onActivated);
    connect(mSkipped, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        previewClip(mSkipped->item(row, 0)->data(kPathRole).toString());
    });
    connect(mScrub, &QPushButton::clicked, this, [this] {
        if (!mPlayer->path().isEmpty()) {
            Q_EMIT openInScrubber(mPlayer->path());
        }
    });
    connect(mLoader, &DatasetLoader::busyChanged, this, &DatasetView::setBusy);
    connect(mLoader, &DatasetLoader::progress, this,
            [this](const QString& stage, int done, int total) {
                mProgress->setRange(0, std::max(total, 0));
                mProgress->setValue(done);
                mProgress->setFormat(QStringLiteral("%1 %p%").arg(stage));
                mSummary->setText(tr("%1: %2 of %3").arg(stage).arg(done).arg(total));
            });
    connect(mLoader, &DatasetLoader::loaded, this, &DatasetView::setDataset);
    connect(mLoader, &DatasetLoader::failed, this, [this](const QString& msg) {
        mSummary->setText(msg);
        Q_EMIT errorOccurred(tr("Cannot open the data set"), msg);
    });
    connect(mLoader, &DatasetLoader::cancelled, this,
            [this] { mSummary->setText(tr("Cancelled.")); });
    connect(mPlayer, &ClipPlayer::failed, this,
            [this](const QString& msg) { Q_EMIT statusMessage(msg); });
}

void DatasetView::setBusy(bool busy) {
    mProgress->setVisible(busy);
    mCancel->setVisible(busy);
    for (auto* b : mOpenButtons) {
        b->setEnabled(!busy);
    }
    if (busy) {
        mProgress->setRange(0, 0);
    }
}

void DatasetView::openPath(const QString& path) {
    if (mLoader->scan(path)) {
        mSummary->setText(tr("Scanning %1…").arg(path));
    }
}

void DatasetView::generateDemo(const QString& dir, const QString& preset) {
    if (mLoader->generateDemo(dir, preset)) {
        mSummary->setText(tr("Generating the demo data in %1…").arg(dir));
    }
}

void DatasetView::chooseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open a data set folder"), mDataset ? qs(mDataset->root) : QString());
    if (!dir.isEmpty()) {
        openPath(dir);
    }
}

void DatasetView::chooseManifest() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Open a manifest"), QString(),
                                                      tr("CSV manifests (*.csv);;All files (*)"));
    if (!file.isEmpty()) {
        openPath(file);
    }
}

void DatasetView::chooseDemo() {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Demo data"));
    auto* dir = new QLineEdit(QDir::current().absoluteFilePath("demo-data"), &dialog);
    auto* browse = new QPushButton(tr("Browse…"), &dialog);
    auto* preset = new QComboBox(&dialog);
    preset->addItem(tr("small: 165 clips, 160×120 (seconds)"), "small");
    preset->addItem(tr("full: about 1,500 clips, 320×240 (about 350 MB)"), "full");
    preset->addItem(tr("tiny: 44 clips, 64×48 (tests)"), "tiny");
    auto* row = new QHBoxLayout;
    row->addWidget(dir, 1);
    row->addWidget(browse);
    auto* form = new QFormLayout(&dialog);
    form->addRow(new QLabel(tr("Synthetic clips in the UCF11 layout; trampoline_jumping is "
                               "diving played backwards."),
                            &dialog));
    form->addRow(tr("Folder"), row);
    form->addRow(tr("Preset"), preset);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString d =
            QFileDialog::getExistingDirectory(&dialog, tr("Demo folder"), dir->text());
        if (!d.isEmpty()) {
            dir->setText(d);
        }
    });
    if (dialog.exec() == QDialog::Accepted) {
        generateDemo(dir->text(), preset->currentData().toString());
    }
}

void DatasetView::setDataset(std::shared_ptr<const Dataset> dataset, const QString& note) {
    mDataset = std::move(dataset);
    populateTree();
    const auto& ds = *mDataset;
    QString summary = tr("<b>%1</b> · %2 layout · %3 classes · %4 groups · %5 clips · %6 skipped")
                          .arg(qs(ds.root).toHtmlEscaped())
                          .arg(qs(ds.layout))
                          .arg(ds.classes.size())
                          .arg(ds.groups.size())
                          .arg(formatCount(static_cast<long long>(ds.clips.size())))
                          .arg(ds.skipped.size());
    if (!note.isEmpty()) {
        summary += QStringLiteral("<br>") + note.toHtmlEscaped();
    }
    mSummary->setText(summary);
    QStringList notes;
    if (!note.isEmpty()) {
        notes << note;
    }
    for (const auto& n : ds.notes) {
        notes << qs(n);
    }
    mNotes->setPlainText(notes.join('\n'));
    mSideTabs->setTabText(1, tr("Notes (%1)").arg(notes.size()));
    populateSkipped();
    Q_EMIT datasetLoaded(mDataset);
    Q_EMIT statusMessage(tr("Data set %1: %2 clips").arg(qs(ds.root)).arg(ds.clips.size()));
}

void DatasetView::populateTree() {
    mModel->clear();
    mModel->setHorizontalHeaderLabels({tr("Class / group / clip"), tr("Clips"), tr("Groups")});
    const auto& ds = *mDataset;
    std::vector<QStandardItem*> classItems;
    std::vector<QMap<QString, QStandardItem*>> groupItems(ds.classes.size());
    std::vector<int> groupsPerClass(ds.classes.size(), 0);
    const auto perClass = clipsPerClass(ds);
    for (std::size_t c = 0; c < ds.classes.size(); ++c) {
        auto* item = new QStandardItem(qs(ds.classes[c]));
        item->setData(classColor(static_cast<int>(c)), Qt::DecorationRole);
        classItems.push_back(item);
    }
    for (const auto& clip : ds.clips) {
        const auto c = static_cast<std::size_t>(clip.label);
        auto& groups = groupItems[c];
        const QString g = qs(clip.group);
        if (!groups.contains(g)) {
            auto* gi = new QStandardItem(tr("group %1").arg(g));
            groups.insert(g, gi);
            ++groupsPerClass[c];
        }
        auto* ci = new QStandardItem(QFileInfo(qs(clip.path)).fileName());
        ci->setData(qs(clip.path), kPathRole);
        ci->setToolTip(qs(clip.path));
        auto* frames =
            new QStandardItem(clip.frames >= 0 ? tr("%1 frames").arg(clip.frames) : QString());
        groups[g]->appendRow({ci, frames});
    }
    for (std::size_t c = 0; c < ds.classes.size(); ++c) {
        for (auto* gi : groupItems[c]) {
            classItems[c]->appendRow({gi, countItem(gi->rowCount())});
        }
        mModel->appendRow({classItems[c], countItem(perClass[c]), countItem(groupsPerClass[c])});
    }
    mTree->header()->setStretchLastSection(false);
    mTree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    mTree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    mTree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
}

void DatasetView::populateSkipped() {
    const auto& skipped = mDataset->skipped;
    mSkipped->setRowCount(static_cast<int>(skipped.size()));
    for (int i = 0; i < static_cast<int>(skipped.size()); ++i) {
        const auto& s = skipped[static_cast<std::size_t>(i)];
        auto* path = new QTableWidgetItem(QFileInfo(qs(s.path)).fileName());
        path->setData(kPathRole, qs(s.path));
        path->setToolTip(qs(s.path));
        mSkipped->setItem(i, 0, path);
        mSkipped->setItem(i, 1, new QTableWidgetItem(qs(s.reason)));
    }
    mSkipped->resizeColumnToContents(0);
    mSideTabs->setTabText(0, tr("Skipped (%1)").arg(skipped.size()));
}

void DatasetView::onActivated(const QModelIndex& index) {
    const QString path = index.siblingAtColumn(0).data(kPathRole).toString();
    if (!path.isEmpty()) {
        previewClip(path);
    }
}

void DatasetView::previewClip(const QString& path) {
    if (path.isEmpty() || path == mPlayer->path()) {
        return;
    }
    mClipLabel->setText(path);
    mScrub->setEnabled(true);
    mPlayer->open(path);
}

}  // namespace vidrnn::ui
