#include "confirmdialog.h"

#include "cancelbatch.h"
#include "outputgate.h"
#include "providerfacts.h"
#include "statuscolors.h"
#include "ui_confirmdialog.h"

#include <QFontMetrics>
#include <QHash>
#include <QHeaderView>
#include <QPushButton>
#include <QSet>
#include <QTreeWidget>

#include <algorithm>

namespace {
constexpr int fieldChars = 200;
constexpr int maxRefusedListed = 20;

QString hostOf(const QUrl& url)
{
    return url.port() == -1 ? url.host() : QStringLiteral("%1:%2").arg(url.host()).arg(url.port());
}
} // namespace

ConfirmDialog::ConfirmDialog(const CancelBatch& batch, QWidget* parent, Kind kind)
    : QDialog(parent), m_ui(std::make_unique<Ui::ConfirmDialog>())
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("confirmDialog"));
    const ApiConfig& config = batch.config();
    const QList<int> rows = batch.cancellableRows();
    m_count = int(rows.size());

    const bool everything = kind == Kind::StopEverything;
    // Jobs the list showed as not finished whose id FtCancel will not send: named here, never sent.
    const QList<int> refused = everything ? batch.refusedIdRows() : QList<int>();
    showTitle(everything, !refused.isEmpty());
    m_ui->confirmAccountLabel->setText(accountLine(config));

    // "12 running, 3 queued · gpt-4o-mini ×10, gpt-4.1 ×5": counted by the batch, as the command line counts it.
    m_ui->confirmBreakdownLabel->setText(batch.breakdown(rows));
    m_ui->confirmBreakdownLabel->setVisible(!rows.isEmpty());
    showRefused(batch, refused);
    const JobRows listed = showJobs(batch, rows);
    showOtherOrganization(config, listed.otherOrganization);
    showProviderNote(config, listed);
    chooseDefault(everything, listed.otherOrganization);
    wordAction(batch);
    connect(m_ui->cancelJobsButton, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_ui->keepRunningButton, &QPushButton::clicked, this, &QDialog::reject);
}

void ConfirmDialog::showTitle(bool everything, bool someRefused)
{
    if (everything) {
        setWindowTitle(tr("Stop Everything Running?"));
        m_ui->confirmTitleLabel->setText(
            someRefused
                ? tr("Stop everything running: cancel the %n job(s) that can be sent? This cannot be undone.", nullptr,
                     m_count)
                : tr("Stop everything running: cancel all %n job(s) that have not finished? This cannot be undone.",
                     nullptr, m_count));
    } else {
        m_ui->confirmTitleLabel->setText(tr("Cancel %n job(s)? This cannot be undone.", nullptr, m_count));
    }
}

// The jobs listed as not finished whose id FtCancel will not send: named, never sent.
void ConfirmDialog::showRefused(const CancelBatch& batch, const QList<int>& refused)
{
    m_ui->refusedIdsLabel->setVisible(!refused.isEmpty());
    if (!refused.isEmpty()) {
        QStringList lines{tr("\u26A0 %n more job(s) listed as not finished will not be sent: the server listed an id "
                             "FtCancel will not send.",
                             nullptr, int(refused.size()))};
        for (int i = 0; i < refused.size() && i < maxRefusedListed; ++i) {
            const BatchItem& item = batch.item(refused.at(i));
            lines << tr("\u201C%1\u201D (%2, %3): %4")
                         .arg(item.id, OutputGate::clean(item.before().status, fieldChars),
                              OutputGate::clean(item.before().model, fieldChars), item.error().message);
        }
        if (refused.size() > maxRefusedListed)
            lines << tr("\u2026 and %n more (see Cancels).", nullptr, int(refused.size()) - maxRefusedListed);
        m_ui->refusedIdsLabel->setText(lines.join(u'\n'));
        QPalette flagged = m_ui->refusedIdsLabel->palette();
        flagged.setColor(QPalette::WindowText,
                         StatusColors::forCategory(Outcome::Category::Error, palette(), QPalette::Window));
        m_ui->refusedIdsLabel->setPalette(flagged);
    }
}

