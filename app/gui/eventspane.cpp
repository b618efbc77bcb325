#include "eventspane.h"

#include "activitylog.h"
#include "displaytext.h"
#include "eventlister.h"
#include "jobid.h"
#include "outputgate.h"
#include "statuscolors.h"
#include "ui_eventspane.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLocale>
#include <QTimer>

namespace {
constexpr int levelRole = Qt::UserRole + 1; // the raw level, for the colour

bool sameAccount(const ApiConfig& a, const ApiConfig& b)
{
    return a.baseUrl == b.baseUrl && a.apiKey == b.apiKey && a.organization == b.organization && a.project == b.project;
}
} // namespace

EventsPane::EventsPane(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::EventsPane>())
{
    m_ui->setupUi(this);
    QTreeWidget* view = m_ui->eventsView;
    const QFontMetrics metrics(view->font());
    const int padding = metrics.horizontalAdvance(QStringLiteral("MM"));
    view->setColumnWidth(0, metrics.horizontalAdvance(QStringLiteral("2024-12-31 23:59:59")) + padding);
    view->setColumnWidth(1, metrics.horizontalAdvance(QStringLiteral("warning")) + padding);
    view->setMinimumHeight(2 * metrics.lineSpacing()); // a 2x-scaled laptop screen has room for little more
    connect(m_ui->loadOlderEventsButton, &QPushButton::clicked, this, &EventsPane::loadOlder);
    connect(m_ui->reloadEventsButton, &QPushButton::clicked, this, &EventsPane::reload);
    clear();
}

EventsPane::~EventsPane()
{
    if (m_lister)
        m_lister->disconnect(this);
}

bool EventsPane::isReading() const
{
    return m_lister && m_lister->isRunning();
}

Outcome::Category EventsPane::categoryOf(const QString& level)
{
    if (level == QLatin1String("error"))
        return Outcome::Category::Error;
    if (level == QLatin1String("warn") || level == QLatin1String("warning"))
        return Outcome::Category::Warning;
    return Outcome::Category::Neutral;
}

void EventsPane::clear()
{
    if (m_lister) {
        m_lister->disconnect(this);
        m_lister->abort();
        m_lister->deleteLater();
        m_lister = nullptr;
    }
    m_jobId.clear();
    m_ui->eventsView->clear();
    m_ui->eventsStatusLabel->setText(tr("Select a job to see its events."));
    updateButtons();
}

void EventsPane::showJob(const ApiConfig& config, const QString& jobId, JobKind kind)
{
    const JobId::Parsed parsed = JobId::parse(jobId, config.provider, kind);
    if (!parsed.isValid()) {
        clear();
        return;
    }
    if (parsed.id == m_jobId && parsed.kind == m_jobKind && sameAccount(config, m_config))
        return;
    clear();
    m_config = config;
    m_jobId = parsed.id;
    m_jobKind = parsed.kind;
    start();
}

void EventsPane::reload()
{
    if (m_jobId.isEmpty())
        return;
    const QString id = m_jobId;
    clear();
    m_jobId = id;
    start();
}

void EventsPane::start()
{
    if (const QString problem = m_config.problem(); !problem.isEmpty()) {
        m_ui->eventsStatusLabel->setText(
            tr("Events not read: %1").arg(OutputGate::clean(problem, OutputGate::lineBytes)));
        updateButtons();
        return;
    }
    m_lister = new EventLister(m_config, m_log, this);
    connect(m_lister, &EventLister::finished, this, &EventsPane::onFinished);
    m_ui->eventsStatusLabel->setText(tr("Reading the events of %1\u2026").arg(m_jobId));
    m_lister->start(JobId::parse(m_jobId, m_config.provider, m_jobKind), eventsPerRead);
    updateButtons();
}

void EventsPane::loadOlder()
{
    if (!m_lister || m_lister->isRunning() || !m_lister->hasMore())
        return;
    m_ui->eventsStatusLabel->setText(tr("Reading older events\u2026"));
    m_lister->loadMore(eventsPerRead);
    updateButtons();
}

void EventsPane::onFinished()
{
    if (!m_lister)
        return;
    // The lister keeps what it read before; only the events after those shown are new.
    const QList<JobEvent>& events = m_lister->events();
    QTreeWidget* view = m_ui->eventsView;
    QList<QTreeWidgetItem*> items;
    for (qsizetype i = view->topLevelItemCount(); i < events.size(); ++i) {
        const JobEvent& event = events.at(i);
        const QString when = event.createdAt > 0 ? QDateTime::fromSecsSinceEpoch(event.createdAt)
                                                       .toLocalTime()
                                                       .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                                 : QString();
        const QString level = event.level.isEmpty() ? tr("(none)") : OutputGate::clean(event.level, 40);
        auto* item
            = new QTreeWidgetItem(QStringList{when, level, OutputGate::clean(event.message, OutputGate::lineBytes)});
        item->setData(1, levelRole, event.level);
        item->setToolTip(2, DisplayText::toolTip(event.message));
        colorItem(item);
        items << item;
    }
    view->addTopLevelItems(items);
    const int shown = view->topLevelItemCount();
    QString text = shown == 0 ? tr("No events.") : tr("%n event(s), newest first", nullptr, shown);
    if (m_lister->hasMore())
        text += QStringLiteral(" \u00B7 ") + tr("older ones not read yet");
    if (m_lister->error().isError())
        text += QStringLiteral(" \u00B7 ")
            + tr("reading failed: %1").arg(OutputGate::clean(m_lister->error().message, OutputGate::lineBytes));
    m_ui->eventsStatusLabel->setText(text);
    updateButtons();
}

void EventsPane::colorItem(QTreeWidgetItem* item) const
{
    const Outcome::Category category = categoryOf(item->data(1, levelRole).toString());
    item->setForeground(1, StatusColors::forCategory(category, m_ui->eventsView->palette()));
    if (category != Outcome::Category::Neutral)
        item->setForeground(2, StatusColors::forCategory(category, m_ui->eventsView->palette()));
}

void EventsPane::applyColors()
{
    QTreeWidget* view = m_ui->eventsView;
    for (int i = 0; i < view->topLevelItemCount(); ++i)
        colorItem(view->topLevelItem(i));
}

void EventsPane::updateButtons()
{
    const bool reading = isReading();
    m_ui->loadOlderEventsButton->setEnabled(m_lister && !reading && m_lister->hasMore());
    m_ui->reloadEventsButton->setEnabled(!m_jobId.isEmpty() && !reading);
}

void EventsPane::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        QTimer::singleShot(0, this, &EventsPane::applyColors);
}
