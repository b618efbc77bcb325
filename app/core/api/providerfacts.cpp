#include "providerfacts.h"

#include "dialect.h"

namespace ProviderFacts {

QString dashboardUrl(Provider provider, const QString& jobId)
{
    return Dialect::of(provider).dashboardUrl(jobId);
}

bool hasDashboard(Provider provider)
{
    return !Dialect::of(provider).dashboardUrl(QStringLiteral("x")).isEmpty();
}

QString cancelNote(Provider provider)
{
    return Dialect::of(provider).cancelNote();
}

StatusClass statusClass(Provider provider, const QString& rawStatus)
{
    return Dialect::of(provider).statusClass(rawStatus);
}

} // namespace ProviderFacts
