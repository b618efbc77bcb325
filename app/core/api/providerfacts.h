#pragma once

#include "provider.h"

#include <QList>
#include <QString>

// What the window shows about a provider's jobs, asked of its Dialect without the network headers the dialects need
// (the GUI never includes those). Each answer is the dialect's own.
namespace ProviderFacts {
// The job's page in the provider's dashboard; empty when the provider has none (the action is hidden, not broken).
QString dashboardUrl(Provider provider, const QString& jobId, JobKind kind = JobKind::FineTuning);
bool hasDashboard(Provider provider, JobKind kind = JobKind::FineTuning);
// What a confirmation must say before cancelling this provider's jobs of a kind (Together: the steps trained are
// billed).
QString cancelNote(Provider provider, JobKind kind = JobKind::FineTuning);
// What happens to a cancelled job of this kind besides (a batch keeps its partial output).
QString afterCancelNote(Provider provider, JobKind kind);
StatusClass statusClass(Provider provider, const QString& rawStatus, JobKind kind = JobKind::FineTuning);
// The kinds of job the provider runs.
QList<JobKind> kinds(Provider provider);
// Whether the provider pauses and resumes jobs of this kind.
bool canPause(Provider provider, JobKind kind);
// What a refused pause (400/409) means for the provider, in plain words (Azure: only a running job that has trained
// a step pauses); empty when nothing more than the API's own words.
QString pauseRefusedNote(Provider provider);
} // namespace ProviderFacts
