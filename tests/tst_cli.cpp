#include "appinfo.h"
#include "cliprocess.h"
#include "fakeopenaiserver.h"
#include "keyringcontrol.h"
#include "profilestore.h"
#include "secretstore.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/resource.h>

// `ftcancel cancel …` as a script sees it: the real binary, its exit code, stdout and stderr, against a local
// server (and the real keyring for the saved-credentials path).
class TestCli final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void allCancelledExitsZero();
    void refusedExitsOne_data();
    void refusedExitsOne();
    void invalidIdExitsTwoAndSendsNothing_data();
    void invalidIdExitsTwoAndSendsNothing();
    void noCredentialsExitsThree();
    void lockedKeyringExitsThreeAndSaysLocked();
    void networkFailureExitsFour();
    void timeoutExitsFour();
    void jsonPrintsOneObjectPerJob();
    void everyAttemptIsRecordedInTheAuditTrail();
    void fileSizeLimitFailsTheAuditWriteNotTheProcess();
    void usesKeyAndOrgSavedByTheWindow();
    void environmentAndFlagsOverrideTheKeyring_data();
    void environmentAndFlagsOverrideTheKeyring();
    void flagsOverrideEnvironment();
    void helpAndVersion();
    void standardInputIsReadWithoutBlocking();
    void retriesAreAnnouncedOnStderr();
    void overLongRateLimitExitsFourWithTheWait();
    void networkFailureWinsOverRefusal_data();
    void networkFailureWinsOverRefusal();
    void answerAboutAnotherJobExitsOne();

private:
    using Run = CliRun;
    Run run(const QStringList& arguments, const QProcessEnvironment& env, int timeoutMs = 30000);
    QProcessEnvironment envWithKey() const;
    void saveInKeyring(const Credentials& credentials);
    void forgetProfiles();
    void forgetInKeyring();
    void checkNoKeyIn(const Run& run);

    QString m_binary;
    FakeOpenAiServer* m_server = nullptr;
    QStringList m_seenOutputs;
};

static const QString envKey = QStringLiteral("sk-cli-env-key-0") + QStringLiteral("123456789abcdefENV1");
static const QString savedKey = QStringLiteral("sk-cli-saved-key") + QStringLiteral("-0123456789abcdSAV2");

void TestCli::initTestCase()
{
    AppInfo::applyToApplication(); // the settings of ftcancel itself: its profiles are reset after each test
    m_binary = qEnvironmentVariable("FTCANCEL_BINARY");
    QVERIFY2(QFile::exists(m_binary), "FTCANCEL_BINARY must point to the built ftcancel (ctest sets it)");
}

void TestCli::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
}

void TestCli::cleanup()
{
    // A test that locked the keyring and failed half-way must not leave it locked for the next one.
    if (KeyringControl::isLocked() == true) {
        QString error;
        QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    }
    delete m_server;
    m_server = nullptr;
    forgetProfiles();
}

// Each test starts as a first start: no profiles (a saved credential is migrated again), no keys of earlier ones.
void TestCli::forgetProfiles()
{
    SecretStore secrets;
    ProfileStore store(&secrets);
    for (const QString& name : store.names()) {
        bool deleted = false;
        secrets.deleteSecret(SecretStore::profileEntry(name), this, [&deleted](const SecretStore::Outcome& o) {
            QVERIFY2(o.isOk(), qPrintable(o.message));
            deleted = true;
        });
        QVERIFY(QTest::qWaitFor([&deleted] { return deleted; }, 15000));
    }
    QSettings settings;
    settings.remove(QStringLiteral("profiles"));
    settings.remove(QStringLiteral("profileState"));
}

QProcessEnvironment TestCli::envWithKey() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_BASE_URL"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("OPENAI_API_KEY"), envKey);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    return env;
}

TestCli::Run TestCli::run(const QStringList& arguments, const QProcessEnvironment& env, int timeoutMs)
{
    // These tests script the answer to each cancel, one after another; the look-up before the cancels, several
    // in flight and the confirmation have their own tests (tst_clibatch, against the job simulator).
    QStringList args = arguments;
    if (args.value(0) == QLatin1String("cancel"))
        args.insert(1, QStringLiteral("--no-preview")), args.insert(2, QStringLiteral("--concurrency=1"));
    const Run r = runFtcancel(args, env, QByteArray(), timeoutMs);
    checkNoKeyIn(r);
    return r;
}

