#include "appinfo.h"
#include "jobid.h"

#include <QRandomGenerator>
#include <QTest>

// What an operator sees after pasting: the id that will be used, or the reason it was refused.
class TestJobId final : public QObject
{
    Q_OBJECT

private slots:
    void extract_data();
    void extract();
    void summaryCountsLinesIdsDuplicatesAndRefusals_data();
    void summaryCountsLinesIdsDuplicatesAndRefusals();
    void pastedKeyAmongIdsIsNeverShown();
    void initTestCase() { AppInfo::applyToApplication(); } // English plural forms
    void parse_data();
    void parse();
    void everyAcceptedIdIsOnePathSegment_data() { parse_data(); }
    void everyAcceptedIdIsOnePathSegment();
};

void TestJobId::parse_data()
{
    QTest::addColumn<QString>("pasted");
    QTest::addColumn<QString>("expectedId"); // empty when refused
    QTest::addColumn<QString>("errorContains"); // part of the reason shown, when refused
    QTest::addColumn<bool>("warns");

    const QString id = QStringLiteral("ftjob-abc123");
    // Clean and decorated ids.
    QTest::newRow("clean") << id << id << QString() << false;
    QTest::newRow("real-length") << "ftjob-fpbNQ3H1GrMehXRf8cO97xTN"
                                 << "ftjob-fpbNQ3H1GrMehXRf8cO97xTN" << QString() << false;
    QTest::newRow("azure hex") << "ftjob-0123456789abcdef0123456789abcdef"
                               << "ftjob-0123456789abcdef0123456789abcdef" << QString() << false;
    QTest::newRow("spaces") << "   ftjob-abc123  " << id << QString() << false;
    QTest::newRow("tabs and newlines") << "\n\tftjob-abc123\r\n" << id << QString() << false;
    QTest::newRow("double quotes") << "\"ftjob-abc123\"" << id << QString() << false;
    QTest::newRow("single quotes") << "'ftjob-abc123'" << id << QString() << false;
    QTest::newRow("backticks") << "`ftjob-abc123`" << id << QString() << false;
    QTest::newRow("curly quotes") << QStringLiteral("\u201Cftjob-abc123\u201D") << id << QString() << false;
    QTest::newRow("quotes and spaces") << " \" ftjob-abc123 \" " << id << QString() << false;
    QTest::newRow("json list item") << "\"ftjob-abc123\"," << id << QString() << false;
    QTest::newRow("zero-width space") << QStringLiteral("\u200Bftjob-abc123\uFEFF") << id << QString() << false;
    QTest::newRow("underscore inside") << "ftjob-abc_123"
                                       << "ftjob-abc_123" << QString() << false;
    // Dashboard and API URLs.
    QTest::newRow("dashboard url") << "https://platform.openai.com/finetune/ftjob-abc123?filter=all" << id << QString()
                                   << false;
    QTest::newRow("dashboard url fragment")
        << "https://platform.openai.com/finetune/ftjob-abc123#events" << id << QString() << false;
    QTest::newRow("dashboard url no scheme") << "platform.openai.com/finetune/ftjob-abc123" << id << QString() << false;
    QTest::newRow("dashboard url trailing slash")
        << "https://platform.openai.com/finetune/ftjob-abc123/" << id << QString() << false;
    QTest::newRow("quoted url") << "<https://platform.openai.com/finetune/ftjob-abc123?filter=all>" << id << QString()
                                << false;
    QTest::newRow("api url") << "https://api.openai.com/v1/fine_tuning/jobs/ftjob-abc123/cancel" << id << QString()
                             << false;
    QTest::newRow("url without job") << "https://platform.openai.com/finetune?filter=all" << QString() << "not a job id"
                                     << false;
    QTest::newRow("url with encoded slash")
        << "https://platform.openai.com/finetune/ftjob-a%2F..%2Fb" << QString() << "%" << false;
    // Legacy ids: accepted with a warning.
    QTest::newRow("legacy ft-") << "ft-AF1WoRqd3aJAHsqc9NY7iL8F"
                                << "ft-AF1WoRqd3aJAHsqc9NY7iL8F" << QString() << true;
    // Things that are not job ids, each named.
    QTest::newRow("empty") << "" << QString() << "Paste a job id" << false;
    QTest::newRow("only spaces") << "   \n " << QString() << "Paste a job id" << false;
    QTest::newRow("only quotes") << "\"\"" << QString() << "Paste a job id" << false;
    QTest::newRow("model name") << "ft:gpt-4o-mini-2024-07-18:my-org::9abcDEF" << QString() << "model name" << false;
    QTest::newRow("file id") << "file-abc123" << QString() << "file id" << false;
    QTest::newRow("checkpoint id") << "ftckpt_zc4Q7MP6XxulcVzj4MZdwsAB" << QString() << "checkpoint id" << false;
    QTest::newRow("event id") << "ftevent-abc123" << QString() << "event id" << false;
    QTest::newRow("bare prefix") << "ftjob-" << QString() << "cut off" << false;
    QTest::newRow("underscore prefix") << "ftjob_abc123" << QString() << "did you mean ftjob-abc123" << false;
    QTest::newRow("other word") << "hello" << QString() << "start with ftjob-" << false;
    // Path and query tricks never get through.
    QTest::newRow("dot dot path") << "a/../../files" << QString() << "\u201C/\u201D" << false;
    QTest::newRow("job then path") << "ftjob-abc/../../files" << QString() << "\u201C/\u201D" << false;
    QTest::newRow("query") << "?x=1" << QString() << "\u201C?\u201D" << false;
    QTest::newRow("id with query") << "ftjob-abc123?x=1" << QString() << "\u201C?\u201D" << false;
    QTest::newRow("percent-encoded slash") << "ftjob-abc%2F..%2Ffiles" << QString() << "\u201C%\u201D" << false;
    QTest::newRow("two ids") << "ftjob-abc ftjob-def" << QString() << "space" << false;
    QTest::newRow("newline inside") << "ftjob-abc\nftjob-def" << QString() << "line break" << false;
    QTest::newRow("control char") << QStringLiteral("ftjob-abc\u0007") << QString() << "control character" << false;
    // Unicode look-alikes: Cyrillic o, full-width hyphen, non-breaking hyphen.
    QTest::newRow("cyrillic o") << QStringLiteral("ftj\u043Eb-abc123") << QString() << "U+043E" << false;
    QTest::newRow("fullwidth hyphen") << QStringLiteral("ftjob\uFF0Dabc123") << QString() << "U+FF0D" << false;
    QTest::newRow("non-breaking hyphen") << QStringLiteral("ftjob\u2011abc123") << QString() << "U+2011" << false;
    QTest::newRow("too long") << QStringLiteral("ftjob-") + QString(200, u'a') << QString() << "characters long"
                              << false;
    // The limit is exactly JobId::maxLength (128) characters: the longest id is taken, one more is refused.
    const QString longest = QStringLiteral("ftjob-") + QString(128 - 6, u'b');
    QTest::newRow("128 characters") << longest << longest << QString() << false;
    QTest::newRow("129 characters") << longest + u'b' << QString() << "129 character" << false;
}

