#pragma once

#include "apiconfig.h"
#include "profilestore.h"
#include "stopeverywhere.h"

#include <QHash>
#include <QObject>

class SecretStore;

// Every saved profile as an account of its own, for "stop everything, everywhere": its configuration as saved (the
// environment's variables are not applied: OPENAI_API_KEY would make every OpenAI profile one account) with its
// own key from the keychain, each read at once. read() ends with done(accounts), once; a profile whose key or
// configuration cannot be had is an account with a problem (nothing of it will be read or cancelled).
class EveryAccount final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EveryAccount)

public:
    explicit EveryAccount(QObject* parent = nullptr);
    // base: the request settings (timeouts, retries, CAs) every account is sent with.
    void read(const ApiConfig& base);
    int profileCount() const;

signals:
    void done(const QList<StopEverywhere::Account>& accounts);

private:
    void onKeyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome);

    SecretStore* m_secrets;
    ProfileStore* m_store;
    QList<StopEverywhere::Account> m_accounts;
    QHash<QString, int> m_pending; // profile name → its account
};