void TestCli::checkNoKeyIn(const Run& r)
{
    for (const QString& key : {envKey, savedKey}) {
        QVERIFY2(!r.out.contains(key) && !r.err.contains(key), "the API key was printed");
        QVERIFY2(!r.out.contains(key.mid(3, 16)) && !r.err.contains(key.mid(3, 16)), "part of the key was printed");
    }
}

void TestCli::allCancelledExitsZero()
{
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-aaa"), QStringLiteral("cancelled")));
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-bbb"), QStringLiteral("cancelled")));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("ftjob-aaa"),
                       QStringLiteral("https://platform.openai.com/finetune/ftjob-bbb?filter=all")},
                      envWithKey());
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("ftjob-aaa cancelled\nftjob-bbb cancelled\n"));
    QCOMPARE(r.err, QString());
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(m_server->requests().at(1).target, QByteArray("/v1/fine_tuning/jobs/ftjob-bbb/cancel"));
    QCOMPARE(m_server->requests().at(0).header("authorization"), "Bearer " + envKey.toUtf8());
}

void TestCli::refusedExitsOne_data()
{
    QTest::addColumn<QList<FakeResponse>>("answers"); // to the second job's cancel, and to reading it back
    QTest::addColumn<QString>("errLine");
    QTest::addColumn<QString>("outLine");
    QTest::newRow("404") << QList<FakeResponse>{FakeResponse::apiError(
        404, QStringLiteral("Could not find fine tune: ftjob-bbb"), QStringLiteral("invalid_request_error"),
        QStringLiteral("fine_tune_not_found"))}
                         << "ftjob-bbb error 404 " << QString();
    // Refused: the job is read back (never the wording matched), and it had already succeeded.
    QTest::newRow("already completed")
        << QList<FakeResponse>{FakeResponse::apiError(400, QStringLiteral("Job has already completed: ftjob-bbb"),
                                                      QStringLiteral("invalid_request_error"), QString()),
                               FakeResponse::job(QStringLiteral("ftjob-bbb"), QStringLiteral("succeeded"))}
        << QString() << "ftjob-bbb already succeeded\n";
    // Refused, and reading it back shows it running: a refusal, with the API's words.
    QTest::newRow("refused while running")
        << QList<FakeResponse>{FakeResponse::apiError(400, QStringLiteral("Cannot cancel this job now"),
                                                      QStringLiteral("invalid_request_error"), QString()),
                               FakeResponse::job(QStringLiteral("ftjob-bbb"), QStringLiteral("running"))}
        << "ftjob-bbb error 400 " << QString();
    QTest::newRow("still cancelling") << QList<FakeResponse>{FakeResponse::job(QStringLiteral("ftjob-bbb"),
                                                                               QStringLiteral("cancelling"))}
                                      << QString() << "ftjob-bbb cancelling\n";
}

void TestCli::refusedExitsOne()
{
    QFETCH(QList<FakeResponse>, answers);
    QFETCH(QString, errLine);
    QFETCH(QString, outLine);
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-aaa"), QStringLiteral("cancelled")));
    for (const FakeResponse& answer : std::as_const(answers))
        m_server->enqueue(answer);
    const Run r
        = run({QStringLiteral("cancel"), QStringLiteral("ftjob-aaa"), QStringLiteral("ftjob-bbb")}, envWithKey());
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.startsWith(QStringLiteral("ftjob-aaa cancelled\n")), qPrintable(r.out));
    if (!errLine.isEmpty())
        QVERIFY2(r.err.startsWith(errLine), qPrintable(r.err));
    if (!outLine.isEmpty())
        QVERIFY2(r.out.endsWith(outLine), qPrintable(r.out));
    QCOMPARE(m_server->requestCount(), 1 + answers.size());
}

