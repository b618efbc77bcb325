#pragma once

#include <QPointer>
#include <QWidget>
#include <memory>

namespace Ui {
class LogPane;
}
class ActivityLog;
class LogView;

// The Log tab: the activity log as it grows (a LogView that keeps its newest line in view), with Copy all, Save log…
// (a file dialog that never blocks the window) and Clear log. message() is for the window's status bar.
class LogPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogPane)

public:
    explicit LogPane(QWidget* parent = nullptr);
    ~LogPane() override;

    void setLog(ActivityLog* log, int lineLimit);
    LogView* view() const;
    void copyLog();
    void saveLog();

signals:
    void message(const QString& text, int timeoutMs);

private:
    std::unique_ptr<Ui::LogPane> m_ui;
    QPointer<ActivityLog> m_log;
};
