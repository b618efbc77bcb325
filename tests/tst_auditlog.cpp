#include "apiconfig.h"
#include "auditlog.h"
#include "jobresult.h"
#include "outputgate.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <future>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

// The audit trail as the operator relies on it: every attempt on disk, in order, with nothing secret, readable
// past a damaged line, and exportable to a spreadsheet without surprises.
class TestAuditLog final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void appendsAndReadsBackInOrder();
    void lineIsCompactJsonOfEveryField();
    void eachLineIsOnDiskWhenAppendReturns();
    void damagedLinesAreSkippedNotFatal();
    void oneDamagedLineIsSkipped_data();
    void oneDamagedLineIsSkipped();
    void appendAfterACutOffLineStartsAFreshLine();
    void missingFileIsAnEmptyTrail();
    void readNewestKeepsTheNewest();
    void readsLinesAcrossPieces();
    void overlongLinesAreSkippedUnread();
    void newestOverlongLinesDoNotHideOlderOnes();
    void lineLengthLimitIsExact();
    void scanStopsAtTheByteBudget();
    void warningsAreCappedCountsAreNot();
    void fieldsPassTheOutputGateOnLoad();
    void cappedFieldIsNotCappedAgain();
    void readerRefusesLinksAndPipes_data();
    void readerRefusesLinksAndPipes();
    void backgroundReadDeliversOneResult();
    void fromResultTakesTheRequestFacts();
    void linesFromBeforeProfilesReadAsOpenAi();
    void inputErrorsAreNotAttempts();
    void keyQuotedInAnErrorNeverReachesTheFile();
    void csvQuotesPerRfc4180();
    void csvNeutralisesFormulas_data();
    void csvNeutralisesFormulas();
    void fileIsOwnerOnly();
    void writeFailureIsReported();
    void readOnlyDataFolderSaysWhy();
    void partlyWrittenLineIsTakenBack();
    void symlinkIsNotFollowed_data();
    void symlinkIsNotFollowed();
    void fifoIsSkippedWithoutBlocking_data();
    void fifoIsSkippedWithoutBlocking();
    void folderIsSkipped();
    void deviceIsSkipped();
    void defaultPathIsInAppData();
    void keptOpenWritesWholeLinesOwnerOnly();
    void keptOpenStartsAFreshLineAfterAnotherWriter();
    void keptOpenFollowsNoLinkPutThereMidBatch();
    void keptOpenReopensAMovedOrDeletedFile();
    void keptOpenTakesBackAPartlyWrittenLine();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("audit.jsonl")); }
    static AuditEntry entry(const QString& jobId, qint64 msecs);
    static void appendRaw(const QString& path, const QByteArray& bytes);
    static QList<QStringList> parseCsv(const QString& text);
    static QByteArray contents(const QString& path);
    static QByteArray jsonLine(const AuditEntry& e);
    static QByteArray hugeLine(const QString& jobId, qsizetype bytes);

    std::unique_ptr<QTemporaryDir> m_dir;
};

static const QString testKey = QStringLiteral("sk-proj-audit-te") + QStringLiteral("st-0123456789abcdefKEY7");

void TestAuditLog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("io.github.ftcancel.FtCancel.tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_auditlog"));
}

void TestAuditLog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

AuditEntry TestAuditLog::entry(const QString& jobId, qint64 msecs)
{
    AuditEntry e;
    e.time = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
    e.jobId = jobId;
    e.organization = QStringLiteral("org-audit");
    e.project = QStringLiteral("proj_audit");
    e.baseHost = QStringLiteral("api.openai.com");
    e.httpStatus = 200;
    e.status = QStringLiteral("cancelled");
    e.requestId = QStringLiteral("req_") + jobId;
    e.attempts = 1;
    e.source = QStringLiteral("cli");
    e.profile = QStringLiteral("prod-eu");
    e.provider = QStringLiteral("openai");
    e.kind = QStringLiteral("batch");
    return e;
}

void TestAuditLog::appendRaw(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes), bytes.size());
}

QByteArray TestAuditLog::contents(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray("<unreadable>");
    return f.readAll();
}

QByteArray TestAuditLog::jsonLine(const AuditEntry& e)
{
    // Written the way AuditLog writes one, but by hand: as an old version or an editor could have left it.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("one.jsonl"));
    if (!AuditLog(file).append(e, nullptr))
        return QByteArray();
    return contents(file);
}

QByteArray TestAuditLog::hugeLine(const QString& jobId, qsizetype bytes)
{
    // An entry whose error message makes the line `bytes` long (old versions wrote 7 MB messages), '\n' included.
    AuditEntry e = entry(jobId, 1700000000000);
    e.errorKind = QStringLiteral("bad_response");
    QByteArray line = jsonLine(e);
    const qsizetype padding = bytes - line.size();
    const qsizetype at = line.indexOf("\"error_message\":\"") + qsizetype(strlen("\"error_message\":\""));
    line.insert(at, QByteArray(padding, 'x'));
    return line;
}

static void compareEntries(const AuditEntry& actual, const AuditEntry& expected)
{
    QCOMPARE(actual.time, expected.time);
    QCOMPARE(actual.time.timeSpec(), Qt::UTC);
    QCOMPARE(actual.jobId, expected.jobId);
    QCOMPARE(actual.organization, expected.organization);
    QCOMPARE(actual.project, expected.project);
    QCOMPARE(actual.baseHost, expected.baseHost);
    QCOMPARE(actual.httpStatus, expected.httpStatus);
    QCOMPARE(actual.status, expected.status);
    QCOMPARE(actual.requestId, expected.requestId);
    QCOMPARE(actual.errorKind, expected.errorKind);
    QCOMPARE(actual.errorMessage, expected.errorMessage);
    QCOMPARE(actual.attempts, expected.attempts);
    QCOMPARE(actual.source, expected.source);
    QCOMPARE(actual.profile, expected.profile);
    QCOMPARE(actual.provider, expected.provider);
    QCOMPARE(actual.kind, expected.kind);
    QCOMPARE(actual.action, expected.action);
}

void TestAuditLog::appendsAndReadsBackInOrder()
{
    const AuditLog log(path());
    const AuditEntry first = entry(QStringLiteral("ftjob-first"), 1700000000123);
    AuditEntry second = entry(QStringLiteral("ftjob-second"), 1700000005456);
    second.organization.clear();
    second.project = QStringLiteral("proj_ünïcode");
    second.baseHost = QStringLiteral("127.0.0.1:8443");
    second.httpStatus = 404;
    second.status.clear();
    second.errorKind = QStringLiteral("http");
    second.errorMessage = QStringLiteral("HTTP 404: No such job.\nThe API said: \"Could not find\" \u2026");
    second.attempts = 3;
    second.source = QStringLiteral("window");

    QString error;
    QVERIFY2(log.append(first, &error), qPrintable(error));
    QVERIFY2(log.append(second, &error), qPrintable(error));

    int skipped = -1;
    QStringList warnings;
    const QList<AuditEntry> read = log.readAll(&skipped, &warnings);
    QCOMPARE(skipped, 0);
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    QCOMPARE(read.size(), 2);
    compareEntries(read.at(0), first);
    QVERIFY(!QTest::currentTestFailed());
    // Read back through the output gate: the line break a hand-made entry carried shows as a visible "␊".
    AuditEntry shownSecond = second;
    shownSecond.errorMessage = QStringLiteral("HTTP 404: No such job.\u240AThe API said: \"Could not find\" \u2026");
    compareEntries(read.at(1), shownSecond);
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY(!read.at(0).isError());
    QVERIFY(read.at(1).isError());
}

