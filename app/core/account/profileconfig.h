#pragma once

#include "apiconfig.h"
#include "provider.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

// The one place that decides which account a request goes to: a profile's fields and its saved key, each replaced by
// the provider's environment variable when that is set (the variables the provider's own SDK reads: ProviderInfo),
// on top of the request settings (timeouts, retries, CAs). The window and the command line both call it; the
// command line's options (--base-url, --org, --project) are applied by it afterwards.
struct ProfileConfig
{
    Q_DECLARE_TR_FUNCTIONS(ProfileConfig)

public:
    // The provider's variables that are set (trimmed), empty when unset. Organization and project
    // (OPENAI_ORG_ID, OPENAI_PROJECT_ID) only for a provider that has them.
    struct Environment
    {
        QString key;
        QString baseUrl;
        QString organization;
        QString project;
        QString apiVersion;
    };
    static Environment environment(Provider provider,
                                   const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());

    // The ApiConfig of `profile` (none: the environment alone, as an OpenAI account without a profile) with its
    // saved key (may be empty: then only the environment's). `base` gives the request settings (AppSettings::
    // apiConfig); without a profile its base URL is the fallback when the environment names none. Each field:
    // the environment's variable when set, else the profile's, else the provider's default (Azure's API version:
    // "v1"). A base URL that cannot be used (or an Azure profile without an endpoint) leaves config.baseUrl invalid
    // and says why in *error. The key is not checked: apiKey is empty when neither gives one.
    static ApiConfig resolve(const std::optional<Profile>& profile, const QString& savedKey, const ApiConfig& base,
                             QString* error, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
    // Whether the environment gives this provider's key (then the keychain need not be asked).
    static bool keyInEnvironment(Provider provider,
                                 const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
};
