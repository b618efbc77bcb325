#include "appinfo.h"
#include "cliprocess.h"
#include "fakeopenaiserver.h"
#include "profilescan.h"
#include "profilestore.h"
#include "secretcheck.h"
#include "secretstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

// `ftcancel profile …` and `--profile` as a person or a script uses them: the real binary against fake APIs on
// 127.0.0.1, its profiles in the real settings of the test's HOME and their keys in a real gnome-keyring
// (with-keyring.sh). What reaches the wire is asserted on the servers' side.
class TestCliProfile final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void addReadsTheKeyFromStdinAndShowsItNowhere();
    void aTerminalIsAskedWithoutEcho();
    void keyAsAnArgumentIsRefused();
    void addRefusesMistakesAndSavesNothing();
    void listShowsProfilesAndJson();
    void renameRemoveAndDefault();
    void profileSwitchesHeadersAndBaseUrlOnTheWire();
    void environmentOverridesPerProvider();
    void unknownProfileExitsTwo();
    void withoutProfilesTheEnvironmentAlone();

private:
    QProcessEnvironment cleanEnv() const;
    CliRun run(const QStringList& arguments, const QByteArray& input = QByteArray(),
               const QProcessEnvironment& env = QProcessEnvironment());
    void add(const QString& name, const QStringList& fields, const QString& key);
    void checkNoLeak(const CliRun& r, const QString& key);
    QList<QJsonObject> listJson();

    FakeOpenAiServer* m_a = nullptr;
    FakeOpenAiServer* m_b = nullptr;
    QString m_keyA;
    QString m_keyB;
};

static QString newKey(const char* tag)
{
    return QStringLiteral("sk-%1-").arg(QLatin1String(tag))
        + SecretCheck::randomChars(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

void TestCliProfile::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "FTCANCEL_BINARY must point to ftcancel");
    AppInfo::applyToApplication(); // ftcancel's own settings, to reset them between tests
}

void TestCliProfile::init()
{
    m_a = new FakeOpenAiServer(this);
    m_b = new FakeOpenAiServer(this);
    QVERIFY(m_a->listen());
    QVERIFY(m_b->listen());
    m_keyA = newKey("proA");
    m_keyB = newKey("proB");
}

void TestCliProfile::cleanup()
{
    // Each test starts with no profiles and no keys of earlier ones (the command line removes them itself).
    SecretStore secrets;
    ProfileStore store(&secrets);
    for (const QString& name : store.names()) {
        const CliRun r = run({QStringLiteral("profile"), QStringLiteral("remove"), name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    QSettings().remove(QStringLiteral("profileState"));
    delete m_a;
    delete m_b;
    m_a = m_b = nullptr;
}

QProcessEnvironment TestCliProfile::cleanEnv() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const ProviderInfo& info : ProviderInfo::all()) {
        for (const QString& name : {info.keyVariable, info.baseUrlVariable, info.apiVersionVariable})
            env.remove(name);
    }
    env.remove(QStringLiteral("OPENAI_ORG_ID"));
    env.remove(QStringLiteral("OPENAI_PROJECT_ID"));
    return env;
}

CliRun TestCliProfile::run(const QStringList& arguments, const QByteArray& input, const QProcessEnvironment& env)
{
    const CliRun r = runFtcancel(arguments, env.isEmpty() ? cleanEnv() : env, input, 60000);
    checkNoLeak(r, m_keyA);
    checkNoLeak(r, m_keyB);
    return r;
}

void TestCliProfile::checkNoLeak(const CliRun& r, const QString& key)
{
    QVERIFY2(SecretCheck::longestLeak(r.out, key) < 5, qPrintable(r.out));
    QVERIFY2(SecretCheck::longestLeak(r.err, key) < 5, qPrintable(r.err));
}

void TestCliProfile::add(const QString& name, const QStringList& fields, const QString& key)
{
    const QStringList args = QStringList{QStringLiteral("profile"), QStringLiteral("add"), name} + fields;
    QVERIFY2(!args.join(u' ').contains(key), "the key must not be an argument");
    const CliRun r = run(args, key.toUtf8() + '\n');
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("Added the profile \u201C%1\u201D").arg(name)), qPrintable(r.out));
}

