#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "processhardening.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>

// The window as a process of its own, started the way `ftcancel` starts it (ftcancel-window-driver runs the real
// window module's entry point and plays the operator): what the system does to it — a signal at logout or
// shutdown — and what the programs it starts get from it.
class TestWindowProcess final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void signalStopsTheBatchAndRecordsIt_data();
    void signalStopsTheBatchAndRecordsIt();
    void signalWhileAskingSendsNothing();
    void browserInheritsNoKeyVariable();
    void keyVariablesByName_data();
    void keyVariablesByName();

private:
    QProcessEnvironment environment() const;
    bool startDriver(QProcess* driver, const QString& action, const QStringList& ids);

    FakeOpenAiServer* m_server = nullptr;
    JobSimulator* m_sim = nullptr;
};

namespace {
const QString key = QStringLiteral("sk-window-process-") + QStringLiteral("0123456789abcdefWPRC");

QString auditPath()
{
    return qEnvironmentVariable("XDG_DATA_HOME") + QStringLiteral("/io.github.ftcancel.FtCancel/FtCancel/audit.jsonl");
}

QList<QJsonObject> auditLines()
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
} // namespace

void TestWindowProcess::init()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("XDG_DATA_HOME"), "run through without-keyring.sh (a throw-away profile)");
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    m_sim = new JobSimulator(m_server, this);
    QFile::remove(auditPath());
}

void TestWindowProcess::cleanup()
{
    delete m_sim;
    m_sim = nullptr;
    delete m_server;
    m_server = nullptr;
}

QProcessEnvironment TestWindowProcess::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // Under tests/sanitizer/run.sh: the driver is still checked by AddressSanitizer, but not for leaks. It quits
    // while Qt's threads (the D-Bus connection's, the network's) are still winding down, where LeakSanitizer (gcc 12)
    // now and then crashes in its own tracer ("Tracer caught signal 11") and finds libdbus's read buffer of the
    // thread it interrupted. The window's code is leak-checked where it runs in the test process itself
    // (tst_mainwindow, tst_windowbatch, tst_jobsview, tst_windowlayout).
    if (env.contains(QStringLiteral("ASAN_OPTIONS")))
        env.insert(QStringLiteral("ASAN_OPTIONS"),
                   env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":detect_leaks=0"));
    return env;
}

bool TestWindowProcess::startDriver(QProcess* driver, const QString& action, const QStringList& ids)
{
    driver->setProcessChannelMode(QProcess::ForwardedOutputChannel); // stdout shown; stderr read by the test
    driver->start(QStringLiteral(FTCANCEL_WINDOW_DRIVER),
                  QStringList{QStringLiteral(FTCANCEL_WINDOW_MODULE), action, key} + ids);
    return driver->waitForStarted(30000);
}

void TestWindowProcess::signalStopsTheBatchAndRecordsIt_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("name");
    QTest::newRow("SIGTERM (shutdown, kill)") << int(SIGTERM) << "SIGTERM";
    QTest::newRow("SIGHUP (logout)") << int(SIGHUP) << "SIGHUP";
    QTest::newRow("SIGINT (Ctrl+C)") << int(SIGINT) << "SIGINT";
}