void TestAuditLog::eachLineIsOnDiskWhenAppendReturns()
{
    const AuditLog log(path());
    for (int i = 1; i <= 3; ++i) {
        QVERIFY(log.append(entry(QStringLiteral("ftjob-%1").arg(i), 1700000000000 + i), nullptr));
        // Read by another handle straight away: nothing is left in a buffer of ours.
        QFile f(path());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QCOMPARE(bytes.count('\n'), i);
        QVERIFY(bytes.endsWith("}\n"));
    }
}

void TestAuditLog::damagedLinesAreSkippedNotFatal()
{
    const AuditLog log(path());
    QVERIFY(log.append(entry(QStringLiteral("ftjob-one"), 1700000001000), nullptr));
    appendRaw(path(), "{\"time\": garbage, not json}\n"); // line 2: corrupt
    QVERIFY(log.append(entry(QStringLiteral("ftjob-two"), 1700000002000), nullptr)); // line 3
    appendRaw(path(), "{\"time\":\"2024-01-01T00:00:00.000Z\",\"job_id\":\"ftjob-cu"); // line 4: cut off
    QVERIFY(log.append(entry(QStringLiteral("ftjob-three"), 1700000003000), nullptr)); // line 5

    int skipped = -1;
    QStringList warnings;
    const QList<AuditEntry> read = log.readAll(&skipped, &warnings);
    QCOMPARE(skipped, 2);
    QCOMPARE(warnings.size(), 2);
    QVERIFY2(warnings.at(0).contains(QStringLiteral("Line 2")), qPrintable(warnings.at(0)));
    QVERIFY2(warnings.at(1).contains(QStringLiteral("Line 4")), qPrintable(warnings.at(1)));
    QCOMPARE(read.size(), 3);
    QCOMPARE(read.at(0).jobId, QStringLiteral("ftjob-one"));
    QCOMPARE(read.at(1).jobId, QStringLiteral("ftjob-two"));
    QCOMPARE(read.at(2).jobId, QStringLiteral("ftjob-three"));
}

void TestAuditLog::oneDamagedLineIsSkipped_data()
{
    QTest::addColumn<QByteArray>("damage");
    QTest::addColumn<QString>("warning");
    QTest::newRow("not json") << QByteArray("ftjob-x cancelled\n") << "Line 2 is not valid JSON";
    QTest::newRow("array") << QByteArray("[1, 2, 3]\n") << "Line 2 is not a JSON object";
    // Qt reads a bare JSON scalar as invalid; either way the line is skipped.
    QTest::newRow("string") << QByteArray("\"hello\"\n") << "Line 2 is not";
    QTest::newRow("no time") << QByteArray("{\"job_id\":\"ftjob-x\"}\n") << "Line 2 has no valid time";
    QTest::newRow("bad time") << QByteArray("{\"time\":\"yesterday\",\"job_id\":\"ftjob-x\"}\n")
                              << "Line 2 has no valid time";
    QTest::newRow("no job id") << QByteArray("{\"time\":\"2024-01-01T00:00:00.000Z\"}\n")
                               << "Line 2 has no valid time or job id";
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe{\n", 5) << "Line 2 is not valid JSON";
    QTest::newRow("cut off at the end") << QByteArray("{\"time\":\"2024-01-01T00:00") << "Line 2 is incomplete";
}

void TestAuditLog::oneDamagedLineIsSkipped()
{
    QFETCH(QByteArray, damage);
    QFETCH(QString, warning);
    const AuditLog log(path());
    QVERIFY(log.append(entry(QStringLiteral("ftjob-good"), 1700000001000), nullptr));
    appendRaw(path(), damage);
    int skipped = -1;
    QStringList warnings;
    const QList<AuditEntry> read = log.readAll(&skipped, &warnings);
    QCOMPARE(skipped, 1);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().contains(warning), qPrintable(warnings.first()));
    QCOMPARE(read.size(), 1);
    QCOMPARE(read.first().jobId, QStringLiteral("ftjob-good"));
}

void TestAuditLog::appendAfterACutOffLineStartsAFreshLine()
{
    // A crash mid-write leaves a line without its end; the next attempt must not be glued onto it.
    appendRaw(path(), "{\"time\":\"2024-01-01T00:00:00.000Z\",\"job_id\":\"ftjob-cu");
    const AuditLog log(path());
    QVERIFY(log.append(entry(QStringLiteral("ftjob-after"), 1700000001000), nullptr));
    int skipped = -1;
    const QList<AuditEntry> read = log.readAll(&skipped);
    QCOMPARE(skipped, 1);
    QCOMPARE(read.size(), 1);
    QCOMPARE(read.first().jobId, QStringLiteral("ftjob-after"));
}

void TestAuditLog::missingFileIsAnEmptyTrail()
{
    const AuditLog log(path());
    int skipped = -1;
    QStringList warnings{QStringLiteral("stale")};
    QVERIFY(log.readAll(&skipped, &warnings).isEmpty());
    QCOMPARE(skipped, 0);
    QVERIFY(warnings.isEmpty());
}

