#include "everywheredialog.h"

#include "outputgate.h"
#include "statuscolors.h"
#include "ui_everywheredialog.h"

#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidgetItem>

EverywhereDialog::EverywhereDialog(const StopEverywhere& sweep, QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::EverywhereDialog>())
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("everywhereDialog"));
    const int total = sweep.toCancelCount();
    int withJobs = 0;
    QTreeWidget* view = m_ui->everywhereJobsView;
    const QColor warning = StatusColors::forCategory(Outcome::Category::Warning, palette());
    for (const StopEverywhere::Account& account : sweep.accounts()) {
        const QString name = QStringLiteral("%1 \u00B7 %2 \u00B7 %3")
                                 .arg(OutputGate::clean(account.config.profileName, 100),
                                      ProviderInfo::of(account.config.provider).displayName,
                                      OutputGate::clean(account.config.baseUrl.host(), 200));
        auto* group = new QTreeWidgetItem(view);
        if (!account.readable()) {
            group->setText(0, tr("%1: not read, nothing of it will be cancelled").arg(name));
            group->setToolTip(0, account.whyNotRead().toHtmlEscaped());
            group->setForeground(0, warning);
            auto* why = new QTreeWidgetItem(group, QStringList{account.whyNotRead()});
            why->setForeground(0, warning);
            continue;
        }
        const QList<FineTuningJob> jobs = account.toCancel();
        withJobs += jobs.isEmpty() ? 0 : 1;
        group->setText(0, tr("%1: %n job(s) not finished", nullptr, int(jobs.size())).arg(name));
        for (const FineTuningJob& job : jobs) {
            new QTreeWidgetItem(group,
                                QStringList{OutputGate::clean(job.id, 200),
                                            job.kind == JobKind::Batch ? tr("Batch") : tr("Fine-tuning"),
                                            OutputGate::clean(job.status, 100), OutputGate::clean(job.model, 200)});
        }
        if (const QString capped = account.decided->capWarning(tr("Settings \u2192 Jobs list")); !capped.isEmpty())
            new QTreeWidgetItem(group, QStringList{capped});
    }
    view->expandAll();
    view->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->everywhereTitleLabel->setText(total == 0
                                            ? tr("Nothing is running in the profiles that could be read.")
                                            : tr("Cancel %n job(s) in %1 profile(s)?", nullptr, total).arg(withJobs));
    const int unreadable = sweep.unreadableCount();
    m_ui->everywhereNoteLabel->setVisible(unreadable > 0);
    m_ui->everywhereNoteLabel->setText(
        tr("%n profile(s) could not be read: nothing of them is cancelled; the others go on.", nullptr, unreadable));
    m_ui->cancelJobsButton->setText(tr("Cancel %n job(s)", nullptr, total));
    m_ui->cancelJobsButton->setEnabled(total > 0);
    m_ui->keepRunningButton->setFocus();
    connect(m_ui->cancelJobsButton, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_ui->keepRunningButton, &QPushButton::clicked, this, &QDialog::reject);
}

EverywhereDialog::~EverywhereDialog() = default;
