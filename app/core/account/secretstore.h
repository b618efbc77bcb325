#pragma once

#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <functional>

namespace QKeychain {
class Job;
}

// Account credentials as the operator entered them. The key is a secret; organization and project are not,
// but they live beside it in the keychain so that one entry describes one account.
struct Credentials
{
    QString apiKey;
    QString organization;
    QString project;

    bool isEmpty() const { return apiKey.isEmpty() && organization.isEmpty() && project.isEmpty(); }
    bool operator==(const Credentials& o) const
    {
        return apiKey == o.apiKey && organization == o.organization && project == o.project;
    }
    bool operator!=(const Credentials& o) const { return !(*this == o); }
};

// Keeps Credentials in the OS keychain through QtKeychain, asynchronously, with a deadline on every job.
// Each operation ends with exactly one signal carrying an Outcome; nothing is ever written to a file.
// An Outcome's message says what happened to the keyring and nothing more: what the caller does instead (the
// window keeps the key for this session, the command line asks for OPENAI_API_KEY) is the caller's to say.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    enum class Status {
        Ok,
        NotFound, // nothing saved yet (or a keyring that is missing, or whose lock could not be asked about)
        Locked, // the Secret Service says its default collection is locked
        Unavailable, // no keyring service
        AccessDenied, // the keyring refused, and did not say it is locked
        TimedOut, // the keychain did not answer in time
    };
    struct Outcome
    {
        Status status = Status::Ok;
        QString message; // translated; empty when Ok
        bool isOk() const { return status == Status::Ok; }
    };

    explicit SecretStore(QObject* parent = nullptr);
    explicit SecretStore(const QString& serviceName, QObject* parent = nullptr);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }
    QString serviceName() const { return m_service; }

    // The legacy single entry ("credentials": key, organization and project of the one account of the releases
    // before profiles). ProfileStore::migrate moves it into a profile; nothing else writes it any more.
    void load();
    void save(const Credentials& credentials);
    void forget();

    // One entry per profile (ProfileStore): only the key, under entry name profileEntry(name). Each call ends with
    // exactly one call of done, queued (never from inside a keychain job), on this object's thread; a done whose
    // receiver is gone is not called. Deleting what is not there is success; a read that finds nothing is NotFound.
    using Done = std::function<void(const Outcome& outcome)>;
    using ReadDone = std::function<void(const QString& secret, const Outcome& outcome)>;
    void readSecret(const QString& entry, QObject* receiver, const ReadDone& done);
    void writeSecret(const QString& entry, const QString& secret, QObject* receiver, const Done& done);
    void deleteSecret(const QString& entry, QObject* receiver, const Done& done);
    // The legacy entry, with a callback instead of the signals (migration must not hear the window's loads).
    void loadLegacy(QObject* receiver, const std::function<void(const Credentials&, const Outcome&)>& done);
    void forgetLegacy(QObject* receiver, const Done& done);

    static QString profileEntry(const QString& profileName); // "profile/<name>"
    static QString legacyEntry(); // "credentials"

    static constexpr int defaultTimeoutMs = 10000;

    // Demo mode (ftcancel --demo): from now on, for the whole process, every SecretStore keeps its entries in this
    // map in memory and never starts a keychain job (no QtKeychain, no Secret Service, no D-Bus). There is no way
    // back: a process that has shown made-up keys never reads the real ones.
    static void useMemoryOnly(const QHash<QString, QString>& entries);
    static bool isMemoryOnly();
    // Keychain jobs started by this process so far (all stores): what a test asserts is 0 in demo mode.
    static int keychainJobCount();

signals:
    void loaded(const Credentials& credentials, const SecretStore::Outcome& outcome);
    void saved(const SecretStore::Outcome& outcome);
    void forgotten(const SecretStore::Outcome& outcome);

private:
    template <typename JobDone> void run(QKeychain::Job* job, JobDone done);
    // The three keychain operations every public one is made of; done is called queued, exactly once.
    void readEntry(const QString& entry, QObject* receiver, const ReadDone& done);
    void writeEntry(const QString& entry, const QString& text, QObject* receiver, const Done& done);
    void deleteEntry(const QString& entry, QObject* receiver, const Done& done);
    // The same three in memory (useMemoryOnly): answered queued, as the keychain's are; false when not memory only.
    static bool readMemory(const QString& entry, QObject* receiver, const ReadDone& done);
    static bool writeMemory(const QString& entry, const QString& text, QObject* receiver, const Done& done);
    static bool deleteMemory(const QString& entry, QObject* receiver, const Done& done);
    static Credentials parseLegacy(const QString& text, bool* ok);
    Outcome outcomeOf(QKeychain::Job* job) const;
    // A read that found nothing, a refused write or a "successful" delete may be a locked keyring: ask the
    // Secret Service, and call done with the outcome turned into Locked when it says so, unchanged otherwise.
    void confirmLocked(const Outcome& outcome, int timeoutMs, const std::function<void(const Outcome&)>& done);

    QString m_service;
    int m_timeoutMs = defaultTimeoutMs;
};

Q_DECLARE_METATYPE(Credentials)
Q_DECLARE_METATYPE(SecretStore::Outcome)
