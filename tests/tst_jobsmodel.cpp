#include "dialect.h"
#include "jobsmodel.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

// The jobs view's model: active jobs first, a refresh that keeps the operator's selection on the same job, a watched
// job's row updated in place, and what is shown passing the output gate.
class TestJobsModel final : public QObject
{
    Q_OBJECT

private slots:
    void activeFirstThenNewest();
    void refreshKeepsTheSelectionOnItsJob();
    void refreshMergesRunsDuplicatesAndReorders();
    void updateJobChangesOneRow();
    void updateJobsSortsOnceForAll();
    void pagesMergeInPlaceAndSignalOnlyWhatChanged();
    void hostileTextIsGated();
    void modelIsConsistent();
    void statusClassIsWhatIsReasonedAbout();
};

namespace {
FineTuningJob job(const QString& id, const QString& status, qint64 created, Provider provider = Provider::OpenAI)
{
    FineTuningJob j;
    j.id = id;
    j.status = status;
    j.provider = provider;
    j.statusClass = Dialect::of(provider).statusClass(status, JobKind::FineTuning);
    j.model = QStringLiteral("gpt-4o-mini");
    j.createdAt = created;
    return j;
}
} // namespace

void TestJobsModel::activeFirstThenNewest()
{
    JobsModel model;
    model.setJobs({job("ftjob-a", "succeeded", 400), job("ftjob-b", "running", 100), job("ftjob-c", "queued", 300),
                   job("ftjob-d", "failed", 200)});
    QStringList order;
    for (int row = 0; row < model.rowCount(); ++row)
        order << model.text(row, JobsModel::IdColumn);
    QCOMPARE(order, (QStringList{"ftjob-c", "ftjob-b", "ftjob-a", "ftjob-d"}));
    QCOMPARE(model.activeCount(), 2);
}

void TestJobsModel::refreshKeepsTheSelectionOnItsJob()
{
    JobsModel model;
    model.setJobs({job("ftjob-a", "running", 100), job("ftjob-b", "running", 200), job("ftjob-c", "running", 300)});
    const QPersistentModelIndex selected(model.index(model.rowOf(QStringLiteral("ftjob-b")), JobsModel::StatusColumn));
    QCOMPARE(selected.row(), 1);
    // ftjob-c finished, ftjob-d is new, ftjob-a is gone.
    model.setJobs({job("ftjob-d", "queued", 400), job("ftjob-c", "cancelled", 300), job("ftjob-b", "running", 200)});
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(selected.isValid());
    QCOMPARE(selected.data(JobsModel::JobIdRole).toString(), QStringLiteral("ftjob-b"));
    QCOMPARE(model.text(0, JobsModel::IdColumn), QStringLiteral("ftjob-d"));
    QCOMPARE(model.text(2, JobsModel::StatusColumn), QStringLiteral("cancelled"));
    QCOMPARE(model.rowOf(QStringLiteral("ftjob-a")), -1);
}

void TestJobsModel::refreshMergesRunsDuplicatesAndReorders()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<FineTuningJob> first;
    for (int i = 0; i < 10; ++i)
        first << job(QStringLiteral("ftjob-%1").arg(i), QStringLiteral("running"), 1000 - i); // 0 newest
    model.setJobs(first);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.text(0, JobsModel::IdColumn), QStringLiteral("ftjob-0"));
    const QPersistentModelIndex on7(model.index(model.rowOf(QStringLiteral("ftjob-7")), JobsModel::ModelColumn));
    const QPersistentModelIndex on1(model.index(model.rowOf(QStringLiteral("ftjob-1")), JobsModel::IdColumn));
    // Gone: two runs (2-4 and 8-9); ftjob-7 finished (moves after the active ones); ftjob-x is new and listed twice
    // (the first one counts); ftjob-1 is listed twice too.
    model.setJobs({job("ftjob-x", "queued", 2000), job("ftjob-0", "running", 1000), job("ftjob-1", "running", 999),
                   job("ftjob-5", "running", 995), job("ftjob-6", "running", 994), job("ftjob-7", "cancelled", 993),
                   job("ftjob-x", "failed", 1), job("ftjob-1", "failed", 1)});
    QStringList order;
    for (int row = 0; row < model.rowCount(); ++row)
        order << model.text(row, JobsModel::IdColumn) + u' ' + model.text(row, JobsModel::StatusColumn);
    QCOMPARE(order,
             (QStringList{"ftjob-x queued", "ftjob-0 running", "ftjob-1 running", "ftjob-5 running", "ftjob-6 running",
                          "ftjob-7 cancelled"}));
    for (const char* id : {"ftjob-x", "ftjob-0", "ftjob-1", "ftjob-5", "ftjob-6", "ftjob-7"})
        QCOMPARE(model.text(model.rowOf(QLatin1String(id)), JobsModel::IdColumn), QLatin1String(id));
    QCOMPARE(model.rowOf(QStringLiteral("ftjob-3")), -1);
    QVERIFY(on7.isValid());
    QCOMPARE(on7.row(), 5);
    QCOMPARE(on7.column(), int(JobsModel::ModelColumn));
    QCOMPARE(on1.data(JobsModel::JobIdRole).toString(), QStringLiteral("ftjob-1"));
    QCOMPARE(model.activeCount(), 5);
}