QList<QJsonObject> TestCliProfile::listJson()
{
    const CliRun r = run({QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--json")});
    [&] {
        QCOMPARE(r.exitCode, 0);
    }();
    QList<QJsonObject> objects;
    for (const QString& line : r.out.split(u'\n', Qt::SkipEmptyParts))
        objects << QJsonDocument::fromJson(line.toUtf8()).object();
    return objects;
}

void TestCliProfile::addReadsTheKeyFromStdinAndShowsItNowhere()
{
    add(QStringLiteral("work"),
        {QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--base-url"),
         m_a->baseUrl().toString(), QStringLiteral("--org"), QStringLiteral("org-work"), QStringLiteral("--project"),
         QStringLiteral("proj_work")},
        m_keyA);
    // The key went to the keychain: the next run sends it, read from there (no environment).
    m_a->enqueue(FakeResponse::job(QStringLiteral("ftjob-work1"), QStringLiteral("cancelled")));
    const CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("--verbose"),
                          QStringLiteral("ftjob-work1")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(m_a->requestCount(), 1);
    const RecordedRequest request = m_a->requests().first();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path(), QByteArray("/v1/fine_tuning/jobs/ftjob-work1/cancel"));
    QCOMPARE(request.header("authorization"), "Bearer " + m_keyA.toUtf8());
    QCOMPARE(request.header("openai-organization"), QByteArray("org-work"));
    QCOMPARE(request.header("openai-project"), QByteArray("proj_work"));

    // No file of the profile (settings, history, caches) holds any part of the key.
    QSettings().sync();
    const QStringList files = ProfileScan::profileFiles();
    QVERIFY(!files.isEmpty());
    QCOMPARE(ProfileScan::filesContaining(files, {m_keyA.toUtf8(), m_keyA.right(20).toUtf8()}), QStringList());
}

// stdin a real pseudo-terminal (its controlling terminal too), typed into by the test: the prompt comes, what is
// typed is not echoed, and the terminal gets its echo back afterwards.
void TestCliProfile::aTerminalIsAskedWithoutEcho()
{
    int master = -1;
    int slave = -1;
    QVERIFY2(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0, std::strerror(errno));
    ::fcntl(master, F_SETFD, FD_CLOEXEC);
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    QProcess process;
    process.setProcessEnvironment(cleanEnv());
    process.setChildProcessModifier([slave, master] {
        ::setsid();
        ::ioctl(slave, TIOCSCTTY, 0);
        ::dup2(slave, STDIN_FILENO);
        ::close(slave);
        ::close(master);
    });
    process.start(qEnvironmentVariable("FTCANCEL_BINARY"),
                  {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("typed"),
                   QStringLiteral("--provider"), QStringLiteral("openai")});
    QVERIFY(process.waitForStarted(60000));
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError()).contains("(not shown): "), 30000);
    QVERIFY2(err.contains("API key for \xe2\x80\x9ctyped\xe2\x80\x9d"), err.constData());
    const QByteArray typed = m_keyA.toUtf8() + '\n';
    QCOMPARE(::write(master, typed.constData(), size_t(typed.size())), ssize_t(typed.size()));
    QSignalSpy finished(&process, &QProcess::finished);
    QVERIFY(process.state() == QProcess::NotRunning || finished.wait(60000));
    QByteArray screen;
    char buffer[4096];
    for (ssize_t n; (n = ::read(master, buffer, sizeof buffer)) > 0;)
        screen.append(buffer, n);
    termios after{};
    QCOMPARE(::tcgetattr(slave, &after), 0);
    ::close(master);
    ::close(slave);
    err += process.readAllStandardError();
    const QByteArray out = process.readAllStandardOutput();
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(SecretCheck::longestLeak(QString::fromUtf8(screen), m_keyA) < 5, screen.constData()); // not echoed
    QVERIFY2(SecretCheck::longestLeak(QString::fromUtf8(err + out), m_keyA) < 5, (err + out).constData());
    QVERIFY2(after.c_lflag & ECHO, "the terminal's echo is back on");
    QVERIFY2(out.contains("Added the profile"), out.constData());

    SecretStore secrets;
    bool done = false;
    QString saved;
    secrets.readSecret(SecretStore::profileEntry(QStringLiteral("typed")), this,
                       [&](const QString& secret, const SecretStore::Outcome&) {
                           saved = secret;
                           done = true;
                       });
    QVERIFY(QTest::qWaitFor([&] { return done; }, 15000));
    QCOMPARE(saved, m_keyA);
}

