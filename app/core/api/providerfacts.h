#pragma once

#include "provider.h"

#include <QString>

// What the window shows about a provider's jobs, asked of its Dialect without the network headers the dialects need
// (the GUI never includes those). Each answer is the dialect's own.
namespace ProviderFacts {
// The job's page in the provider's dashboard; empty when the provider has none (the action is hidden, not broken).
QString dashboardUrl(Provider provider, const QString& jobId);
bool hasDashboard(Provider provider);
// What a confirmation must say before cancelling this provider's jobs (Together: the steps trained are billed).
QString cancelNote(Provider provider);
StatusClass statusClass(Provider provider, const QString& rawStatus);
} // namespace ProviderFacts