void TestAuditLog::readNewestKeepsTheNewest()
{
    const AuditLog log(path());
    for (int i = 1; i <= 5; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-%1").arg(i), 1700000000000 + i), nullptr));
    appendRaw(path(), "\n\n"); // blank lines are neither entries nor damage
    const AuditReadResult newest = log.readNewest(2);
    QCOMPARE(newest.entries.size(), 2);
    QCOMPARE(newest.entries.at(0).jobId, QStringLiteral("ftjob-5")); // newest first
    QCOMPARE(newest.entries.at(1).jobId, QStringLiteral("ftjob-4"));
    QCOMPARE(newest.skippedLines(), 0);
    QVERIFY(newest.error.isEmpty());
    // Lines 1 to 3 were not even parsed; what is left unread ends where line 3 does.
    const QByteArray bytes = contents(path());
    QCOMPARE(newest.notLoadedBytes, bytes.indexOf('\n', bytes.indexOf("ftjob-3")));

    const AuditReadResult all = log.readNewest(5);
    QCOMPARE(all.entries.size(), 5);
    QCOMPARE(all.notLoadedBytes, 0);
    QCOMPARE(log.readAll().size(), 5);
}

void TestAuditLog::readsLinesAcrossPieces()
{
    // Enough lines for several pieces of AuditLog::chunkBytes: lines cut by a piece boundary read whole.
    QByteArray bytes;
    int count = 0;
    const QByteArray model = jsonLine(entry(QStringLiteral("ftjob-@"), 1700000000000));
    while (bytes.size() < 2 * AuditLog::chunkBytes + 4096)
        bytes += QByteArray(model).replace("ftjob-@", "ftjob-" + QByteArray::number(++count));
    appendRaw(path(), bytes);
    int skipped = -1;
    QStringList warnings;
    const QList<AuditEntry> read = AuditLog(path()).readAll(&skipped, &warnings);
    QCOMPARE(skipped, 0);
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    QCOMPARE(read.size(), count);
    for (int i = 0; i < count; ++i)
        QCOMPARE(read.at(i).jobId, QStringLiteral("ftjob-%1").arg(i + 1));
}

void TestAuditLog::overlongLinesAreSkippedUnread()
{
    const AuditLog log(path());
    QVERIFY(log.append(entry(QStringLiteral("ftjob-before"), 1700000000000), nullptr));
    constexpr qsizetype sevenMB = 7 * 1000 * 1000;
    for (int i = 1; i <= 3; ++i)
        appendRaw(path(), hugeLine(QStringLiteral("ftjob-huge%1").arg(i), sevenMB));
    for (int i = 1; i <= 5; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-after%1").arg(i), 1700000000000 + i), nullptr));

    const AuditReadResult read = log.readNewest(10000);
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
    QCOMPARE(read.overlongLines, 3);
    QCOMPARE(read.damagedLines, 0);
    QCOMPARE(read.notLoadedBytes, 0);
    QCOMPARE(read.entries.size(), 6);
    QCOMPARE(read.entries.first().jobId, QStringLiteral("ftjob-after5"));
    QCOMPARE(read.entries.last().jobId, QStringLiteral("ftjob-before"));
    QCOMPARE(read.warnings.size(), 3);
    QVERIFY2(read.warnings.at(0).startsWith(QStringLiteral("Line 2 is longer than")), qPrintable(read.warnings.at(0)));
    QVERIFY2(read.warnings.at(2).startsWith(QStringLiteral("Line 4 is longer than")), qPrintable(read.warnings.at(2)));
}

void TestAuditLog::newestOverlongLinesDoNotHideOlderOnes()
{
    // Five attempts, then three over-long lines at the very end that together exceed what is read at most: they are
    // passed over and counted without using up the budget, and the five entries before them are all read.
    const AuditLog log(path());
    for (int i = 1; i <= 5; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-%1").arg(i), 1700000000000 + i), nullptr));
    for (int i = 1; i <= 3; ++i)
        appendRaw(path(), hugeLine(QStringLiteral("ftjob-huge%1").arg(i), 600 * 1000));
    constexpr qint64 budget = 1024 * 1024; // less than the three huge lines (1.8 MB), more than the five
    const AuditReadResult read = log.readNewest(-1, budget);
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
    QCOMPARE(read.entries.size(), 5);
    QCOMPARE(read.entries.first().jobId, QStringLiteral("ftjob-5"));
    QCOMPARE(read.entries.last().jobId, QStringLiteral("ftjob-1"));
    QCOMPARE(read.overlongLines, 3);
    QCOMPARE(read.damagedLines, 0);
    QCOMPARE(read.notLoadedBytes, 0);
    QCOMPARE(read.warnings.size(), 3);
    QVERIFY2(read.warnings.at(0).startsWith(QStringLiteral("Line 6 is longer than")), qPrintable(read.warnings.at(0)));

    // The budget still bounds what is parsed: a smaller one than the five lines stops among them, and says so.
    const AuditReadResult part = log.readNewest(-1, 2 * jsonLine(entry(QStringLiteral("ftjob-1"), 0)).size());
    QVERIFY(part.entries.size() >= 1 && part.entries.size() < 5);
    QVERIFY(part.notLoadedBytes > 0);
}

void TestAuditLog::lineLengthLimitIsExact()
{
    // A line of maxLineBytes (without its '\n') is read; one byte more and it is skipped.
    appendRaw(path(), hugeLine(QStringLiteral("ftjob-fits"), AuditLog::maxLineBytes + 1));
    appendRaw(path(), hugeLine(QStringLiteral("ftjob-too-long"), AuditLog::maxLineBytes + 2));
    const AuditReadResult read = AuditLog(path()).readNewest(-1);
    QCOMPARE(read.entries.size(), 1);
    QCOMPARE(read.entries.first().jobId, QStringLiteral("ftjob-fits"));
    QCOMPARE(read.overlongLines, 1);
    QVERIFY2(read.warnings.value(0).startsWith(QStringLiteral("Line 2 ")), qPrintable(read.warnings.value(0)));
}

void TestAuditLog::scanStopsAtTheByteBudget()
{
    QByteArray bytes;
    int count = 0;
    const QByteArray model = jsonLine(entry(QStringLiteral("ftjob-@"), 1700000000000));
    while (bytes.size() < 3 * 1024 * 1024)
        bytes += QByteArray(model).replace("ftjob-@", "ftjob-" + QByteArray::number(++count));
    appendRaw(path(), bytes);

    constexpr qint64 budget = 1024 * 1024;
    const AuditReadResult read = AuditLog(path()).readNewest(-1, budget);
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
    QCOMPARE(read.skippedLines(), 0); // the line cut by the budget is not loaded, and not damage either
    QVERIFY(read.entries.size() > 100);
    QVERIFY(read.entries.size() < count);
    QCOMPARE(read.entries.first().jobId, QStringLiteral("ftjob-%1").arg(count));
    // Entries in order, none missing from the newest back to the oldest loaded one ...
    for (int i = 0; i < read.entries.size(); ++i)
        QCOMPARE(read.entries.at(i).jobId, QStringLiteral("ftjob-%1").arg(count - i));
    // ... and what was not loaded is said, to the byte: everything before the oldest loaded line.
    const QByteArray oldest = "\"job_id\":\"" + read.entries.last().jobId.toUtf8() + '"';
    const qsizetype oldestLineStart = bytes.lastIndexOf('\n', bytes.indexOf(oldest)) + 1;
    QCOMPARE(read.notLoadedBytes, qint64(oldestLineStart - 1));
    QVERIFY(bytes.size() - oldestLineStart <= budget);
}

void TestAuditLog::warningsAreCappedCountsAreNot()
{
    const AuditLog log(path());
    QByteArray damage;
    for (int i = 1; i <= 150; ++i)
        damage += "not json " + QByteArray::number(i) + '\n';
    appendRaw(path(), damage);
    QVERIFY(log.append(entry(QStringLiteral("ftjob-ok"), 1700000000000), nullptr));
    const AuditReadResult read = log.readNewest(-1);
    QCOMPARE(read.damagedLines, 150);
    QCOMPARE(read.warnings.size(), AuditLog::maxWarnings);
    // The newest are kept, oldest first: lines 51 to 150.
    QVERIFY2(read.warnings.first().startsWith(QStringLiteral("Line 51 ")), qPrintable(read.warnings.first()));
    QVERIFY2(read.warnings.last().startsWith(QStringLiteral("Line 150 ")), qPrintable(read.warnings.last()));
    QCOMPARE(read.entries.size(), 1);
}

static QString randomKeyBody(int length)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString body;
    for (int i = 0; i < length; ++i)
        body += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet) - 1)]);
    return body;
}

