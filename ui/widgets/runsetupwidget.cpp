#include "widgets/runsetupwidget.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

#include "support/qtsupport.h"
#include "vidrnn/demo.h"
#include "vidrnn/features.h"
#include "vidrnn/models.h"
#include "vidrnn/precision.h"
#include "vidrnn/runtime.h"
#include "vidrnn/splits.h"
#include "work/background.h"

namespace vidrnn::ui {

namespace {

const char* const kChooseFile = "<choose>";
// Feature size of a backbone entry (1280 for MobileNetV2's vectors and maps).
constexpr int kChannelsRole = Qt::UserRole + 1;

QSpinBox* spin(QWidget* parent, const char* name, int lo, int hi, int step = 1) {
    auto* s = new QSpinBox(parent);
    s->setObjectName(name);
    s->setRange(lo, hi);
    s->setSingleStep(step);
    return s;
}

}  // namespace

RunSetupWidget::RunSetupWidget(QWidget* parent) : QWidget(parent) {
    mData = new QLineEdit(this);
    mData->setObjectName("datasetEdit");
    mData->setPlaceholderText(tr("open a data set in the Data set view"));
    mArch = new QComboBox(this);
    mArch->setObjectName("archCombo");
    for (const auto& a : architectures()) {
        mArch->addItem(qs(archDisplayName(a)), qs(a));
    }
    mHidden = new QComboBox(this);
    mHidden->setObjectName("hiddenCombo");
    mHidden->setEditable(true);
    mHidden->setValidator(new QIntValidator(1, 65536, mHidden));
    for (int h : {64, 128, 256, 512}) {
        mHidden->addItem(QString::number(h));
    }
    mHidden->setToolTip(tr("The study's sizes, or type any size"));
    mLayers = spin(this, "layersSpin", 0, 8);
    mLayers->setSpecialValueText(tr("default"));
    mFrames = spin(this, "framesSpin", 1, 512);
    mFrames->setToolTip(tr("Frames sampled uniformly per clip (T)"));
    mImageSize = spin(this, "imageSizeSpin", 32, 1024, 16);
    mImageSize->setSuffix(tr(" px"));
    mSplit = new QComboBox(this);
    mSplit->setObjectName("splitCombo");
    for (const auto& p : splitProtocols()) {
        QString label = qs(p);
        if (p == "logo") {
            label = tr("logo: leave one group out (official)");
        } else if (p == "groups") {
            label = tr("groups: one group-disjoint holdout");
        } else if (p == "random") {
            label = tr("random clips (leaking: inflates accuracy)");
        }
        mSplit->addItem(label, qs(p));
    }
    if (auto* model = qobject_cast<QStandardItemModel*>(mSplit->model())) {
        const int i = mSplit->findData("random");
        model->item(i)->setForeground(QColor(190, 30, 30));
        model->item(i)->setToolTip(
            tr("Clips of one group land on both sides of the split: "
               "near-duplicates leak and accuracy is inflated."));
    }
    mFold = spin(this, "foldSpin", 0, 0);
    mFoldNote = new QLabel(this);
    mEpochs = spin(this, "epochsSpin", 1, 10000);
    mBatch = spin(this, "batchSpin", 1, 4096);
    mLr = new QDoubleSpinBox(this);
    mLr->setObjectName("lrSpin");
    mLr->setDecimals(6);
    mLr->setRange(1e-6, 1.0);
    mLr->setSingleStep(1e-4);
    mPatience = spin(this, "patienceSpin", 0, 1000);
    mPatience->setSpecialValueText(tr("off"));
    mSeed = spin(this, "seedSpin", 0, 1 << 30);
    mBackbone = new QComboBox(this);
    mBackbone->setObjectName("backboneCombo");
    mBackbone->addItem(qs(vidrnn::backboneLabel(kPretrainedBackbone, true)),
                       QString::fromLatin1(kPretrainedBackbone));
    mBackbone->setItemData(0, 1280, kChannelsRole);
    mBackbone->setItemData(0,
                           tr("Bundled ImageNet MobileNetV2 (int8): 1280-d vectors, 1280-channel "
                              "maps for ConvLSTM"),
                           Qt::ToolTipRole);
    mBackbone->addItem(qs(vidrnn::backboneLabel(kRandomBackbone, false)),
                       QString::fromLatin1(kRandomBackbone));
    mBackbone->setItemData(1, 512, kChannelsRole);
    mBackbone->addItem(tr("TorchScript file…"), QString::fromLatin1(kChooseFile));
    mDevice = new QComboBox(this);
    mDevice->setObjectName("deviceCombo");
    const auto info = runtimeInfo();
    mDevice->addItem(tr("CPU"), "cpu");
    auto* deviceModel = qobject_cast<QStandardItemModel*>(mDevice->model());
    if (info.cudaAvailable) {
        for (int d = 0; d < info.cudaDevices; ++d) {
            mDevice->addItem(tr("CUDA device %1").arg(d), QStringLiteral("cuda:%1").arg(d));
        }
    } else {
        mDevice->addItem(info.cudaCompiled ? tr("CUDA (no device found)")
                                           : tr("CUDA (LibTorch built without CUDA)"),
                         "cuda");
        deviceModel->item(1)->setEnabled(false);
    }
    mPrecision = new QComboBox(this);
    mPrecision->setObjectName("precisionCombo");
    const NativeBf16 bf16 = nativeBf16();
    mPrecision->addItem(tr("auto (bf16 where faster)"), "auto");
    mPrecision->addItem(tr("fp32"), "fp32");
    mPrecision->addItem(
        bf16.available() ? tr("bf16 (mixed precision)") : tr("bf16 (this CPU has no native bf16)"),
        "bf16");
    mPrecision->setToolTip(tr("Native bf16 on this CPU: %1").arg(qs(bf16.describe())));
    if (!bf16.available()) {
        qobject_cast<QStandardItemModel*>(mPrecision->model())->item(2)->setEnabled(false);
    }
    mInput = new QComboBox(this);
    mInput->setObjectName("inputCombo");
    mInput->addItem(tr("appearance: the backbone's features"), "appearance");
    mInput->addItem(tr("motion: features and their change"), "motion");
    mInput->setToolTip(
        tr("What the model reads at each step: the frame's features, or those followed by their "
           "change since the frame before (x_t - x_t-1, from the same cached features; twice "
           "the input size)"));
    mParams = new QLabel(this);
    mParams->setObjectName("paramsLabel");
    mParams->setWordWrap(true);

    auto* form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Data set"), mData);
    // The CLI's --preset: the settings for user data, or the demo's.
    auto* preset = new QComboBox(this);
    preset->setObjectName("presetCombo");
    preset->addItem(tr("Choose…"));
    preset->addItem(tr("User data (vidrnn's defaults)"), "user");
    preset->addItem(tr("Demo (as vidrnn demo runs)"), "demo");
    preset->setToolTip(
        tr("Sets frames, image size, split, epochs, batch, learning rate and "
           "patience as `--preset user|demo` does in the CLI"));
    connect(preset, &QComboBox::activated, this, [this, preset](int i) {
        if (i > 0) {
            setConfig(withPreset(ss(preset->itemData(i).toString()), config()));
        }
        preset->setCurrentIndex(0);
    });
    form->addRow(tr("Preset"), preset);
    form->addRow(tr("Architecture"), mArch);
    form->addRow(tr("Hidden size"), mHidden);
    form->addRow(tr("Layers"), mLayers);
    form->addRow(tr("Input"), mInput);
    form->addRow(tr("Frames per clip"), mFrames);
    form->addRow(tr("Image size"), mImageSize);
    form->addRow(tr("Split"), mSplit);
    auto* foldRow = new QHBoxLayout;
    foldRow->addWidget(mFold);
    foldRow->addWidget(mFoldNote, 1);
    form->addRow(tr("Fold"), foldRow);
    form->addRow(tr("Epochs (max)"), mEpochs);
    form->addRow(tr("Batch size"), mBatch);
    form->addRow(tr("Learning rate"), mLr);
    form->addRow(tr("Patience"), mPatience);
    form->addRow(tr("Seed"), mSeed);
    form->addRow(tr("Backbone"), mBackbone);
    form->addRow(tr("Device"), mDevice);
    form->addRow(tr("Precision"), mPrecision);
    form->addRow(mParams);

    mProbe = new QFutureWatcher<BackboneProbe>(this);
    connect(mProbe, &QFutureWatcher<BackboneProbe>::finished, this, [this] {
        const auto r = mProbe->result();
        mBackbone->setEnabled(true);
        if (!r.error.isEmpty()) {
            mBackbone->setCurrentIndex(mLastBackbone);
            Q_EMIT errorOccurred(tr("Cannot use the backbone"), r.error);
            return;
        }
        const auto& d = r.description;
        const QString label = tr("%1 (%2, %3)")
                                  .arg(QFileInfo(r.file).fileName(),
                                       d.pretrained ? tr("pretrained") : tr("not pretrained"),
                                       d.spatial ? tr("%1-channel maps").arg(d.channels)
                                                 : tr("%1-d vectors").arg(d.channels));
        int i = mBackbone->findData(r.file);
        if (i < 0) {
            i = mBackbone->count() - 1;
            mBackbone->insertItem(i, label, r.file);
        }
        mBackbone->setItemData(i, qs(d.source), Qt::ToolTipRole);
        mBackbone->setItemData(i, static_cast<int>(d.channels), kChannelsRole);
        mBackbone->setCurrentIndex(i);
        mLastBackbone = i;
        updateParams();
    });
    connect(mBackbone, &QComboBox::activated, this, [this](int i) {
        if (mBackbone->itemData(i).toString() == QLatin1String(kChooseFile)) {
            chooseBackboneFile();
        } else {
            mLastBackbone = i;
            updateParams();
        }
    });
    mParamsTimer = new QTimer(this);
    mParamsTimer->setSingleShot(true);
    mParamsTimer->setInterval(150);
    connect(mParamsTimer, &QTimer::timeout, this, &RunSetupWidget::countParams);
    mParamsWatcher = new QFutureWatcher<QString>(this);
    connect(mParamsWatcher, &QFutureWatcher<QString>::finished, this, [this] {
        mParams->setText(mParamsWatcher->result());
        if (std::exchange(mParamsAgain, false)) {
            countParams();
        }
    });
    connect(mSplit, &QComboBox::currentIndexChanged, this, &RunSetupWidget::updateFolds);
    connect(mArch, &QComboBox::currentIndexChanged, this, &RunSetupWidget::updateParams);
    connect(mHidden, &QComboBox::currentTextChanged, this, &RunSetupWidget::updateParams);
    connect(mLayers, &QSpinBox::valueChanged, this, &RunSetupWidget::updateParams);
    connect(mInput, &QComboBox::currentIndexChanged, this, &RunSetupWidget::updateParams);
    setConfig(TrainConfig{});
}

RunSetupWidget::~RunSetupWidget() {
    mProbe->waitForFinished();
}

void RunSetupWidget::setHidden(int hidden) {
    const int i = mHidden->findText(QString::number(hidden));
    if (i >= 0) {
        mHidden->setCurrentIndex(i);
    } else {
        mHidden->setEditText(QString::number(hidden));
    }
}

TrainConfig RunSetupWidget::config() const {
    TrainConfig c = mBase;
    c.dataset = ss(mData->text().trimmed());
    c.arch = ss(mArch->currentData().toString());
    c.hidden = mHidden->currentText().toInt();
    c.layers = mLayers->value();
    c.input = ss(mInput->currentData().toString());
    c.frames = mFrames->value();
    c.imageSize = mImageSize->value();
    c.split = ss(mSplit->currentData().toString());
    c.fold = mFold->value();
    c.epochs = mEpochs->value();
    c.batch = mBatch->value();
    c.lr = mLr->value();
    c.patience = mPatience->value();
    c.seed = mSeed->value();
    const QString backbone = mBackbone->itemData(mLastBackbone).toString();
    c.backbone = backbone == QLatin1String(kChooseFile) ? kPretrainedBackbone : ss(backbone);
    c.device = ss(mDevice->currentData().toString());
    c.precision = ss(mPrecision->currentData().toString());
    return c;
}

void RunSetupWidget::setConfig(const TrainConfig& c) {
    mBase = c;
    mData->setText(qs(c.dataset));
    mArch->setCurrentIndex(std::max(0, mArch->findData(qs(c.arch))));
    setHidden(c.hidden);
    mLayers->setValue(c.layers);
    mInput->setCurrentIndex(std::max(0, mInput->findData(qs(c.input))));
    mFrames->setValue(c.frames);
    mImageSize->setValue(c.imageSize);
    mSplit->setCurrentIndex(std::max(0, mSplit->findData(qs(c.split))));
    updateFolds();
    mFold->setValue(c.fold);
    mEpochs->setValue(c.epochs);
    mBatch->setValue(c.batch);
    mLr->setValue(c.lr);
    mPatience->setValue(c.patience);
    mSeed->setValue(c.seed);
    if (c.backbone.empty()) {
        mBackbone->setCurrentIndex(0);
        mLastBackbone = 0;
    } else if (mBackbone->findData(qs(c.backbone)) >= 0) {
        mLastBackbone = mBackbone->findData(qs(c.backbone));
        mBackbone->setCurrentIndex(mLastBackbone);
    } else {
        addBackboneFile(qs(c.backbone));
    }
    int d = mDevice->findData(qs(c.device));
    if (d < 0 && c.device == "auto") {
        d = runtimeInfo().cudaAvailable ? 1 : 0;
    }
    mDevice->setCurrentIndex(std::max(0, d));
    mPrecision->setCurrentIndex(std::max(0, mPrecision->findData(qs(c.precision))));
    updateParams();
}

void RunSetupWidget::setDataset(std::shared_ptr<const Dataset> dataset) {
    mDataset = std::move(dataset);
    if (mDataset) {
        mData->setText(qs(mDataset->root));
    }
    updateFolds();
    updateParams();
}

void RunSetupWidget::updateFolds() {
    const std::string protocol = ss(mSplit->currentData().toString());
    int folds = protocol == "logo" ? 25 : 1;
    if (mDataset) {
        try {
            folds = foldCount(*mDataset, protocol);
        } catch (const std::exception&) {
            folds = 1;
        }
    }
    mFold->setRange(0, std::max(0, folds - 1));
    mFold->setEnabled(folds > 1);
    mFoldNote->setText(protocol == "logo" ? tr("of %1 (one per group)").arg(folds)
                                          : tr("one fold"));
}

void RunSetupWidget::updateParams() {
    mParamsTimer->start();
}

void RunSetupWidget::countParams() {
    if (mParamsWatcher->isRunning()) {
        mParamsAgain = true;  // count the newest settings when this one ends
        return;
    }
    ModelSpec spec;
    spec.arch = ss(mArch->currentData().toString());
    spec.hidden = mHidden->currentText().toInt();
    spec.layers = mLayers->value();
    spec.classes = mDataset && !mDataset->classes.empty()
                       ? static_cast<std::int64_t>(mDataset->classes.size())
                       : 11;
    const int channels = mBackbone->itemData(mLastBackbone, kChannelsRole).toInt();
    const std::int64_t features = channels > 0 ? channels : 1280;
    // Motion input: each step's features followed by their change.
    const bool motion = mInput->currentData().toString() == QLatin1String("motion");
    spec.inputDim = motion ? 2 * features : features;
    const QString backbone = mBackbone->itemText(mLastBackbone);
    mParams->setText(tr("counting parameters…"));
    mParamsWatcher->setFuture(
        QtConcurrent::run(backgroundPool(), [spec, backbone, features, motion] {
            lowerThreadPriority();
            try {
                validate(spec);
                const QString input = motion ? tr("%1-d features and their change").arg(features)
                                             : tr("%1-d features").arg(features);
                return tr("%1 trainable parameters with %2 (%3), %4 classes")
                    .arg(formatCount(parameterCount(spec)))
                    .arg(input)
                    .arg(backbone)
                    .arg(spec.classes);
            } catch (const std::exception& e) {
                return qs(e.what());
            }
        }));
}

void RunSetupWidget::chooseBackboneFile() {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("TorchScript backbone"), QString(),
                                     tr("TorchScript (*.pt *.pth *.ptl);;All files (*)"));
    if (file.isEmpty()) {
        mBackbone->setCurrentIndex(mLastBackbone);
        return;
    }
    addBackboneFile(file);
}

void RunSetupWidget::addBackboneFile(const QString& file) {
    if (mProbe->isRunning()) {
        return;
    }
    mBackbone->setEnabled(false);
    const int size = mImageSize->value();
    mProbe->setFuture(QtConcurrent::run(backgroundPool(), [file, size] {
        lowerThreadPriority();
        BackboneProbe r;
        r.file = file;
        try {
            r.description = describeBackbone(ss(file), size);
        } catch (const std::exception& e) {
            r.error = qs(e.what());
        }
        return r;
    }));
}

}  // namespace vidrnn::ui
