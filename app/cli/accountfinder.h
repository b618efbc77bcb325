#pragma once

#include "apiconfig.h"
#include "profilestore.h"

#include <QObject>
#include <optional>

class Console;
struct CliOptions;
class SecretStore;

// Which account a job command speaks to: --profile NAME, else the default profile, else (no profiles) the
// environment alone; the provider's environment variables override the profile (ProfileConfig::resolve), the
// options --base-url, --org and --project override both. The single credential saved before profiles is migrated
// first when it is needed (ProfileStore::migrate).
class AccountFinder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountFinder)

public:
    AccountFinder(Console& console, const CliOptions& options, QObject* parent = nullptr);

    // The part that needs no keychain: the profile, its fields, the environment and the options. False (the problem
    // said, *exitCode set) when they cannot be used. The key may still be missing.
    bool choose(int* exitCode);
    // The key: from the environment, else the profile's keychain entry. Ends with found() or failed(exitCode).
    void findKey();
    const ApiConfig& config() const { return m_config; }

signals:
    void found();
    void failed(int exitCode);

private:
    bool applyOptions(int* exitCode);
    void onMigrated(bool didMigrate, const ProfileStore::Outcome& outcome);
    void onKeyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome);
    // Says why the keychain gave no key, and what to do instead; exit 3.
    void keychainFailed(const ProfileStore::Outcome& outcome);

    Console& m_console;
    const CliOptions& m_options;
    SecretStore* m_secrets;
    ProfileStore* m_store;
    std::optional<Profile> m_profile;
    ApiConfig m_config;
    bool m_migrateFirst = false;
    bool m_migrationTried = false;
    ProfileStore::Outcome m_migration;
};
