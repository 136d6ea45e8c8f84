// File > Open run store: a SQLite file (typed, or chosen with Browse…) or a
// PostgreSQL URL, postgresql://[user@]host[:port]/dbname. A URL that carries
// a password is refused here, before it goes anywhere: libpq takes passwords
// from ~/.pgpass or PGPASSWORD.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace vidrnn::ui {

class StoreDialog : public QDialog {
    Q_OBJECT
public:
    // `current`: the store open now, offered as the starting point.
    explicit StoreDialog(const QString& current, QWidget* parent = nullptr);

    // What to open: a file path or a postgresql:// URL, trimmed.
    QString location() const;
    QLineEdit* locationEdit() const { return mLocation; }

    static bool isUrl(const QString& location);  // the engine's isStoreUrl
    // Why `location` cannot be opened as typed ("" when it can): the engine's
    // checkStoreUrl (a URL with a password in it, or of another scheme).
    static QString problem(const QString& location);

private:
    void browse();
    void validate();

    QLineEdit* mLocation = nullptr;
    QLabel* mHint = nullptr;
    QPushButton* mOk = nullptr;
};

}  // namespace vidrnn::ui