void TestAuditLog::lineIsCompactJsonOfEveryField()
{
    // History, scripts and older versions read the trail as JSON: a line is what QJsonDocument writes for the entry,
    // byte for byte, and parses back to every field as it was given, whatever text the fields hold.
    QString awkward = QStringLiteral("quote \" backslash \\ slash / ");
    for (char16_t u = 0; u < 0x20; ++u)
        awkward += QChar(u);
    awkward += QStringLiteral(" \u007F \u0085 \u00E9 \u20AC \u202E \u2028 \uFEFF \U0001F600 high ");
    awkward += QChar(0xD800); // lone surrogates, as a broken server's text may hold (escaped as \ud800)
    awkward += QStringLiteral(" low ");
    awkward += QChar(0xDFFF);
    AuditEntry e;
    e.time = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
    e.jobId = QStringLiteral("ftjob-") + awkward;
    e.organization = QStringLiteral("org ") + awkward;
    e.project = QStringLiteral("proj ") + awkward;
    e.baseHost = QStringLiteral("host ") + awkward;
    e.httpStatus = 429;
    e.status = QStringLiteral("status ") + awkward;
    e.requestId = QStringLiteral("req ") + awkward;
    e.errorKind = QStringLiteral("kind ") + awkward;
    e.errorMessage = QStringLiteral("message ") + awkward;
    e.attempts = 7;
    e.source = QStringLiteral("source ") + awkward;
    e.profile = QStringLiteral("profile ") + awkward;
    e.provider = QStringLiteral("azure");
    e.kind = QStringLiteral("batch");
    e.action = QStringLiteral("pause");
    QString error;
    QVERIFY2(AuditLog(path()).append(e, &error), qPrintable(error));
    const QByteArray written = contents(path());
    QCOMPARE(written.count('\n'), 1);
    QVERIFY(written.endsWith('\n'));
    const QByteArray line = written.chopped(1);

    const QJsonObject expected{
        {QStringLiteral("time"), QStringLiteral("2023-11-14T22:13:20.123Z")},
        {QStringLiteral("job_id"), e.jobId},
        {QStringLiteral("organization"), e.organization},
        {QStringLiteral("project"), e.project},
        {QStringLiteral("base_host"), e.baseHost},
        {QStringLiteral("http_status"), e.httpStatus},
        {QStringLiteral("status"), e.status},
        {QStringLiteral("request_id"), e.requestId},
        {QStringLiteral("error_kind"), e.errorKind},
        {QStringLiteral("error_message"), e.errorMessage},
        {QStringLiteral("attempts"), e.attempts},
        {QStringLiteral("source"), e.source},
        {QStringLiteral("profile"), e.profile},
        {QStringLiteral("provider"), e.provider},
        {QStringLiteral("kind"), e.kind},
        {QStringLiteral("action"), e.action},
    };
    QCOMPARE(line, QJsonDocument(expected).toJson(QJsonDocument::Compact));

    QJsonParseError parseError;
    const QJsonObject parsed = QJsonDocument::fromJson(line, &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(parsed, expected);
    QCOMPARE(parsed.value(QStringLiteral("job_id")).toString(), e.jobId); // the text itself, not only equal JSON

    // And the trail reads it back, every field shown through the gate.
    const QList<AuditEntry> read = AuditLog(path()).readAll();
    QCOMPARE(read.size(), 1);
    AuditEntry shown = e;
    for (QString* field : {&shown.jobId, &shown.organization, &shown.project, &shown.baseHost, &shown.status,
                           &shown.requestId, &shown.errorKind, &shown.errorMessage, &shown.source, &shown.profile})
        *field = OutputGate::clean(*field);
    compareEntries(read.first(), shown);
}

void TestAuditLog::fieldsPassTheOutputGateOnLoad()
{
    // An old or hand-edited file holds whatever it holds: every text field is gated when read.
    const QString key = QStringLiteral("sk-proj-") + randomKeyBody(40);
    const QString hostile = QStringLiteral("\u001b[2J\u001b]0;owned\u0007 line\nbreak \u202Egnp.exe ") + key
        + QStringLiteral(" <b>html</b>");
    AuditEntry e = entry(QStringLiteral("ftjob-\u001bhostile"), 1700000000000);
    e.status.clear();
    e.errorKind = QStringLiteral("http\u202E");
    e.errorMessage = hostile;
    e.requestId = hostile;
    e.organization = hostile;
    e.project = hostile;
    e.baseHost = hostile;
    e.source = hostile;
    appendRaw(path(), jsonLine(e)); // straight into the file, not through fromResult
    QVERIFY(contents(path()).contains(key.toUtf8()));

    const QList<AuditEntry> read = AuditLog(path()).readAll();
    QCOMPARE(read.size(), 1);
    const AuditEntry& r = read.first();
    for (const QString& field :
         {r.jobId, r.errorKind, r.errorMessage, r.requestId, r.organization, r.project, r.baseHost, r.source}) {
        QVERIFY2(!field.contains(key.mid(8, 20)), qPrintable(field));
        for (const QChar c : field)
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f && c.unicode() != 0x202E, qPrintable(field));
    }
    QCOMPARE(r.jobId, QStringLiteral("ftjob-\u241Bhostile"));
    QVERIFY2(r.errorMessage.contains(QStringLiteral("\u2026") + key.right(4)), qPrintable(r.errorMessage));
    QVERIFY2(r.errorMessage.contains(QStringLiteral("\u240A")), qPrintable(r.errorMessage));
    QVERIFY2(r.errorMessage.contains(QStringLiteral("[U+202E]")), qPrintable(r.errorMessage));
    QVERIFY2(r.errorMessage.contains(QStringLiteral("<b>html</b>")), qPrintable(r.errorMessage)); // text, as text

    // The CSV export is made of what was read.
    const QString csv = m_dir->filePath(QStringLiteral("hostile.csv"));
    QVERIFY(AuditLog::exportCsv(csv, read, nullptr));
    const QByteArray exported = contents(csv);
    QVERIFY(!exported.contains(key.mid(8, 20).toUtf8()));
    QVERIFY(!exported.contains('\x1b'));
    QVERIFY(!exported.contains("\u202E"));
}

void TestAuditLog::cappedFieldIsNotCappedAgain()
{
    // fromResult() caps a long message on the way in; reading it back shows it as written, not cut again.
    AuditEntry e = entry(QStringLiteral("ftjob-long"), 1700000000000);
    e.errorKind = QStringLiteral("http");
    e.errorMessage = OutputGate::clean(QString(20000, u'm'), OutputGate::lineBytes);
    QVERIFY2(e.errorMessage.endsWith(QStringLiteral("more)")), qPrintable(e.errorMessage.right(40)));
    const AuditLog log(path());
    QVERIFY(log.append(e, nullptr));
    QCOMPARE(log.readAll().value(0).errorMessage, e.errorMessage);
}

