#include "secretstore.h"

#include "appinfo.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <memory>
#include <qt6keychain/keychain.h>

namespace {
const QString entryName = QStringLiteral("credentials");

// Demo mode's entries (SecretStore::useMemoryOnly), and the keychain jobs started: one process-wide state each,
// touched on the GUI thread only.
struct MemoryEntries
{
    bool on = false;
    QHash<QString, QString> entries;
};
MemoryEntries& memoryEntries()
{
    static MemoryEntries memory;
    return memory;
}
int keychainJobs = 0;
} // namespace

void SecretStore::useMemoryOnly(const QHash<QString, QString>& entries)
{
    memoryEntries().on = true;
    memoryEntries().entries = entries;
}

bool SecretStore::isMemoryOnly()
{
    return memoryEntries().on;
}

int SecretStore::keychainJobCount()
{
    return keychainJobs;
}

SecretStore::SecretStore(QObject* parent) : SecretStore(AppInfo::appId(), parent) { }

SecretStore::SecretStore(const QString& serviceName, QObject* parent) : QObject(parent), m_service(serviceName) { }

// Starts a keychain job and calls done(job-or-null, timedOut) exactly once: when it finishes or when the
// deadline passes first (a keyring prompt with no screen can hang forever).
template <typename JobDone> void SecretStore::run(QKeychain::Job* job, JobDone done)
{
    ++keychainJobs;
    job->setAutoDelete(true);
    // Never QtKeychain's plaintext fallback (the key in a settings file, readable by anything that runs as the user):
    // without a keyring the key stays in memory, for this session only. Off by default; said here, for every job,
    // so that no default of a later QtKeychain can turn it on.
    job->setInsecureFallback(false);
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
        outcome.message = tr("The keyring did not answer within %n second(s).", nullptr, m_timeoutMs / 1000);
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
        outcome.message = tr("The keyring refused access.");
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        outcome.status = Status::Unavailable;
        outcome.message = tr("No keyring available.");
        if (!job->errorString().isEmpty())
            outcome.message += QLatin1Char(' ') + tr("(Details: %1)").arg(job->errorString());
        break;
    }
    return outcome;
}

// libsecret answers a read from a locked keyring with "not found" (it cannot search what it cannot open), a
// write with "locked" and a delete with success (it deletes what it can see: nothing); QtKeychain passes these
// on as EntryNotFound, AccessDenied and NoError. The Secret Service itself knows: the Locked property of the
// default collection, where QtKeychain's libsecret backend stores entries. Asked asynchronously, with what is
// left of the job's deadline. No session bus, no Secret Service (KWallet's own API), no default collection
// yet, an error or silence: the outcome stays as it was.
void SecretStore::confirmLocked(const Outcome& outcome, int timeoutMs, const std::function<void(const Outcome&)>& done)
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (timeoutMs <= 0 || !bus.isConnected())
        return done(outcome);
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets/aliases/default"),
        QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    call << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, timeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, outcome, done](QDBusPendingCallWatcher* w) {
        w->deleteLater();
        const QDBusPendingReply<QDBusVariant> reply = *w;
        const QVariant locked = reply.isError() ? QVariant() : reply.value().variant();
        if (locked.metaType().id() != QMetaType::Bool || !locked.toBool())
            return done(outcome);
        Outcome isLocked;
        isLocked.status = Status::Locked;
        isLocked.message = tr("The keyring is locked: unlock it (with your desktop's password manager, or by "
                              "logging in again) and try again.");
        done(isLocked);
    });
}

QString SecretStore::profileEntry(const QString& profileName)
{
    return QStringLiteral("profile/") + profileName;
}

QString SecretStore::legacyEntry()
{
    return entryName;
}

namespace {
// Calls done(args…) queued on receiver's thread, unless receiver is gone by then.
template <typename F> void later(QObject* receiver, F f)
{
    QMetaObject::invokeMethod(receiver, std::move(f), Qt::QueuedConnection);
}
} // namespace

bool SecretStore::readMemory(const QString& entry, QObject* receiver, const ReadDone& done)
{
    if (!isMemoryOnly())
        return false;
    const QPointer<QObject> guard(receiver);
    const auto found = memoryEntries().entries.constFind(entry);
    Outcome outcome;
    QString text;
    if (found == memoryEntries().entries.cend())
        outcome.status = Status::NotFound;
    else
        text = *found;
    if (guard)
        later(guard, [done, text, outcome] { done(text, outcome); });
    return true;
}

bool SecretStore::writeMemory(const QString& entry, const QString& text, QObject* receiver, const Done& done)
{
    if (!isMemoryOnly())
        return false;
    memoryEntries().entries.insert(entry, text);
    const QPointer<QObject> guard(receiver);
    if (guard)
        later(guard, [done] { done(Outcome()); });
    return true;
}

bool SecretStore::deleteMemory(const QString& entry, QObject* receiver, const Done& done)
{
    if (!isMemoryOnly())
        return false;
    memoryEntries().entries.remove(entry);
    const QPointer<QObject> guard(receiver);
    if (guard)
        later(guard, [done] { done(Outcome()); });
    return true;
}

