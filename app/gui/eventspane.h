#pragma once

#include "activitylog.h"
#include "apiconfig.h"
#include "outcome.h"

#include <QPointer>
#include <QWidget>
#include <memory>

namespace Ui {
class EventsPane;
}
class EventLister;
class QTreeWidgetItem;

// The Events tab: one job's events as the API lists them, newest first (an EventLister reads them, a page at a
// time), each with its time, its level as a word coloured from the palette (StatusColors), and its message
// through the output gate. "Load older" reads the next page after the oldest shown while the job has more;
// "Reload" reads the newest again. Showing another job stops the read under way for the one before.
class EventsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsPane)

public:
    static constexpr int eventsPerRead = 100; // one API page

    explicit EventsPane(QWidget* parent = nullptr);
    ~EventsPane() override;

    void setLog(ActivityLog* log) { m_log = log; }
    // Reads the events of jobId as config's account, unless they are shown (or being read) already; an empty or
    // invalid id clears the pane.
    void showJob(const ApiConfig& config, const QString& jobId, JobKind kind = JobKind::FineTuning);
    void reload();
    void loadOlder();
    void clear();
    QString jobId() const { return m_jobId; }
    bool isReading() const;

    static Outcome::Category categoryOf(const QString& level);

protected:
    void changeEvent(QEvent* event) override;

private:
    void start();
    void onFinished();
    void colorItem(QTreeWidgetItem* item) const;
    void applyColors();
    void updateButtons();

    std::unique_ptr<Ui::EventsPane> m_ui;
    QPointer<ActivityLog> m_log;
    QPointer<EventLister> m_lister;
    ApiConfig m_config;
    QString m_jobId;
    JobKind m_jobKind = JobKind::FineTuning;
};