void TestCliProfile::keyAsAnArgumentIsRefused()
{
    for (const QStringList& keyArgs :
         {QStringList{QStringLiteral("--key"), m_keyA}, QStringList{QStringLiteral("--key=") + m_keyA},
          QStringList{QStringLiteral("--api-key=") + m_keyA}}) {
        const CliRun r = run(QStringList{QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("argkey"),
                                         QStringLiteral("--provider"), QStringLiteral("openai")}
                             + keyArgs);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("no key as an argument")), qPrintable(r.err));
    }
    QVERIFY(listJson().isEmpty());
}

void TestCliProfile::addRefusesMistakesAndSavesNothing()
{
    const QStringList openai{QStringLiteral("--provider"), QStringLiteral("openai")};
    struct Case
    {
        QStringList args;
        QByteArray input;
        const char* says;
    };
    const QByteArray keyLine = m_keyA.toUtf8() + '\n';
    const QList<Case> cases{
        {{QStringLiteral("x")}, keyLine, "needs --provider"},
        {QStringList{QStringLiteral("x"), QStringLiteral("--provider"), QStringLiteral("acme")}, keyLine,
         "Unknown provider"},
        {QStringList{QStringLiteral("az"), QStringLiteral("--provider"), QStringLiteral("azure")}, keyLine, "endpoint"},
        {QStringList{QStringLiteral("x"), QStringLiteral("--base-url"), QStringLiteral("http://example.com/v1")}
             + openai,
         keyLine, "plain http"},
        {QStringList{QStringLiteral("tg"), QStringLiteral("--provider"), QStringLiteral("together"),
                     QStringLiteral("--org"), QStringLiteral("org-x")},
         keyLine, "organization"},
        {QStringList{QStringLiteral("x")} + openai, QByteArray(), "No key on standard input"},
        {QStringList{QStringLiteral("x")} + openai, QByteArray("\n\n"), "No key on standard input"},
    };
    for (const Case& c : cases) {
        const CliRun r = run(QStringList{QStringLiteral("profile"), QStringLiteral("add")} + c.args, c.input);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String(c.says)), qPrintable(r.err));
    }
    QVERIFY(listJson().isEmpty());
    add(QStringLiteral("x"), openai, m_keyA);
    const CliRun taken = run({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("x"),
                              QStringLiteral("--provider"), QStringLiteral("mistral")},
                             m_keyB.toUtf8() + '\n');
    QCOMPARE(taken.exitCode, 2);
    QVERIFY2(taken.err.contains(QStringLiteral("already")), qPrintable(taken.err));
}

