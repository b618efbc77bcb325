#include "cliprocess.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <unistd.h>

// `grep … | ftcancel cancel -` with a person at the terminal: the ids come on a pipe (stdin), and the question is
// asked on the controlling terminal (/dev/tty), a real pseudo-terminal here whose other end the test reads and types
// into. What the simulator received says whether anything was cancelled.
class TestCliTty final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void asksOnTheTerminalWhenIdsComeOnAPipe_data();
    void asksOnTheTerminalWhenIdsComeOnAPipe();
    void typeAheadDoesNotAnswer();
    void allActiveAsksOnTheTerminal();
    void interruptAtTheQuestionSendsNothing();
    void withoutATerminalNobodyIsAsked();

private:
    // ftcancel with these arguments, stdin a pipe holding input, stdout and stderr pipes, and the pseudo-terminal as
    // its controlling terminal. typeAhead is typed into the terminal before ftcancel starts.
    void start(const QStringList& arguments, const QByteArray& input, const QByteArray& typeAhead = QByteArray());
    // Everything the terminal showed so far (what ftcancel wrote to it, and the echo of what was typed).
    QByteArray screen();
    void type(const QByteArray& keys);
    bool finish(); // waits for ftcancel to exit

    QProcessEnvironment env() const;

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
    QProcess* m_process = nullptr;
    int m_master = -1;
    int m_slave = -1;
    QByteArray m_screen;
};

namespace {
const QString key = QStringLiteral("sk-clitty-test-0") + QStringLiteral("123456789abcdTTY1");
constexpr int generous = 60000;
// For the question to appear: after a look-up on 127.0.0.1, also on a loaded machine (QTRY waits up to three times
// this before it reports a failure).
constexpr int questionMs = 30000;
} // namespace

void TestCliTty::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
}

void TestCliTty::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    m_screen.clear();
    QVERIFY2(::openpty(&m_master, &m_slave, nullptr, nullptr, nullptr) == 0, std::strerror(errno));
    // The test's ends: never inherited by ftcancel (its slave comes as its controlling terminal, see start()).
    ::fcntl(m_master, F_SETFD, FD_CLOEXEC);
    ::fcntl(m_master, F_SETFL, ::fcntl(m_master, F_GETFL) | O_NONBLOCK);
}

void TestCliTty::cleanup()
{
    if (m_process) {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished();
        }
        delete m_process;
        m_process = nullptr;
    }
    for (int* fd : {&m_master, &m_slave}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
}

QProcessEnvironment TestCliTty::env() const
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"OPENAI_ORG_ID", "OPENAI_PROJECT_ID"})
        e.remove(QString::fromLatin1(name));
    e.insert(QStringLiteral("OPENAI_API_KEY"), key);
    e.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    return e;
}

void TestCliTty::start(const QStringList& arguments, const QByteArray& input, const QByteArray& typeAhead)
{
    if (!typeAhead.isEmpty())
        type(typeAhead); // waits in the terminal's input queue
    m_process = new QProcess(this);
    m_process->setProcessEnvironment(env());
    const int slave = m_slave;
    const int master = m_master;
    m_process->setChildProcessModifier([slave, master] {
        // In the child, after QProcess set up stdin, stdout and stderr (pipes): a session of its own, whose
        // controlling terminal is the pseudo-terminal; then the terminal's descriptors go (/dev/tty remains).
        ::setsid();
        ::ioctl(slave, TIOCSCTTY, 0);
        ::close(slave);
        ::close(master);
    });
    m_process->start(qEnvironmentVariable("FTCANCEL_BINARY"), arguments);
    QVERIFY(m_process->waitForStarted(generous));
    m_process->write(input);
    m_process->closeWriteChannel();
}

QByteArray TestCliTty::screen()
{
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(m_master, buffer, sizeof buffer);
        if (n <= 0)
            break;
        m_screen.append(buffer, n);
    }
    return m_screen;
}

void TestCliTty::type(const QByteArray& keys)
{
    QCOMPARE(::write(m_master, keys.constData(), size_t(keys.size())), ssize_t(keys.size()));
}

bool TestCliTty::finish()
{
    if (m_process->state() == QProcess::NotRunning)
        return true;
    QSignalSpy finished(m_process, &QProcess::finished);
    return finished.wait(generous); // the server lives in this event loop: spin it
}

void TestCliTty::asksOnTheTerminalWhenIdsComeOnAPipe_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<int>("cancels");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("yes") << QByteArray("y\n") << 2 << 0;
    QTest::newRow("no") << QByteArray("n\n") << 0 << 1;
    QTest::newRow("just enter") << QByteArray("\n") << 0 << 1;
    QTest::newRow("end of input") << QByteArray("\x04") << 0 << 1; // Ctrl+D
}

