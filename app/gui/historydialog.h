#pragma once

#include "auditlog.h"

#include <QDialog>
#include <memory>

namespace Ui {
class HistoryDialog;
}
class QSortFilterProxyModel;
class QStandardItemModel;

// The audit trail as a table: every cancel attempt, newest first, filterable across all columns, with export of
// the rows shown to CSV. Non-modal; refresh() reads the file again (the window calls it after each attempt).
class HistoryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryDialog)

public:
    // At most this many of the newest entries are loaded, so the table stays quick however old the trail.
    static constexpr int maxLoadedEntries = 10000;

    explicit HistoryDialog(const QString& auditPath, QWidget* parent = nullptr);
    ~HistoryDialog() override;

    void refresh();

private:
    enum Column {
        TimeColumn,
        JobIdColumn,
        OutcomeColumn,
        HttpColumn,
        RequestIdColumn,
        OrganizationColumn,
        ProjectColumn,
        HostColumn,
        AttemptsColumn,
        SourceColumn,
        ColumnCount
    };

    void fillModel();
    void updateSummary();
    void exportCsv();
    QList<AuditEntry> shownEntries() const;

    std::unique_ptr<Ui::HistoryDialog> m_ui;
    AuditLog m_audit;
    QStandardItemModel* m_model;
    QSortFilterProxyModel* m_proxy;
    AuditReadResult m_read; // entries in model row order: newest first
};
