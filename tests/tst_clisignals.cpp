#include "cliprocess.h"
#include "fakeopenaiserver.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

// The command line stopped by the operator or by its surroundings: signals during a request or a retry wait, and
// a stdout that cannot be written. Nothing may be lost: the audit trail records every job whose request may have
// reached the API, and a script never mistakes a half-written result for a whole one.
class TestCliSignals final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void signalDuringRequest_data();
    void signalDuringRequest();
    void signalDuringRetryWait();
    void secondSignalExitsAtOnce();
    void stdoutOnAFullDevice();
    void stdoutIntoAClosedPipe();
    void helpIntoAFullDevice();

private:
    QProcessEnvironment env() const;
    QList<QJsonObject> auditLines() const;

    FakeOpenAiServer* m_server = nullptr;
};

namespace {
const QString key = QStringLiteral("sk-signal-test-key") + QStringLiteral("-0123456789abcdSIG3");

QString auditPath()
{
    return qEnvironmentVariable("XDG_DATA_HOME") + QStringLiteral("/io.github.ftcancel.FtCancel/FtCancel/audit.jsonl");
}
} // namespace

void TestCliSignals::init()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    QFile::remove(auditPath());
}

void TestCliSignals::cleanup()
{
    delete m_server;
    m_server = nullptr;
}

QProcessEnvironment TestCliSignals::env() const
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("OPENAI_API_KEY"), key);
    e.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    return e;
}

QList<QJsonObject> TestCliSignals::auditLines() const
{
    QList<QJsonObject> lines;
    QFile file(auditPath());
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (!line.isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    }
    return lines;
}

void TestCliSignals::signalDuringRequest_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("name");
    QTest::newRow("SIGTERM") << int(SIGTERM) << 143 << "SIGTERM";
    QTest::newRow("SIGINT") << int(SIGINT) << 130 << "SIGINT";
    QTest::newRow("SIGHUP") << int(SIGHUP) << 129 << "SIGHUP";
}

void TestCliSignals::signalDuringRequest()
{
    QFETCH(int, signalNumber);
    QFETCH(int, exitCode);
    QFETCH(QString, name);
    FakeResponse hang;
    hang.behavior = FakeResponse::Behavior::NeverAnswer;
    m_server->enqueue(hang);

    QProcess cli;
    cli.setProcessEnvironment(env());
    withoutTerminal(cli); // several jobs: ftcancel would ask a developer's terminal
    cli.start(qEnvironmentVariable("FTCANCEL_BINARY"),
              {QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("--concurrency=1"),
               QStringLiteral("ftjob-first"), QStringLiteral("ftjob-second"), QStringLiteral("ftjob-third")});
    QSignalSpy finished(&cli, &QProcess::finished);
    // The request reached the server: its outcome is now unknown.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 1, 60000);
    ::kill(pid_t(cli.processId()), signalNumber);
    QVERIFY(finished.wait(60000));
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.exitCode(), exitCode);
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("ftjob-first error 0 Outcome unknown: stopped by %1").arg(name)),
             qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("2 jobs not sent because of %1: ftjob-second ftjob-third").arg(name)),
             qPrintable(err));
    QCOMPARE(cli.readAllStandardOutput(), QByteArray());
    QCOMPARE(m_server->requestCount(), 1); // nothing more was sent after the signal

    const QList<QJsonObject> audit = auditLines();
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit.first().value(QLatin1String("job_id")).toString(), QStringLiteral("ftjob-first"));
    QCOMPARE(audit.first().value(QLatin1String("error_kind")).toString(), QStringLiteral("stopped"));
    QVERIFY(audit.first().value(QLatin1String("error_message")).toString().contains(name));
}

void TestCliSignals::signalDuringRetryWait()
{
    // The first attempt failed and the CLI waits 30 s (as the server asked) before the next one.
    m_server->enqueue(FakeResponse::apiError(503, QStringLiteral("busy"), QStringLiteral("server_error"), QString())
                          .withHeader("retry-after", "30"));
    QProcess cli;
    cli.setProcessEnvironment(env());
    cli.start(qEnvironmentVariable("FTCANCEL_BINARY"),
              {QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("ftjob-waiting")});
    QSignalSpy finished(&cli, &QProcess::finished);
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += cli.readAllStandardError()).contains("retrying in"), 60000);
    ::kill(pid_t(cli.processId()), SIGINT);
    QVERIFY(finished.wait(60000));
    QCOMPARE(cli.exitCode(), 130);
    err += cli.readAllStandardError();
    QVERIFY2(err.contains("ftjob-waiting error 0 Outcome unknown: stopped by SIGINT"), err.constData());
    QCOMPARE(m_server->requestCount(), 1);
    const QList<QJsonObject> audit = auditLines();
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit.first().value(QLatin1String("error_kind")).toString(), QStringLiteral("stopped"));
    QCOMPARE(audit.first().value(QLatin1String("attempts")).toInt(), 1);
}