void TestCli::invalidIdExitsTwoAndSendsNothing_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("errContains");
    QTest::newRow("model name among ids")
        << QStringList{"cancel", "ftjob-aaa", "ft:gpt-4o-mini:org::x"} << "model name";
    QTest::newRow("path trick") << QStringList{"cancel", "ftjob-aaa/../../files"} << "\u201C/\u201D";
    QTest::newRow("no ids") << QStringList{"cancel"} << "No job id";
    QTest::newRow("unknown command") << QStringList{"delete", "ftjob-aaa"} << "Unknown command";
    QTest::newRow("unknown option") << QStringList{"cancel", "--frobnicate", "ftjob-aaa"} << "frobnicate";
    QTest::newRow("bad timeout") << QStringList{"cancel", "--timeout", "soon", "ftjob-aaa"} << "--timeout";
    QTest::newRow("plain http remote") << QStringList{"cancel", "--base-url", "http://api.example.com/v1", "ftjob-aaa"}
                                       << "clear text";
    QTest::newRow("bad org") << QStringList{"cancel", "--org", "org x\r\nX-Evil: 1", "ftjob-aaa"} << "Organization";
}

void TestCli::invalidIdExitsTwoAndSendsNothing()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, errContains);
    const Run r = run(arguments, envWithKey());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(errContains), qPrintable(r.err));
    QCOMPARE(r.out, QString());
    QCOMPARE(m_server->requestCount(), 0);
}

void TestCli::noCredentialsExitsThree()
{
    QProcessEnvironment env = envWithKey();
    env.remove(QStringLiteral("OPENAI_API_KEY"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("ftjob-aaa")}, env);
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QStringLiteral("No API key")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("OPENAI_API_KEY")), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QStringLiteral("locked")), qPrintable(r.err)); // unlocked and empty: not "locked"
    QCOMPARE(m_server->requestCount(), 0);
}

void TestCli::lockedKeyringExitsThreeAndSaysLocked()
{
    saveInKeyring({savedKey, QStringLiteral("org-saved"), QString()});
    if (QTest::currentTestFailed())
        return;
    QString error;
    QVERIFY2(KeyringControl::lock(&error), qPrintable(error));

    QProcessEnvironment env = envWithKey();
    env.remove(QStringLiteral("OPENAI_API_KEY"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("ftjob-aaa")}, env);
    QVERIFY2(KeyringControl::unlock(QStringLiteral("ci"), &error), qPrintable(error));
    forgetInKeyring();

    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.out, QString());
    QCOMPARE(m_server->requestCount(), 0);
    // Locked, what to do about it, and nothing the command line does not do ("kept for this session").
    QVERIFY2(r.err.startsWith(QStringLiteral("The keyring is locked: unlock it")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("OPENAI_API_KEY")), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QStringLiteral("session")), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QStringLiteral("No API key")), qPrintable(r.err));
}

void TestCli::networkFailureExitsFour()
{
    QProcessEnvironment env = envWithKey();
    const QString base = m_server->baseUrl().toString();
    delete m_server;
    m_server = new FakeOpenAiServer(this); // not listening on the old port
    env.insert(QStringLiteral("OPENAI_BASE_URL"), base);
    const Run r = run(
        {QStringLiteral("cancel"), QStringLiteral("--max-retries"), QStringLiteral("0"), QStringLiteral("ftjob-aaa")},
        env);
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.startsWith(QStringLiteral("ftjob-aaa error 0 ")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("refused")), qPrintable(r.err));
}

