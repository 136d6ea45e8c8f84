#include "widgets/storedialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "vidrnn/errors.h"
#include "vidrnn/store.h"

namespace vidrnn::ui {

StoreDialog::StoreDialog(const QString& current, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Open run store"));
    auto* intro = new QLabel(
        tr("A SQLite file for this machine (created when missing), or a PostgreSQL database "
           "shared by the workers of a cluster: <tt>postgresql://[user@]host[:port]/dbname</tt>. "
           "The password comes from ~/.pgpass or PGPASSWORD, never from the URL."),
        this);
    intro->setWordWrap(true);
    mLocation = new QLineEdit(current, this);
    mLocation->setObjectName("storeLocation");
    mLocation->setPlaceholderText(tr("experiments.db or postgresql://host/dbname"));
    mLocation->setMinimumWidth(fontMetrics().averageCharWidth() * 60);
    auto* browse = new QPushButton(tr("Browse…"), this);
    browse->setToolTip(tr("Choose or create a SQLite file"));
    auto* row = new QHBoxLayout;
    row->addWidget(mLocation, 1);
    row->addWidget(browse);
    mHint = new QLabel(this);
    mHint->setObjectName("storeHint");
    mHint->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    mOk = buttons->button(QDialogButtonBox::Open);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(mHint);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &StoreDialog::browse);
    connect(mLocation, &QLineEdit::textChanged, this, &StoreDialog::validate);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

QString StoreDialog::location() const {
    return mLocation->text().trimmed();
}

bool StoreDialog::isUrl(const QString& location) {
    return isStoreUrl(location.toStdString());
}

QString StoreDialog::problem(const QString& location) {
    // The engine's one URL check (libpq's parsing): the reason alone, never
    // the URL, which may hold the password.
    try {
        checkStoreUrl(location.toStdString());
    } catch (const StoreError& e) {
        return QString::fromStdString(e.reason());
    }
    return {};
}

void StoreDialog::browse() {
    const QString start = isUrl(location()) ? QString() : location();
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Open or create a run store"), start,
                                     tr("Run stores (*.db *.sqlite);;All files (*)"), nullptr,
                                     QFileDialog::DontConfirmOverwrite);
    if (!file.isEmpty()) {
        mLocation->setText(file);
    }
}

void StoreDialog::validate() {
    const QString text = location();
    const QString why = problem(text);
    mOk->setEnabled(!text.isEmpty() && why.isEmpty());
    if (!why.isEmpty()) {
        mHint->setText(why);
    } else if (isUrl(text)) {
        mHint->setText(
            tr("PostgreSQL: libpq's parameters and the PG* environment variables "
               "apply (e.g. ?connect_timeout=10)."));
    } else {
        mHint->setText(
            tr("SQLite: keep the file on a local disk, never on a network file "
               "system; checkpoints go beside it."));
    }
}

}  // namespace vidrnn::ui
