#include "profileconfig.h"

namespace {
QString variable(const QProcessEnvironment& env, const QString& name)
{
    return name.isEmpty() ? QString() : env.value(name).trimmed();
}
} // namespace

ProfileConfig::Environment ProfileConfig::environment(Provider provider, const QProcessEnvironment& env)
{
    const ProviderInfo& info = ProviderInfo::of(provider);
    Environment e;
    e.key = variable(env, info.keyVariable);
    e.baseUrl = variable(env, info.baseUrlVariable);
    e.apiVersion = variable(env, info.apiVersionVariable);
    if (info.hasOrganization) {
        // The provider table names no variables for these: OpenAI's SDKs read these two.
        e.organization = variable(env, QStringLiteral("OPENAI_ORG_ID"));
        e.project = variable(env, QStringLiteral("OPENAI_PROJECT_ID"));
    }
    return e;
}

bool ProfileConfig::keyInEnvironment(Provider provider, const QProcessEnvironment& env)
{
    return !environment(provider, env).key.isEmpty();
}

ApiConfig ProfileConfig::resolve(const std::optional<Profile>& profile, const QString& savedKey, const ApiConfig& base,
                                 QString* error, const QProcessEnvironment& env)
{
    const Provider provider = profile ? profile->provider : Provider::OpenAI;
    const ProviderInfo& info = ProviderInfo::of(provider);
    const Environment e = environment(provider, env);
    ApiConfig config = base;
    config.provider = provider;
    config.profileName = profile ? profile->name : QString();

    QString baseUrl = e.baseUrl;
    if (baseUrl.isEmpty() && profile)
        baseUrl = profile->baseUrl.trimmed();
    if (baseUrl.isEmpty() && !profile && base.baseUrl.isValid())
        baseUrl = base.baseUrl.toString();
    if (baseUrl.isEmpty())
        baseUrl = info.defaultBaseUrl;
    if (baseUrl.isEmpty()) {
        config.baseUrl = QUrl();
        if (error)
            *error = info.baseUrlVariable.isEmpty()
                ? tr("The profile \u201C%1\u201D has no base URL.").arg(config.profileName)
                : tr("No %1 endpoint: give the profile one (https://<resource>.openai.azure.com) or set %2.")
                      .arg(info.displayName, info.baseUrlVariable);
    } else {
        config.baseUrl = ApiConfig::parseBaseUrl(baseUrl, error);
    }

    config.organization = info.hasOrganization
        ? (e.organization.isEmpty() && profile ? profile->organization.trimmed() : e.organization)
        : QString();
    config.project
        = info.hasOrganization ? (e.project.isEmpty() && profile ? profile->project.trimmed() : e.project) : QString();
    config.apiVersion.clear();
    if (info.hasApiVersion) {
        config.apiVersion = e.apiVersion;
        if (config.apiVersion.isEmpty() && profile)
            config.apiVersion = profile->apiVersion.trimmed();
        if (config.apiVersion.isEmpty())
            config.apiVersion = QStringLiteral("v1");
    }
    config.apiKey = e.key.isEmpty() ? savedKey : e.key;
    return config;
}
