#include "batchbar.h"

#include "cancelbatch.h"
#include "outputgate.h"
#include "ui_batchbar.h"

#include <QEvent>
#include <QTimer>

namespace {
constexpr int tickMs = 250;
} // namespace

BatchBar::BatchBar(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::BatchBar>()), m_tick(new QTimer(this))
{
    m_ui->setupUi(this);
    // A long rate limit holds the whole batch: until when, and the operator's choice, in the summary line's place
    // (a row of its own would not fit a 2x-scaled laptop screen with everything else shown).
    m_ui->rateLimitBar->hide();
    // One line, elided to its width; the whole text is its tooltip.
    m_ui->summaryLabel->installEventFilter(this);
    m_tick->setInterval(tickMs);
    connect(m_tick, &QTimer::timeout, this, &BatchBar::refresh);
    connect(m_ui->retryNowButton, &QPushButton::clicked, this, [this] {
        if (m_batch && m_batch->retryNow())
            emit message(tr("Retrying now."), 5000);
        refresh();
    });
    connect(m_ui->rateLimitStopButton, &QPushButton::clicked, this, &BatchBar::stopClicked);
    connect(m_ui->retryFailedButton, &QPushButton::clicked, this, &BatchBar::retryFailedClicked);
    // Check again: rows that ended "cancel requested" are read and watched again (never cancelled again).
    connect(m_ui->checkAgainButton, &QPushButton::clicked, this, &BatchBar::checkAgainClicked);
    connect(m_ui->clearJobsButton, &QPushButton::clicked, this, &BatchBar::clearClicked);
}

BatchBar::~BatchBar() = default;

void BatchBar::setBatch(CancelBatch* batch)
{
    m_batch = batch;
}

bool BatchBar::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->summaryLabel && event->type() == QEvent::Resize)
        m_ui->summaryLabel->setText(
            m_ui->summaryLabel->fontMetrics().elidedText(m_summary, Qt::ElideRight, m_ui->summaryLabel->width()));
    return QWidget::eventFilter(watched, event);
}

void BatchBar::runStarted()
{
    m_tookMs = -1;
    m_retryText.clear();
    if (m_batch && m_batch->isRunning())
        m_tick->start();
}

void BatchBar::runEnded()
{
    m_ui->rateLimitBar->hide();
    m_ui->summaryLabel->show();
    m_tick->stop();
    m_retryAt = QDeadlineTimer();
    m_retryText.clear();
    if (m_batch)
        m_tookMs = m_batch->elapsedMs();
}

void BatchBar::forgetRun()
{
    m_tookMs = -1;
}

void BatchBar::retryScheduled(const QString& jobId, int attempt, int maxAttempts, int delayMs, const QString& reason)
{
    m_retryAt.setRemainingTime(delayMs);
    m_retryText = tr("%1: attempt %2 of %3 next, because of: %4")
                      .arg(jobId)
                      .arg(attempt)
                      .arg(maxAttempts)
                      .arg(OutputGate::clean(reason, OutputGate::lineBytes));
}

void BatchBar::updateRateLimit()
{
    const bool paused = m_batch && m_batch->isPaused();
    if (paused) {
        const QString text = tr("Rate limited: the API asks to wait until %1. Nothing more is sent until then \u2014 "
                                "or until you press Retry now.")
                                 .arg(m_batch->rateLimitedUntilText());
        m_ui->rateLimitLabel->setText(
            tr("Rate limited until %1: nothing is sent").arg(m_batch->rateLimitedUntilText()));
        m_ui->rateLimitLabel->setToolTip(text.toHtmlEscaped());
        m_ui->rateLimitBar->setAccessibleDescription(text);
        emit message(text, 0);
    } else if (m_ui->rateLimitBar->isVisible()) {
        emit message(QString(), 0);
    }
    m_ui->rateLimitBar->setVisible(paused);
    m_ui->summaryLabel->setVisible(!paused);
}

void BatchBar::updateButtons(bool busy, bool setupChanged)
{
    const bool changed = m_batch && m_batch->rowCount() > 0 && setupChanged;
    const int retryable = m_batch && !busy ? int(m_batch->retryableRows().size()) : 0;
    m_ui->retryFailedButton->setEnabled(retryable > 0);
    m_ui->retryFailedButton->setToolTip(
        changed && retryable > 0
            ? tr("The account or the settings changed: the jobs are looked up again as it, and you confirm again")
            : tr("Send the cancels that failed, were stopped or had no answer once more, and look up again the jobs "
                 "whose look-up failed (%n in all)",
                 nullptr, retryable));
    const int checkable = m_batch && !busy ? int(m_batch->checkableRows().size()) : 0;
    m_ui->checkAgainButton->setEnabled(checkable > 0);
    m_ui->checkAgainButton->setToolTip(tr("Read again the %n job(s) whose cancel was requested but that had not "
                                          "stopped yet, and watch them until they stop; no cancel is sent again",
                                          nullptr, checkable));
    m_ui->clearJobsButton->setEnabled(!busy && m_batch && m_batch->rowCount() > 0);
}

bool BatchBar::canCheckAgain() const
{
    return m_ui->checkAgainButton->isEnabled();
}

QString BatchBar::checkAgainToolTip() const
{
    return m_ui->checkAgainButton->toolTip();
}

void BatchBar::showSummary(const QString& notSent)
{
    m_notSent = notSent;
    refresh();
}

void BatchBar::refresh()
{
    const QString text = summaryText();
    m_summary = text;
    m_ui->summaryLabel->setText(
        m_ui->summaryLabel->fontMetrics().elidedText(text, Qt::ElideRight, m_ui->summaryLabel->width()));
    m_ui->summaryLabel->setToolTip(text.toHtmlEscaped());
    m_ui->summaryLabel->setAccessibleDescription(text);
}

QString BatchBar::phaseText() const
{
    if (m_batch->isPaused()) // looking up or cancelling, everything is held alike
        return tr("Paused: rate limited until %1").arg(m_batch->rateLimitedUntilText());
    switch (m_batch->state()) {
    case CancelBatch::State::LookingUp:
        return tr("Looking up\u2026");
    case CancelBatch::State::AwaitingConfirmation:
        return tr("Waiting for your confirmation\u2026");
    case CancelBatch::State::Cancelling:
        return tr("Cancelling\u2026");
    case CancelBatch::State::Idle:
    case CancelBatch::State::Finished:
        break;
    }
    return QString();
}

QString BatchBar::summaryText() const
{
    if (!m_batch || m_batch->rowCount() == 0)
        return m_notSent.isEmpty() ? tr("Paste job ids (Ctrl+V) or select jobs in the list: each is looked up; "
                                        "nothing is cancelled before you confirm.")
                                   : m_notSent;
    QStringList parts;
    if (const QString phase = phaseText(); !phase.isEmpty())
        parts << phase;
    parts << m_batch->summary();
    if (m_batch->isRunning())
        parts << tr("%1 s").arg(m_batch->elapsedMs() / 1000);
    else if (m_tookMs >= 0)
        parts << tr("took %1 s").arg(qMax<qint64>(1, (m_tookMs + 999) / 1000));
    if (m_batch->isRunning() && !m_retryText.isEmpty() && !m_retryAt.hasExpired())
        parts << tr("retrying in %1 s (%2)").arg((m_retryAt.remainingTime() + 999) / 1000).arg(m_retryText);
    if (!m_notSent.isEmpty())
        parts << m_notSent;
    return parts.join(QStringLiteral(" \u00B7 "));
}
