#include "apiconfig.h"

#include "outputgate.h"

#include <QHostAddress>

namespace {
bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}
} // namespace

QUrl ApiConfig::defaultBaseUrl()
{
    return QUrl(QStringLiteral("https://api.openai.com/v1"));
}

QString ApiConfig::effectiveBaseUrl(const QString& savedSetting)
{
    const QString fromEnv = qEnvironmentVariable("OPENAI_BASE_URL").trimmed();
    if (!fromEnv.isEmpty())
        return fromEnv;
    if (!savedSetting.trimmed().isEmpty())
        return savedSetting.trimmed();
    return defaultBaseUrl().toString();
}

QUrl ApiConfig::parseBaseUrl(const QString& text, QString* error)
{
    const QString trimmed = text.trimmed();
    const QUrl url(trimmed, QUrl::StrictMode);
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return QUrl();
    };
    if (trimmed.isEmpty())
        return fail(tr("The base URL is empty."));
    if (!url.isValid() || url.host().isEmpty())
        return fail(
            tr("\u201C%1\u201D is not a valid URL; it should look like https://api.openai.com/v1.").arg(trimmed));
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http"))
        return fail(tr("The base URL must start with https://."));
    if (scheme == QLatin1String("http") && !isLoopbackHost(url.host()))
        return fail(tr("The base URL %1 uses plain http: the API key would travel in clear text. Use https:// "
                       "(plain http is allowed only for this computer: localhost, 127.0.0.1, ::1).")
                        .arg(trimmed));
    if (!url.userInfo().isEmpty())
        return fail(tr("The base URL must not contain a user name or password."));
    if (url.hasFragment())
        return fail(tr("The base URL must not contain a # fragment."));
    return url;
}

QString ApiConfig::checkAccountId(const QString& value, const QString& fieldName, const QString& expectedPrefix)
{
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        const bool ok
            = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '_';
        if (!ok)
            return tr("The %1 may contain only letters, digits, - and _ (it looks like %2…).")
                .arg(fieldName, expectedPrefix);
    }
    return QString();
}

QString ApiConfig::problem() const
{
    if (apiKey.trimmed().isEmpty())
        return tr("No API key. Enter your OpenAI API key first.");
    for (const QChar c : apiKey) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7F)
            return tr("The API key contains a space or an unusual character; paste it again.");
    }
    QString error;
    if (!parseBaseUrl(baseUrl.toString(), &error).isValid())
        return error;
    if (const QString p = checkAccountId(organization, tr("Organization ID"), QStringLiteral("org-")); !p.isEmpty())
        return p;
    if (const QString p = checkAccountId(project, tr("Project ID"), QStringLiteral("proj_")); !p.isEmpty())
        return p;
    if (timeoutSeconds < 1 || timeoutSeconds > maxTimeoutSeconds)
        return tr("The timeout must be between 1 and %1 seconds.").arg(maxTimeoutSeconds);
    if (maxRetries < 0 || maxRetries > maxMaxRetries)
        return tr("The number of retries must be between 0 and %1.").arg(maxMaxRetries);
    if (deadlineSeconds < 1 || deadlineSeconds > maxDeadlineSeconds)
        return tr("The overall deadline must be between 1 and %1 seconds.").arg(maxDeadlineSeconds);
    return QString();
}

QString ApiConfig::describe() const
{
    const QString none = tr("(none)");
    const QString retries = tr("up to %n retry(s)", nullptr, maxRetries);
    return tr("Using %1 with key %2, organization %3, project %4, timeout %5 s, %6, deadline %7 s")
        .arg(baseUrl.toString(QUrl::RemoveUserInfo), apiKey.isEmpty() ? tr("(no key)") : OutputGate::maskKey(apiKey),
             organization.isEmpty() ? none : organization, project.isEmpty() ? none : project)
        .arg(timeoutSeconds)
        .arg(retries)
        .arg(deadlineSeconds);
}
