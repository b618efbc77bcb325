#include "profilefixture.h"

#include "profilestore.h"
#include "secretstore.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTest>

namespace ProfileFixture {

namespace {
constexpr int waitMs = 15000;

bool waitFor(QSignalSpy& spy, const QString& what, QString* error)
{
    if (spy.isEmpty() && !spy.wait(waitMs)) {
        if (error)
            *error = QStringLiteral("no answer from the keyring: %1").arg(what);
        return false;
    }
    const auto outcome = spy.takeFirst().last().value<ProfileStore::Outcome>();
    if (!outcome.isOk() && error)
        *error = QStringLiteral("%1: %2").arg(what, outcome.message);
    return outcome.isOk();
}
} // namespace

bool removeAll(QString* error)
{
    SecretStore secrets;
    ProfileStore store(&secrets);
    QSignalSpy removed(&store, &ProfileStore::removed);
    for (const QString& name : store.names()) {
        store.remove(name);
        if (!waitFor(removed, QStringLiteral("remove %1").arg(name), error))
            return false;
    }
    // A key left without its fields (a test that stopped half-way) goes too.
    for (const QString& name : {ProfileStore::migratedName(), QStringLiteral("Default 2")}) {
        bool done = false;
        secrets.deleteSecret(SecretStore::profileEntry(name), &store,
                             [&done](const SecretStore::Outcome&) { done = true; });
        for (int waited = 0; !done && waited < waitMs; waited += 20)
            QTest::qWait(20);
    }
    QSettings settings;
    settings.remove(QStringLiteral("profiles"));
    settings.remove(QStringLiteral("profileState"));
    settings.remove(QStringLiteral("window/profile"));
    return true;
}

bool add(const Profile& profile, const QString& key, QString* error)
{
    SecretStore secrets;
    ProfileStore store(&secrets);
    QSignalSpy added(&store, &ProfileStore::added);
    store.add(profile, key);
    return waitFor(added, QStringLiteral("add %1").arg(profile.name), error);
}

bool addOpenAi(const QString& name, const QString& key, QString* error)
{
    Profile p;
    p.name = name;
    p.provider = Provider::OpenAI;
    return add(p, key, error);
}

std::optional<QString> savedKey(const QString& name)
{
    SecretStore secrets;
    std::optional<QString> result;
    bool done = false;
    secrets.readSecret(SecretStore::profileEntry(name), &secrets,
                       [&](const QString& secret, const SecretStore::Outcome& o) {
                           if (o.isOk())
                               result = secret;
                           done = true;
                       });
    for (int waited = 0; !done && waited < waitMs; waited += 20)
        QTest::qWait(20);
    return result;
}

} // namespace ProfileFixture
