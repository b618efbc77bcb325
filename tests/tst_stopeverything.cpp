#include "apierror.h"
#include "appinfo.h"
#include "dialect.h"
#include "finetuningjob.h"
#include "stopeverything.h"

#include <QJsonObject>
#include <QTest>

// "Stop everything running" decided once, for the window and the command line: what follows a read of the whole list.
class TestStopEverything final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { AppInfo::applyToApplication(); }
    void aReadThatFailedTakesNothing();
    void everythingFinishedIsNothingToCancel();
    void everyJobNotFinishedIsTakenUnknownIncluded();
    void aCappedReadSaysOlderJobsWereNotConsidered();
    void pausedJobsAreLeftAlone();
    void onlyPausedJobsIsNothingToCancel();
};

static FineTuningJob job(Provider provider, const QString& id, const QString& status)
{
    return Dialect::of(provider).jobFromJson(
        QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("status"), status}, {QStringLiteral("created_at"), 1}},
        JobKind::FineTuning);
}

void TestStopEverything::aReadThatFailedTakesNothing()
{
    // Made up, and split so that no scanner takes it for a key.
    const QString key = QStringLiteral("sk-proj-stopall") + QStringLiteral("0123456789abcdefghijKEY1");
    const QList<FineTuningJob> read{job(Provider::OpenAI, QStringLiteral("ftjob-a"), QStringLiteral("running"))};
    const StopEverything s = StopEverything::decide(
        read, ApiError::http(500, QStringLiteral("page 2 failed for %1\x1b[2J").arg(key), QString(), QString()), false);
    QCOMPARE(s.verdict(), StopEverything::Verdict::ReadFailed);
    QVERIFY(s.jobs().isEmpty()); // the running job read before the failure is not taken
    QVERIFY2(s.message().startsWith(QStringLiteral("Nothing cancelled")), qPrintable(s.message()));
    QVERIFY2(s.message().contains(QStringLiteral("page 2 failed")), qPrintable(s.message()));
    // Through the gate: the key masked, the terminal escape neutralised.
    QVERIFY2(!s.message().contains(key), qPrintable(s.message()));
    QVERIFY(!s.message().contains(QChar(0x1b)));
    QCOMPARE(s.capWarning(QStringLiteral("--limit")), QString());
}

void TestStopEverything::everythingFinishedIsNothingToCancel()
{
    const StopEverything s
        = StopEverything::decide({job(Provider::Mistral, QStringLiteral("a"), QStringLiteral("SUCCESS")),
                                  job(Provider::Mistral, QStringLiteral("b"), QStringLiteral("CANCELLED")),
                                  job(Provider::Mistral, QStringLiteral("c"), QStringLiteral("FAILED"))},
                                 ApiError(), false);
    QCOMPARE(s.verdict(), StopEverything::Verdict::NothingRunning);
    QCOMPARE(s.unfinished(), 0);
    QCOMPARE(s.message(), QStringLiteral("No job is running: nothing to cancel."));
}

void TestStopEverything::everyJobNotFinishedIsTakenUnknownIncluded()
{
    // Together's words: a job stopping, a job of a status no spec names, one finished, one running.
    const QList<FineTuningJob> read{
        job(Provider::Together, QStringLiteral("ft-1"), QStringLiteral("running")),
        job(Provider::Together, QStringLiteral("ft-2"), QStringLiteral("completed")),
        job(Provider::Together, QStringLiteral("ft-3"), QStringLiteral("preempted")),
        job(Provider::Together, QStringLiteral("ft-4"), QStringLiteral("cancel_requested"))};
    const StopEverything s = StopEverything::decide(read, ApiError(), false);
    QCOMPARE(s.verdict(), StopEverything::Verdict::Cancel);
    QCOMPARE(s.unfinished(), 3); // the unknown status is never taken as finished
    QCOMPARE(s.jobs().size(), read.size()); // as read: the batch skips the finished one itself, and says so
    QCOMPARE(s.jobs().at(2).id, QStringLiteral("ft-3"));
    QCOMPARE(s.capWarning(QStringLiteral("--limit")), QString());
}

void TestStopEverything::aCappedReadSaysOlderJobsWereNotConsidered()
{
    QList<FineTuningJob> read;
    for (int i = 0; i < 3; ++i)
        read << job(Provider::OpenAI, QStringLiteral("ftjob-%1").arg(i), QStringLiteral("queued"));
    const StopEverything s = StopEverything::decide(read, ApiError(), true);
    QCOMPARE(s.verdict(), StopEverything::Verdict::Cancel);
    const QString warning = s.capWarning(QStringLiteral("--limit"));
    QVERIFY2(warning.startsWith(QStringLiteral("Only the newest 3 jobs were read (--limit)")), qPrintable(warning));
    QVERIFY2(warning.contains(QStringLiteral("older ones still running are not among those cancelled")),
             qPrintable(warning));
}

QTEST_GUILESS_MAIN(TestStopEverything)
#include "tst_stopeverything.moc"

void TestStopEverything::pausedJobsAreLeftAlone()
{
    // A paused (or pausing) job spends nothing: stop everything neither cancels nor resumes it, and says so.
    const QList<FineTuningJob> read{job(Provider::OpenAI, QStringLiteral("ftjob-run"), QStringLiteral("running")),
                                    job(Provider::OpenAI, QStringLiteral("ftjob-pd"), QStringLiteral("paused")),
                                    job(Provider::Azure, QStringLiteral("ftjob-pg"), QStringLiteral("pausing")),
                                    job(Provider::OpenAI, QStringLiteral("ftjob-ok"), QStringLiteral("succeeded"))};
    const StopEverything s = StopEverything::decide(read, ApiError(), false);
    QCOMPARE(s.verdict(), StopEverything::Verdict::Cancel);
    QCOMPARE(s.unfinished(), 1);
    QCOMPARE(s.paused(), 2);
    QCOMPARE(s.readCount(), 4);
    QStringList taken;
    for (const FineTuningJob& j : s.jobs())
        taken << j.id;
    QCOMPARE(taken, (QStringList{QStringLiteral("ftjob-run"), QStringLiteral("ftjob-ok")}));
    // (Plural words come from the translations: "job(s)" until the lead's update, "jobs" after it.)
    QVERIFY2(s.message().contains(QStringLiteral("1 job")), qPrintable(s.message()));
    QVERIFY2(s.message().contains(QStringLiteral("2 paused job")), qPrintable(s.message()));
    QVERIFY2(s.message().contains(QStringLiteral("left alone")), qPrintable(s.message()));
}

void TestStopEverything::onlyPausedJobsIsNothingToCancel()
{
    const StopEverything s
        = StopEverything::decide({job(Provider::OpenAI, QStringLiteral("ftjob-pd"), QStringLiteral("paused")),
                                  job(Provider::OpenAI, QStringLiteral("ftjob-ok"), QStringLiteral("cancelled"))},
                                 ApiError(), false);
    QCOMPARE(s.verdict(), StopEverything::Verdict::NothingRunning);
    QVERIFY(s.jobs().size() == 1 && s.jobs().first().id == QStringLiteral("ftjob-ok"));
    QVERIFY2(s.message().startsWith(QStringLiteral("No job is running: nothing to cancel. 1 paused job")),
             qPrintable(s.message()));
    QVERIFY2(s.message().endsWith(QStringLiteral("left alone.")), qPrintable(s.message()));
}