void TestCli::timeoutExitsFour()
{
    FakeResponse hang;
    hang.behavior = FakeResponse::Behavior::NeverAnswer;
    m_server->enqueue(hang);
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--timeout"), QStringLiteral("1"),
                       QStringLiteral("--max-retries"), QStringLiteral("0"), QStringLiteral("ftjob-aaa")},
                      envWithKey());
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains(QStringLiteral("No answer")), qPrintable(r.err));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestCli::jsonPrintsOneObjectPerJob()
{
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-aaa"), QStringLiteral("cancelled"))
                          .withHeader("x-request-id", "req_one"));
    m_server->enqueue(FakeResponse::apiError(404, QStringLiteral("Could not find fine tune: ftjob-bbb"),
                                             QStringLiteral("invalid_request_error"),
                                             QStringLiteral("fine_tune_not_found"))
                          .withHeader("x-request-id", "req_two"));
    const Run r = run(
        {QStringLiteral("cancel"), QStringLiteral("--json"), QStringLiteral("ftjob-aaa"), QStringLiteral("ftjob-bbb")},
        envWithKey());
    QCOMPARE(r.exitCode, 1);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0).toUtf8()).object();
    QCOMPARE(first.value(QLatin1String("id")).toString(), QStringLiteral("ftjob-aaa"));
    QCOMPARE(first.value(QLatin1String("status")).toString(), QStringLiteral("cancelled"));
    QCOMPARE(first.value(QLatin1String("ok")).toBool(), true);
    QCOMPARE(first.value(QLatin1String("http_status")).toInt(), 200);
    QCOMPARE(first.value(QLatin1String("request_id")).toString(), QStringLiteral("req_one"));
    QCOMPARE(first.value(QLatin1String("attempts")).toInt(), 1);
    const QJsonObject second = QJsonDocument::fromJson(lines.at(1).toUtf8()).object();
    QCOMPARE(second.value(QLatin1String("id")).toString(), QStringLiteral("ftjob-bbb"));
    QCOMPARE(second.value(QLatin1String("ok")).toBool(), false);
    QCOMPARE(second.value(QLatin1String("http_status")).toInt(), 404);
    QCOMPARE(second.value(QLatin1String("request_id")).toString(), QStringLiteral("req_two"));
    const QJsonObject error = second.value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("kind")).toString(), QStringLiteral("http"));
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("fine_tune_not_found"));
    QVERIFY(error.value(QLatin1String("message")).toString().contains(QStringLiteral("No such job")));
}