void TestJobsModel::updateJobChangesOneRow()
{
    JobsModel model;
    model.setJobs({job("ftjob-a", "running", 100), job("ftjob-b", "running", 200)});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.updateJob(job("ftjob-b", "cancelling", 200)));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.text(model.rowOf(QStringLiteral("ftjob-b")), JobsModel::StatusColumn), QStringLiteral("cancelling"));
    QVERIFY(model.updateJob(job("ftjob-b", "cancelled", 200)));
    QCOMPARE(model.rowOf(QStringLiteral("ftjob-b")), 1); // finished: after the active one
    QVERIFY(!model.updateJob(job("ftjob-unknown", "running", 1)));
}

void TestJobsModel::updateJobsSortsOnceForAll()
{
    // The answers of a batch: each cancelled job moves among the finished ones, and the table (with a view sorted by
    // a column behind it) is sorted once for all of them, not once for each.
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<FineTuningJob> jobs;
    for (int i = 0; i < 6; ++i)
        jobs << job(QStringLiteral("ftjob-%1").arg(i), QStringLiteral("running"), 100 + i);
    model.setJobs(jobs);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const int listed = model.updateJobs({job("ftjob-5", "cancelled", 105), job("ftjob-3", "cancelled", 103),
                                         job("ftjob-unknown", "cancelled", 1), job("ftjob-1", "cancelled", 101),
                                         job("ftjob-0", "running", 100)});
    QCOMPARE(listed, 4);
    QCOMPARE(layout.size(), 1);
    QVERIFY(!changed.isEmpty());
    QStringList order;
    for (int row = 0; row < model.rowCount(); ++row)
        order << model.text(row, JobsModel::IdColumn);
    QCOMPARE(order, (QStringList{"ftjob-4", "ftjob-2", "ftjob-0", "ftjob-5", "ftjob-3", "ftjob-1"}));
    QCOMPARE(model.text(model.rowOf(QStringLiteral("ftjob-3")), JobsModel::StatusColumn), QStringLiteral("cancelled"));
    // Nothing new: nothing signalled, nothing sorted.
    model.updateJobs({job("ftjob-5", "cancelled", 105)});
    QCOMPARE(layout.size(), 1);
}

void TestJobsModel::pagesMergeInPlaceAndSignalOnlyWhatChanged()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.mergeJobs(
        {job("ftjob-r9", "running", 900), job("ftjob-d8", "succeeded", 800), job("ftjob-r7", "queued", 700)});
    // A later page: older jobs, each where it belongs (active first, then newest), nothing removed.
    model.mergeJobs({job("ftjob-r6", "running", 600), job("ftjob-d5", "failed", 500)});
    const auto order = [&model] {
        QStringList ids;
        for (int row = 0; row < model.rowCount(); ++row)
            ids << model.text(row, JobsModel::IdColumn);
        return ids;
    };
    QCOMPARE(order(), (QStringList{"ftjob-r9", "ftjob-r7", "ftjob-r6", "ftjob-d8", "ftjob-d5"}));
    // The same page again: no row is signalled (a sorted view has nothing to sort again).
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    model.mergeJobs(
        {job("ftjob-r9", "running", 900), job("ftjob-d8", "succeeded", 800), job("ftjob-r7", "queued", 700)});
    QCOMPARE(changed.size(), 0);
    QCOMPARE(layout.size(), 0);
    // One job changed: its row alone.
    FineTuningJob named = job("ftjob-r6", "running", 600);
    named.suffix = QStringLiteral("night");
    model.mergeJobs({named, job("ftjob-d5", "failed", 500)});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), model.rowOf(QStringLiteral("ftjob-r6")));
    QCOMPARE(changed.first().at(1).toModelIndex().row(), model.rowOf(QStringLiteral("ftjob-r6")));
    QCOMPARE(model.text(model.rowOf(QStringLiteral("ftjob-r6")), JobsModel::SuffixColumn), QStringLiteral("night"));
    // The read completes: what it did not see goes.
    model.removeJobsNotIn({QStringLiteral("ftjob-r9"), QStringLiteral("ftjob-d5")});
    QCOMPARE(order(), (QStringList{"ftjob-r9", "ftjob-d5"}));
    QCOMPARE(model.rowOf(QStringLiteral("ftjob-d5")), 1);
    QCOMPARE(model.rowOf(QStringLiteral("ftjob-r7")), -1);
}