void TestAuditLog::readerRefusesLinksAndPipes_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("symlink") << "symlink"
                             << "symbolic link";
    QTest::newRow("fifo") << "fifo"
                          << "named pipe";
    QTest::newRow("folder") << "folder"
                            << "is a folder";
}

void TestAuditLog::readerRefusesLinksAndPipes()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    if (kind == QLatin1String("symlink")) {
        const QString target = m_dir->filePath(QStringLiteral("elsewhere.jsonl"));
        QVERIFY(AuditLog(target).append(entry(QStringLiteral("ftjob-elsewhere"), 1700000000000), nullptr));
        QVERIFY(QFile::link(target, path()));
    } else if (kind == QLatin1String("fifo")) {
        QCOMPARE(::mkfifo(QFile::encodeName(path()).constData(), 0600), 0);
    } else {
        QVERIFY(QDir().mkdir(path()));
    }
    // On another thread, so a read that blocks on the pipe fails this test instead of hanging it.
    const AuditLog log(path());
    auto reading = std::async(std::launch::async, [&log] { return log.readNewest(-1); });
    if (reading.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
        const int unblock = ::open(QFile::encodeName(path()).constData(), O_WRONLY | O_NONBLOCK);
        reading.wait();
        ::close(unblock);
        QFAIL("readNewest() blocked");
    }
    const AuditReadResult read = reading.get();
    QVERIFY(read.entries.isEmpty());
    QVERIFY2(read.error.contains(message), qPrintable(read.error));
}

void TestAuditLog::backgroundReadDeliversOneResult()
{
    const AuditLog log(path());
    for (int i = 1; i <= 3; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-%1").arg(i), 1700000000000 + i), nullptr));
    QFutureWatcher<AuditReadResult> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(log.readNewestInBackground(2));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(watcher.future().resultCount(), 1);
    const AuditReadResult read = watcher.result();
    QCOMPARE(read.entries.size(), 2);
    QCOMPARE(read.entries.first().jobId, QStringLiteral("ftjob-3"));
    QVERIFY(read.notLoadedBytes > 0);
}

void TestAuditLog::fromResultTakesTheRequestFacts()
{
    ApiConfig config;
    config.apiKey = testKey;
    config.organization = QStringLiteral("org-facts");
    config.project = QStringLiteral("proj_facts");
    config.baseUrl = QUrl(QStringLiteral("https://user:secret@gateway.example.com:8443/openai/v1"));

    JobResult ok;
    ok.requestedId = QStringLiteral("ftjob-ok");
    ok.job.id = QStringLiteral("ftjob-ok");
    ok.job.status = QStringLiteral("cancelled");
    ok.httpStatus = 200;
    ok.requestId = QStringLiteral("req_ok");
    ok.attempts = 2;
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const AuditEntry e = AuditEntry::fromResult(ok, config, QStringLiteral("window"));
    QVERIFY(e.time >= before.addMSecs(-1) && e.time <= QDateTime::currentDateTimeUtc().addMSecs(1));
    QCOMPARE(e.time.timeSpec(), Qt::UTC);
    QCOMPARE(e.jobId, QStringLiteral("ftjob-ok"));
    QCOMPARE(e.organization, QStringLiteral("org-facts"));
    QCOMPARE(e.project, QStringLiteral("proj_facts"));
    QCOMPARE(e.baseHost, QStringLiteral("gateway.example.com:8443")); // no user info, no path
    QCOMPARE(e.httpStatus, 200);
    QCOMPARE(e.status, QStringLiteral("cancelled"));
    QCOMPARE(e.requestId, QStringLiteral("req_ok"));
    QCOMPARE(e.errorKind, QString());
    QCOMPARE(e.errorMessage, QString());
    QCOMPARE(e.attempts, 2);
    QCOMPARE(e.source, QStringLiteral("window"));

    JobResult failed;
    failed.requestedId = QStringLiteral("ftjob-gone");
    failed.error = ApiError::http(404, QStringLiteral("Could not find fine tune: ftjob-gone"),
                                  QStringLiteral("invalid_request_error"), QStringLiteral("fine_tune_not_found"));
    failed.httpStatus = 404;
    failed.requestId = QStringLiteral("req_gone");
    const AuditEntry f = AuditEntry::fromResult(failed, config, QStringLiteral("cli"));
    QCOMPARE(f.status, QString());
    QCOMPARE(f.errorKind, QStringLiteral("http"));
    QVERIFY2(f.errorMessage.contains(QStringLiteral("Could not find fine tune")), qPrintable(f.errorMessage));
    QCOMPARE(f.httpStatus, 404);
    QCOMPARE(f.requestId, QStringLiteral("req_gone"));
    QCOMPARE(f.source, QStringLiteral("cli"));
    // No profile (environment variables alone): none named; the provider is always known.
    QCOMPARE(f.profile, QString());
    QCOMPARE(f.provider, QStringLiteral("openai"));

    // The account is the profile's: its name and its provider, the name through the gate.
    ApiConfig azure;
    azure.apiKey = testKey;
    azure.provider = Provider::Azure;
    azure.profileName = QStringLiteral("customer \u001b[31mazure");
    azure.baseUrl = QUrl(QStringLiteral("https://contoso.openai.azure.com"));
    const AuditEntry a = AuditEntry::fromResult(ok, azure, QStringLiteral("window"));
    QCOMPARE(a.profile, QStringLiteral("customer \u241B[31mazure"));
    QCOMPARE(a.provider, QStringLiteral("azure"));
    QCOMPARE(a.baseHost, QStringLiteral("contoso.openai.azure.com"));
}

void TestAuditLog::linesFromBeforeProfilesReadAsOpenAi()
{
    // A line written before profiles existed has neither key: it was OpenAI's, the only provider then.
    appendRaw(path(),
              "{\"attempts\":1,\"base_host\":\"api.openai.com\",\"http_status\":200,\"job_id\":\"ftjob-old\","
              "\"status\":\"cancelled\",\"time\":\"2026-01-02T03:04:05.000Z\"}\n");
    AuditEntry azure = entry(QStringLiteral("ftjob-new"), 1790000000000);
    azure.provider = QStringLiteral("azure");
    QVERIFY(AuditLog(path()).append(azure, nullptr));
    const QList<AuditEntry> read = AuditLog(path()).readAll();
    QCOMPARE(read.size(), 2);
    QCOMPARE(read.at(0).jobId, QStringLiteral("ftjob-old"));
    QCOMPARE(read.at(0).provider, QStringLiteral("openai"));
    QCOMPARE(read.at(0).profile, QString());
    QCOMPARE(read.at(0).kind, QStringLiteral("fine-tuning")); // and before batches: a fine-tuning job
    QCOMPARE(read.at(0).action, QStringLiteral("cancel")); // and before pausing: a cancel
    QCOMPARE(read.at(1).jobId, QStringLiteral("ftjob-new"));
    QCOMPARE(read.at(1).provider, QStringLiteral("azure"));
    QCOMPARE(read.at(1).kind, QStringLiteral("batch"));
    QCOMPARE(read.at(1).profile, QStringLiteral("prod-eu"));
}

void TestAuditLog::inputErrorsAreNotAttempts()
{
    JobResult refused;
    refused.requestedId = QStringLiteral("ftjob-x");
    refused.error = ApiError::input(QStringLiteral("No API key."));
    QVERIFY(!AuditEntry::isAttempt(refused));

    JobResult stopped;
    stopped.error = ApiError::network(QNetworkReply::OperationCanceledError, QString(), QString(), false, 0, true);
    QVERIFY(AuditEntry::isAttempt(stopped)); // the operator pressed Stop: the request may have gone out

    JobResult ok;
    ok.job.status = QStringLiteral("cancelled");
    QVERIFY(AuditEntry::isAttempt(ok));
}

void TestAuditLog::keyQuotedInAnErrorNeverReachesTheFile()
{
    ApiConfig config;
    config.apiKey = testKey;
    JobResult failed;
    failed.requestedId = QStringLiteral("ftjob-key");
    // A 401 quotes the key back; a proxy might echo it in any header.
    failed.error = ApiError::http(401, QStringLiteral("Incorrect API key provided: %1.").arg(testKey),
                                  QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key"));
    failed.httpStatus = 401;
    failed.requestId = QStringLiteral("req_%1").arg(testKey);
    const AuditEntry e = AuditEntry::fromResult(failed, config, QStringLiteral("cli"));
    QVERIFY2(e.errorMessage.contains(QStringLiteral("\u2026KEY7")), qPrintable(e.errorMessage)); // masked, named

    const AuditLog log(path());
    QVERIFY(log.append(e, nullptr));
    QFile f(path());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.contains("Incorrect API key provided"));
    QVERIFY2(!bytes.contains(testKey.toUtf8()), bytes.constData());
    QVERIFY2(!bytes.contains(testKey.mid(8, 16).toUtf8()), bytes.constData());

    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("out.csv"));
    QVERIFY(AuditLog::exportCsv(csv, log.readAll(), nullptr));
    QFile c(csv);
    QVERIFY(c.open(QIODevice::ReadOnly));
    QVERIFY(!c.readAll().contains(testKey.mid(8, 16).toUtf8()));
}