void TestWindowProcess::signalStopsTheBatchAndRecordsIt()
{
    // Three cancels in flight that the API never answers; then the session ends. Each is recorded as "stopped"
    // (it may have reached the API), and the process exits with 128 + the signal, without asking anything.
    QFETCH(int, signalNumber);
    QFETCH(QString, name);
    const QStringList ids{QStringLiteral("ftjob-win1"), QStringLiteral("ftjob-win2"), QStringLiteral("ftjob-win3")};
    for (const QString& id : ids) {
        m_sim->add(id, QStringLiteral("running"));
        m_sim->failNext(id, JobSimulator::RequestKind::Cancel, 1, JobSimulator::hang());
    }
    QProcess driver;
    driver.setProcessEnvironment(environment());
    QVERIFY(startDriver(&driver, QStringLiteral("cancel"), ids));
    QSignalSpy finished(&driver, &QProcess::finished);
    QTRY_COMPARE_WITH_TIMEOUT(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 3, 120000);
    QVERIFY(auditLines().isEmpty()); // nothing has come back yet
    ::kill(pid_t(driver.processId()), signalNumber);
    QVERIFY2(finished.wait(60000), "the window did not exit");
    const QString err = QString::fromUtf8(driver.readAllStandardError());
    QCOMPARE(driver.exitStatus(), QProcess::NormalExit); // handled, not killed by the signal
    QVERIFY2(driver.exitCode() == 128 + signalNumber, qPrintable(err));
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 3); // nothing sent after the signal

    const QList<QJsonObject> audit = auditLines();
    QStringList recorded;
    for (const QJsonObject& line : audit) {
        recorded << line.value(QLatin1String("job_id")).toString();
        QCOMPARE(line.value(QLatin1String("error_kind")).toString(), QStringLiteral("stopped"));
        QCOMPARE(line.value(QLatin1String("source")).toString(), QStringLiteral("window"));
        const QString message = line.value(QLatin1String("error_message")).toString();
        QVERIFY2(message.contains(QStringLiteral("Outcome unknown: stopped by %1").arg(name)), qPrintable(message));
    }
    recorded.sort();
    QCOMPARE(recorded, ids);
}

void TestWindowProcess::signalWhileAskingSendsNothing()
{
    // The confirmation is open, unanswered, when the session ends: nothing is cancelled, nothing asked, and the
    // process exits.
    const QString id = QStringLiteral("ftjob-asked");
    m_sim->add(id, QStringLiteral("running"));
    QProcess driver;
    driver.setProcessEnvironment(environment());
    QVERIFY(startDriver(&driver, QStringLiteral("ask"), {id}));
    QSignalSpy finished(&driver, &QProcess::finished);
    QByteArray err;
    QTRY_VERIFY2_WITH_TIMEOUT((err += driver.readAllStandardError()).contains("driver: asked"), err.constData(),
                              120000);
    ::kill(pid_t(driver.processId()), SIGTERM);
    QVERIFY2(finished.wait(60000), "the window did not exit");
    QCOMPARE(driver.exitStatus(), QProcess::NormalExit);
    QCOMPARE(driver.exitCode(), 128 + SIGTERM);
    QCOMPARE(m_sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    QVERIFY(auditLines().isEmpty());
}

void TestWindowProcess::browserInheritsNoKeyVariable()
{
    // Open in dashboard starts the desktop's opener (xdg-open) with the window's environment. A stand-in first on
    // PATH writes what it got; the key variables the window was started with must not be there. Only a real display
    // platform starts anything (offscreen opens no URL): the window runs on xcb, in a virtual X server.
    const QString xvfbRun = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    if (xvfbRun.isEmpty())
        QSKIP("Open in dashboard starts a program only on a display platform: needs xvfb-run (Debian: xvfb, xauth)");
    QTemporaryDir bin;
    QVERIFY(bin.isValid());
    const QByteArray envFile = QFile::encodeName(bin.filePath(QStringLiteral("xdg-open.env")));
    const QString opener = bin.filePath(QStringLiteral("xdg-open"));
    {
        QFile script(opener);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nenv > \"" + envFile + ".part\" && mv \"" + envFile + ".part\" \"" + envFile + "\"\n");
    }
    QVERIFY(QFile::setPermissions(opener, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));

    const QString id = QStringLiteral("ftjob-dashboard");
    m_sim->add(id, QStringLiteral("running"));
    QProcessEnvironment env = environment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    env.insert(QStringLiteral("PATH"), bin.path() + u':' + env.value(QStringLiteral("PATH")));
    env.remove(QStringLiteral("BROWSER"));
    env.remove(QStringLiteral("DEFAULT_BROWSER"));
    const QStringList keyVariables{QStringLiteral("OPENAI_API_KEY"),    QStringLiteral("AZURE_OPENAI_API_KEY"),
                                   QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("TOGETHER_API_KEY"),
                                   QStringLiteral("MISTRAL_API_KEY"),   QStringLiteral("HF_TOKEN"),
                                   QStringLiteral("CLIENT_SECRET"),     QStringLiteral("aws_secret_access_key")};
    for (const QString& name : keyVariables)
        env.insert(name, QStringLiteral("secret-value-of-") + name);
    env.insert(QStringLiteral("FTCANCEL_TEST_KEPT"), QStringLiteral("an ordinary variable"));
    QProcess driver;
    driver.setProcessEnvironment(env);
    driver.setProcessChannelMode(QProcess::ForwardedOutputChannel);
    driver.start(xvfbRun,
                 {QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("-screen 0 1280x800x24"),
                  QStringLiteral(FTCANCEL_WINDOW_DRIVER), QStringLiteral(FTCANCEL_WINDOW_MODULE),
                  QStringLiteral("dashboard"), key, id});
    QVERIFY(driver.waitForStarted(30000));
    QByteArray err;
    QTRY_VERIFY2_WITH_TIMEOUT(QFile::exists(QFile::decodeName(envFile)),
                              (err += driver.readAllStandardError()).constData(), 120000);
    // The driver quits once the dashboard is opened.
    QVERIFY(driver.state() == QProcess::NotRunning || driver.waitForFinished(60000));

    QFile file(QFile::decodeName(envFile));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray childEnvironment = file.readAll();
    // The opener got the window's environment (an ordinary variable is there) …
    QVERIFY2(childEnvironment.contains("FTCANCEL_TEST_KEPT=an ordinary variable"), childEnvironment.constData());
    // … without a single key variable, name or value.
    for (const QString& name : keyVariables) {
        QVERIFY2(!childEnvironment.contains('\n' + name.toUtf8() + '=')
                     && !childEnvironment.startsWith(name.toUtf8() + '='),
                 qPrintable(name + QStringLiteral(" inherited")));
        QVERIFY2(!childEnvironment.contains("secret-value-of-" + name.toUtf8()), qPrintable(name));
    }
}

