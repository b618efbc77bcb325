#include "secretstore.h"

#include "appinfo.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <memory>
#include <qt6keychain/keychain.h>

namespace {
const QString entryName = QStringLiteral("credentials");
}

SecretStore::SecretStore(QObject* parent) : SecretStore(AppInfo::appId(), parent) { }

SecretStore::SecretStore(const QString& serviceName, QObject* parent) : QObject(parent), m_service(serviceName) { }

// Starts a keychain job and calls done(job-or-null, timedOut) exactly once: when it finishes or when the
// deadline passes first (a keyring prompt with no screen can hang forever).
template <typename Done> void SecretStore::run(QKeychain::Job* job, Done done)
{
    job->setAutoDelete(true);
    auto finishedOnce = std::make_shared<bool>(false);
    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [timer, finishedOnce, done] {
        timer->deleteLater();
        if (*finishedOnce)
            return;
        *finishedOnce = true;
        done(nullptr);
    });
    connect(job, &QKeychain::Job::finished, this, [timer, finishedOnce, done](QKeychain::Job* j) {
        timer->stop();
        timer->deleteLater();
        if (*finishedOnce)
            return;
        *finishedOnce = true;
        done(j);
    });
    timer->start(m_timeoutMs);
    job->start();
}

SecretStore::Outcome SecretStore::outcomeOf(QKeychain::Job* job) const
{
    Outcome outcome;
    if (!job) {
        outcome.status = Status::TimedOut;
        outcome.message = tr("The keyring did not answer within %n second(s) — the key will be kept for this "
                             "session only.",
                             nullptr, m_timeoutMs / 1000);
        return outcome;
    }
    switch (job->error()) {
    case QKeychain::NoError:
        break;
    case QKeychain::EntryNotFound:
        outcome.status = Status::NotFound;
        outcome.message = tr("No credentials saved yet.");
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        outcome.status = Status::AccessDenied;
        outcome.message = tr("The keyring refused access (is it locked?) — the key will be kept for this session "
                             "only.");
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        outcome.status = Status::Unavailable;
        outcome.message = tr("No keyring available — the key will be kept for this session only.");
        if (!job->errorString().isEmpty())
            outcome.message += QLatin1Char(' ') + tr("(Details: %1)").arg(job->errorString());
        break;
    }
    return outcome;
}

void SecretStore::load()
{
    auto* job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(entryName);
    run(job, [this](QKeychain::Job* j) {
        Outcome outcome = outcomeOf(j);
        Credentials credentials;
        if (outcome.isOk()) {
            const QByteArray data = static_cast<QKeychain::ReadPasswordJob*>(j)->textData().toUtf8();
            const QJsonObject o = QJsonDocument::fromJson(data).object();
            credentials.apiKey = o.value(QLatin1String("api_key")).toString();
            credentials.organization = o.value(QLatin1String("organization")).toString();
            credentials.project = o.value(QLatin1String("project")).toString();
            if (o.isEmpty()) {
                outcome.status = Status::NotFound;
                outcome.message = tr("The saved credentials could not be read; save them again.");
            }
        }
        // Listeners may start another keychain job; never do that from inside a job's finished().
        QMetaObject::invokeMethod(
            this, [this, credentials, outcome] { emit loaded(credentials, outcome); }, Qt::QueuedConnection);
    });
}

void SecretStore::save(const Credentials& credentials)
{
    auto* job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(entryName);
    const QJsonObject o{{QLatin1String("api_key"), credentials.apiKey},
                        {QLatin1String("organization"), credentials.organization},
                        {QLatin1String("project"), credentials.project}};
    job->setTextData(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    run(job, [this](QKeychain::Job* j) {
        const Outcome outcome = outcomeOf(j);
        QMetaObject::invokeMethod(
            this, [this, outcome] { emit saved(outcome); }, Qt::QueuedConnection);
    });
}

void SecretStore::forget()
{
    auto* job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(entryName);
    run(job, [this](QKeychain::Job* j) {
        Outcome outcome = outcomeOf(j);
        if (outcome.status == Status::NotFound)
            outcome = Outcome(); // nothing to forget is success
        QMetaObject::invokeMethod(
            this, [this, outcome] { emit forgotten(outcome); }, Qt::QueuedConnection);
    });
}