void TestCli::everyAttemptIsRecordedInTheAuditTrail()
{
    const QString dataHome = qEnvironmentVariable("XDG_DATA_HOME");
    if (dataHome.isEmpty())
        QSKIP("needs the private XDG_DATA_HOME of tests/with-keyring.sh");
    // AppDataLocation of the CLI: AppInfo::applyToApplication() makes the app id the organization and
    // "FtCancel" the application name.
    const QString auditPath = dataHome + QStringLiteral("/io.github.ftcancel.FtCancel/FtCancel/audit.jsonl");
    QFile::remove(auditPath); // the other tests of this run record their attempts too

    // An invalid id sends nothing, so it is no attempt and leaves no line.
    const Run refused
        = run({QStringLiteral("cancel"), QStringLiteral("ftjob-aaa"), QStringLiteral("file-abc123")}, envWithKey());
    QCOMPARE(refused.exitCode, 2);
    QVERIFY(!QFile::exists(auditPath) || QFileInfo(auditPath).size() == 0);

    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-aaa"), QStringLiteral("cancelled"))
                          .withHeader("x-request-id", "req_audit_1"));
    // The 401 quotes the key back, as the real API does.
    m_server->enqueue(FakeResponse::apiError(401, QStringLiteral("Incorrect API key provided: %1.").arg(envKey),
                                             QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key"))
                          .withHeader("x-request-id", "req_audit_2"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--org"), QStringLiteral("org-audit"),
                       QStringLiteral("--project"), QStringLiteral("proj_audit"), QStringLiteral("ftjob-aaa"),
                       QStringLiteral("ftjob-bbb")},
                      envWithKey());
    QCOMPARE(r.exitCode, 3); // the API rejected the key
    QVERIFY2(!r.err.contains(QStringLiteral("Warning")), qPrintable(r.err));

    QFile file(auditPath);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(auditPath));
    QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    const QByteArray bytes = file.readAll();
    QVERIFY2(!bytes.contains(envKey.toUtf8()), "the API key reached the audit file");
    QVERIFY2(!bytes.contains(envKey.mid(3, 16).toUtf8()), "part of the API key reached the audit file");
    const QList<QByteArray> lines = bytes.split('\n');
    QCOMPARE(lines.size(), 3); // two lines, each ending in '\n'
    QVERIFY(lines.last().isEmpty());
    const QString host = QStringLiteral("127.0.0.1:%1").arg(m_server->baseUrl().port());

    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(QLatin1String("job_id")).toString(), QStringLiteral("ftjob-aaa"));
    QCOMPARE(first.value(QLatin1String("status")).toString(), QStringLiteral("cancelled"));
    QCOMPARE(first.value(QLatin1String("http_status")).toInt(), 200);
    QCOMPARE(first.value(QLatin1String("request_id")).toString(), QStringLiteral("req_audit_1"));
    QCOMPARE(first.value(QLatin1String("organization")).toString(), QStringLiteral("org-audit"));
    QCOMPARE(first.value(QLatin1String("project")).toString(), QStringLiteral("proj_audit"));
    QCOMPARE(first.value(QLatin1String("base_host")).toString(), host);
    QCOMPARE(first.value(QLatin1String("error_kind")).toString(), QString());
    QCOMPARE(first.value(QLatin1String("source")).toString(), QStringLiteral("cli"));
    QVERIFY(first.value(QLatin1String("attempts")).toInt() >= 1);
    const QDateTime time = QDateTime::fromString(first.value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
    QVERIFY(time.isValid());
    QCOMPARE(time.timeSpec(), Qt::UTC);
    QVERIFY(qAbs(time.secsTo(QDateTime::currentDateTimeUtc())) < 120);

    const QJsonObject second = QJsonDocument::fromJson(lines.at(1)).object();
    QCOMPARE(second.value(QLatin1String("job_id")).toString(), QStringLiteral("ftjob-bbb"));
    QCOMPARE(second.value(QLatin1String("status")).toString(), QString());
    QCOMPARE(second.value(QLatin1String("http_status")).toInt(), 401);
    QCOMPARE(second.value(QLatin1String("request_id")).toString(), QStringLiteral("req_audit_2"));
    QCOMPARE(second.value(QLatin1String("error_kind")).toString(), QStringLiteral("http"));
    const QString message = second.value(QLatin1String("error_message")).toString();
    QVERIFY2(message.contains(QStringLiteral("Incorrect API key provided")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("\u2026ENV1")), qPrintable(message)); // masked to its tail

    // A trail that cannot be written is a warning on stderr; the cancel and its exit code stand.
    QProcessEnvironment blocked = envWithKey();
    const QString blocker = dataHome + QStringLiteral("/not-a-folder");
    QFile blockerFile(blocker);
    QVERIFY(blockerFile.open(QIODevice::WriteOnly));
    blockerFile.close();
    blocked.insert(QStringLiteral("XDG_DATA_HOME"), blocker);
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-ccc"), QStringLiteral("cancelled")));
    const Run unrecorded = run({QStringLiteral("cancel"), QStringLiteral("ftjob-ccc")}, blocked);
    QFile::remove(blocker);
    QCOMPARE(unrecorded.exitCode, 0);
    QCOMPARE(unrecorded.out, QStringLiteral("ftjob-ccc cancelled\n"));
    QVERIFY2(unrecorded.err.startsWith(QStringLiteral("Warning: could not record ftjob-ccc")),
             qPrintable(unrecorded.err));
}

void TestCli::fileSizeLimitFailsTheAuditWriteNotTheProcess()
{
    // Under a file size limit the audit line fits only in part: the write must fail with a warning naming the
    // reason and leave no half line, and SIGXFSZ must not kill the process before it prints the result.
    QTemporaryDir dataHome;
    QVERIFY(dataHome.isValid());
    const QString dir = dataHome.filePath(QStringLiteral("io.github.ftcancel.FtCancel/FtCancel"));
    QVERIFY(QDir().mkpath(dir));
    const QString auditPath = dir + QStringLiteral("/audit.jsonl");
    QFile audit(auditPath);
    QVERIFY(audit.open(QIODevice::WriteOnly));
    audit.close();

    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-fsize"), QStringLiteral("cancelled")));
    QProcessEnvironment env = envWithKey();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dataHome.path());
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProgram(m_binary);
    process.setArguments({QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("ftjob-fsize")});
    process.setChildProcessModifier([] {
        // In the child, before exec: `ulimit -f` of 10 bytes, and SIGXFSZ as a shell would leave it.
        struct rlimit limit
        {
        };
        ::getrlimit(RLIMIT_FSIZE, &limit);
        limit.rlim_cur = 10;
        ::setrlimit(RLIMIT_FSIZE, &limit);
        std::signal(SIGXFSZ, SIG_DFL);
    });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    QVERIFY(finished.wait(30000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(process.readAllStandardOutput()), QStringLiteral("ftjob-fsize cancelled\n"));
    QVERIFY2(err.startsWith(QStringLiteral("Warning: could not record ftjob-fsize")), qPrintable(err));
    QVERIFY2(err.contains(qt_error_string(EFBIG)), qPrintable(err));
    QCOMPARE(QFileInfo(auditPath).size(), 0); // the 10 bytes that fitted were taken back
}