void TestJobId::parse()
{
    QFETCH(QString, pasted);
    QFETCH(QString, expectedId);
    QFETCH(QString, errorContains);
    QFETCH(bool, warns);

    const JobId::Parsed parsed = JobId::parse(pasted);
    if (expectedId.isEmpty()) {
        QVERIFY2(!parsed.isValid(), qPrintable(QStringLiteral("accepted as ") + parsed.id));
        QVERIFY(parsed.id.isEmpty());
        QVERIFY2(parsed.error.contains(errorContains, Qt::CaseInsensitive), qPrintable(parsed.error));
    } else {
        QVERIFY2(parsed.isValid(), qPrintable(parsed.error));
        QCOMPARE(parsed.id, expectedId);
        QCOMPARE(!parsed.warning.isEmpty(), warns);
    }
}

void TestJobId::everyAcceptedIdIsOnePathSegment()
{
    QFETCH(QString, pasted);
    const JobId::Parsed parsed = JobId::parse(pasted);
    if (!parsed.isValid())
        return;
    for (const QChar c : parsed.id)
        QVERIFY2((c.isLetterOrNumber() && c.unicode() < 128) || c == u'-' || c == u'_', qPrintable(parsed.id));
}

void TestJobId::extract_data()
{
    QTest::addColumn<QString>("pasted");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<int>("rejected");
    QTest::addColumn<int>("duplicates");
    QTest::addColumn<QString>("reasonContains");
    QTest::newRow("one id") << "ftjob-abc" << QStringList{"ftjob-abc"} << 0 << 0 << QString();
    QTest::newRow("one invalid, judged as parse() does") << "file-abc" << QStringList() << 1 << 0 << "file id";
    QTest::newRow("one word") << "hello" << QStringList() << 1 << 0 << "not a job id";
    QTest::newRow("empty") << "  \n " << QStringList() << 0 << 0 << QString();
    QTest::newRow("spaces") << "ftjob-a ftjob-b" << QStringList{"ftjob-a", "ftjob-b"} << 0 << 0 << QString();
    QTest::newRow("every separator") << "ftjob-a,ftjob-b\nftjob-c\tftjob-d; ftjob-e\r\n"
                                     << QStringList{"ftjob-a", "ftjob-b", "ftjob-c", "ftjob-d", "ftjob-e"} << 0 << 0
                                     << QString();
    QTest::newRow("duplicates merged") << "ftjob-a ftjob-b ftjob-a https://platform.openai.com/finetune/ftjob-b"
                                       << QStringList{"ftjob-a", "ftjob-b"} << 0 << 2 << QString();
    QTest::newRow("dashboard urls") << "https://platform.openai.com/finetune/ftjob-a?filter=all\n"
                                       "<https://platform.openai.com/finetune/ftjob-b>"
                                    << QStringList{"ftjob-a", "ftjob-b"} << 0 << 0 << QString();
    QTest::newRow("json object") << "{\"id\": \"ftjob-abc\", \"status\": \"running\", \"model\": \"gpt-4o-mini\"}"
                                 << QStringList{"ftjob-abc"} << 0 << 0 << QString();
    QTest::newRow("json array") << "[\"ftjob-a\",\"ftjob-b\"]" << QStringList{"ftjob-a", "ftjob-b"} << 0 << 0
                                << QString();
    QTest::newRow("compact json") << "{\"id\":\"ftjob-abc\",\"object\":\"fine_tuning.job\"}" << QStringList{"ftjob-abc"}
                                  << 0 << 0 << QString();
    QTest::newRow("log line") << "2024-05-01 12:00:03 INFO cancel requested for ftjob-abc (user bob)."
                              << QStringList{"ftjob-abc"} << 0 << 0 << QString();
    QTest::newRow("key=value log") << "level=info job=ftjob-abc status=running" << QStringList{"ftjob-abc"} << 0 << 0
                                   << QString();
    QTest::newRow("junk among ids") << "ftjob-a file-xyz ft:gpt-4o-mini:org::x ftjob_bad ftjob-b"
                                    << QStringList{"ftjob-a", "ftjob-b"} << 3 << 0 << "file id";
    QTest::newRow("look-alike") << QStringLiteral("ftj\u043Eb-abc ftjob-ok") << QStringList{"ftjob-ok"} << 1 << 0
                                << "U+043E";
    QTest::newRow("path trick") << "ftjob-a ftjob-b/../../files" << QStringList{"ftjob-a"} << 1 << 0 << "/";
}

