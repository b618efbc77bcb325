#include "detailspane.h"

#include "accountjobsproxymodel.h"
#include "batchmodel.h"
#include "cancelbatch.h"
#include "displaytext.h"
#include "jobid.h"
#include "outputgate.h"
#include "providerfacts.h"
#include "statuscolors.h"
#include "ui_detailspane.h"

#include <QLocale>

namespace {
constexpr int fieldChars = 200;

QString field(const QString& text)
{
    return OutputGate::clean(text, fieldChars);
}

// "HTTP 409 · Request id: req_… · 2 attempts", or nothing.
QString httpLine(const BatchItem& item)
{
    QStringList http;
    if (item.httpStatus != 0)
        http << DetailsPane::tr("HTTP %1").arg(item.httpStatus);
    if (!item.requestId.isEmpty())
        http << DetailsPane::tr("Request id: %1").arg(item.requestId);
    if (item.attempts > 1)
        http << DetailsPane::tr("%n attempt(s)", nullptr, item.attempts);
    return http.join(QStringLiteral(" \u00B7 "));
}
} // namespace

DetailsPane::DetailsPane(QWidget* parent) : QWidget(parent), m_ui(std::make_unique<Ui::DetailsPane>())
{
    m_ui->setupUi(this);
    QFont headline = m_ui->statusLabel->font();
    headline.setBold(true);
    headline.setPointSizeF(headline.pointSizeF() * 1.25);
    m_ui->statusLabel->setFont(headline);
    // The details read as part of the tab, not as a box inside it.
    m_ui->detailsScroll->viewport()->setAutoFillBackground(false);
    m_ui->detailsContents->setAutoFillBackground(false);
    connect(m_ui->copyIdButton, &QPushButton::clicked, this, &DetailsPane::copyIdClicked);
    connect(m_ui->openDashboardButton, &QPushButton::clicked, this, &DetailsPane::openDashboardClicked);
}

DetailsPane::~DetailsPane() = default;

void DetailsPane::setMinimumContentHeight(int height)
{
    m_ui->detailsScroll->setMinimumHeight(height);
}

void DetailsPane::setJobActions(bool hasJob, bool hasDashboard)
{
    for (QPushButton* button : {m_ui->copyIdButton, m_ui->openDashboardButton})
        button->setEnabled(hasJob);
    // A provider without dashboard links: the button is hidden, not broken.
    m_ui->openDashboardButton->setVisible(hasDashboard);
}

void DetailsPane::showNothing()
{
    // setText, not clear(): clear() lays the details out again and repaints them even when they were empty, and this
    // runs for every answer of a batch.
    m_ui->statusLabel->setText(QString());
    m_ui->statusDetailsLabel->setText(tr("Select a job to see its details."));
}

void DetailsPane::showBatchRow(const CancelBatch& batch, const BatchModel& model, int row, const QString& notSent)
{
    const BatchItem& item = batch.item(row);
    const auto text = [&model, row](int column) {
        return model.text(row, column);
    };
    // What happened first (the reason for a failure above all), then the facts.
    QStringList lines;
    if (!item.message.isEmpty())
        lines << item.message;
    if (!item.warning.isEmpty())
        lines << item.warning;
    if (item.phase == BatchItem::Phase::Waiting && !notSent.isEmpty())
        lines << notSent;
    if (!lines.isEmpty())
        lines << QString();
    lines << (item.kind == JobKind::Batch ? tr("Batch: %1") : tr("Job: %1")).arg(item.id);
    if (const QString status = text(BatchModel::StatusColumn); !status.isEmpty())
        lines << tr("Status: %1").arg(status);
    if (const QString counts
        = item.after().requestCounts.isEmpty() ? item.before().requestCounts : item.after().requestCounts;
        !counts.isEmpty())
        lines << tr("Requests: %1").arg(field(counts));
    if (const QString name = text(BatchModel::ModelColumn); !name.isEmpty())
        lines << tr("Model: %1").arg(name);
    if (const QString created = text(BatchModel::CreatedColumn); !created.isEmpty())
        lines << tr("Created: %1").arg(created);
    if (const QString finish = text(BatchModel::FinishColumn); !finish.isEmpty())
        lines << tr("Estimated finish: %1").arg(finish);
    const FineTuningJob& job = item.before().organizationId.isEmpty() ? item.after() : item.before();
    if (!job.organizationId.isEmpty()) {
        QString organization = tr("Organization: %1").arg(field(job.organizationId));
        if (item.otherOrganization)
            organization += QLatin1Char(' ') + tr("(not the configured %1)").arg(field(batch.config().organization));
        lines << organization;
    }
    if (const QString http = httpLine(item); !http.isEmpty())
        lines << http;
    m_ui->statusDetailsLabel->setText(lines.join(u'\n'));
    setHeadline(text(BatchModel::OutcomeColumn),
                Outcome::Category(model.data(model.index(row, 0), BatchModel::CategoryRole).toInt()));
}

