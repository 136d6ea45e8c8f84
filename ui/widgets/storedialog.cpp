#include "widgets/storedialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrlQuery>
#include <QVBoxLayout>

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
    return location.startsWith(QLatin1String("postgresql://")) ||
           location.startsWith(QLatin1String("postgres://"));
}

QString StoreDialog::problem(const QString& location) {
    if (!isUrl(location)) {
        return {};
    }
    // user:password@ before the host, or a password parameter.
    static const QRegularExpression userInfo(QStringLiteral("^[a-z]+://[^/@?]*:[^/@?]*@"));
    const qsizetype q = location.indexOf(QLatin1Char('?'));
    const QUrlQuery query(q < 0 ? QString() : location.mid(q + 1));
    if (userInfo.match(location).hasMatch() || query.hasQueryItem(QStringLiteral("password"))) {
        return tr(
            "This URL carries a password. vidrnn takes passwords only from ~/.pgpass or "
            "the PGPASSWORD environment variable, so that none lands in a log or the "
            "store: remove it from the URL.");
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
