#pragma once

#include "auditlog.h"

#include <QDialog>
#include <QFuture>
#include <QFutureWatcher>
#include <memory>

namespace Ui {
class HistoryDialog;
}

// The audit trail as a table: every cancel attempt, newest first, filterable across all columns and by profile and
// provider, with export of
// the rows shown to CSV. Non-modal; refresh() reads the file again (the window calls it after each attempt).
// The file is read, and the rows made, in the thread pool, so a trail of any size never freezes the window: the
// dialog says "Loading…" until loaded() is emitted with the rows in place.
class HistoryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryDialog)

public:
    // At most this many of the newest entries are loaded, so the table stays quick however old the trail.
    static constexpr int maxLoadedEntries = 10000;

    explicit HistoryDialog(const QString& auditPath, QWidget* parent = nullptr);
    ~HistoryDialog() override;

    // Starts reading the file again. While a read is running this only asks for one more read after it (the
    // file may have grown since it started), so calls in quick succession never pile up work.
    void refresh();
    bool isLoading() const { return m_loading; }

signals:
    // A read has ended and its rows are shown.
    void loaded();

private:
    struct Loaded; // a read and the table rows made from it
    class TableModel;
    class Proxy;

    static std::shared_ptr<const Loaded> makeRows(const AuditReadResult& read);
    void onLoaded();
    void fillAccountFilters();
    void showRows();
    void updateSummary();
    void exportCsv();
    QList<AuditEntry> shownEntries() const;

    std::unique_ptr<Ui::HistoryDialog> m_ui;
    AuditLog m_audit;
    TableModel* m_model;
    Proxy* m_proxy;
    QFuture<AuditReadResult> m_reading; // kept to cancel it when the dialog goes
    QFutureWatcher<std::shared_ptr<const Loaded>>* m_loader;
    bool m_loading = false;
    bool m_reloadWanted = false;
    std::shared_ptr<const Loaded> m_loaded; // what the table shows; never null
};
