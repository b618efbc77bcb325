#include "appinfo.h"
#include "cliprocess.h"
#include "fakeopenaiserver.h"
#include "jobsimulator.h"
#include "profilestore.h"
#include "secretcheck.h"
#include "secretstore.h"

#include <QSettings>
#include <QTest>

// `ftcancel cancel --all-active --all-profiles`: stop everything in every profile. Three profiles of three
// providers (OpenAI, Together, Mistral), each on its own simulated API expecting its own key, one of them unreadable
// (its list fails): exactly the active jobs (and batches) of the readable ones get a cancel, each request with its
// own account's key; nothing of the unreadable one; nothing at all without consent. Real binary, real keyring.
class TestCliEverywhere final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void withoutTerminalOrYesNothingIsRead();
    void dryRunListsEveryAccountAndSendsNothing();
    void cancelsInEveryReadableAccountWithItsOwnKey();
    void environmentKeyIsNotEveryProfilesKey();

private:
    struct Api
    {
        FakeOpenAiServer* server = nullptr;
        JobSimulator* sim = nullptr;
        QString key;
    };
    Api makeApi(Provider provider, const char* tag);
    void addProfile(const QString& name, Provider provider, const Api& api);
    CliRun run(const QStringList& arguments, const QProcessEnvironment& extra = QProcessEnvironment());
    int requestsEverywhere() const;

    Api m_openai;
    Api m_together;
    Api m_mistral;
    QStringList m_openaiActive;
    QStringList m_togetherActive;
};

namespace {
QProcessEnvironment cleanEnvironment()
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
} // namespace

void TestCliEverywhere::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
    AppInfo::applyToApplication();
}