void TestCli::usesKeyAndOrgSavedByTheWindow()
{
    SecretStore store;
    QSignalSpy saved(&store, &SecretStore::saved);
    store.save({savedKey, QStringLiteral("org-saved"), QStringLiteral("proj_saved")});
    QVERIFY(saved.wait(15000));
    QVERIFY2(saved.first().first().value<SecretStore::Outcome>().isOk(),
             qPrintable(saved.first().first().value<SecretStore::Outcome>().message));

    QProcessEnvironment env = envWithKey();
    env.remove(QStringLiteral("OPENAI_API_KEY"));
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-aaa"), QStringLiteral("cancelled")));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--verbose"), QStringLiteral("ftjob-aaa")}, env);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(m_server->requestCount(), 1);
    const RecordedRequest request = m_server->requests().first();
    QCOMPARE(request.header("authorization"), "Bearer " + savedKey.toUtf8());
    QCOMPARE(request.header("openai-organization"), QByteArray("org-saved"));
    QCOMPARE(request.header("openai-project"), QByteArray("proj_saved"));
    QVERIFY2(r.err.contains(QStringLiteral("\u2026SAV2")), qPrintable(r.err)); // the verbose log names the key's tail

    QSignalSpy forgotten(&store, &SecretStore::forgotten);
    store.forget();
    QVERIFY(forgotten.wait(15000));
}

void TestCli::saveInKeyring(const Credentials& credentials)
{
    SecretStore store;
    QSignalSpy saved(&store, &SecretStore::saved);
    store.save(credentials);
    QVERIFY(saved.wait(15000));
    const auto outcome = saved.first().first().value<SecretStore::Outcome>();
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
}

void TestCli::forgetInKeyring()
{
    SecretStore store;
    QSignalSpy forgotten(&store, &SecretStore::forgotten);
    store.forget();
    QVERIFY(forgotten.wait(15000));
    const auto outcome = forgotten.first().first().value<SecretStore::Outcome>();
    QVERIFY2(outcome.isOk(), qPrintable(outcome.message));
}

void TestCli::environmentAndFlagsOverrideTheKeyring_data()
{
    QTest::addColumn<QString>("envOrg");
    QTest::addColumn<QString>("envProject");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QByteArray>("sentOrg");
    QTest::addColumn<QByteArray>("sentProject");
    QTest::newRow("environment") << "org-env"
                                 << "proj_env" << QStringList() << QByteArray("org-env") << QByteArray("proj_env");
    QTest::newRow("environment, organization only")
        << "org-env" << QString() << QStringList() << QByteArray("org-env") << QByteArray("proj_saved");
    QTest::newRow("flags") << QString() << QString() << QStringList{"--org", "org-flag", "--project", "proj_flag"}
                           << QByteArray("org-flag") << QByteArray("proj_flag");
    QTest::newRow("flag, then environment")
        << "org-env"
        << "proj_env" << QStringList{"--project", "proj_flag"} << QByteArray("org-env") << QByteArray("proj_flag");
}

