#pragma once

#include "outcome.h"
#include "provider.h"

#include <QPalette>
#include <QSortFilterProxyModel>

#include <optional>

// The jobs view's view of a JobsModel: keeps the rows of one status group (all, active, finished, or one status)
// whose shown text contains the filter text, sorts by JobsModel::SortRole once a column is clicked (until then the
// model's own order: active first, then newest), and colours the status column by what the status means (its
// StatusClass, JobsModel::StatusClassRole: never the provider's word), with StatusColors for the palette it is given
// (the view's). The word in the cell (the raw status) says the same as the colour; a status unknown to FtCancel also
// says in its tooltip that the job is taken as not finished.
class AccountJobsProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountJobsProxyModel)

public:
    enum class Group { All, Active, Finished, Status };

    explicit AccountJobsProxyModel(QObject* parent = nullptr);
    ~AccountJobsProxyModel() override;

    // status: the raw status, for Group::Status.
    void setGroup(Group group, const QString& status = QString());
    Group group() const { return m_group; }
    QString status() const { return m_status; }
    // Rows whose id, status, model, fine-tuned model or suffix / metadata (as shown) contain it, any case.
    void setText(const QString& text);
    // Only jobs of this kind; nullopt: both kinds.
    void setKind(std::optional<JobKind> kind);
    std::optional<JobKind> kind() const { return m_kind; }
    void setPalette(const QPalette& palette);

    // How a status class reads: active busy; succeeded a success; failed an error; stopping, paused and unknown a
    // warning (an unknown status is not finished: it may still spend); cancelled neutral.
    static Outcome::Category categoryOf(StatusClass statusClass);
    // "The status “X” is unknown to FtCancel: …", for a tooltip; shownStatus is the status as shown (gated).
    static QString unknownStatusNote(const QString& shownStatus);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    Group m_group = Group::All;
    QString m_status;
    QString m_text;
    std::optional<JobKind> m_kind;
    QPalette m_palette;
};