// One line per job to be cancelled (its model, its status as the API said it, its organization), flagged where its
// organization is not the configured one or its status is unknown to FtCancel.
ConfirmDialog::JobRows ConfirmDialog::showJobs(const CancelBatch& batch, const QList<int>& rows)
{
    const ApiConfig& config = batch.config();
    // A thousand jobs have a few models, statuses and organizations: each distinct text passes the gate once.
    QHash<QString, QString> gated;
    const auto clean = [&gated](const QString& text) {
        auto it = gated.constFind(text);
        if (it == gated.cend())
            it = gated.insert(text, OutputGate::clean(text, fieldChars));
        return *it;
    };
    JobRows listed;
    QList<QTreeWidgetItem*> items;
    items.reserve(rows.size());
    const QColor warning = StatusColors::forCategory(Outcome::Category::Warning, palette());
    for (const int row : rows) {
        const BatchItem& item = batch.item(row);
        if (!listed.kinds.contains(item.kind))
            listed.kinds << item.kind;
        QString organization = clean(item.before().organizationId);
        if (item.otherOrganization) {
            ++listed.otherOrganization;
            organization = tr("\u26A0 %1, not the configured one").arg(organization);
        }
        auto* entry = new QTreeWidgetItem(
            QStringList{item.id, clean(item.before().model), clean(item.before().status), organization});
        if (item.before().statusClass == StatusClass::Unknown) {
            // Shown as the API said it, flagged: FtCancel cancels it as a job that has not finished.
            listed.unknownStatuses << clean(item.before().status);
            entry->setForeground(2, warning);
            entry->setToolTip(2,
                              tr("A status unknown to FtCancel: the job is treated as not finished.").toHtmlEscaped());
        }
        if (item.otherOrganization) {
            entry->setForeground(3, warning);
            entry->setToolTip(3,
                              tr("This job belongs to another organization than %1.")
                                  .arg(OutputGate::clean(config.organization, fieldChars))
                                  .toHtmlEscaped());
        }
        items << entry;
    }
    m_ui->confirmJobsView->addTopLevelItems(items);
    fitColumns(items);
    return listed;
}

void ConfirmDialog::showOtherOrganization(const ApiConfig& config, int others)
{
    m_ui->otherOrganizationLabel->setVisible(others > 0);
    if (others > 0) {
        m_ui->otherOrganizationLabel->setText(
            tr("\u26A0 %n of these job(s) belong to another organization than the configured %1.", nullptr, others)
                .arg(OutputGate::clean(config.organization, fieldChars)));
        QPalette flagged = m_ui->otherOrganizationLabel->palette();
        flagged.setColor(QPalette::WindowText,
                         StatusColors::forCategory(Outcome::Category::Warning, palette(), QPalette::Window));
        m_ui->otherOrganizationLabel->setPalette(flagged);
    }
}

void ConfirmDialog::wordAction(const CancelBatch& batch)
{
    switch (batch.options().action) {
    case CancelBatch::Action::Cancel:
        return;
    case CancelBatch::Action::Pause:
        setWindowTitle(tr("Pause Jobs?"));
        m_ui->confirmTitleLabel->setText(
            tr("Pause %n job(s)? A paused job spends nothing until it is resumed.", nullptr, m_count));
        m_ui->cancelJobsButton->setText(tr("Pause %n job(s)", nullptr, m_count));
        return;
    case CancelBatch::Action::Resume:
        setWindowTitle(tr("Resume Jobs?"));
        m_ui->confirmTitleLabel->setText(
            tr("Resume %n job(s)? A resumed job trains, and is billed, again.", nullptr, m_count));
        m_ui->cancelJobsButton->setText(tr("Resume %n job(s)", nullptr, m_count));
        m_ui->keepRunningButton->setText(tr("Keep paused"));
        return;
    }
}

void ConfirmDialog::chooseDefault(bool everything, int others)
{
    m_ui->cancelJobsButton->setText(tr("Cancel %n job(s)", nullptr, m_count));
    if (everything) {
        m_ui->dontAskCheck->setChecked(false);
        m_ui->dontAskCheck->hide();
    }
    // Enter may cancel only what cannot surprise: one job, of the configured organization. For several jobs, any of
    // another organization, or everything running, Enter (and Escape) keep them running: only a deliberate click
    // (or Space on the button) cancels them.
    if (everything || m_count != 1 || others > 0) {
        m_ui->cancelJobsButton->setAutoDefault(false);
        m_ui->cancelJobsButton->setDefault(false);
        m_ui->keepRunningButton->setAutoDefault(true);
        m_ui->keepRunningButton->setDefault(true);
        m_ui->keepRunningButton->setFocus(Qt::OtherFocusReason);
        setTabOrder(m_ui->keepRunningButton, m_ui->cancelJobsButton);
    } else {
        m_ui->cancelJobsButton->setDefault(true);
        m_ui->cancelJobsButton->setFocus(Qt::OtherFocusReason);
    }
}