void TestCliSignals::secondSignalExitsAtOnce()
{
    // stdout is a pipe nobody reads: once it is full the CLI blocks in write() and cannot run its graceful stop.
    // The first SIGTERM is then pending; the second must end the process anyway.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray fifo = QFile::encodeName(dir.filePath(QStringLiteral("stdout.fifo")));
    QCOMPARE(::mkfifo(fifo.constData(), 0600), 0);
    const int reader = ::open(fifo.constData(), O_RDONLY | O_NONBLOCK); // held open, never read
    QVERIFY(reader >= 0);
    const QString longStatus = QStringLiteral("running-") + QString(1900, u's');
    m_server->setHandler([&](const RecordedRequest& request) {
        const QString id = QString::fromLatin1(request.path().split('/').at(4));
        return FakeResponse::job(id, longStatus); // ~2 KB per line of --json
    });
    QStringList arguments{QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("--json")};
    for (int i = 0; i < 200; ++i)
        arguments << QStringLiteral("ftjob-many%1").arg(i);
    QProcess cli;
    cli.setProcessEnvironment(env());
    withoutTerminal(cli); // several jobs: ftcancel would ask a developer's terminal
    cli.setStandardOutputFile(QFile::decodeName(fifo));
    cli.start(qEnvironmentVariable("FTCANCEL_BINARY"), arguments);
    QSignalSpy finished(&cli, &QProcess::finished);
    // 64 KiB of pipe fill after a dozen or two jobs (4 KiB each); then no further request comes.
    QTRY_VERIFY_WITH_TIMEOUT(m_server->requestCount() >= 10, 60000);
    int seen = -1;
    while (seen != m_server->requestCount()) {
        seen = m_server->requestCount();
        QTest::qWait(500);
    }
    QVERIFY2(seen < 200, "stdout never filled up");
    ::kill(pid_t(cli.processId()), SIGTERM);
    QVERIFY(!finished.wait(500)); // blocked: the graceful stop cannot run
    ::kill(pid_t(cli.processId()), SIGTERM);
    QVERIFY(finished.wait(60000));
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.exitCode(), 143);
    ::close(reader);
}

void TestCliSignals::stdoutOnAFullDevice()
{
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-full"), QStringLiteral("cancelled")));
    QProcess cli;
    cli.setProcessEnvironment(env());
    cli.setStandardOutputFile(QStringLiteral("/dev/full"));
    cli.start(qEnvironmentVariable("FTCANCEL_BINARY"),
              {QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("ftjob-full")});
    QSignalSpy finished(&cli, &QProcess::finished);
    QVERIFY(finished.wait(60000));
    QCOMPARE(cli.exitCode(), 5); // not 0: the script did not get the result
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("Could not write the results to standard output: No space left on device")),
             qPrintable(err));
    // The cancel itself happened and is recorded.
    const QList<QJsonObject> audit = auditLines();
    QCOMPARE(audit.size(), 1);
    QCOMPARE(audit.first().value(QLatin1String("status")).toString(), QStringLiteral("cancelled"));
}

void TestCliSignals::stdoutIntoAClosedPipe()
{
    // `ftcancel cancel ID | true`: the reader is gone before the answer arrives.
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-pipe"), QStringLiteral("cancelled")).withDelay(300));
    QProcess shell;
    QProcessEnvironment e = env();
    e.insert(QStringLiteral("FT"), qEnvironmentVariable("FTCANCEL_BINARY"));
    shell.setProcessEnvironment(e);
    shell.start(
        QStringLiteral("bash"),
        {QStringLiteral("-c"), QStringLiteral("\"$FT\" cancel --no-preview ftjob-pipe | true; exit ${PIPESTATUS[0]}")});
    QSignalSpy finished(&shell, &QProcess::finished);
    QVERIFY(finished.wait(60000));
    QCOMPARE(shell.exitCode(), 5); // neither 0 nor killed by SIGPIPE (141)
    const QString err = QString::fromUtf8(shell.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("Could not write the results to standard output: Broken pipe")),
             qPrintable(err));
    QCOMPARE(auditLines().size(), 1);
}

void TestCliSignals::helpIntoAFullDevice()
{
    QProcess cli;
    cli.setProcessEnvironment(env());
    cli.setStandardOutputFile(QStringLiteral("/dev/full"));
    cli.start(qEnvironmentVariable("FTCANCEL_BINARY"), {QStringLiteral("--help")});
    QSignalSpy finished(&cli, &QProcess::finished);
    QVERIFY(finished.wait(60000));
    QCOMPARE(cli.exitCode(), 5);
}

QTEST_GUILESS_MAIN(TestCliSignals)
#include "tst_clisignals.moc"
