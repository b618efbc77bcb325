#include "providerfacts.h"

#include "dialect.h"

namespace ProviderFacts {

QString dashboardUrl(Provider provider, const QString& jobId, JobKind kind)
{
    return Dialect::of(provider).dashboardUrl(jobId, kind);
}

bool hasDashboard(Provider provider, JobKind kind)
{
    return !Dialect::of(provider).dashboardUrl(QStringLiteral("x"), kind).isEmpty();
}

QString cancelNote(Provider provider, JobKind kind)
{
    return Dialect::of(provider).cancelNote(kind);
}

QString afterCancelNote(Provider provider, JobKind kind)
{
    return Dialect::of(provider).afterCancelNote(kind);
}

StatusClass statusClass(Provider provider, const QString& rawStatus, JobKind kind)
{
    return Dialect::of(provider).statusClass(rawStatus, kind);
}

QList<JobKind> kinds(Provider provider)
{
    return Dialect::of(provider).kinds();
}

bool canPause(Provider provider, JobKind kind)
{
    return Dialect::of(provider).offers(Dialect::Operation::Pause, kind);
}

QString pauseRefusedNote(Provider provider)
{
    return Dialect::of(provider).pauseRefusedNote();
}

} // namespace ProviderFacts
