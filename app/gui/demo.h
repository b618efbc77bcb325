#pragma once

#include "provider.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

class FakeOpenAiServer;
class JobSimulator;

// Demo mode (ftcancel --demo): the window against the built-in simulator, in this process, on 127.0.0.1 only.
// start() runs one FakeOpenAiServer + JobSimulator per provider on a free loopback port, seeded with a few dozen
// jobs and batches in every state (a few slow to stop, one whose cancel fails, one rate-limited), and a profile per
// provider with a made-up key. Nothing real is touched: the settings live in a temporary directory for this run
// (QSettings::setPath), the keys in memory (SecretStore::useMemoryOnly: no keychain call, ever), and the window
// writes no audit line (CancelBatch::Options::audit, from isActive()). Servers answer on the GUI thread's event
// loop, as every socket of the window does: nothing blocks.
class Demo final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Demo)

public:
    explicit Demo(QObject* parent = nullptr);
    ~Demo() override;

    // Before the window is made (its panes read the settings and profiles when built). False, with why, when a
    // server could not listen or the temporary settings could not be made; the process must then not go on.
    bool start(QString* error);
    // Demo mode is on in this process (start() succeeded): the window says DEMO and writes no audit line.
    static bool isActive();
    static QString titlePrefix(); // "DEMO — "
    static QString statusText(); // the permanent status bar label

    // For tests: the simulator behind a provider's profile, the profile's name, and the jobs seeded with a
    // behaviour of their own (slow to stop, failing, rate-limited), which a test that wants a plain job avoids.
    JobSimulator* simulator(Provider provider) const;
    static QString profileName(Provider provider);
    QStringList specialIds() const { return m_special; }

private:
    struct Backend
    {
        Provider provider = Provider::OpenAI;
        FakeOpenAiServer* server = nullptr;
        JobSimulator* simulator = nullptr;
    };
    void seed(Backend& backend);
    static QString keyOf(Provider provider);

    QTemporaryDir m_settingsDir;
    QList<Backend> m_backends;
    QStringList m_special;
};