void TestCliTty::asksOnTheTerminalWhenIdsComeOnAPipe()
{
    QFETCH(QByteArray, answer);
    QFETCH(int, cancels);
    QFETCH(int, exitCode);
    m_sim->add(QStringLiteral("ftjob-pipe1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-pipe2"), QStringLiteral("queued"));
    start({QStringLiteral("cancel"), QStringLiteral("-")}, "ftjob-pipe1\nftjob-pipe2\n");
    // The list and the question are on the terminal, not on stderr (which may be a log file).
    QTRY_VERIFY_WITH_TIMEOUT(screen().contains("Cancel 2 jobs? [y/N]"), questionMs);
    QVERIFY2(m_screen.contains("About to cancel 2 jobs") && m_screen.contains("ftjob-pipe1")
                 && m_screen.contains("ftjob-pipe2"),
             m_screen.constData());
    QTest::qWait(300);
    QCOMPARE(m_process->state(), QProcess::Running); // waiting for the answer
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0); // nothing before it
    type(answer);
    QVERIFY(finish());
    QCOMPARE(m_process->exitCode(), exitCode);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), cancels);
    const QByteArray err = m_process->readAllStandardError();
    QVERIFY2(!err.contains("[y/N]"), err.constData());
    if (cancels > 0)
        QCOMPARE(m_process->readAllStandardOutput(), QByteArray("ftjob-pipe1 cancelled\nftjob-pipe2 cancelled\n"));
    else
        QVERIFY2(screen().contains("Nothing cancelled."), m_screen.constData());
}

void TestCliTty::typeAheadDoesNotAnswer()
{
    // "y⏎" typed before the list was on the screen (here: before ftcancel even started) must not answer it.
    m_sim->add(QStringLiteral("ftjob-early1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-early2"), QStringLiteral("running"));
    start({QStringLiteral("cancel"), QStringLiteral("-")}, "ftjob-early1 ftjob-early2\n", "y\n");
    QTRY_VERIFY_WITH_TIMEOUT(screen().contains("[y/N]"), questionMs);
    QTest::qWait(500);
    QCOMPARE(m_process->state(), QProcess::Running); // still waiting: the early "y" was discarded
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    type("n\n");
    QVERIFY(finish());
    QCOMPARE(m_process->exitCode(), 1);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QCOMPARE(m_sim->job(QStringLiteral("ftjob-early1")).status, QStringLiteral("running"));
}

void TestCliTty::allActiveAsksOnTheTerminal()
{
    // stdin is not a terminal (an empty pipe), the controlling terminal is: --all-active may ask there.
    m_sim->add(QStringLiteral("ftjob-all1"), QStringLiteral("running"));
    start({QStringLiteral("cancel"), QStringLiteral("--all-active")}, QByteArray());
    QTRY_VERIFY_WITH_TIMEOUT(screen().contains("Cancel 1 job? [y/N]"), questionMs);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    type("y\n");
    QVERIFY(finish());
    QCOMPARE(m_process->exitCode(), 0);
    QCOMPARE(m_sim->cancelRequestCount(QStringLiteral("ftjob-all1")), 1);
}

void TestCliTty::interruptAtTheQuestionSendsNothing()
{
    m_sim->add(QStringLiteral("ftjob-int1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-int2"), QStringLiteral("running"));
    start({QStringLiteral("cancel"), QStringLiteral("-")}, "ftjob-int1 ftjob-int2");
    QTRY_VERIFY_WITH_TIMEOUT(screen().contains("[y/N]"), questionMs);
    // Ctrl+C at the question: the terminal sends SIGINT; it is handled while the answer is awaited.
    type("\x03");
    QVERIFY(finish());
    QCOMPARE(m_process->exitCode(), 130);
    QTest::qWait(200);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestCliTty::withoutATerminalNobodyIsAsked()
{
    // No controlling terminal (cron, CI, setsid) and ids on a pipe: no question, as a script expects.
    m_sim->add(QStringLiteral("ftjob-cron1"), QStringLiteral("running"));
    m_sim->add(QStringLiteral("ftjob-cron2"), QStringLiteral("running"));
    const CliRun r = runFtcancel({QStringLiteral("cancel"), QStringLiteral("-")}, env(), "ftjob-cron1 ftjob-cron2\n");
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(!r.err.contains(QStringLiteral("[y/N]")), qPrintable(r.err));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 2);
    // --all-active cannot ask there: it refuses without --yes, and sends nothing.
    m_sim->resetCounters();
    m_sim->add(QStringLiteral("ftjob-cron3"), QStringLiteral("running"));
    const CliRun all = runFtcancel({QStringLiteral("cancel"), QStringLiteral("--all-active")}, env());
    QCOMPARE(all.exitCode, 2);
    QVERIFY2(all.err.contains(QStringLiteral("--yes")), qPrintable(all.err));
    QCOMPARE(m_sim->requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestCliTty)
#include "tst_clitty.moc"
