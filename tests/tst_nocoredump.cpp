#include "fakeopenaiserver.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

// A process that holds a key leaves no core file: a crash of `ftcancel` (here: SIGSEGV while it waits for the API,
// OPENAI_API_KEY in its memory) would otherwise write the key to disk. Started with the core size limit as high as
// the test may set it, as a shell with `ulimit -c unlimited` would start it.
class TestNoCoreDump final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void limitIsZeroWhateverItWasStartedWith();
    void crashLeavesNoCoreFile();
    void processIsNotDumpable();

private:
    void startWaiting(QProcess* process, const QString& workingDirectory, bool toBeCrashed = false);
    static void allowCores(QProcess* process);

    rlim_t m_hardLimit = 0;
};

namespace {
const QString key = QStringLiteral("sk-no-core-dump-") + QStringLiteral("0123456789abcdefCORE");

// The kernel's core pattern, or empty when it cannot be read.
QByteArray corePattern()
{
    QFile file(QStringLiteral("/proc/sys/kernel/core_pattern"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
}
} // namespace

void TestNoCoreDump::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
    struct rlimit limit
    {
    };
    QCOMPARE(::getrlimit(RLIMIT_CORE, &limit), 0);
    m_hardLimit = limit.rlim_max;
    if (m_hardLimit == 0)
        QSKIP("the hard core size limit here is 0: no child of this test could allow a core file");
}

void TestNoCoreDump::allowCores(QProcess* process)
{
    // In the child, before exec: the soft limit raised to the hard one (unlimited where the hard one is).
    process->setChildProcessModifier([] {
        struct rlimit limit
        {
        };
        ::getrlimit(RLIMIT_CORE, &limit);
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_CORE, &limit);
    });
}

void TestNoCoreDump::startWaiting(QProcess* process, const QString& workingDirectory, bool toBeCrashed)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENAI_API_KEY"), key);
    // Under AddressSanitizer (tests/sanitizer/run.sh) the SIGSEGV sent below is the kernel's to handle, as in a
    // normal build: not a report of ASan's.
    if (toBeCrashed && env.contains(QStringLiteral("ASAN_OPTIONS")))
        env.insert(QStringLiteral("ASAN_OPTIONS"),
                   env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":handle_segv=0"));
    process->setProcessEnvironment(env);
    process->setWorkingDirectory(workingDirectory);
    allowCores(process);
    process->start(qEnvironmentVariable("FTCANCEL_BINARY"),
                   {QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("ftjob-core")});
}

void TestNoCoreDump::limitIsZeroWhateverItWasStartedWith()
{
    FakeOpenAiServer server;
    QVERIFY(server.listen());
    FakeResponse hang;
    hang.behavior = FakeResponse::Behavior::NeverAnswer;
    server.enqueue(hang);
    qputenv("OPENAI_BASE_URL", server.baseUrl().toString().toUtf8());
    QTemporaryDir cwd;
    QVERIFY(cwd.isValid());
    QProcess cli;
    startWaiting(&cli, cwd.path());
    QTRY_COMPARE_WITH_TIMEOUT(server.requestCount(), 1, 60000); // holding the key, waiting for the API

    QFile limits(QStringLiteral("/proc/%1/limits").arg(cli.processId()));
    QVERIFY(limits.open(QIODevice::ReadOnly));
    QByteArray line;
    for (const QByteArray& l : limits.readAll().split('\n')) {
        if (l.startsWith("Max core file size"))
            line = l.simplified();
    }
    QVERIFY2(line.startsWith("Max core file size 0 0 "), line.constData()); // soft and hard
    cli.kill();
    QVERIFY(cli.waitForFinished(60000));
    qunsetenv("OPENAI_BASE_URL");
}

void TestNoCoreDump::crashLeavesNoCoreFile()
{
    const QByteArray pattern = corePattern();
    if (pattern.isEmpty() || pattern.startsWith('|') || pattern.contains('/'))
        QSKIP(qPrintable(QStringLiteral("core files do not go to the working directory here (core_pattern \"%1\"): "
                                        "the limit checked above is what can be seen")
                             .arg(QString::fromLocal8Bit(pattern))));
    // A program that allows core files leaves one here: the check below can see one.
    QTemporaryDir controlDir;
    QVERIFY(controlDir.isValid());
    QProcess control;
    control.setWorkingDirectory(controlDir.path());
    allowCores(&control);
    control.start(QStringLiteral("sleep"), {QStringLiteral("60")});
    QVERIFY(control.waitForStarted(30000));
    ::kill(pid_t(control.processId()), SIGSEGV);
    QVERIFY(control.waitForFinished(60000));
    if (filesIn(controlDir.path()).isEmpty())
        QSKIP("this system writes no core file even for a program that allows it (sleep killed by SIGSEGV)");

    FakeOpenAiServer server;
    QVERIFY(server.listen());
    FakeResponse hang;
    hang.behavior = FakeResponse::Behavior::NeverAnswer;
    server.enqueue(hang);
    qputenv("OPENAI_BASE_URL", server.baseUrl().toString().toUtf8());
    QTemporaryDir cwd;
    QVERIFY(cwd.isValid());
    QProcess cli;
    QSignalSpy finished(&cli, &QProcess::finished);
    startWaiting(&cli, cwd.path(), true);
    QTRY_COMPARE_WITH_TIMEOUT(server.requestCount(), 1, 60000);
    ::kill(pid_t(cli.processId()), SIGSEGV);
    QVERIFY(finished.wait(60000));
    QCOMPARE(cli.exitStatus(), QProcess::CrashExit);
    QCOMPARE(filesIn(cwd.path()), QStringList());
    qunsetenv("OPENAI_BASE_URL");
}

void TestNoCoreDump::processIsNotDumpable()
{
    // A core pattern that pipes to a program (systemd-coredump, apport) gets a core whatever RLIMIT_CORE says; a
    // process that is not dumpable gives none. Seen from outside: the kernel hands its /proc entries to root. So the
    // process must run as someone else than root: as root, this test starts it as nobody.
    FakeOpenAiServer server;
    QVERIFY(server.listen());
    FakeResponse hang;
    hang.behavior = FakeResponse::Behavior::NeverAnswer;
    server.enqueue(hang);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENAI_API_KEY"), key);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), server.baseUrl().toString());
    QProcess cli;
    cli.setProcessEnvironment(env);
    cli.setWorkingDirectory(QDir::tempPath());
    const bool asNobody = ::geteuid() == 0;
    cli.setChildProcessModifier([asNobody] {
        if (asNobody && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0))
            ::_exit(99);
    });
    cli.start(qEnvironmentVariable("FTCANCEL_BINARY"),
              {QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("ftjob-dumpable")});
    QTRY_VERIFY2_WITH_TIMEOUT(server.requestCount() == 1 || cli.state() == QProcess::NotRunning,
                              "the request never came", 60000);
    if (cli.state() == QProcess::NotRunning)
        QSKIP(qPrintable(QStringLiteral("ftcancel could not run as another user here (exit %1): %2")
                             .arg(cli.exitCode())
                             .arg(QString::fromLocal8Bit(cli.readAllStandardError()))));
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(QStringLiteral("/proc/%1/environ").arg(cli.processId())).constData(), &st), 0);
    QVERIFY(asNobody || ::geteuid() != 0);
    QCOMPARE(st.st_uid, uid_t(0)); // not the process's own user: it is not dumpable
    cli.kill();
    QVERIFY(cli.waitForFinished(60000));
}

QTEST_GUILESS_MAIN(TestNoCoreDump)
#include "tst_nocoredump.moc"
