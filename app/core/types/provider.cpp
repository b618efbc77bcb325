#include "provider.h"

#include <QStringList>

const QList<ProviderInfo>& ProviderInfo::all()
{
    // The provider table. Adding a provider: one row here, one Dialect (dialect.cpp's table) and its tests.
    static const QList<ProviderInfo> table = {
        {Provider::OpenAI, QStringLiteral("openai"), QStringLiteral("OpenAI"),
         QStringLiteral("https://api.openai.com/v1"), QStringLiteral("OPENAI_API_KEY"),
         QStringLiteral("OPENAI_BASE_URL"), QString(), true, false},
        {Provider::Azure, QStringLiteral("azure"), QStringLiteral("Azure OpenAI"), QString(),
         QStringLiteral("AZURE_OPENAI_API_KEY"), QStringLiteral("AZURE_OPENAI_ENDPOINT"),
         QStringLiteral("OPENAI_API_VERSION"), false, true},
        {Provider::Together, QStringLiteral("together"), QStringLiteral("Together AI"),
         QStringLiteral("https://api.together.ai/v1"), QStringLiteral("TOGETHER_API_KEY"), QString(), QString(), false,
         false},
        {Provider::Mistral, QStringLiteral("mistral"), QStringLiteral("Mistral AI"),
         QStringLiteral("https://api.mistral.ai/v1"), QStringLiteral("MISTRAL_API_KEY"), QString(), QString(), false,
         false},
        {Provider::Anthropic, QStringLiteral("anthropic"), QStringLiteral("Anthropic"),
         QStringLiteral("https://api.anthropic.com/v1"), QStringLiteral("ANTHROPIC_API_KEY"),
         QStringLiteral("ANTHROPIC_BASE_URL"), QString(), false, false},
    };
    return table;
}

const ProviderInfo& ProviderInfo::of(Provider provider)
{
    for (const ProviderInfo& info : all()) {
        if (info.provider == provider)
            return info;
    }
    return all().constFirst();
}

const ProviderInfo* ProviderInfo::byKey(QStringView key)
{
    for (const ProviderInfo& info : all()) {
        if (key.compare(info.key, Qt::CaseInsensitive) == 0)
            return &info;
    }
    return nullptr;
}

QString ProviderInfo::keys(QChar separator)
{
    QStringList list;
    for (const ProviderInfo& info : all())
        list << info.key;
    return list.join(separator);
}

QString jobKindKey(JobKind kind)
{
    return kind == JobKind::Batch ? QStringLiteral("batch") : QStringLiteral("fine-tuning");
}

JobKind jobKindByKey(QStringView key, bool* ok)
{
    for (const JobKind kind : allJobKinds()) {
        if (key.compare(jobKindKey(kind), Qt::CaseInsensitive) == 0) {
            if (ok)
                *ok = true;
            return kind;
        }
    }
    if (ok)
        *ok = false;
    return JobKind::FineTuning;
}

const QList<JobKind>& allJobKinds()
{
    static const QList<JobKind> kinds = {JobKind::FineTuning, JobKind::Batch};
    return kinds;
}
