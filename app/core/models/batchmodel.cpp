#include "batchmodel.h"

#include "cancelbatch.h"
#include "displaytext.h"
#include "outputgate.h"

#include <QDateTime>
#include <QLocale>
#include <QTimer>

#include <algorithm>

namespace {
constexpr int flushIntervalMs = 50;
} // namespace

BatchModel::BatchModel(QObject* parent) : QAbstractTableModel(parent), m_flushTimer(new QTimer(this))
{
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(flushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &BatchModel::flush);
}

BatchModel::~BatchModel() = default;

void BatchModel::setBatch(CancelBatch* batch)
{
    beginResetModel();
    if (m_batch)
        m_batch->disconnect(this);
    m_batch = batch;
    m_dirty.clear();
    if (m_batch) {
        connect(m_batch, &CancelBatch::rowsAboutToBeAdded, this,
                [this](int first, int last) { beginInsertRows(QModelIndex(), first, last); });
        connect(m_batch, &CancelBatch::rowsAdded, this, [this] { endInsertRows(); });
        connect(m_batch, &CancelBatch::aboutToClear, this, [this] {
            m_dirty.clear();
            beginResetModel();
        });
        connect(m_batch, &CancelBatch::cleared, this, [this] { endResetModel(); });
        connect(m_batch, &CancelBatch::itemChanged, this, &BatchModel::markDirty);
        connect(m_batch, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_dirty.clear();
            endResetModel();
        });
    }
    endResetModel();
}

int BatchModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_batch ? 0 : m_batch->rowCount();
}

int BatchModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString BatchModel::text(int row, int column) const
{
    if (!m_batch || row < 0 || row >= m_batch->rowCount())
        return QString();
    const BatchItem& item = m_batch->item(row);
    switch (column) {
    case IdColumn:
        return item.id;
    case StatusColumn: {
        const QString before = OutputGate::clean(item.before().status, 200);
        const QString after = OutputGate::clean(item.after().status, 200);
        QString text = before.isEmpty()          ? after
            : after.isEmpty() || after == before ? before
                                                 : QStringLiteral("%1 \u2192 %2").arg(before, after);
        // What the job is now, beside what the row saw of it (the outcome stays what it was).
        if (!item.seenStatus.isEmpty())
            text += QLatin1Char(' ') + tr("(now %1)").arg(OutputGate::clean(item.seenStatus, 200));
        return text;
    }
    case ModelColumn: {
        const FineTuningJob& job = item.before().model.isEmpty() ? item.after() : item.before();
        return OutputGate::clean(job.model, 200);
    }
    case CreatedColumn:
        return DisplayText::localTime(item.before().createdAt != 0 ? item.before().createdAt : item.after().createdAt);
    case FinishColumn: {
        const qint64 estimate = item.before().estimatedFinish;
        return estimate > 0 ? QStringLiteral("~") + DisplayText::localTime(estimate) : QString();
    }
    case OutcomeColumn: {
        QString label;
        if (!item.label.isEmpty())
            label = item.label; // "key rejected", "rate limited \u2014 waiting"
        else if (item.phase == BatchItem::Phase::Watching)
            label = tr("stopping\u2026");
        else if (item.phase == BatchItem::Phase::LookingUp)
            label = tr("looking up\u2026");
        else if (item.phase == BatchItem::Phase::Waiting)
            label = tr("waiting");
        else
            label = Outcome::label(item.outcome);
        if (item.otherOrganization)
            label += QLatin1Char(' ') + tr("(other organization)");
        return label;
    }
    case MessageColumn:
        return item.message;
    default:
        return QString();
    }
}

QVariant BatchModel::data(const QModelIndex& index, int role) const
{
    if (!m_batch || !index.isValid() || index.row() >= m_batch->rowCount())
        return QVariant();
    const BatchItem& item = m_batch->item(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return text(index.row(), index.column());
    case Qt::ToolTipRole: {
        QStringList lines;
        if (!item.message.isEmpty())
            lines << item.message;
        if (!item.warning.isEmpty())
            lines << item.warning;
        if (item.httpStatus != 0)
            lines << tr("HTTP %1").arg(item.httpStatus);
        if (!item.requestId.isEmpty())
            lines << tr("Request id: %1").arg(item.requestId);
        if (item.otherOrganization)
            lines
                << tr("Organization %1, not the configured one.").arg(OutputGate::clean(item.before().organizationId));
        return lines.isEmpty() ? QVariant() : QVariant(DisplayText::toolTip(lines.join(u'\n')));
    }
    case OutcomeRole:
        return int(item.outcome);
    case CategoryRole:
        if (item.phase == BatchItem::Phase::LookingUp || item.phase == BatchItem::Phase::Cancelling
            || item.phase == BatchItem::Phase::Watching)
            return int(Outcome::Category::Busy);
        return int(Outcome::category(item.outcome));
    case JobIdRole:
        return item.id;
    case SortRole:
        switch (index.column()) {
        case CreatedColumn:
            return item.before().createdAt;
        case FinishColumn:
            return item.before().estimatedFinish;
        case OutcomeColumn:
            return int(item.outcome);
        default:
            return text(index.row(), index.column());
        }
    case Qt::AccessibleTextRole:
        return text(index.row(), index.column());
    default:
        return QVariant();
    }
}

QVariant BatchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Job id");
    case StatusColumn:
        return tr("Status");
    case ModelColumn:
        return tr("Model");
    case CreatedColumn:
        return tr("Created");
    case FinishColumn:
        return tr("Finishes");
    case OutcomeColumn:
        return tr("Outcome");
    case MessageColumn:
        return tr("Details");
    default:
        return QVariant();
    }
}

void BatchModel::markDirty(int row)
{
    m_dirty.insert(row);
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void BatchModel::flush()
{
    if (m_dirty.isEmpty() || !m_batch)
        return;
    const auto [low, high] = std::minmax_element(m_dirty.cbegin(), m_dirty.cend());
    const int first = *low;
    const int last = qMin(*high, m_batch->rowCount() - 1);
    m_dirty.clear();
    if (first <= last)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

#include "moc_batchmodel.cpp"