void TestCli::environmentAndFlagsOverrideTheKeyring()
{
    QFETCH(QString, envOrg);
    QFETCH(QString, envProject);
    QFETCH(QStringList, flags);
    QFETCH(QByteArray, sentOrg);
    QFETCH(QByteArray, sentProject);
    saveInKeyring({savedKey, QStringLiteral("org-saved"), QStringLiteral("proj_saved")});
    if (QTest::currentTestFailed())
        return;

    // The key comes from the keyring (no OPENAI_API_KEY); the organization and project said here win over its.
    QProcessEnvironment env = envWithKey();
    env.remove(QStringLiteral("OPENAI_API_KEY"));
    if (!envOrg.isEmpty())
        env.insert(QStringLiteral("OPENAI_ORG_ID"), envOrg);
    if (!envProject.isEmpty())
        env.insert(QStringLiteral("OPENAI_PROJECT_ID"), envProject);
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-aaa"), QStringLiteral("cancelled")));
    const Run r = run(QStringList{QStringLiteral("cancel")} + flags + QStringList{QStringLiteral("ftjob-aaa")}, env);
    forgetInKeyring();
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(m_server->requestCount(), 1);
    const RecordedRequest request = m_server->requests().first();
    QCOMPARE(request.header("authorization"), "Bearer " + savedKey.toUtf8());
    QCOMPARE(request.header("openai-organization"), sentOrg);
    QCOMPARE(request.header("openai-project"), sentProject);
}

void TestCli::flagsOverrideEnvironment()
{
    QProcessEnvironment env = envWithKey();
    env.insert(QStringLiteral("OPENAI_ORG_ID"), QStringLiteral("org-env"));
    env.insert(QStringLiteral("OPENAI_PROJECT_ID"), QStringLiteral("proj_env"));
    env.insert(QStringLiteral("OPENAI_BASE_URL"), QStringLiteral("https://unused.invalid/v1"));
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-aaa"), QStringLiteral("cancelled")));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("--base-url"), m_server->baseUrl().toString(),
                       QStringLiteral("--org"), QStringLiteral("org-flag"), QStringLiteral("ftjob-aaa")},
                      env);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(m_server->requests().first().header("openai-organization"), QByteArray("org-flag"));
    QCOMPARE(m_server->requests().first().header("openai-project"), QByteArray("proj_env"));
}

void TestCli::helpAndVersion()
{
    const Run help = run({QStringLiteral("--help")}, envWithKey());
    QCOMPARE(help.exitCode, 0);
    for (const char* option : {"--base-url", "--org", "--project", "--timeout", "--json", "--version"})
        QVERIFY2(help.out.contains(QLatin1String(option)), option);
    QVERIFY(help.out.contains(QStringLiteral("Exit codes")));
    const Run version = run({QStringLiteral("--version")}, envWithKey());
    QCOMPARE(version.exitCode, 0);
    QVERIFY2(version.out.startsWith(QStringLiteral("FtCancel ")), qPrintable(version.out));
}

// Whether process pid has its own handler for signal (it is caught, per /proc/<pid>/status).
static bool catches(qint64 pid, int signal)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return false;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("SigCgt:"))
            return (line.mid(7).trimmed().toULongLong(nullptr, 16) >> (signal - 1)) & 1;
    }
    return false;
}

void TestCli::standardInputIsReadWithoutBlocking()
{
    // Ids that come in pieces (a slow pipe) are all read, to the end of the input.
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-piece1"), QStringLiteral("cancelled")));
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-piece2"), QStringLiteral("cancelled")));
    QProcess process;
    process.setProcessEnvironment(envWithKey());
    withoutTerminal(process);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(m_binary,
                  {QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("--concurrency=1"),
                   QStringLiteral("-")});
    QVERIFY(process.waitForStarted());
    process.write("ftjob-pie");
    QTest::qWait(300);
    process.write("ce1\nftjob-piece2");
    QTest::qWait(300);
    QCOMPARE(m_server->requestCount(), 0); // not before the end of the input
    process.closeWriteChannel();
    QVERIFY(finished.wait(30000));
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(process.readAllStandardOutput(), QByteArray("ftjob-piece1 cancelled\nftjob-piece2 cancelled\n"));

    // Ctrl+C while it waits for input that does not come: handled at once, not after the input ends.
    QProcess waiting;
    waiting.setProcessEnvironment(envWithKey());
    withoutTerminal(waiting);
    QSignalSpy ended(&waiting, &QProcess::finished);
    waiting.start(m_binary, {QStringLiteral("cancel"), QStringLiteral("-")});
    QVERIFY(waiting.waitForStarted());
    waiting.write("ftjob-never"); // no end: the pipe stays open
    QTRY_VERIFY_WITH_TIMEOUT(catches(waiting.processId(), SIGINT), 30000);
    QTest::qWait(300); // past start-up, waiting for the rest of the input
    ::kill(pid_t(waiting.processId()), SIGINT);
    QVERIFY2(ended.wait(30000), "SIGINT was not handled while ftcancel waited for stdin");
    QCOMPARE(waiting.exitStatus(), QProcess::NormalExit);
    QCOMPARE(waiting.exitCode(), 130);
    QVERIFY2(waiting.readAllStandardError().contains("Stopped by SIGINT before any cancel was sent."), "no word");
    QCOMPARE(m_server->requestCount(), 2); // the first run's, nothing more
}

