// The runs table on a store of a few thousand runs: the store sorts, searches
// and pages; selecting all and searching cost a read per query, never one per
// row or per selected run; another program's write updates the one row it
// changed and keeps the selection.
#include <QtTest>

#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>

#include "models/runsmodel.h"
#include "models/storesession.h"
#include "storegrow.h"
#include "uitest.h"
#include "views/compareview.h"
#include "views/runsview.h"

using namespace vidrnn;
using namespace vidrnn::ui;

namespace {

constexpr int kClones = 4000;
constexpr int kReference = 16;

}  // namespace

class TestRunsModel : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    QString mPath;
    std::int64_t mSource = 0;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        mPath = mDir.filePath("big.db");
        auto store = RunStore::open(mPath.toStdString());
        mSource = test::addSourceRun(store);
        QCOMPARE(test::growStore(mPath.toStdString(), mSource, kClones), std::string());
    }

    void pagesAsTheViewAsks() {
        StoreSession session;
        session.open(mPath);
        RunsModel model(&session);
        model.sort(RunsModel::ColAccuracy, Qt::DescendingOrder);
        QTRY_COMPARE(model.rowCount(), RunsModel::kPageSize);
        QCOMPARE(model.matchingIds().size(), kClones + 1 + kReference);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), 2 * RunsModel::kPageSize);
        double previous = 2.0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const RunRecord* r = model.runAt(row);
            QVERIFY(r && r->accuracy);
            QVERIFY(*r->accuracy <= previous);
            previous = *r->accuracy;
        }
    }

    // Comparing every run of the store: the rows pool the clones (each row's
    // (fold, seed) once, the older clones as repeats), the best run of each
    // architecture is the one with the highest accuracy, and the rows' run
    // lists, thousands of ids long, are cut short in the table (measuring
    // and painting them whole stalled the window 0.3 s at 50,000 runs).
    void compareOfEveryRunCutsLongRunLists() {
        StoreSession session;
        session.open(mPath);
        CompareView compare(&session);
        compare.resize(1200, 900);
        compare.setRunIds({});
        compare.ensureCurrent();
        QCOMPARE(compare.measuredRuns(), kClones + 1);
        const Report& report = compare.report();
        std::size_t counted = 0, repeats = 0;
        for (const ReportRow& row : report.rows) {
            counted += row.reference ? 0 : row.runIds.size() + row.repeatIds.size();
            repeats += row.repeatIds.size();
        }
        QCOMPARE(counted, std::size_t(kClones + 1));
        QVERIFY(repeats > 0);
        const QList<qint64> best = compare.bestRunPerArchitecture();
        QCOMPARE(best.size(), 4);  // lstm, gru, deep_lstm, bilstm
        for (qint64 id : best) {
            const auto arch = test::rawText(
                mPath.toStdString(), "SELECT arch FROM runs WHERE id = " + std::to_string(id));
            const auto top =
                test::rawText(mPath.toStdString(),
                              "SELECT MAX(accuracy) = (SELECT accuracy FROM runs WHERE id = " +
                                  std::to_string(id) +
                                  ") FROM runs WHERE kind = 'trained' AND arch = '" + arch + "'");
            QCOMPARE(top, std::string("1"));
        }
        QTableWidget* table = compare.rowsTable();
        int cut = 0;
        for (int r = 0; r < table->rowCount(); ++r) {
            const QString text = table->item(r, 6)->text();
            QVERIFY2(text.size() < 100, qPrintable(text));
            if (text.endsWith(QStringLiteral(" repeats)"))) {
                ++cut;
                QVERIFY(text.contains(QStringLiteral(", … (")));
                QVERIFY(table->item(r, 6)->toolTip().size() > text.size());
            }
        }
        QVERIFY(cut >= 4);
    }

    // Select everything, then search, clear and search again: a read per
    // query and a reset per query, however many runs are selected.
    void selectAllAndSearchIsLinear() {
        StoreSession session;
        session.open(mPath);
        RunsView view(&session);
        view.resize(900, 600);
        view.show();
        auto* model = view.model();
        QTRY_VERIFY(model->rowCount() > 0 && !model->busy());
        const quint64 reads = session.readCount();
        const int resets = model->resetCount();

        QSignalSpy selections(&view, &RunsView::selectionChanged);
        view.table()->selectAll();  // what Ctrl+A does
        QCOMPARE(view.selectedRunIds().size(), kClones + 1 + kReference);
        QCOMPARE(selections.count(), 1);
        QCOMPARE(session.readCount(), reads);  // the ids were known

        for (const QString text : {"g", "gr", "gru", "", "bilstm"}) {
            view.filterEdit()->setText(text);
            QTRY_VERIFY(!model->busy());
        }
        QTRY_COMPARE(model->matchingIds().size(), kClones / 4);
        // One read and one reset per query: not one per row or per selected run.
        QVERIFY2(session.readCount() - reads <= 8,
                 qPrintable(QString::number(session.readCount() - reads)));
        QVERIFY(model->resetCount() - resets <= 8);
        QCOMPARE(view.selectedRunIds().size(), kClones + 1 + kReference);
        QCOMPARE(view.table()->selectionModel()->selectedRows().size(), model->rowCount());
    }

    void outsideWriteUpdatesOneRowAndKeepsTheSelection() {
        StoreSession session;
        session.open(mPath);
        session.setPollInterval(50);
        RunsView view(&session);
        view.show();
        auto* model = view.model();
        QTRY_VERIFY(model->rowCount() > 0 && !model->busy());
        view.table()->selectAll();
        const int selected = int(view.selectedRunIds().size());
        const int rows = model->rowCount();
        const qint64 target = model->runAt(3)->id;

        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
        const quint64 reads = session.readCount();
        {
            auto other = RunStore::open(mPath.toStdString());
            other.annotate(target, "written by another program");
        }
        QTRY_COMPARE(changed.count(), 1);
        QTRY_VERIFY(!model->busy());
        const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
        const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
        QCOMPARE(topLeft.row(), 3);
        QCOMPARE(bottomRight.row(), 3);
        QCOMPARE(model->index(3, RunsModel::ColNote).data().toString(),
                 QString("written by another program"));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(model->rowCount(), rows);
        QCOMPARE(session.readCount() - reads, quint64(1));  // the changes, not the table
        QCOMPARE(int(view.selectedRunIds().size()), selected);
        QCOMPARE(view.table()->selectionModel()->selectedRows().size(), rows);

        // A run deleted elsewhere leaves the table and the selection.
        {
            auto other = RunStore::open(mPath.toStdString());
            other.deleteRun(target);
        }
        QTRY_COMPARE(removed.count(), 1);
        QTRY_COMPARE(int(view.selectedRunIds().size()), selected - 1);
        QCOMPARE(model->rowOfId(target), -1);
        QCOMPARE(reset.count(), 0);
    }
};

QTEST_MAIN(TestRunsModel)
#include "tst_runsmodel.moc"