TestCliEverywhere::Api TestCliEverywhere::makeApi(Provider provider, const char* tag)
{
    Api api;
    api.server = new FakeOpenAiServer(this);
    if (!api.server->listen())
        qFatal("cannot listen");
    api.sim = new JobSimulator(api.server, this);
    api.sim->setProvider(provider);
    api.sim->setCancellingReads(0);
    api.key = QStringLiteral("sk-%1-").arg(QLatin1String(tag))
        + SecretCheck::randomChars(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    api.sim->setExpectedKey(api.key.toUtf8()); // any other key: 401
    return api;
}

void TestCliEverywhere::addProfile(const QString& name, Provider provider, const Api& api)
{
    const CliRun r
        = runFtcancel({QStringLiteral("profile"), QStringLiteral("add"), name, QStringLiteral("--provider"),
                       ProviderInfo::of(provider).key, QStringLiteral("--base-url"), api.sim->baseUrl().toString()},
                      cleanEnvironment(), api.key.toUtf8() + '\n', 60000);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
}

void TestCliEverywhere::init()
{
    m_openai = makeApi(Provider::OpenAI, "evOA");
    m_together = makeApi(Provider::Together, "evTG");
    m_mistral = makeApi(Provider::Mistral, "evMI");
    m_openaiActive = m_openai.sim->addMany(3, {{QStringLiteral("running"), 2}, {QStringLiteral("queued"), 1}})
        + m_openai.sim->addManyBatches(2, {{QStringLiteral("in_progress"), 1}});
    m_openai.sim->addMany(2, {{QStringLiteral("succeeded"), 1}});
    m_openai.sim->addManyBatches(1, {{QStringLiteral("completed"), 1}});
    m_togetherActive = m_together.sim->addMany(2, {{QStringLiteral("running"), 1}});
    m_together.sim->addMany(1, {{QStringLiteral("completed"), 1}});
    m_mistral.sim->addMany(2, {{QStringLiteral("RUNNING"), 1}});
    // Mistral's lists fail: that account cannot be read, so nothing of it may be cancelled.
    m_mistral.sim->failListPage(1, 1000, JobSimulator::serverError(false));
    addProfile(QStringLiteral("oa-prod"), Provider::OpenAI, m_openai);
    addProfile(QStringLiteral("tg-lab"), Provider::Together, m_together);
    addProfile(QStringLiteral("mi-eu"), Provider::Mistral, m_mistral);
    for (const Api* api : {&m_openai, &m_together, &m_mistral})
        api->sim->resetCounters();
}

void TestCliEverywhere::cleanup()
{
    SecretStore secrets;
    ProfileStore store(&secrets);
    for (const QString& name : store.names()) {
        const CliRun r = runFtcancel({QStringLiteral("profile"), QStringLiteral("remove"), name}, cleanEnvironment(),
                                     QByteArray(), 60000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    QSettings().remove(QStringLiteral("profileState"));
    for (Api* api : {&m_openai, &m_together, &m_mistral}) {
        delete api->sim;
        delete api->server;
        *api = Api();
    }
}

CliRun TestCliEverywhere::run(const QStringList& arguments, const QProcessEnvironment& extra)
{
    QProcessEnvironment env = cleanEnvironment();
    for (const QString& name : extra.keys())
        env.insert(name, extra.value(name));
    const CliRun r = runFtcancel(arguments, env, QByteArray(), 120000);
    [&] {
        for (const Api* api : {&m_openai, &m_together, &m_mistral}) {
            QVERIFY2(SecretCheck::longestLeak(r.out, api->key) < 5, qPrintable(r.out));
            QVERIFY2(SecretCheck::longestLeak(r.err, api->key) < 5, qPrintable(r.err));
        }
    }();
    return r;
}

int TestCliEverywhere::requestsEverywhere() const
{
    return m_openai.sim->requestCount() + m_together.sim->requestCount() + m_mistral.sim->requestCount();
}

void TestCliEverywhere::withoutTerminalOrYesNothingIsRead()
{
    const CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--all-profiles")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("add --yes")), qPrintable(r.err));
    QCOMPARE(requestsEverywhere(), 0);

    const CliRun alone = run({QStringLiteral("cancel"), QStringLiteral("--all-profiles"), QStringLiteral("--yes")});
    QCOMPARE(alone.exitCode, 2);
    QVERIFY2(alone.err.contains(QStringLiteral("goes with --all-active")), qPrintable(alone.err));
    QCOMPARE(requestsEverywhere(), 0);
}

void TestCliEverywhere::dryRunListsEveryAccountAndSendsNothing()
{
    const CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--all-profiles"),
                          QStringLiteral("--dry-run")});
    QVERIFY2(r.exitCode != 0, "an account could not be read: the exit code says so"); // Mistral
    // Grouped by profile and provider, each job named with its kind.
    QVERIFY2(r.err.contains(QStringLiteral("oa-prod (OpenAI, 127.0.0.1): 5 jobs not finished")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("tg-lab (Together AI, 127.0.0.1): 2 jobs not finished")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("mi-eu (Mistral AI, 127.0.0.1): not read, nothing of it will be cancelled")),
             qPrintable(r.err));
    for (const QString& id : m_openaiActive + m_togetherActive)
        QVERIFY2(r.err.contains(id), qPrintable(id));
    QVERIFY(r.err.contains(QStringLiteral("  batch  in_progress")));
    for (const Api* api : {&m_openai, &m_together, &m_mistral})
        QCOMPARE(api->sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
}

void TestCliEverywhere::cancelsInEveryReadableAccountWithItsOwnKey()
{
    const CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--all-profiles"),
                          QStringLiteral("--yes"), QStringLiteral("--wait")});
    QCOMPARE(r.exitCode, 1); // everything readable was cancelled; one account could not be read
    // Exactly the active jobs of the readable accounts, once each, each with its own account's key.
    QStringList cancelled;
    for (const Api* api : {&m_openai, &m_together}) {
        for (const SimulatedRequest& request : api->sim->requests(JobSimulator::RequestKind::Cancel)) {
            QCOMPARE(request.header("authorization"), QByteArray("Bearer ") + api->key.toUtf8());
            cancelled << request.jobId;
        }
    }
    cancelled.sort();
    QStringList expected = m_openaiActive + m_togetherActive;
    expected.sort();
    QCOMPARE(cancelled, expected);
    QCOMPARE(m_mistral.sim->requestCount(JobSimulator::RequestKind::Cancel), 0);
    for (const QString& id : m_openaiActive)
        QCOMPARE(m_openai.sim->phaseOf(m_openai.sim->job(id).status, m_openai.sim->job(id).kind),
                 JobSimulator::Phase::Cancelled);
    // The summary says what happened in each account.
    QVERIFY2(r.err.contains(QStringLiteral("oa-prod (OpenAI): 5 cancelled")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("tg-lab (Together AI): 2 cancelled")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("mi-eu (Mistral AI): not read, nothing cancelled")), qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("oa-prod: ") + m_openaiActive.first() + QStringLiteral(" cancelled")),
             qPrintable(r.out));
}

void TestCliEverywhere::environmentKeyIsNotEveryProfilesKey()
{
    // OPENAI_API_KEY set in the environment must not replace each profile's own key: the Together profile still
    // goes with its key, the OpenAI one with its own saved key, not the variable's.
    QProcessEnvironment extra;
    extra.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-env-") + QStringLiteral("notTheProfilesKey0123"));
    extra.insert(QStringLiteral("OPENAI_BASE_URL"), QStringLiteral("http://127.0.0.1:9/v1"));
    const CliRun r = run({QStringLiteral("cancel"), QStringLiteral("--all-active"), QStringLiteral("--all-profiles"),
                          QStringLiteral("--yes"), QStringLiteral("--kind"), QStringLiteral("fine-tuning")},
                         extra);
    QCOMPARE(m_openai.sim->requestCount(JobSimulator::RequestKind::Cancel), 3); // its fine-tuning jobs only
    for (const SimulatedRequest& request : m_openai.sim->requests())
        QCOMPARE(request.header("authorization"), QByteArray("Bearer ") + m_openai.key.toUtf8());
    QCOMPARE(m_openai.sim->listRequestCount(JobKind::Batch), 0); // --kind fine-tuning
    QCOMPARE(m_together.sim->requestCount(JobSimulator::RequestKind::Cancel), 2);
}

QTEST_GUILESS_MAIN(TestCliEverywhere)
#include "tst_clieverywhere.moc"