void TestJobId::extract()
{
    QFETCH(QString, pasted);
    QFETCH(QStringList, ids);
    QFETCH(int, rejected);
    QFETCH(int, duplicates);
    QFETCH(QString, reasonContains);
    const JobId::Extracted e = JobId::extract(pasted);
    QStringList got;
    for (const JobId::Parsed& p : e.ids)
        got << p.id;
    QCOMPARE(got, ids);
    QCOMPARE(e.rejected.size(), rejected);
    QCOMPARE(e.duplicates, duplicates);
    if (!reasonContains.isEmpty()) {
        QStringList reasons;
        for (const JobId::Rejected& r : e.rejected)
            reasons << r.reason;
        QVERIFY2(reasons.join(u'|').contains(reasonContains), qPrintable(reasons.join(u'|')));
    }
}

void TestJobId::summaryCountsLinesIdsDuplicatesAndRefusals_data()
{
    QTest::addColumn<QString>("pasted");
    QTest::addColumn<QString>("summary");
    QString thirty;
    for (int i = 0; i < 20; ++i)
        thirty += QStringLiteral("ftjob-a%1\n").arg(i);
    thirty += QStringLiteral("ftjob-a1\n  ftjob-a2  \n\n   \n");
    for (int i = 0; i < 8; ++i)
        thirty += QStringLiteral("file-%1\n").arg(i);
    QTest::newRow("mixed") << thirty << "30 lines: 20 ids, 2 duplicates, 8 not ids";
    QTest::newRow("one id") << "ftjob-x"
                            << "1 line: 1 id";
    QTest::newRow("one line, two ids") << "ftjob-x, ftjob-y"
                                       << "1 line: 2 ids";
    QTest::newRow("nothing but a refusal") << "file-abc"
                                           << "1 line: 0 ids, 1 not id";
}

void TestJobId::summaryCountsLinesIdsDuplicatesAndRefusals()
{
    QFETCH(QString, pasted);
    QFETCH(QString, summary);
    QCOMPARE(JobId::summary(JobId::extract(pasted)), summary);
}

void TestJobId::pastedKeyAmongIdsIsNeverShown()
{
    QString body;
    for (int i = 0; i < 60; ++i)
        body += QLatin1Char("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789"[QRandomGenerator::global()->bounded(46)]);
    const QString key = QStringLiteral("sk-proj-") + body;
    for (const QString& pasted : {QStringLiteral("ftjob-a %1").arg(key), key, QStringLiteral("\"%1\"").arg(key)}) {
        const JobId::Extracted e = JobId::extract(pasted);
        QCOMPARE(e.rejected.size(), 1);
        QVERIFY2(e.rejected.first().reason.contains(QStringLiteral("API key")), qPrintable(e.rejected.first().reason));
        for (int start = 0; start + 8 <= body.size(); ++start) {
            QVERIFY(!e.rejected.first().fragment.contains(body.mid(start, 8)));
            QVERIFY(!e.rejected.first().reason.contains(body.mid(start, 8)));
        }
    }
}

QTEST_GUILESS_MAIN(TestJobId)
#include "tst_jobid.moc"