void TestWindowProcess::keyVariablesByName_data()
{
    // The rule (ProcessHardening::isKeyVariable, README): the last word is KEY; or a word is APIKEY, TOKEN, SECRET,
    // PASSWORD, PASSWD or CREDENTIALS; or API is followed by KEY. Words are split at '_', in any case.
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("removed");
    for (const char* name : {"OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "ANTHROPIC_API_KEY", "TOGETHER_API_KEY",
                             "MISTRAL_API_KEY", "OPENAI_ADMIN_KEY", "OPENAI_API_KEY_PROD", "GOOGLE_APIKEY", "HF_TOKEN",
                             "GITHUB_TOKEN", "GH_TOKEN_2", "CLIENT_SECRET", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD",
                             "FTP_PASSWD", "GOOGLE_APPLICATION_CREDENTIALS", "openai_api_key"})
        QTest::newRow(name) << QString::fromLatin1(name) << true;
    for (const char* name :
         {"PATH", "HOME", "DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "SSH_AUTH_SOCK", "GNOME_KEYRING_CONTROL",
          "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "SSL_CERT_FILE", "XDG_ACTIVATION_TOKEN",
          "DESKTOP_STARTUP_ID", "KEY", "TOKEN", "KEYBOARD_LAYOUT", "MONKEY_BUSINESS"})
        QTest::newRow(name) << QString::fromLatin1(name) << false;
}

void TestWindowProcess::keyVariablesByName()
{
    QFETCH(QString, name);
    QFETCH(bool, removed);
    QCOMPARE(ProcessHardening::isKeyVariable(name), removed);
}

QTEST_GUILESS_MAIN(TestWindowProcess)
#include "tst_windowprocess.moc"