void TestCliProfile::listShowsProfilesAndJson()
{
    const CliRun none = run({QStringLiteral("profile"), QStringLiteral("list")});
    QCOMPARE(none.exitCode, 0);
    QCOMPARE(none.out, QString());
    QVERIFY2(none.err.contains(QStringLiteral("No profiles yet")), qPrintable(none.err));

    add(QStringLiteral("prod"),
        {QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--org"), QStringLiteral("org-prod")},
        m_keyA);
    add(QStringLiteral("azure eu"),
        {QStringLiteral("--provider"), QStringLiteral("azure"), QStringLiteral("--base-url"),
         QStringLiteral("https://res.openai.azure.com"), QStringLiteral("--api-version"), QStringLiteral("2024-10-21")},
        m_keyB);
    const CliRun r = run({QStringLiteral("profile"), QStringLiteral("list")});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // header, then sorted by name
    QVERIFY2(lines.at(1).startsWith(QStringLiteral("azure eu")), qPrintable(r.out));
    QVERIFY2(lines.at(1).contains(QStringLiteral("https://res.openai.azure.com")), qPrintable(r.out));
    QVERIFY2(lines.at(1).startsWith(QStringLiteral("azure eu  azure")), qPrintable(r.out));
    QVERIFY2(!lines.at(1).endsWith(u'*'), qPrintable(r.out));
    QVERIFY2(lines.at(2).startsWith(QStringLiteral("prod")), qPrintable(r.out));
    QVERIFY2(lines.at(2).endsWith(u'*'), qPrintable(r.out)); // the first one added is the default
    QVERIFY2(lines.at(2).contains(QStringLiteral("https://api.openai.com/v1")), qPrintable(r.out));

    const QList<QJsonObject> objects = listJson();
    QCOMPARE(objects.size(), 2);
    QCOMPARE(objects.at(0).value(QLatin1String("name")).toString(), QStringLiteral("azure eu"));
    QCOMPARE(objects.at(0).value(QLatin1String("provider")).toString(), QStringLiteral("azure"));
    QCOMPARE(objects.at(0).value(QLatin1String("api_version")).toString(), QStringLiteral("2024-10-21"));
    QCOMPARE(objects.at(0).value(QLatin1String("default")).toBool(), false);
    QVERIFY(objects.at(0).value(QLatin1String("organization")).isNull());
    QCOMPARE(objects.at(1).value(QLatin1String("name")).toString(), QStringLiteral("prod"));
    QCOMPARE(objects.at(1).value(QLatin1String("organization")).toString(), QStringLiteral("org-prod"));
    QCOMPARE(objects.at(1).value(QLatin1String("default")).toBool(), true);
}

void TestCliProfile::renameRemoveAndDefault()
{
    const QStringList openai{QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--base-url"),
                             m_a->baseUrl().toString()};
    add(QStringLiteral("one"), openai, m_keyA);
    add(QStringLiteral("two"), openai, m_keyB);
    CliRun r = run({QStringLiteral("profile"), QStringLiteral("default")});
    QCOMPARE(r.out.trimmed(), QStringLiteral("one"));
    r = run({QStringLiteral("profile"), QStringLiteral("default"), QStringLiteral("two")});
    QCOMPARE(r.exitCode, 0);
    r = run({QStringLiteral("profile"), QStringLiteral("default")});
    QCOMPARE(r.out.trimmed(), QStringLiteral("two"));

    // Renamed, the key goes with it: the default (followed) sends it.
    r = run({QStringLiteral("profile"), QStringLiteral("rename"), QStringLiteral("two"), QStringLiteral("deux")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = run({QStringLiteral("profile"), QStringLiteral("default")});
    QCOMPARE(r.out.trimmed(), QStringLiteral("deux"));
    m_a->enqueue(FakeResponse::job(QStringLiteral("ftjob-renamed"), QStringLiteral("running")));
    r = run({QStringLiteral("show"), QStringLiteral("ftjob-renamed")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(m_a->requests().last().header("authorization"), "Bearer " + m_keyB.toUtf8());

    r = run({QStringLiteral("profile"), QStringLiteral("rename"), QStringLiteral("deux"), QStringLiteral("one")});
    QCOMPARE(r.exitCode, 2); // taken
    r = run({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("deux")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = run({QStringLiteral("profile"), QStringLiteral("remove"), QStringLiteral("deux")});
    QCOMPARE(r.exitCode, 2); // gone
    r = run({QStringLiteral("profile"), QStringLiteral("default"), QStringLiteral("deux")});
    QCOMPARE(r.exitCode, 2);
    const QList<QJsonObject> objects = listJson();
    QCOMPARE(objects.size(), 1);
    QCOMPARE(objects.first().value(QLatin1String("name")).toString(), QStringLiteral("one"));

    // The removed profile's key went with it: its entry is gone from the keychain.
    SecretStore secrets;
    bool done = false;
    SecretStore::Outcome outcome;
    secrets.readSecret(SecretStore::profileEntry(QStringLiteral("deux")), this,
                       [&](const QString&, const SecretStore::Outcome& o) {
                           outcome = o;
                           done = true;
                       });
    QVERIFY(QTest::qWaitFor([&] { return done; }, 15000));
    QCOMPARE(outcome.status, SecretStore::Status::NotFound);
    r = run({QStringLiteral("profile"), QStringLiteral("frobnicate")});
    QCOMPARE(r.exitCode, 2);
}

void TestCliProfile::profileSwitchesHeadersAndBaseUrlOnTheWire()
{
    add(QStringLiteral("a"),
        {QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--base-url"),
         m_a->baseUrl().toString(), QStringLiteral("--org"), QStringLiteral("org-a")},
        m_keyA);
    add(QStringLiteral("b"),
        {QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--base-url"),
         m_b->baseUrl().toString(), QStringLiteral("--project"), QStringLiteral("proj_b")},
        m_keyB);
    for (FakeOpenAiServer* server : {m_a, m_b})
        server->setHandler([](const RecordedRequest& request) {
            const QString id = QString::fromUtf8(request.path().split('/').value(4));
            return FakeResponse::job(id, QStringLiteral("cancelled"));
        });
    // Without --profile: the default, "a".
    CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--no-preview"), QStringLiteral("ftjob-first")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(m_a->requestCount(), 1);
    QCOMPARE(m_b->requestCount(), 0);
    QCOMPARE(m_a->requests().first().header("authorization"), "Bearer " + m_keyA.toUtf8());
    QCOMPARE(m_a->requests().first().header("openai-organization"), QByteArray("org-a"));
    QVERIFY(!m_a->requests().first().hasHeader("openai-project"));

    // --profile b: its base URL, its key and its project; nothing of a's.
    for (const QString& command : {QStringLiteral("cancel"), QStringLiteral("show"), QStringLiteral("events")}) {
        QStringList args{command, QStringLiteral("--profile"), QStringLiteral("b"), QStringLiteral("ftjob-second")};
        if (command == QLatin1String("cancel"))
            args.insert(1, QStringLiteral("--no-preview"));
        r = run(args);
        QVERIFY2(command == QLatin1String("events") || r.exitCode == 0, qPrintable(r.err));
        const RecordedRequest request = m_b->requests().last();
        QCOMPARE(request.header("authorization"), "Bearer " + m_keyB.toUtf8());
        QCOMPARE(request.header("openai-project"), QByteArray("proj_b"));
        QVERIFY(!request.hasHeader("openai-organization"));
    }
    QCOMPARE(m_b->requestCount(), 3);
    r = run({QStringLiteral("list"), QStringLiteral("--profile"), QStringLiteral("b")});
    QCOMPARE(m_b->requests().last().method, QByteArray("GET"));
    QVERIFY(m_b->requests().last().path().startsWith("/v1/fine_tuning/jobs"));
    QCOMPARE(m_a->requestCount(), 1);
}

void TestCliProfile::environmentOverridesPerProvider()
{
    add(QStringLiteral("oa"),
        {QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--base-url"),
         m_a->baseUrl().toString(), QStringLiteral("--org"), QStringLiteral("org-saved")},
        m_keyA);
    add(QStringLiteral("tg"),
        {QStringLiteral("--provider"), QStringLiteral("together"), QStringLiteral("--base-url"),
         m_b->baseUrl().toString()},
        m_keyB);
    for (FakeOpenAiServer* server : {m_a, m_b})
        server->setHandler([](const RecordedRequest&) {
            return FakeResponse::job(QStringLiteral("ftjob-env"), QStringLiteral("running"));
        });
    const QString envKey = newKey("envO");
    QProcessEnvironment env = cleanEnv();
    env.insert(QStringLiteral("OPENAI_API_KEY"), envKey);
    env.insert(QStringLiteral("OPENAI_ORG_ID"), QStringLiteral("org-env"));
    CliRun r = runFtcancel({QStringLiteral("show"), QStringLiteral("ftjob-env")}, env, QByteArray(), 60000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    checkNoLeak(r, envKey);
    QCOMPARE(m_a->requests().last().header("authorization"), "Bearer " + envKey.toUtf8());
    QCOMPARE(m_a->requests().last().header("openai-organization"), QByteArray("org-env"));

    // OPENAI_BASE_URL moves an OpenAI profile elsewhere.
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_b->baseUrl().toString());
    r = runFtcancel({QStringLiteral("show"), QStringLiteral("ftjob-env")}, env, QByteArray(), 60000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(m_a->requestCount(), 1);
    QCOMPARE(m_b->requestCount(), 1);

    // A Together profile does not hear OpenAI's variables: its own key from the keychain, at its own URL…
    const QString togetherId = QStringLiteral("ft-12345678-1234-1234-1234-123456789abc"); // Together's id shape
    r = runFtcancel({QStringLiteral("show"), QStringLiteral("--profile"), QStringLiteral("tg"), togetherId}, env,
                    QByteArray(), 60000);
    QCOMPARE(m_b->requestCount(), 2);
    const QByteArray sent = m_b->requests().last().header("authorization") + m_b->requests().last().header("api-key");
    QVERIFY2(sent.contains(m_keyB.toUtf8()), sent.constData());
    QVERIFY(!sent.contains(envKey.toUtf8()));
    QVERIFY(!m_b->requests().last().hasHeader("openai-organization"));
    // …until TOGETHER_API_KEY says otherwise.
    const QString togetherKey = newKey("envT");
    env.insert(QStringLiteral("TOGETHER_API_KEY"), togetherKey);
    r = runFtcancel({QStringLiteral("show"), QStringLiteral("--profile"), QStringLiteral("tg"), togetherId}, env,
                    QByteArray(), 60000);
    checkNoLeak(r, togetherKey);
    QCOMPARE(m_b->requestCount(), 3);
    QVERIFY(m_b->requests().last().header("authorization").contains(togetherKey.toUtf8())
            || m_b->requests().last().header("api-key").contains(togetherKey.toUtf8()));
}

void TestCliProfile::unknownProfileExitsTwo()
{
    add(QStringLiteral("known"), {QStringLiteral("--provider"), QStringLiteral("openai")}, m_keyA);
    const CliRun r = run({QStringLiteral("list"), QStringLiteral("--profile"), QStringLiteral("unknown")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("no profile named \u201Cunknown\u201D")), qPrintable(r.err));
    QCOMPARE(m_a->requestCount() + m_b->requestCount(), 0);
    const CliRun misplaced = run(
        {QStringLiteral("profile"), QStringLiteral("list"), QStringLiteral("--profile"), QStringLiteral("known")});
    QCOMPARE(misplaced.exitCode, 2);
}

void TestCliProfile::withoutProfilesTheEnvironmentAlone()
{
    QProcessEnvironment env = cleanEnv();
    const QString envKey = newKey("alone");
    env.insert(QStringLiteral("OPENAI_API_KEY"), envKey);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_a->baseUrl().toString());
    m_a->enqueue(FakeResponse::job(QStringLiteral("ftjob-alone"), QStringLiteral("running")));
    const CliRun r = runFtcancel({QStringLiteral("show"), QStringLiteral("ftjob-alone")}, env, QByteArray(), 60000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(m_a->requests().first().header("authorization"), "Bearer " + envKey.toUtf8());
    // No key anywhere: said plainly, exit 3.
    const CliRun none = run({QStringLiteral("show"), QStringLiteral("ftjob-alone")});
    QCOMPARE(none.exitCode, 3);
    QVERIFY2(none.err.contains(QStringLiteral("No API key")), qPrintable(none.err));
    QVERIFY2(none.err.contains(QStringLiteral("profile add")), qPrintable(none.err));
}

QTEST_GUILESS_MAIN(TestCliProfile)
#include "tst_cliprofile.moc"