void DetailsPane::showListedJob(const FineTuningJob& job, Provider provider, const QString& configuredOrganization)
{
    // Every field the list has of the job, each through the gate: it all came from the server.
    QStringList lines;
    lines << (job.kind == JobKind::Batch ? tr("Batch: %1") : tr("Job: %1")).arg(field(job.id));
    lines << tr("Status: %1").arg(field(job.status));
    if (!job.requestCounts.isEmpty())
        lines << tr("Requests: %1").arg(field(job.requestCounts));
    if (!job.model.isEmpty())
        lines << tr("Model: %1").arg(field(job.model));
    if (!job.fineTunedModel.isEmpty())
        lines << tr("Fine-tuned model: %1").arg(field(job.fineTunedModel));
    if (job.createdAt > 0)
        lines << tr("Created: %1").arg(DisplayText::localTime(job.createdAt));
    if (job.estimatedFinish > 0)
        lines << tr("Estimated finish: ~%1").arg(DisplayText::localTime(job.estimatedFinish));
    if (job.finishedAt > 0)
        lines << tr("Finished: %1").arg(DisplayText::localTime(job.finishedAt));
    if (job.trainedTokens >= 0)
        lines << tr("Trained tokens: %1").arg(QLocale().toString(job.trainedTokens));
    if (!job.organizationId.isEmpty()) {
        QString organization = tr("Organization: %1").arg(field(job.organizationId));
        if (!configuredOrganization.isEmpty() && configuredOrganization != job.organizationId)
            organization += QLatin1Char(' ') + tr("(not the configured %1)").arg(field(configuredOrganization));
        lines << organization;
    }
    if (!job.suffix.isEmpty())
        lines << tr("Suffix: %1").arg(field(job.suffix));
    if (!job.metadata.isEmpty())
        lines << tr("Metadata: %1").arg(OutputGate::clean(job.metadata, OutputGate::fieldBytes));
    if (!job.errorMessage.isEmpty())
        lines << tr("Error: %1").arg(OutputGate::clean(job.errorMessage, OutputGate::lineBytes));
    if (const QString url = ProviderFacts::dashboardUrl(provider, job.id, job.kind);
        !url.isEmpty() && JobId::parse(job.id, provider, job.kind).isValid())
        lines << tr("Dashboard: %1").arg(url);
    m_ui->statusDetailsLabel->setText(lines.join(u'\n'));
    setHeadline(job.status.isEmpty() ? tr("(no status)") : field(job.status),
                AccountJobsProxyModel::categoryOf(job.statusClass));
}

void DetailsPane::setHeadline(const QString& text, Outcome::Category category)
{
    m_ui->statusLabel->setText(text);
    QPalette colored;
    colored.setColor(QPalette::WindowText, StatusColors::forCategory(category, palette(), QPalette::Window));
    m_ui->statusLabel->setPalette(colored);
}
