// CancelBatch: the rows counted in words — the breakdown a confirmation shows and the summary of a run.

#include "cancelbatch.h"

#include "outputgate.h"

#include <algorithm>
#include <numeric>

namespace {
constexpr int breakdownEntries = 6; // statuses, and models, named in a confirmation before "others"
} // namespace

QString CancelBatch::breakdown(const QList<int>& rows) const
{
    // Counted as shown (through the gate), in order of first appearance for ties.
    QList<QPair<QString, int>> statuses;
    QList<QPair<QString, int>> models;
    const auto count = [](QList<QPair<QString, int>>& counts, const QString& name) {
        for (auto& entry : counts) {
            if (entry.first == name) {
                ++entry.second;
                return;
            }
        }
        counts.append({name, 1});
    };
    for (const int row : rows) {
        if (row < 0 || row >= rowCount())
            continue;
        const BatchItem& item = m_items.at(row);
        count(statuses, item.status().isEmpty() ? tr("no status") : OutputGate::clean(item.status(), 100));
        const FineTuningJob& job = item.before().model.isEmpty() ? item.after() : item.before();
        count(models, job.model.isEmpty() ? tr("no model") : OutputGate::clean(job.model, 100));
    }
    const auto byCount = [](const QPair<QString, int>& a, const QPair<QString, int>& b) {
        return a.second > b.second;
    };
    std::stable_sort(statuses.begin(), statuses.end(), byCount);
    std::stable_sort(models.begin(), models.end(), byCount);
    QStringList statusParts;
    QStringList modelParts;
    int otherStatuses = 0;
    int otherModels = 0;
    for (int i = 0; i < statuses.size(); ++i) {
        if (i < breakdownEntries)
            statusParts << QStringLiteral("%1 %2").arg(statuses.at(i).second).arg(statuses.at(i).first);
        else
            otherStatuses += statuses.at(i).second;
    }
    for (int i = 0; i < models.size(); ++i) {
        if (i < breakdownEntries)
            modelParts << QStringLiteral("%1 \u00D7%2").arg(models.at(i).first).arg(models.at(i).second);
        else
            otherModels += models.at(i).second;
    }
    if (otherStatuses > 0)
        statusParts << tr("%n in other statuses", nullptr, otherStatuses);
    if (otherModels > 0)
        modelParts << tr("other models \u00D7%1").arg(otherModels);
    if (statusParts.isEmpty())
        return QString();
    return QStringLiteral("%1 \u00B7 %2")
        .arg(statusParts.join(QStringLiteral(", ")), modelParts.join(QStringLiteral(", ")));
}

QList<Outcome::Kind> CancelBatch::outcomes() const
{
    QList<Outcome::Kind> list;
    list.reserve(m_items.size());
    for (const BatchItem& item : m_items)
        list << item.outcome;
    return list;
}

int CancelBatch::count(Outcome::Kind kind) const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(),
                             [kind](const BatchItem& item) { return item.outcome == kind; }));
}

QString CancelBatch::summary() const
{
    QList<int> rows(rowCount());
    std::iota(rows.begin(), rows.end(), 0);
    return summary(rows);
}

QString CancelBatch::summary(const QList<int>& rows) const
{
    QHash<int, int> counts;
    for (const int row : rows) {
        if (row >= 0 && row < rowCount())
            ++counts[int(m_items.at(row).outcome)];
    }
    QStringList parts;
    for (const Outcome::Kind kind :
         {Outcome::Cancelled, Outcome::StillStopping, Outcome::AlreadyFinished, Outcome::NotFound, Outcome::Refused,
          Outcome::RateLimited, Outcome::Failed, Outcome::Unknown, Outcome::Stopped, Outcome::NotSent,
          Outcome::RefusedId, Outcome::WouldCancel, Outcome::Pending}) {
        const int n = counts.value(int(kind));
        if (n > 0)
            parts << QStringLiteral("%1 %2").arg(n).arg(Outcome::label(kind));
    }
    if (!parts.isEmpty() && isKeyRejected())
        parts << tr("the API rejected the key");
    return parts.isEmpty() ? tr("No jobs.") : parts.join(QStringLiteral(", "));
}