QList<QStringList> TestAuditLog::parseCsv(const QString& text)
{
    // A strict RFC 4180 reader: quoted fields may hold commas, CR, LF and doubled quotes; records end in CRLF.
    QList<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            if (!field.isEmpty())
                qWarning("quote inside an unquoted field");
            quoted = true;
        } else if (c == u',') {
            record << field;
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            record << field;
            records << record;
            record.clear();
            field.clear();
            ++i;
        } else if (c == u'\r' || c == u'\n') {
            qWarning("bare CR or LF outside quotes");
            field += c;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !record.isEmpty()) {
        record << field;
        records << record;
    }
    return records;
}

void TestAuditLog::csvQuotesPerRfc4180()
{
    AuditEntry tricky = entry(QStringLiteral("ftjob-tricky"), 1700000000123);
    tricky.status.clear();
    tricky.httpStatus = 400;
    tricky.errorKind = QStringLiteral("http");
    tricky.errorMessage = QStringLiteral("HTTP 400: refused, \"already\" done\r\nsecond line\nthird");
    tricky.organization = QStringLiteral("org-with,comma");
    const AuditEntry plain = entry(QStringLiteral("ftjob-plain"), 1700000001000);

    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("history.csv"));
    QString error;
    QVERIFY2(AuditLog::exportCsv(csv, {tricky, plain}, &error), qPrintable(error));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY(text.endsWith(QStringLiteral("\r\n")));

    const QList<QStringList> records = parseCsv(text);
    QCOMPARE(records.size(), 3);
    const QStringList header{"time_utc",   "job_id",       "status",  "error_kind", "error_message", "http_status",
                             "request_id", "organization", "project", "base_host",  "attempts",      "source",
                             "profile",    "provider",     "kind",    "action"};
    QCOMPARE(records.at(0), header);
    for (const QStringList& r : records)
        QCOMPARE(r.size(), header.size());
    const QStringList& t = records.at(1);
    QCOMPARE(t.at(0), QStringLiteral("2023-11-14T22:13:20.123Z"));
    QCOMPARE(t.at(1), QStringLiteral("ftjob-tricky"));
    QCOMPARE(t.at(2), QString());
    QCOMPARE(t.at(3), QStringLiteral("http"));
    QCOMPARE(t.at(4), tricky.errorMessage); // comma, quotes, CRLF and LF all survive
    QCOMPARE(t.at(5), QStringLiteral("400"));
    QCOMPARE(t.at(7), QStringLiteral("org-with,comma"));
    QCOMPARE(t.at(11), QStringLiteral("cli"));
    QCOMPARE(t.at(12), QStringLiteral("prod-eu"));
    QCOMPARE(t.at(13), QStringLiteral("openai"));
    QCOMPARE(t.at(14), tricky.kind);
    QCOMPARE(t.at(15), QStringLiteral("cancel"));
    QCOMPARE(records.at(2).at(1), QStringLiteral("ftjob-plain"));
    QCOMPARE(records.at(2).at(2), QStringLiteral("cancelled"));
    // Plain fields are not quoted at all.
    QVERIFY2(text.contains(QStringLiteral(",ftjob-plain,cancelled,,,200,req_ftjob-plain,org-audit,")),
             qPrintable(text));
}

void TestAuditLog::csvNeutralisesFormulas_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("cell");
    QTest::newRow("=") << "=HYPERLINK(\"http://evil\",\"x\")"
                       << "'=HYPERLINK(\"http://evil\",\"x\")";
    QTest::newRow("+") << "+1+2"
                       << "'+1+2";
    QTest::newRow("-") << "-2+3"
                       << "'-2+3";
    QTest::newRow("@") << "@SUM(A1:A2)"
                       << "'@SUM(A1:A2)";
    QTest::newRow("tab") << "\t=1"
                         << "'\t=1";
    QTest::newRow("plain") << "HTTP 404: no such job"
                           << "HTTP 404: no such job";
    QTest::newRow("inner =") << "a=b"
                             << "a=b";
}

void TestAuditLog::csvNeutralisesFormulas()
{
    QFETCH(QString, text);
    QFETCH(QString, cell);
    AuditEntry e = entry(QStringLiteral("ftjob-formula"), 1700000000000);
    e.errorKind = QStringLiteral("http");
    e.errorMessage = text;
    e.project = text;
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("f.csv"));
    QVERIFY(AuditLog::exportCsv(csv, {e}, nullptr));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QStringList> records = parseCsv(QString::fromUtf8(f.readAll()));
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(1).at(4), cell);
    QCOMPARE(records.at(1).at(8), cell);
    QCOMPARE(records.at(1).at(5), QStringLiteral("200")); // our own numbers are left alone
}

