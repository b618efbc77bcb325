#pragma once

#include "finetuningjob.h"
#include "outcome.h"
#include "provider.h"

#include <QWidget>
#include <memory>

namespace Ui {
class DetailsPane;
}
class BatchModel;
class CancelBatch;

// The Details tab: what the window knows of one job, the row of the Cancels table (what became of it first, then the
// facts the look-up, the cancel and the watch saw) or a job of the account's list (every field the list read), each
// through the output gate; the outcome or status on top, coloured from the palette. Its two buttons only ask:
// copyIdClicked() and openDashboardClicked() are the window's to act on, as the actions of the same names are.
class DetailsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailsPane)

public:
    explicit DetailsPane(QWidget* parent = nullptr);
    ~DetailsPane() override;

    // "Select a job to see its details."
    void showNothing();
    // Row row of batch, as model shows it; notSent is why the last start sent nothing (shown for a waiting row).
    void showBatchRow(const CancelBatch& batch, const BatchModel& model, int row, const QString& notSent);
    // A job of the account's list; configuredOrganization is the organization requests go as.
    void showListedJob(const FineTuningJob& job, Provider provider, const QString& configuredOrganization);
    // Whether there is a job to copy or open, and whether the provider has a dashboard to open it in.
    void setJobActions(bool hasJob, bool hasDashboard);
    void setMinimumContentHeight(int height);

signals:
    void copyIdClicked();
    void openDashboardClicked();

private:
    void setHeadline(const QString& text, Outcome::Category category);

    std::unique_ptr<Ui::DetailsPane> m_ui;
};