void TestJobsModel::hostileTextIsGated()
{
    JobsModel model;
    FineTuningJob j = job("ftjob-h", "running\n\x1b[2Jforged", 100);
    j.suffix = QStringLiteral("sk-proj-") + QString(40, u'k') + QStringLiteral("WXYZ");
    j.errorMessage = QStringLiteral("<img src=x>");
    model.setJobs({j});
    QCOMPARE(model.text(0, JobsModel::StatusColumn), QStringLiteral("running\u240A\u241B[2Jforged"));
    QVERIFY(!model.text(0, JobsModel::SuffixColumn).contains(QString(20, u'k')));
    QVERIFY(model.data(model.index(0, 0), Qt::ToolTipRole).toString().contains(QStringLiteral("&lt;img")));
}

void TestJobsModel::modelIsConsistent()
{
    JobsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJobs({job("ftjob-a", "running", 100), job("ftjob-b", "succeeded", 200)});
    model.setJobs({job("ftjob-c", "queued", 300), job("ftjob-b", "succeeded", 200)});
    model.updateJob(job("ftjob-c", "cancelled", 300));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestJobsModel::statusClassIsWhatIsReasonedAbout()
{
    // A Mistral list: upper-case words, one of them unknown to FtCancel. The words are shown as they are; the class
    // (StatusClassRole) decides what is finished, and an unknown status is not: it sorts and counts with the active.
    JobsModel model;
    const Provider mistral = Provider::Mistral;
    model.setJobs({job("m-success", "SUCCESS", 500, mistral), job("m-running", "RUNNING", 100, mistral),
                   job("m-preempted", "PREEMPTED", 300, mistral), job("m-cancelled", "CANCELLED", 400, mistral),
                   job("m-stopping", "CANCELLATION_REQUESTED", 200, mistral)});
    QStringList order;
    for (int row = 0; row < model.rowCount(); ++row)
        order << model.text(row, JobsModel::StatusColumn);
    QCOMPARE(order, (QStringList{"PREEMPTED", "CANCELLATION_REQUESTED", "RUNNING", "SUCCESS", "CANCELLED"}));
    QCOMPARE(model.activeCount(), 3);
    const auto classOf = [&model](const char* id) {
        return StatusClass(model.index(model.rowOf(QLatin1String(id)), JobsModel::StatusColumn)
                               .data(JobsModel::StatusClassRole)
                               .toInt());
    };
    QCOMPARE(classOf("m-preempted"), StatusClass::Unknown);
    QCOMPARE(classOf("m-running"), StatusClass::Active);
    QCOMPARE(classOf("m-stopping"), StatusClass::Stopping);
    QCOMPARE(classOf("m-success"), StatusClass::Succeeded);
    QCOMPARE(classOf("m-cancelled"), StatusClass::Cancelled);
    QCOMPARE(model.index(model.rowOf(QStringLiteral("m-preempted")), 0).data(JobsModel::FinishedRole).toBool(), false);
    QCOMPARE(model.index(model.rowOf(QStringLiteral("m-success")), 0).data(JobsModel::FinishedRole).toBool(), true);
    // The same word with another class (a dialect that learnt it) is a change: the row is signalled and moves.
    FineTuningJob learnt = job("m-preempted", "PREEMPTED", 300, mistral);
    learnt.statusClass = StatusClass::Cancelled;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.updateJob(learnt));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.activeCount(), 2);
    QCOMPARE(model.text(model.rowCount() - 2, JobsModel::IdColumn), QStringLiteral("m-cancelled"));
}

QTEST_GUILESS_MAIN(TestJobsModel)
#include "tst_jobsmodel.moc"