void SecretStore::readEntry(const QString& entry, QObject* receiver, const ReadDone& done)
{
    if (readMemory(entry, receiver, done))
        return;
    const QDeadlineTimer deadline(m_timeoutMs);
    auto* job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(entry);
    const QPointer<QObject> guard(receiver);
    run(job, [this, deadline, guard, done](QKeychain::Job* j) {
        const Outcome outcome = outcomeOf(j);
        const QString text = outcome.isOk() ? static_cast<QKeychain::ReadPasswordJob*>(j)->textData() : QString();
        // Listeners may start another keychain job; never do that from inside a job's finished().
        const auto answer = [guard, done, text](const Outcome& o) {
            if (guard)
                later(guard, [done, text, o] { done(text, o); });
        };
        if (j && j->error() == QKeychain::EntryNotFound)
            confirmLocked(outcome, int(deadline.remainingTime()), answer);
        else
            answer(outcome);
    });
}

void SecretStore::writeEntry(const QString& entry, const QString& text, QObject* receiver, const Done& done)
{
    if (writeMemory(entry, text, receiver, done))
        return;
    auto* job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(entry);
    job->setTextData(text);
    const QDeadlineTimer deadline(m_timeoutMs);
    const QPointer<QObject> guard(receiver);
    run(job, [this, deadline, guard, done](QKeychain::Job* j) {
        const Outcome outcome = outcomeOf(j);
        const auto answer = [guard, done](const Outcome& o) {
            if (guard)
                later(guard, [done, o] { done(o); });
        };
        if (outcome.status == Status::AccessDenied)
            confirmLocked(outcome, int(deadline.remainingTime()), answer);
        else
            answer(outcome);
    });
}

void SecretStore::deleteEntry(const QString& entry, QObject* receiver, const Done& done)
{
    if (deleteMemory(entry, receiver, done))
        return;
    auto* job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(entry);
    const QDeadlineTimer deadline(m_timeoutMs);
    const QPointer<QObject> guard(receiver);
    run(job, [this, deadline, guard, done](QKeychain::Job* j) {
        Outcome outcome = outcomeOf(j);
        if (outcome.status == Status::NotFound)
            outcome = Outcome(); // nothing to forget is success
        const auto answer = [guard, done](const Outcome& o) {
            if (guard)
                later(guard, [done, o] { done(o); });
        };
        // A locked keyring answers a delete with success and keeps the entry: that is no success.
        if (outcome.isOk())
            confirmLocked(outcome, int(deadline.remainingTime()), answer);
        else
            answer(outcome);
    });
}

Credentials SecretStore::parseLegacy(const QString& text, bool* ok)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    *ok = !o.isEmpty();
    Credentials credentials;
    credentials.apiKey = o.value(QLatin1String("api_key")).toString();
    credentials.organization = o.value(QLatin1String("organization")).toString();
    credentials.project = o.value(QLatin1String("project")).toString();
    return credentials;
}

void SecretStore::loadLegacy(QObject* receiver, const std::function<void(const Credentials&, const Outcome&)>& done)
{
    readEntry(entryName, receiver, [done](const QString& text, const Outcome& read) {
        Outcome outcome = read;
        Credentials credentials;
        if (outcome.isOk()) {
            bool ok = false;
            credentials = parseLegacy(text, &ok);
            if (!ok) {
                outcome.status = Status::NotFound;
                outcome.message = tr("The saved credentials could not be read; save them again.");
            }
        }
        done(credentials, outcome);
    });
}

void SecretStore::forgetLegacy(QObject* receiver, const Done& done)
{
    deleteEntry(entryName, receiver, done);
}

void SecretStore::readSecret(const QString& entry, QObject* receiver, const ReadDone& done)
{
    readEntry(entry, receiver, [done](const QString& text, const Outcome& read) {
        Outcome outcome = read;
        if ((outcome.isOk() && text.isEmpty()) || outcome.status == Status::NotFound) {
            outcome.status = Status::NotFound;
            outcome.message = tr("No key saved for this profile.");
        }
        done(text, outcome);
    });
}

void SecretStore::writeSecret(const QString& entry, const QString& secret, QObject* receiver, const Done& done)
{
    writeEntry(entry, secret, receiver, done);
}

void SecretStore::deleteSecret(const QString& entry, QObject* receiver, const Done& done)
{
    deleteEntry(entry, receiver, done);
}

void SecretStore::load()
{
    loadLegacy(this,
               [this](const Credentials& credentials, const Outcome& outcome) { emit loaded(credentials, outcome); });
}

void SecretStore::save(const Credentials& credentials)
{
    const QJsonObject o{{QLatin1String("api_key"), credentials.apiKey},
                        {QLatin1String("organization"), credentials.organization},
                        {QLatin1String("project"), credentials.project}};
    writeEntry(entryName, QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)), this,
               [this](const Outcome& outcome) { emit saved(outcome); });
}

void SecretStore::forget()
{
    deleteEntry(entryName, this, [this](const Outcome& outcome) { emit forgotten(outcome); });
}