ConfirmDialog::~ConfirmDialog() = default;

// "Account: prod (OpenAI) · api.openai.com · organization org-… · project …": which account, by the name the operator
// gave it; organization and project only where the provider has them.
QString ConfirmDialog::accountLine(const ApiConfig& config)
{
    const ProviderInfo& provider = ProviderInfo::of(config.provider);
    const QString host = OutputGate::clean(hostOf(config.baseUrl), fieldChars);
    QString line = config.profileName.isEmpty()
        ? tr("Account: %1 \u00B7 %2").arg(provider.displayName, host)
        : tr("Account: %1 (%2) \u00B7 %3")
              .arg(OutputGate::clean(config.profileName, fieldChars), provider.displayName, host);
    if (provider.hasOrganization) {
        const QString none = tr("(none: the key's default)");
        line += tr(" \u00B7 organization %1 \u00B7 project %2")
                    .arg(config.organization.isEmpty() ? none : OutputGate::clean(config.organization, fieldChars),
                         config.project.isEmpty() ? none : OutputGate::clean(config.project, fieldChars));
    }
    return line;
}

// What the provider bills for a cancel, and the jobs whose status FtCancel does not know (cancelled all the same).
void ConfirmDialog::showProviderNote(const ApiConfig& config, const JobRows& listed)
{
    // What the provider says of a cancel of each kind of job asked about (a batch keeps its finished requests).
    QStringList lines;
    for (const JobKind kind : listed.kinds) {
        for (const QString& note : {ProviderFacts::cancelNote(config.provider, kind),
                                    ProviderFacts::afterCancelNote(config.provider, kind)}) {
            if (!note.isEmpty() && !lines.contains(note))
                lines << note;
        }
    }
    const QStringList& unknown = listed.unknownStatuses;
    if (!unknown.isEmpty()) {
        QStringList words = unknown;
        words.removeDuplicates();
        lines << tr("\u26A0 A status unknown to FtCancel for %n job(s) (%1): treated as not finished, and cancelled "
                    "too.",
                    nullptr, int(unknown.size()))
                     .arg(words.join(QStringLiteral(", ")));
    }
    m_ui->providerNoteLabel->setVisible(!lines.isEmpty());
    m_ui->providerNoteLabel->setText(lines.join(u'\n'));
    QPalette flagged = m_ui->providerNoteLabel->palette();
    flagged.setColor(QPalette::WindowText,
                     StatusColors::forCategory(Outcome::Category::Warning, palette(), QPalette::Window));
    m_ui->providerNoteLabel->setPalette(flagged);
}

void ConfirmDialog::fitColumns(const QList<QTreeWidgetItem*>& items)
{
    // Each column (the last one stretches) as wide as its widest text, every id whole. resizeColumnToContents lays
    // out every cell through the style, a quarter of the 45 ms the question took to appear for 1,000 jobs; here each
    // distinct text is measured once (a thousand jobs have a few models and statuses) and the view's own size hint of
    // the first row gives the margins around the text.
    QTreeWidget* view = m_ui->confirmJobsView;
    QHeaderView* header = view->header();
    if (items.isEmpty()) {
        for (int column = 0; column < view->columnCount() - 1; ++column)
            header->resizeSection(column, header->sectionSizeHint(column));
        return;
    }
    const QFontMetrics metrics(view->font());
    for (int column = 0; column < view->columnCount() - 1; ++column) {
        QSet<QString> measured;
        int widest = 0;
        for (const QTreeWidgetItem* item : items) {
            const QString text = item->text(column);
            if (measured.contains(text))
                continue;
            measured.insert(text);
            widest = std::max(widest, metrics.horizontalAdvance(text));
        }
        const QTreeWidgetItem* first = items.first();
        const int margins = view->sizeHintForIndex(view->indexFromItem(first, column)).width()
            - metrics.horizontalAdvance(first->text(column));
        // One pixel more: the style rounds the text's width up, the metrics to the nearest.
        header->resizeSection(column, std::max(widest + margins + 1, header->sectionSizeHint(column)));
    }
}

bool ConfirmDialog::dontAskAgain() const
{
    return m_ui->dontAskCheck->isVisibleTo(this) && m_ui->dontAskCheck->isChecked();
}
