#include "demo.h"

#include "jobsimulator.h"
#include "profilestore.h"
#include "secretstore.h"

#include <QHash>
#include <QSettings>

namespace {
bool active = false;

const QList<Provider> demoProviders
    = {Provider::OpenAI, Provider::Azure, Provider::Together, Provider::Mistral, Provider::Anthropic};

// A phase's first job (in list order) of one kind, not already taken for something else.
QString firstIn(const JobSimulator& simulator, const QStringList& ids, JobSimulator::Phase phase,
                const QStringList& taken)
{
    for (const QString& id : ids) {
        const SimulatedJob job = simulator.job(id);
        if (!taken.contains(id) && simulator.phaseOf(job.status, job.kind) == phase)
            return id;
    }
    return QString();
}
} // namespace

Demo::Demo(QObject* parent) : QObject(parent) { }

Demo::~Demo()
{
    // The window goes first (it is made after the demo); the servers close with their objects.
    for (const Backend& backend : std::as_const(m_backends)) {
        delete backend.simulator;
        delete backend.server;
    }
}

bool Demo::isActive()
{
    return active;
}

QString Demo::titlePrefix()
{
    return tr("DEMO \u2014 ");
}

QString Demo::statusText()
{
    return tr("DEMO: simulated jobs on this computer; nothing is real");
}

QString Demo::profileName(Provider provider)
{
    return tr("Demo %1").arg(ProviderInfo::of(provider).displayName);
}

// Made up, and said to be: two literals, so that no scanner takes it for a real key.
QString Demo::keyOf(Provider provider)
{
    const QString prefix = provider == Provider::OpenAI ? QStringLiteral("sk-") : QString();
    return prefix + QStringLiteral("demo-") + QStringLiteral("not-a-real-key-") + ProviderInfo::of(provider).key;
}

JobSimulator* Demo::simulator(Provider provider) const
{
    for (const Backend& backend : m_backends) {
        if (backend.provider == provider)
            return backend.simulator;
    }
    return nullptr;
}

bool Demo::start(QString* error)
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (!m_settingsDir.isValid())
        return fail(tr("Demo mode could not make its temporary settings folder: %1").arg(m_settingsDir.errorString()));
    // The user's settings stay as they are: this run reads and writes its own, thrown away at the end.
    for (const QSettings::Format format : {QSettings::NativeFormat, QSettings::IniFormat}) {
        QSettings::setPath(format, QSettings::UserScope, m_settingsDir.path());
        QSettings::setPath(format, QSettings::SystemScope, m_settingsDir.path());
    }
    QHash<QString, QString> keys;
    for (const Provider provider : demoProviders)
        keys.insert(SecretStore::profileEntry(profileName(provider)), keyOf(provider));
    SecretStore::useMemoryOnly(keys);

    for (const Provider provider : demoProviders) {
        Backend backend;
        backend.provider = provider;
        backend.server = new FakeOpenAiServer;
        backend.simulator = new JobSimulator(backend.server);
        backend.simulator->setRecording(false); // a long demo must not grow
        backend.simulator->setProvider(provider);
        backend.simulator->setExpectedKey(keyOf(provider).toUtf8());
        m_backends.append(backend);
        if (!backend.server->listen(0))
            return fail(tr("Demo mode could not listen on 127.0.0.1."));
        seed(m_backends.last());
    }

    SecretStore secrets;
    ProfileStore store(&secrets);
    for (const Backend& backend : std::as_const(m_backends)) {
        Profile profile;
        profile.name = profileName(backend.provider);
        profile.provider = backend.provider;
        profile.baseUrl = backend.simulator->baseUrl().toString();
        if (const QString problem = store.addFields(profile); !problem.isEmpty())
            return fail(problem);
    }
    store.setDefault(profileName(Provider::OpenAI));
    active = true;
    return true;
}

// A dozen jobs and half a dozen batches in the provider's realistic mix (Anthropic has batches only); of OpenAI's,
// two take a while to stop, one refuses every cancel with a 500 and one is rate-limited for 20 s.
void Demo::seed(Backend& backend)
{
    JobSimulator& simulator = *backend.simulator;
    QStringList jobs;
    if (backend.provider != Provider::Anthropic)
        jobs = simulator.addMany(12, JobSimulator::realisticMix(backend.provider));
    const QStringList batches = simulator.addManyBatches(6, JobSimulator::realisticBatchMix(backend.provider));
    simulator.setCancellingReads(3);
    if (backend.provider != Provider::OpenAI)
        return;
    using Phase = JobSimulator::Phase;
    using Kind = JobSimulator::RequestKind;
    for (int i = 0; i < 2; ++i) {
        const QString slow = firstIn(simulator, jobs, Phase::Running, m_special);
        if (slow.isEmpty())
            break;
        simulator.setCancelMode(slow, JobSimulator::CancelMode::ViaCancelling);
        simulator.setJobLatency(slow, 1500);
        m_special << slow;
    }
    if (const QString failing = firstIn(simulator, jobs, Phase::Queued, m_special); !failing.isEmpty()) {
        simulator.failNext(failing, Kind::Cancel, 1000000, JobSimulator::serverError(false));
        m_special << failing;
    }
    if (const QString limited = firstIn(simulator, batches, Phase::Running, m_special); !limited.isEmpty()) {
        simulator.failNext(limited, Kind::Cancel, 1, JobSimulator::rateLimited(20));
        m_special << limited;
    }
}