void TestCli::retriesAreAnnouncedOnStderr()
{
    m_server->enqueue(FakeResponse::apiError(500, QStringLiteral("oops"), QStringLiteral("server_error"), QString()));
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-aaa"), QStringLiteral("cancelled")));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("ftjob-aaa")}, envWithKey());
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("ftjob-aaa cancelled\n"));
    QVERIFY2(r.err.startsWith(QStringLiteral("ftjob-aaa retrying in ")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("(attempt 2 of 3): HTTP 500")), qPrintable(r.err));
    QCOMPARE(m_server->requestCount(), 2);

    // --max-retries 0: the first failure is final.
    m_server->enqueue(FakeResponse::apiError(500, QStringLiteral("oops"), QStringLiteral("server_error"), QString()));
    const Run once = run(
        {QStringLiteral("cancel"), QStringLiteral("--max-retries"), QStringLiteral("0"), QStringLiteral("ftjob-aaa")},
        envWithKey());
    QCOMPARE(once.exitCode, 1);
    QVERIFY2(once.err.startsWith(QStringLiteral("ftjob-aaa error 500 ")), qPrintable(once.err));
    QCOMPARE(m_server->requestCount(), 3);
}

void TestCli::overLongRateLimitExitsFourWithTheWait()
{
    m_server->enqueue(FakeResponse::apiError(429, QStringLiteral("Rate limit reached"), QStringLiteral("requests"),
                                             QStringLiteral("rate_limit_exceeded"))
                          .withHeader("retry-after", "600"));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("ftjob-aaa")}, envWithKey());
    QCOMPARE(r.exitCode, 4); // rate limited: try again later
    QVERIFY2(r.err.contains(QStringLiteral("Rate limited: the server asks to wait 10 minutes")), qPrintable(r.err));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestCli::answerAboutAnotherJobExitsOne()
{
    // A 200 that cancelled some other job says nothing about the one asked for.
    m_server->enqueue(FakeResponse::job(QStringLiteral("ftjob-zzz"), QStringLiteral("cancelled")));
    const Run r = run({QStringLiteral("cancel"), QStringLiteral("ftjob-aaa")}, envWithKey());
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out, QString());
    QVERIFY2(r.err.startsWith(QStringLiteral("ftjob-aaa error 200 ")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("another job: ftjob-zzz, not ftjob-aaa")), qPrintable(r.err));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestCli::networkFailureWinsOverRefusal_data()
{
    QTest::addColumn<QStringList>("ids");
    QTest::newRow("refused first") << QStringList{"ftjob-refused", "ftjob-down"};
    QTest::newRow("network failure first") << QStringList{"ftjob-down", "ftjob-refused"};
}

void TestCli::networkFailureWinsOverRefusal()
{
    // README: when jobs fail in different ways, 4 (network) wins over 1 (refused), whatever the order.
    QFETCH(QStringList, ids);
    m_server->setHandler([](const RecordedRequest& request) {
        if (request.path().contains("ftjob-down"))
            return FakeResponse().withBehavior(FakeResponse::Behavior::CloseConnection);
        return FakeResponse::apiError(404, QStringLiteral("Could not find fine tune"),
                                      QStringLiteral("invalid_request_error"), QStringLiteral("fine_tune_not_found"));
    });
    const Run r = run(QStringList{QStringLiteral("cancel"), QStringLiteral("--max-retries"), QStringLiteral("0")} + ids,
                      envWithKey());
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains(QStringLiteral("ftjob-refused error 404")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("ftjob-down error 0")), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
