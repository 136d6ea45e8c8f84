#include <QtTest>

#include <QTableWidget>

#include "mainwindow.h"

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsModelZoo() {
        vidrnn::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* table = window.findChild<QTableWidget*>("modelTable");
        QVERIFY(table);
        QCOMPARE(table->rowCount(), 6);
        QCOMPARE(table->item(0, 0)->text(), QString("LSTM"));
        // lstm 64 and convlstm 512 as in the study (locale-formatted).
        QCOMPARE(QLocale().toLongLong(table->item(0, 1)->text()), 148683LL);
        QCOMPARE(QLocale().toLongLong(table->item(4, 4)->text()), 18882059LL);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
