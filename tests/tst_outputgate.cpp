#include "activitylog.h"
#include "outputgate.h"

#include <QTest>

// Secrets never reach a line a person or a file can read: only the last four characters of a key survive.
class TestOutputGate final : public QObject
{
    Q_OBJECT

private slots:
    void redact_data();
    void redact();
    void maskKeyShowsOnlyTheTail();
    void logMasksSecretsItWasGiven();
    void logKeepsABoundedNumberOfLines();
};

void TestOutputGate::redact_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QString>("expected");
    QTest::newRow("sk key") << "key sk-abcdefghijklmnop1234 rejected" << QStringList() << "key sk-\u20261234 rejected";
    QTest::newRow("project key") << "sk-proj-AbC_dEf-0123456789xyzW" << QStringList() << "sk-proj-\u2026xyzW";
    QTest::newRow("bearer header") << "Authorization: Bearer abc.def-ghi_jkl0987" << QStringList()
                                   << "Authorization: Bearer \u20260987";
    QTest::newRow("bearer lower case") << "bearer tokentokentoken5555" << QStringList() << "bearer \u20265555";
    QTest::newRow("azure key by value") << "api-key 0123456789abcdef0123456789abcdef used"
                                        << QStringList{"0123456789abcdef0123456789abcdef"} << "api-key \u2026cdef used";
    QTest::newRow("twice") << "sk-aaaaaaaaaaaaaaaa1111 and sk-bbbbbbbbbbbbbbbb2222" << QStringList()
                           << "sk-\u20261111 and sk-\u20262222";
    QTest::newRow("nothing secret") << "POST https://api.openai.com/v1/fine_tuning/jobs/ftjob-abc/cancel"
                                    << QStringList()
                                    << "POST https://api.openai.com/v1/fine_tuning/jobs/ftjob-abc/cancel";
    QTest::newRow("already masked") << "key \u2026WXYZ" << QStringList() << "key \u2026WXYZ";
    QTest::newRow("api echo of masked key") << "Incorrect API key provided: sk-abc***********wxyz." << QStringList()
                                            << "Incorrect API key provided: sk-\u2026wxyz.";
}

void TestOutputGate::redact()
{
    QFETCH(QString, text);
    QFETCH(QStringList, secrets);
    QFETCH(QString, expected);
    for (const QString& secret : std::as_const(secrets))
        OutputGate::addSecret(secret);
    QCOMPARE(OutputGate::mask(text), expected);
}

void TestOutputGate::maskKeyShowsOnlyTheTail()
{
    QCOMPARE(OutputGate::maskKey(QStringLiteral("sk-0123456789abcdefWXYZ")), QStringLiteral("\u2026WXYZ"));
    QCOMPARE(OutputGate::maskKey(QStringLiteral("short")), QStringLiteral("\u2026"));
    QCOMPARE(OutputGate::maskKey(QString()), QString());
}

void TestOutputGate::logMasksSecretsItWasGiven()
{
    ActivityLog log;
    const QString key = QStringLiteral("plainsecretwithoutprefix0000");
    log.addSecret(key);
    log.add(QStringLiteral("echo %1 back").arg(key));
    QVERIFY(!log.text().contains(key));
    QVERIFY(log.text().contains(QStringLiteral("echo \u20260000 back")));
}

void TestOutputGate::logKeepsABoundedNumberOfLines()
{
    ActivityLog log(3);
    for (int i = 1; i <= 5; ++i)
        log.add(QStringLiteral("line %1").arg(i));
    QCOMPARE(log.lines().size(), 3);
    QVERIFY(log.lines().first().endsWith(QStringLiteral("line 3")));
    QVERIFY(log.lines().last().endsWith(QStringLiteral("line 5")));
}

QTEST_GUILESS_MAIN(TestOutputGate)
#include "tst_outputgate.moc"
