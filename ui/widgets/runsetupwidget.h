// The settings of a run: data set, architecture, hidden size, layers, frames,
// image size, split protocol and fold, epochs, batch, learning rate,
// patience, seed, backbone and device.
#pragma once

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

#include "vidrnn/config.h"
#include "vidrnn/dataset.h"
#include "vidrnn/features.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace vidrnn::ui {

struct BackboneProbe {
    QString file;
    BackboneDescription description;
    QString error;
};

class RunSetupWidget : public QWidget {
    Q_OBJECT
public:
    explicit RunSetupWidget(QWidget* parent = nullptr);
    ~RunSetupWidget() override;

    TrainConfig config() const;
    void setConfig(const TrainConfig& config);
    // The data set the fold range and class count come from.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    std::shared_ptr<const Dataset> dataset() const { return mDataset; }

public Q_SLOTS:
    void chooseBackboneFile();
    // Loads and probes a TorchScript backbone off the UI thread, then selects it.
    void addBackboneFile(const QString& file);

Q_SIGNALS:
    void errorOccurred(const QString& title, const QString& message);

private:
    void updateFolds();
    void updateParams();
    void countParams();
    void setHidden(int hidden);

    std::shared_ptr<const Dataset> mDataset;
    QLineEdit* mData = nullptr;
    QComboBox* mArch = nullptr;
    QComboBox* mHidden = nullptr;
    QSpinBox* mLayers = nullptr;
    QSpinBox* mFrames = nullptr;
    QSpinBox* mImageSize = nullptr;
    QComboBox* mSplit = nullptr;
    QSpinBox* mFold = nullptr;
    QLabel* mFoldNote = nullptr;
    QSpinBox* mEpochs = nullptr;
    QSpinBox* mBatch = nullptr;
    QDoubleSpinBox* mLr = nullptr;
    QSpinBox* mPatience = nullptr;
    QSpinBox* mSeed = nullptr;
    QComboBox* mBackbone = nullptr;
    QComboBox* mDevice = nullptr;
    QComboBox* mPrecision = nullptr;
    QComboBox* mInput = nullptr;
    QLabel* mParams = nullptr;
    QFutureWatcher<BackboneProbe>* mProbe = nullptr;
    // Counting builds the LibTorch module (a ConvLSTM 512 takes a few hundred
    // ms): debounced and off the UI thread.
    QTimer* mParamsTimer = nullptr;
    QFutureWatcher<QString>* mParamsWatcher = nullptr;
    bool mParamsAgain = false;
    TrainConfig mBase;  // fields without a widget (dropout, clip, threads, cache)
    int mLastBackbone = 0;
};

}  // namespace vidrnn::ui
