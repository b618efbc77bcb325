#include "everyaccount.h"

#include "outputgate.h"
#include "profileconfig.h"
#include "secretstore.h"

#include <QProcessEnvironment>

EveryAccount::EveryAccount(QObject* parent)
    : QObject(parent), m_secrets(new SecretStore(this)), m_store(new ProfileStore(m_secrets, this))
{
    connect(m_store, &ProfileStore::keyRead, this, &EveryAccount::onKeyRead);
}

int EveryAccount::profileCount() const
{
    return int(m_store->profiles().size());
}

void EveryAccount::read(const ApiConfig& base)
{
    m_accounts.clear();
    m_pending.clear();
    for (const Profile& profile : m_store->profiles()) {
        StopEverywhere::Account account;
        QString error;
        account.config = ProfileConfig::resolve(profile, QString(), base, &error, QProcessEnvironment());
        account.config.profileName = profile.name;
        if (!account.config.baseUrl.isValid())
            account.problem = OutputGate::clean(error, OutputGate::lineBytes);
        m_accounts << account;
        if (account.problem.isEmpty())
            m_pending.insert(profile.name, int(m_accounts.size() - 1));
    }
    if (m_pending.isEmpty())
        return emit done(m_accounts);
    const QStringList names = m_pending.keys();
    for (const QString& name : names)
        m_store->readKey(name);
}

void EveryAccount::onKeyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome)
{
    const auto it = m_pending.constFind(name);
    if (it == m_pending.cend())
        return;
    StopEverywhere::Account& account = m_accounts[*it];
    m_pending.erase(it);
    if (outcome.isOk() && !key.isEmpty()) {
        account.config.apiKey = key;
        OutputGate::addSecret(key);
    } else {
        account.problem = outcome.isOk() || outcome.status == SecretStore::Status::NotFound
            ? tr("no API key saved")
            : tr("its key could not be read: %1").arg(OutputGate::clean(outcome.message, OutputGate::lineBytes));
    }
    if (m_pending.isEmpty())
        emit done(m_accounts);
}
