#pragma once

#include <QDeadlineTimer>
#include <QPointer>
#include <QWidget>
#include <memory>

namespace Ui {
class BatchBar;
}
class CancelBatch;
class QTimer;

// The line under the jobs tables: what the window's CancelBatch is doing in one line (its phase, its counts, the time
// it runs or took, a retry's countdown, why nothing was sent), elided to its width with the whole text as tooltip;
// while a long rate limit holds the batch, "Rate limited until …" with Retry now and Stop in its place; and the
// batch's buttons. Retry now is its own (the batch retries at once); retryFailedClicked(), checkAgainClicked(),
// clearClicked() and stopClicked() are the window's to act on; message() is for its status bar (an empty text clears
// it).
class BatchBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchBar)

public:
    explicit BatchBar(QWidget* parent = nullptr);
    ~BatchBar() override;

    void setBatch(CancelBatch* batch);
    // Shows the summary again; notSent is why the last start sent nothing (kept for the refreshes while it runs).
    void showSummary(const QString& notSent);
    // A run began: its time is counted and shown until runEnded().
    void runStarted();
    void runEnded();
    // The rows went: no "took … s" any more.
    void forgetRun();
    void retryScheduled(const QString& jobId, int attempt, int maxAttempts, int delayMs, const QString& reason);
    // The rate-limit line instead of the summary while the batch is paused by one.
    void updateRateLimit();
    // busy: the batch runs or waits for its confirmation; setupChanged: the account or the settings changed since the
    // batch was made (Retry failed then looks the jobs up again).
    void updateButtons(bool busy, bool setupChanged);
    bool canCheckAgain() const;
    QString checkAgainToolTip() const;

signals:
    void retryFailedClicked();
    void checkAgainClicked();
    void clearClicked();
    void stopClicked();
    void message(const QString& text, int timeoutMs);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QString summaryText() const;
    QString phaseText() const;
    void refresh();

    std::unique_ptr<Ui::BatchBar> m_ui;
    QPointer<CancelBatch> m_batch;
    QTimer* m_tick; // elapsed time and retry countdown while a batch runs
    QDeadlineTimer m_retryAt;
    QString m_retryText; // "ftjob-…: attempt 2 of 3: HTTP 500"
    QString m_notSent;
    QString m_summary; // the summary line, whole (the label shows it elided)
    qint64 m_tookMs = -1; // how long the last run took, once it finished
};
