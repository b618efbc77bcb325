#include "accountfinder.h"

#include "appsettings.h"
#include "clioptions.h"
#include "console.h"
#include "outputgate.h"
#include "profileconfig.h"
#include "secretstore.h"

AccountFinder::AccountFinder(Console& console, const CliOptions& options, QObject* parent)
    : QObject(parent),
      m_console(console),
      m_options(options),
      m_secrets(new SecretStore(this)),
      m_store(new ProfileStore(m_secrets, this))
{
    connect(m_store, &ProfileStore::migrated, this, &AccountFinder::onMigrated);
    connect(m_store, &ProfileStore::keyRead, this, &AccountFinder::onKeyRead);
}

bool AccountFinder::choose(int* exitCode)
{
    *exitCode = CliExit::BadUsage;
    m_migrateFirst = false;
    const bool mayMigrate = !m_migrationTried && !m_store->isMigrated();
    const QString name = m_options.profile.value_or(m_store->defaultName()).trimmed();
    if (m_options.profile && name.isEmpty()) {
        m_console.err(tr("--profile needs the name of a profile; see \"ftcancel profile list\"."));
        return false;
    }
    m_profile = m_store->profile(name);
    if (m_options.profile && !m_profile) {
        if (!mayMigrate) {
            m_console.err(tr("There is no profile named \u201C%1\u201D; see \"ftcancel profile list\".")
                              .arg(OutputGate::clean(name, 200)));
            return false;
        }
        m_migrateFirst = true; // it may be the one the migration makes; chosen again after it
        return true;
    }
    // No profile and no key in the environment: the credential saved before profiles may become one.
    if (!m_profile && mayMigrate && !ProfileConfig::keyInEnvironment(Provider::OpenAI))
        m_migrateFirst = true;
    QString baseError;
    const ApiConfig base = AppSettings().apiConfig(&baseError);
    if (!m_profile && !base.baseUrl.isValid() && !m_options.baseUrl) {
        m_console.err(OutputGate::clean(baseError, OutputGate::lineBytes));
        return false;
    }
    QString error;
    m_config = ProfileConfig::resolve(m_profile, QString(), base, &error);
    if (!m_options.baseUrl && !m_config.baseUrl.isValid()) {
        m_console.err(OutputGate::clean(error, OutputGate::lineBytes));
        return false;
    }
    return applyOptions(exitCode);
}

bool AccountFinder::applyOptions(int* exitCode)
{
    *exitCode = CliExit::BadUsage;
    const ProviderInfo& info = ProviderInfo::of(m_config.provider);
    if ((m_options.organization || m_options.project) && !info.hasOrganization) {
        m_console.err(tr("--org and --project are for OpenAI accounts; the profile \u201C%1\u201D is %2.")
                          .arg(m_config.profileName, info.displayName));
        return false;
    }
    if (m_options.organization)
        m_config.organization = m_options.organization->trimmed();
    if (m_options.project)
        m_config.project = m_options.project->trimmed();
    if (m_options.baseUrl) {
        QString error;
        m_config.baseUrl = ApiConfig::parseBaseUrl(*m_options.baseUrl, &error);
        if (!m_config.baseUrl.isValid()) {
            m_console.err(OutputGate::clean(error, OutputGate::lineBytes));
            return false;
        }
    }
    if (m_options.caFile) {
        m_config.caFile = *m_options.caFile;
        m_config.loadExtraCaCertificates();
    }
    if (!m_config.caProblem.isEmpty()) {
        m_console.err(OutputGate::clean(m_config.caProblem, OutputGate::lineBytes) + u' ' + tr("Nothing was sent."));
        return false;
    }
    m_config.timeoutSeconds = m_options.timeoutSeconds.value_or(m_config.timeoutSeconds);
    m_config.maxRetries = m_options.maxRetries.value_or(m_config.maxRetries);
    m_config.deadlineSeconds = m_options.deadlineSeconds.value_or(m_config.deadlineSeconds);
    return true;
}

void AccountFinder::findKey()
{
    if (m_migrateFirst) {
        m_migrationTried = true;
        return m_store->migrate();
    }
    if (!m_config.apiKey.isEmpty())
        return emit found(); // the provider's environment variable
    if (m_profile)
        return m_store->readKey(m_profile->name);
    if (!m_migration.isOk() && !m_migration.refused)
        return keychainFailed(m_migration);
    m_console.err(tr("No API key: set OPENAI_API_KEY, or add a profile (ftcancel profile add NAME --provider %1; "
                     "the key is read from standard input).")
                      .arg(ProviderInfo::keys()));
    emit failed(CliExit::NoCredentials);
}

void AccountFinder::onMigrated(bool didMigrate, const ProfileStore::Outcome& outcome)
{
    m_migration = outcome;
    if (didMigrate && !outcome.isOk()) // the profile is there; the old entry stayed
        m_console.err(tr("Warning: %1").arg(OutputGate::clean(outcome.message, OutputGate::lineBytes)));
    int exitCode = 0;
    if (!choose(&exitCode))
        return emit failed(exitCode);
    findKey();
}

void AccountFinder::onKeyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome)
{
    if (!m_profile || name != m_profile->name)
        return;
    if (!outcome.isOk())
        return keychainFailed(outcome);
    m_config.apiKey = key;
    emit found();
}

void AccountFinder::keychainFailed(const ProfileStore::Outcome& outcome)
{
    const QString variable = ProviderInfo::of(m_config.provider).keyVariable;
    if (outcome.status == SecretStore::Status::NotFound && m_profile) {
        m_console.err(tr("No API key saved for the profile \u201C%1\u201D: set %2, or remove the profile and add it "
                         "again (ftcancel profile add reads the key from standard input).")
                          .arg(OutputGate::clean(m_profile->name, 200), variable));
    } else if (outcome.status == SecretStore::Status::Locked) {
        m_console.err(OutputGate::clean(outcome.message, OutputGate::lineBytes));
        m_console.err(tr("Or set %1 to run without the keyring.").arg(variable));
    } else {
        m_console.err(tr("Could not read the API key from the keychain: %1")
                          .arg(OutputGate::clean(outcome.message, OutputGate::lineBytes)));
        m_console.err(tr("Set %1 instead.").arg(variable));
    }
    emit failed(CliExit::NoCredentials);
}