void TestAuditLog::fileIsOwnerOnly()
{
    // Whatever the umask says: the trail names accounts and jobs.
    const mode_t oldMask = ::umask(0);
    const AuditLog log(path());
    const bool ok = log.append(entry(QStringLiteral("ftjob-mode"), 1700000000000), nullptr);
    ::umask(oldMask);
    QVERIFY(ok);
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(path()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));

    // A file someone made readable to all is tightened on the next append.
    const QString other = m_dir->filePath(QStringLiteral("loose.jsonl"));
    appendRaw(other, QByteArray());
    QVERIFY(QFile::setPermissions(other, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QVERIFY(AuditLog(other).append(entry(QStringLiteral("ftjob-loose"), 1700000000000), nullptr));
    QCOMPARE(::stat(QFile::encodeName(other).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));
}

void TestAuditLog::writeFailureIsReported()
{
    // A regular file where the folder should be: fails even for root, unlike a permission problem.
    const QString blocker = m_dir->filePath(QStringLiteral("not-a-folder"));
    appendRaw(blocker, "x");
    const AuditLog log(blocker + QStringLiteral("/audit.jsonl"));
    QString error;
    QVERIFY(!log.append(entry(QStringLiteral("ftjob-nowhere"), 1700000000000), &error));
    QVERIFY2(error.contains(QStringLiteral("not-a-folder")), qPrintable(error));
    // Why, in the system's words.
    QVERIFY2(error.contains(QStringLiteral("Could not create the folder")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral(": Not a directory.")), qPrintable(error));
    QVERIFY(log.readAll().isEmpty());
}

void TestAuditLog::readOnlyDataFolderSaysWhy()
{
    // The trail's folder cannot be made because the data folder is read-only: the system's reason is given.
    if (::geteuid() == 0)
        QSKIP("root writes into a read-only folder all the same (CAP_DAC_OVERRIDE); writeFailureIsReported covers "
              "the message with a file in the way");
    const QString data = m_dir->filePath(QStringLiteral("read-only"));
    QVERIFY(QDir().mkpath(data));
    QVERIFY(QFile::setPermissions(data, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const AuditLog log(data + QStringLiteral("/FtCancel/audit.jsonl"));
    QString error;
    const bool written = log.append(entry(QStringLiteral("ftjob-readonly"), 1700000000000), &error);
    QFile::setPermissions(data, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!written);
    QVERIFY2(error.contains(QStringLiteral(": Permission denied.")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("Nothing was recorded.")), qPrintable(error));
}

void TestAuditLog::partlyWrittenLineIsTakenBack()
{
    const AuditLog log(path());
    for (int i = 1; i <= 3; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-%1").arg(i), 1700000000000 + i), nullptr));
    const qint64 size = QFileInfo(path()).size();

    // A file size limit lets only the first bytes of the next line in: write() takes what fits, then fails with
    // EFBIG (and SIGXFSZ, which the app ignores as this test does, or the process would be killed).
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit oldLimit
    {
    };
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &oldLimit), 0);
    struct rlimit limit = oldLimit;
    limit.rlim_cur = rlim_t(size + 10);
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limit), 0);
    QString error;
    const bool ok = log.append(entry(QStringLiteral("ftjob-too-large"), 1700000000009), &error);
    const int restored = ::setrlimit(RLIMIT_FSIZE, &oldLimit); // before anything can return early
    std::signal(SIGXFSZ, oldHandler);
    QCOMPARE(restored, 0);

    QVERIFY(!ok);
    QVERIFY2(error.contains(qt_error_string(EFBIG)), qPrintable(error)); // "File too large": the reason, in words
    QVERIFY2(!error.contains(QStringLiteral("Unknown error")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("Nothing was recorded")), qPrintable(error));
    QCOMPARE(QFileInfo(path()).size(), size); // the 10 bytes that got in were taken back
    QVERIFY(contents(path()).endsWith("}\n"));
    int skipped = -1;
    QCOMPARE(log.readAll(&skipped).size(), 3);
    QCOMPARE(skipped, 0);

    // With room again, the next line is whole and not glued to anything.
    QVERIFY(log.append(entry(QStringLiteral("ftjob-4"), 1700000000010), nullptr));
    const QList<AuditEntry> read = log.readAll(&skipped);
    QCOMPARE(skipped, 0);
    QCOMPARE(read.size(), 4);
    QCOMPARE(read.last().jobId, QStringLiteral("ftjob-4"));
}

void TestAuditLog::symlinkIsNotFollowed_data()
{
    QTest::addColumn<bool>("targetExists");
    QTest::newRow("to a file") << true;
    QTest::newRow("dangling") << false;
}

void TestAuditLog::symlinkIsNotFollowed()
{
    // Someone put a link where the trail belongs: writing through it would append to (and chmod) another file, or
    // create one where the link points.
    QFETCH(bool, targetExists);
    const QString target = m_dir->filePath(QStringLiteral("precious.txt"));
    if (targetExists) {
        appendRaw(target, "precious\n");
        QVERIFY(
            QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    }
    QVERIFY(QFile::link(target, path()));
    const AuditLog log(path());
    QString error;
    QVERIFY(!log.append(entry(QStringLiteral("ftjob-link"), 1700000000000), &error));
    QVERIFY2(error.contains(QStringLiteral("symbolic link")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("Nothing was recorded")), qPrintable(error));
    QVERIFY(QFileInfo(path()).isSymLink());
    if (targetExists) {
        QCOMPARE(contents(target), QByteArray("precious\n"));
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(target).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0644)); // not made owner-only either
    } else {
        QVERIFY(!QFile::exists(target));
    }
}

void TestAuditLog::fifoIsSkippedWithoutBlocking_data()
{
    QTest::addColumn<bool>("withReader");
    QTest::newRow("nobody reading") << false;
    QTest::newRow("someone reading") << true;
}

void TestAuditLog::fifoIsSkippedWithoutBlocking()
{
    QFETCH(bool, withReader);
    const QByteArray fifo = QFile::encodeName(path());
    QCOMPARE(::mkfifo(fifo.constData(), 0600), 0);
    const int reader = withReader ? ::open(fifo.constData(), O_RDONLY | O_NONBLOCK) : -1;
    QCOMPARE(reader >= 0, withReader);

    // On another thread, so a blocking open() fails this test instead of hanging it.
    const AuditLog log(path());
    auto appended = std::async(std::launch::async, [&log] {
        QString error;
        const bool ok = log.append(entry(QStringLiteral("ftjob-fifo"), 1700000000000), &error);
        return std::make_pair(ok, error);
    });
    if (appended.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
        // Unblock the writer (it waits for a reader) before failing, so the test program can end.
        const int unblock = ::open(fifo.constData(), O_RDONLY | O_NONBLOCK);
        appended.wait();
        ::close(unblock);
        QFAIL("append() blocked on a named pipe");
    }
    const auto [ok, error] = appended.get();
    QVERIFY(!ok);
    QVERIFY2(error.contains(QStringLiteral("named pipe")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("Nothing was recorded")), qPrintable(error));
    if (withReader) {
        char buffer[16];
        // Nothing was sent down the pipe: end of file (no writer left) or "try again", never bytes.
        QVERIFY(::read(reader, buffer, sizeof buffer) <= 0);
        ::close(reader);
    }
}

