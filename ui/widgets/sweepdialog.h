// Queues a grid of runs: architectures × hidden sizes × folds × seeds over
// the run set-up's other settings (default: the study's grid plus bilstm and
// mean_pool at 64/128/256/512).
#pragma once

#include <QDialog>

#include <string>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace vidrnn::ui {

class SweepDialog : public QDialog {
    Q_OBJECT
public:
    // foldCount: folds of the chosen protocol on the current data set.
    SweepDialog(int currentFold, int foldCount, QWidget* parent = nullptr);

    std::vector<std::string> archs() const;
    std::vector<int> hidden() const;
    std::vector<int> folds() const;
    int seeds() const;
    int cellCount() const;

private:
    void updateCount();

    QList<QCheckBox*> mArchs;
    QList<QCheckBox*> mHidden;
    QLineEdit* mExtraHidden = nullptr;
    QRadioButton* mOneFold = nullptr;
    QRadioButton* mAllFolds = nullptr;
    QSpinBox* mSeeds = nullptr;
    QLabel* mCount = nullptr;
    int mCurrentFold = 0;
    int mFoldCount = 1;
};

}  // namespace vidrnn::ui
