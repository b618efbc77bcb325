#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

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
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    enum class Status {
        Ok,
        NotFound, // nothing saved yet (or a keyring that is locked/missing reports it so)
        Unavailable, // no keyring service: keep the key for this session only
        AccessDenied, // the keyring refused (locked, or the user said no)
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

    void load();
    void save(const Credentials& credentials);
    void forget();

    static constexpr int defaultTimeoutMs = 10000;

signals:
    void loaded(const Credentials& credentials, const SecretStore::Outcome& outcome);
    void saved(const SecretStore::Outcome& outcome);
    void forgotten(const SecretStore::Outcome& outcome);

private:
    template <typename Done> void run(QKeychain::Job* job, Done done);
    Outcome outcomeOf(QKeychain::Job* job) const;

    QString m_service;
    int m_timeoutMs = defaultTimeoutMs;
};

Q_DECLARE_METATYPE(Credentials)
Q_DECLARE_METATYPE(SecretStore::Outcome)
