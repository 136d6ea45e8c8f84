#include "widgets/sweepdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "support/qtsupport.h"
#include "vidrnn/experiment.h"
#include "vidrnn/models.h"

namespace vidrnn::ui {

SweepDialog::SweepDialog(int currentFold, int foldCount, QWidget* parent)
    : QDialog(parent), mCurrentFold(currentFold), mFoldCount(std::max(1, foldCount)) {
    setWindowTitle(tr("Sweep"));
    const auto defaults = defaultSweepArchs();
    auto* archBox = new QGroupBox(tr("Architectures"), this);
    auto* archLayout = new QGridLayout(archBox);
    // The default grid's order first (the CLI's), so equal grids have equal specs.
    auto order = defaults;
    for (const auto& a : architectures()) {
        if (std::find(order.begin(), order.end(), a) == order.end()) {
            order.push_back(a);
        }
    }
    int i = 0;
    for (const auto& a : order) {
        auto* cb = new QCheckBox(qs(archDisplayName(a)), archBox);
        cb->setProperty("arch", qs(a));
        cb->setChecked(std::find(defaults.begin(), defaults.end(), a) != defaults.end());
        archLayout->addWidget(cb, i / 2, i % 2);
        mArchs << cb;
        ++i;
    }
    auto* hiddenBox = new QGroupBox(tr("Hidden sizes"), this);
    auto* hiddenLayout = new QHBoxLayout(hiddenBox);
    const auto defaultHidden = defaultSweepHidden();
    for (int h : {16, 32, 64, 128, 256, 512, 1024}) {
        auto* cb = new QCheckBox(QString::number(h), hiddenBox);
        cb->setProperty("hidden", h);
        cb->setChecked(std::find(defaultHidden.begin(), defaultHidden.end(), h) !=
                       defaultHidden.end());
        hiddenLayout->addWidget(cb);
        mHidden << cb;
    }
    mExtraHidden = new QLineEdit(hiddenBox);
    mExtraHidden->setPlaceholderText(tr("more, e.g. 96 192"));
    hiddenLayout->addWidget(mExtraHidden, 1);

    auto* foldBox = new QGroupBox(tr("Folds and seeds"), this);
    auto* foldLayout = new QVBoxLayout(foldBox);
    mOneFold = new QRadioButton(tr("Fold %1 (from the run set-up)").arg(currentFold), foldBox);
    mAllFolds = new QRadioButton(tr("All %1 folds").arg(mFoldCount), foldBox);
    mOneFold->setChecked(true);
    mAllFolds->setEnabled(mFoldCount > 1);
    mSeeds = new QSpinBox(foldBox);
    mSeeds->setRange(1, 100);
    auto* seedsRow = new QHBoxLayout;
    seedsRow->addWidget(new QLabel(tr("Seeds per cell, from the set-up's seed on:"), foldBox));
    seedsRow->addWidget(mSeeds);
    seedsRow->addStretch(1);
    foldLayout->addWidget(mOneFold);
    foldLayout->addWidget(mAllFolds);
    foldLayout->addLayout(seedsRow);

    mCount = new QLabel(this);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Queue"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(archBox);
    layout->addWidget(hiddenBox);
    layout->addWidget(foldBox);
    layout->addWidget(mCount);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (auto* cb : mArchs + mHidden) {
        connect(cb, &QCheckBox::toggled, this, &SweepDialog::updateCount);
    }
    connect(mExtraHidden, &QLineEdit::textChanged, this, &SweepDialog::updateCount);
    connect(mAllFolds, &QRadioButton::toggled, this, &SweepDialog::updateCount);
    connect(mSeeds, &QSpinBox::valueChanged, this, &SweepDialog::updateCount);
    updateCount();
}

std::vector<std::string> SweepDialog::archs() const {
    std::vector<std::string> out;
    for (auto* cb : mArchs) {
        if (cb->isChecked()) {
            out.push_back(ss(cb->property("arch").toString()));
        }
    }
    return out;
}

std::vector<int> SweepDialog::hidden() const {
    std::vector<int> out;
    for (auto* cb : mHidden) {
        if (cb->isChecked()) {
            out.push_back(cb->property("hidden").toInt());
        }
    }
    for (const auto& t :
         mExtraHidden->text().split(QRegularExpression("[ ,;]+"), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int h = t.toInt(&ok);
        if (ok && h > 0 && std::find(out.begin(), out.end(), h) == out.end()) {
            out.push_back(h);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<int> SweepDialog::folds() const {
    if (!mAllFolds->isChecked()) {
        return {mCurrentFold};
    }
    std::vector<int> out;
    for (int k = 0; k < mFoldCount; ++k) {
        out.push_back(k);
    }
    return out;
}

int SweepDialog::seeds() const {
    return mSeeds->value();
}

int SweepDialog::cellCount() const {
    return static_cast<int>(archs().size() * hidden().size() * folds().size()) * seeds();
}

void SweepDialog::updateCount() {
    mCount->setText(
        tr("%n run(s) will be queued. Runs already completed in an earlier sweep of "
           "the same grid are skipped.",
           nullptr, cellCount()));
}

}  // namespace vidrnn::ui
