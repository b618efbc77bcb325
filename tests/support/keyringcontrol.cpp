#include "keyringcontrol.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QMap>
#include <QVariant>

namespace {
const QString service = QStringLiteral("org.freedesktop.secrets");
const QString servicePath = QStringLiteral("/org/freedesktop/secrets");
const QString serviceInterface = QStringLiteral("org.freedesktop.Secret.Service");
constexpr int callTimeoutMs = 5000;

bool fail(QString* error, const QString& text)
{
    if (error)
        *error = text;
    return false;
}

// Calls and returns the reply, or nothing with the D-Bus error in *error.
std::optional<QDBusMessage> call(QDBusMessage message, QString* error)
{
    const QDBusMessage reply = QDBusConnection::sessionBus().call(message, QDBus::Block, callTimeoutMs);
    if (reply.type() != QDBusMessage::ReplyMessage) {
        fail(error, reply.errorName() + QStringLiteral(": ") + reply.errorMessage());
        return std::nullopt;
    }
    return reply;
}

// The object path of the collection behind the "default" alias ("/" when there is none).
std::optional<QDBusObjectPath> defaultCollection(QString* error)
{
    QDBusMessage m
        = QDBusMessage::createMethodCall(service, servicePath, serviceInterface, QStringLiteral("ReadAlias"));
    m << QStringLiteral("default");
    const auto reply = call(m, error);
    if (!reply || reply->arguments().isEmpty())
        return std::nullopt;
    const auto path = reply->arguments().constFirst().value<QDBusObjectPath>();
    if (path.path() == QLatin1String("/")) {
        fail(error, QStringLiteral("no default collection"));
        return std::nullopt;
    }
    return path;
}
} // namespace

std::optional<bool> KeyringControl::isLocked(QString* error)
{
    QDBusMessage m
        = QDBusMessage::createMethodCall(service, QStringLiteral("/org/freedesktop/secrets/aliases/default"),
                                         QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    m << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    const auto reply = call(m, error);
    if (!reply || reply->arguments().isEmpty())
        return std::nullopt;
    const QVariant value = reply->arguments().constFirst().value<QDBusVariant>().variant();
    if (value.metaType().id() != QMetaType::Bool) {
        fail(error, QStringLiteral("Locked is not a boolean"));
        return std::nullopt;
    }
    return value.toBool();
}

bool KeyringControl::lock(QString* error)
{
    const auto collection = defaultCollection(error);
    if (!collection)
        return false;
    QDBusMessage m = QDBusMessage::createMethodCall(service, servicePath, serviceInterface, QStringLiteral("Lock"));
    m << QVariant::fromValue(QList<QDBusObjectPath>{*collection});
    const auto reply = call(m, error);
    if (!reply)
        return false;
    // Lock(objects) -> (locked objects, prompt): a prompt other than "/" would wait for a person.
    if (reply->arguments().size() != 2
        || reply->arguments().at(1).value<QDBusObjectPath>().path() != QLatin1String("/"))
        return fail(error, QStringLiteral("the keyring wants a prompt to lock"));
    if (isLocked(error) != true)
        return fail(error, QStringLiteral("the keyring still says it is unlocked"));
    return true;
}

namespace {
// A "plain" session: secrets travel as they are (on a private test bus).
std::optional<QDBusObjectPath> openPlainSession(QString* error)
{
    QDBusMessage open
        = QDBusMessage::createMethodCall(service, servicePath, serviceInterface, QStringLiteral("OpenSession"));
    open << QStringLiteral("plain") << QVariant::fromValue(QDBusVariant(QString()));
    const auto opened = call(open, error);
    if (!opened || opened->arguments().size() != 2)
        return std::nullopt;
    return opened->arguments().at(1).value<QDBusObjectPath>();
}
} // namespace

bool KeyringControl::storeInSessionCollection(const QString& serviceName, const QString& key, const QString& text,
                                              QString* error)
{
    qDBusRegisterMetaType<QMap<QString, QString>>();
    const auto session = openPlainSession(error);
    if (!session)
        return false;
    QDBusArgument secret; // (o session, ay parameters, ay value, s content type)
    secret.beginStructure();
    secret << *session << QByteArray() << text.toUtf8() << QStringLiteral("text/plain");
    secret.endStructure();
    // QtKeychain's libsecret schema "org.qt.keychain": user = key, server = service, type = plaintext.
    const QMap<QString, QString> attributes{{QStringLiteral("user"), key},
                                            {QStringLiteral("server"), serviceName},
                                            {QStringLiteral("type"), QStringLiteral("plaintext")},
                                            {QStringLiteral("xdg:schema"), QStringLiteral("org.qt.keychain")}};
    QVariantMap properties;
    properties.insert(QStringLiteral("org.freedesktop.Secret.Item.Label"), serviceName + QLatin1Char('/') + key);
    properties.insert(QStringLiteral("org.freedesktop.Secret.Item.Attributes"), QVariant::fromValue(attributes));
    QDBusMessage m = QDBusMessage::createMethodCall(
        service, QStringLiteral("/org/freedesktop/secrets/collection/session"),
        QStringLiteral("org.freedesktop.Secret.Collection"), QStringLiteral("CreateItem"));
    m << properties << QVariant::fromValue(secret) << true;
    const auto reply = call(m, error);
    if (!reply)
        return false;
    if (reply->arguments().size() != 2
        || reply->arguments().at(1).value<QDBusObjectPath>().path() != QLatin1String("/"))
        return fail(error, QStringLiteral("the session collection wants a prompt"));
    return true;
}

bool KeyringControl::unlock(const QString& password, QString* error)
{
    const auto collection = defaultCollection(error);
    if (!collection)
        return false;
    const auto opened = openPlainSession(error);
    if (!opened)
        return false;
    const QDBusObjectPath session = *opened;

    QDBusArgument secret; // (o session, ay parameters, ay value, s content type)
    secret.beginStructure();
    secret << session << QByteArray() << password.toUtf8() << QStringLiteral("text/plain");
    secret.endStructure();
    QDBusMessage m = QDBusMessage::createMethodCall(
        service, servicePath, QStringLiteral("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"),
        QStringLiteral("UnlockWithMasterPassword"));
    m << QVariant::fromValue(*collection) << QVariant::fromValue(secret);
    if (!call(m, error))
        return false;
    if (isLocked(error) != false)
        return fail(error, QStringLiteral("the keyring still says it is locked"));
    return true;
}
