#include "keyringunlock.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QTimer>

namespace {
const QString service = QStringLiteral("org.freedesktop.secrets");
const QString servicePath = QStringLiteral("/org/freedesktop/secrets");
const QString serviceInterface = QStringLiteral("org.freedesktop.Secret.Service");
const QString promptInterface = QStringLiteral("org.freedesktop.Secret.Prompt");
constexpr int callTimeoutMs = 10000;
} // namespace

KeyringUnlock::KeyringUnlock(quintptr windowId, QObject* parent)
    : QObject(parent), m_windowId(windowId), m_timeout(new QTimer(this))
{
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this,
            [this] { finish(Result::Failed, tr("The keyring did not finish unlocking in time.")); });
}

void KeyringUnlock::start()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        // Keep finished() asynchronous, as for every other outcome.
        QTimer::singleShot(0, this, [this] { finish(Result::Failed, tr("No keyring service was found.")); });
        return;
    }
    m_timeout->start(callTimeoutMs);
    QDBusMessage call
        = QDBusMessage::createMethodCall(service, servicePath, serviceInterface, QStringLiteral("ReadAlias"));
    call << QStringLiteral("default");
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, callTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<QDBusObjectPath> reply = *watcher;
        if (reply.isError())
            return finish(Result::Failed, tr("The keyring could not be asked: %1").arg(reply.error().message()));
        if (reply.value().path() == QLatin1String("/"))
            return finish(Result::Failed, tr("The keyring has no default collection yet."));
        unlock(reply.value().path());
    });
}

void KeyringUnlock::unlock(const QString& collectionPath)
{
    QDBusMessage call
        = QDBusMessage::createMethodCall(service, servicePath, serviceInterface, QStringLiteral("Unlock"));
    call << QVariant::fromValue(QList<QDBusObjectPath>{QDBusObjectPath(collectionPath)});
    auto* watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call, callTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<QList<QDBusObjectPath>, QDBusObjectPath> reply = *watcher;
        if (reply.isError())
            return finish(Result::Failed, tr("The keyring refused to unlock: %1").arg(reply.error().message()));
        const QString promptPath = reply.argumentAt<1>().path();
        if (promptPath == QLatin1String("/") || promptPath.isEmpty()) {
            // Unlocked without asking (it was not locked, or the service needed no password).
            return reply.argumentAt<0>().isEmpty()
                ? finish(Result::Failed, tr("The keyring did not unlock its default collection."))
                : finish(Result::Unlocked, QString());
        }
        prompt(promptPath);
    });
}

void KeyringUnlock::prompt(const QString& promptPath)
{
    m_promptPath = promptPath;
    QDBusConnection bus = QDBusConnection::sessionBus();
    // Connected before Prompt is called, so a prompt that completes at once is not missed.
    bus.connect(service, promptPath, promptInterface, QStringLiteral("Completed"), this,
                SLOT(onPromptCompleted(bool, QDBusVariant)));
    // The operator types the keyring's password now: the wait is theirs, not the service's.
    m_timeout->start(promptTimeoutMs);
    QDBusMessage call = QDBusMessage::createMethodCall(service, promptPath, promptInterface, QStringLiteral("Prompt"));
    call << (m_windowId != 0 ? QString::number(m_windowId, 16) : QString());
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, callTimeoutMs), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QDBusPendingReply<> reply = *watcher;
        if (reply.isError())
            finish(Result::Failed, tr("The keyring could not show its unlock prompt: %1").arg(reply.error().message()));
    });
}

void KeyringUnlock::onPromptCompleted(bool dismissed, const QDBusVariant& result)
{
    Q_UNUSED(result);
    if (dismissed)
        finish(Result::Dismissed, tr("The keyring is still locked: its unlock prompt was closed."));
    else
        finish(Result::Unlocked, QString());
}

void KeyringUnlock::finish(Result result, const QString& message)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout->stop();
    if (!m_promptPath.isEmpty())
        QDBusConnection::sessionBus().disconnect(service, m_promptPath, promptInterface, QStringLiteral("Completed"),
                                                 this, SLOT(onPromptCompleted(bool, QDBusVariant)));
    emit finished(result, message);
    deleteLater();
}