void TestAuditLog::folderIsSkipped()
{
    QVERIFY(QDir().mkdir(path()));
    const AuditLog log(path());
    QString error;
    QVERIFY(!log.append(entry(QStringLiteral("ftjob-dir"), 1700000000000), &error));
    QVERIFY2(error.contains(QStringLiteral("is a folder")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("Nothing was recorded")), qPrintable(error));
    QVERIFY(QFileInfo(path()).isDir());
}

void TestAuditLog::deviceIsSkipped()
{
    // /dev/full takes the open and fails every write: only the file type check can tell it apart.
    if (!QFileInfo::exists(QStringLiteral("/dev/full")))
        QSKIP("no /dev/full here");
    const AuditLog log(QStringLiteral("/dev/full"));
    QString error;
    QVERIFY(!log.append(entry(QStringLiteral("ftjob-dev"), 1700000000000), &error));
    QVERIFY2(error.contains(QStringLiteral("is a device")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("Nothing was recorded")), qPrintable(error));
}

void TestAuditLog::defaultPathIsInAppData()
{
    const QString path = AuditLog::defaultPath();
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QCOMPARE(path, dir + QStringLiteral("/audit.jsonl"));
    QVERIFY(QFileInfo(dir).isDir());
    QCOMPARE(AuditLog().path(), path);
    QDir().rmdir(dir); // only if empty: leave no trace in the test-mode data dir
}

// ---- a trail kept open for a batch ---------------------------------------------------------------------------

void TestAuditLog::keptOpenWritesWholeLinesOwnerOnly()
{
    const mode_t oldMask = ::umask(0);
    AuditLog log(path());
    log.setKeepOpen(true);
    bool ok = true;
    for (int i = 1; i <= 50; ++i)
        ok = log.append(entry(QStringLiteral("ftjob-kept%1").arg(i), 1700000000000 + i), nullptr) && ok;
    ::umask(oldMask);
    QVERIFY(ok);
    int skipped = -1;
    const QList<AuditEntry> read = log.readAll(&skipped);
    QCOMPARE(skipped, 0);
    QCOMPARE(read.size(), 50);
    QCOMPARE(read.last().jobId, QStringLiteral("ftjob-kept50"));
    QVERIFY(contents(path()).endsWith("}\n"));
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(path()).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));
}

void TestAuditLog::keptOpenStartsAFreshLineAfterAnotherWriter()
{
    // Another FtCancel (the window while the CLI runs a batch) died in the middle of its line: the batch's next
    // line starts on a fresh line, so only that line is lost.
    AuditLog log(path());
    log.setKeepOpen(true);
    QVERIFY(log.append(entry(QStringLiteral("ftjob-before"), 1700000000001), nullptr));
    appendRaw(path(), "{\"time\":\"2024-01-01T00:00:00.000Z\",\"job_id\":\"ftjob-cut");
    QVERIFY(log.append(entry(QStringLiteral("ftjob-after"), 1700000000002), nullptr));
    int skipped = -1;
    const QList<AuditEntry> read = log.readAll(&skipped);
    QCOMPARE(skipped, 1);
    QCOMPARE(read.size(), 2);
    QCOMPARE(read.last().jobId, QStringLiteral("ftjob-after"));
}

void TestAuditLog::keptOpenFollowsNoLinkPutThereMidBatch()
{
    AuditLog log(path());
    log.setKeepOpen(true);
    QVERIFY(log.append(entry(QStringLiteral("ftjob-first"), 1700000000001), nullptr));
    // The trail is swapped for a link to another file while the batch runs.
    const QString target = m_dir->filePath(QStringLiteral("precious.txt"));
    appendRaw(target, "precious\n");
    const QString moved = m_dir->filePath(QStringLiteral("moved.jsonl"));
    QVERIFY(QFile::rename(path(), moved));
    QVERIFY(QFile::link(target, path()));
    QString error;
    QVERIFY(!log.append(entry(QStringLiteral("ftjob-link"), 1700000000002), &error));
    QVERIFY2(error.contains(QStringLiteral("symbolic link")), qPrintable(error));
    QCOMPARE(contents(target), QByteArray("precious\n"));
    QCOMPARE(AuditLog(moved).readAll().size(), 1); // nothing went to the old file either
}

void TestAuditLog::keptOpenReopensAMovedOrDeletedFile()
{
    AuditLog log(path());
    log.setKeepOpen(true);
    QVERIFY(log.append(entry(QStringLiteral("ftjob-one"), 1700000000001), nullptr));
    // Rotated away: the next line goes to a new file at the path, not to the old one.
    const QString rotated = m_dir->filePath(QStringLiteral("audit.jsonl.1"));
    QVERIFY(QFile::rename(path(), rotated));
    QVERIFY(log.append(entry(QStringLiteral("ftjob-two"), 1700000000002), nullptr));
    QCOMPARE(AuditLog(rotated).readAll().size(), 1);
    QCOMPARE(log.readAll().size(), 1);
    QCOMPARE(log.readAll().first().jobId, QStringLiteral("ftjob-two"));
    // Deleted: likewise.
    QVERIFY(QFile::remove(path()));
    QVERIFY(log.append(entry(QStringLiteral("ftjob-three"), 1700000000003), nullptr));
    QCOMPARE(log.readAll().size(), 1);
    QCOMPARE(log.readAll().first().jobId, QStringLiteral("ftjob-three"));
}

void TestAuditLog::keptOpenTakesBackAPartlyWrittenLine()
{
    AuditLog log(path());
    log.setKeepOpen(true);
    for (int i = 1; i <= 3; ++i)
        QVERIFY(log.append(entry(QStringLiteral("ftjob-%1").arg(i), 1700000000000 + i), nullptr));
    const qint64 size = QFileInfo(path()).size();
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit oldLimit
    {
    };
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &oldLimit), 0);
    struct rlimit limit = oldLimit;
    limit.rlim_cur = rlim_t(size + 10);
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limit), 0);
    QString error;
    const bool ok = log.append(entry(QStringLiteral("ftjob-too-large"), 1700000000009), &error);
    const int restored = ::setrlimit(RLIMIT_FSIZE, &oldLimit);
    std::signal(SIGXFSZ, oldHandler);
    QCOMPARE(restored, 0);
    QVERIFY(!ok);
    QVERIFY2(error.contains(QStringLiteral("Nothing was recorded")), qPrintable(error));
    QCOMPARE(QFileInfo(path()).size(), size); // no partial line left behind
    QVERIFY(log.append(entry(QStringLiteral("ftjob-4"), 1700000000010), nullptr));
    int skipped = -1;
    QCOMPARE(log.readAll(&skipped).size(), 4);
    QCOMPARE(skipped, 0);
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
