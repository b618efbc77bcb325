// MainWindow: "stop everything in every profile" — every saved profile's key and jobs, one question grouped by
// profile and provider (Keep running is the default), then a cancel batch per account, each with its own key.

#include "mainwindow.h"

#include "activitylog.h"
#include "appsettings.h"
#include "everyaccount.h"
#include "everywheredialog.h"
#include "ui_mainwindow.h"

#include <QStatusBar>

void MainWindow::stopEverywhere()
{
    if (batchBusy() || m_everywhere) {
        statusBar()->showMessage(tr("Jobs are being looked up or cancelled: wait until they are done, or press Stop."),
                                 10000);
        return;
    }
    auto* every = new EveryAccount(this);
    if (every->profileCount() == 0) {
        every->deleteLater();
        statusBar()->showMessage(tr("No profiles are saved: stop everything in every profile needs at least one."),
                                 10000);
        return;
    }
    m_log->add(tr("Stop everything in every profile: reading every profile's key and jobs first."));
    statusBar()->showMessage(tr("Reading every profile's jobs\u2026"));
    m_ui->stopEverywhereAction->setEnabled(false);
    connect(every, &EveryAccount::done, this, [this, every](const QList<StopEverywhere::Account>& accounts) {
        every->deleteLater();
        onEveryAccountRead(accounts);
    });
    QString baseError;
    every->read(AppSettings().apiConfig(&baseError));
}

void MainWindow::onEveryAccountRead(const QList<StopEverywhere::Account>& accounts)
{
    for (const StopEverywhere::Account& account : accounts)
        m_log->addSecret(account.config.apiKey);
    CancelBatch::Options options = currentOptions();
    options.preview = true; // each account's list is its look-up
    options.action = CancelBatch::Action::Cancel; // whatever the window's last action was: stop means cancel
    m_everywhere = new StopEverywhere(accounts, allJobKinds(), options, m_log, this);
    connect(m_everywhere, &StopEverywhere::readFinished, this, &MainWindow::onEverywhereRead);
    connect(m_everywhere, &StopEverywhere::finished, this, &MainWindow::onEverywhereFinished);
    m_everywhere->start(AppSettings().listCap());
}

void MainWindow::onEverywhereRead()
{
    if (!m_everywhere)
        return;
    for (const StopEverywhere::Account& account : m_everywhere->accounts()) {
        if (!account.readable())
            m_log->add(tr("%1: not read, nothing of it will be cancelled: %2")
                           .arg(account.config.profileName, account.whyNotRead()));
    }
    auto* dialog = new EverywhereDialog(*m_everywhere, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPointer<StopEverywhere> sweep = m_everywhere;
    connect(dialog, &QDialog::accepted, this, [this, sweep] {
        if (!sweep)
            return;
        m_log->add(tr("Stop everything in every profile: cancelling %n job(s).", nullptr, sweep->toCancelCount()));
        statusBar()->showMessage(tr("Cancelling in every profile\u2026"));
        sweep->confirm();
    });
    connect(dialog, &QDialog::rejected, this, [this, sweep] {
        if (!sweep)
            return;
        m_log->add(tr("Stop everything in every profile: kept running, nothing sent."));
        sweep->decline();
    });
    dialog->open();
}

void MainWindow::onEverywhereFinished()
{
    if (!m_everywhere)
        return;
    // What happened in each account: the log keeps every line, the status bar the gist.
    const QStringList summary = m_everywhere->summary();
    for (const QString& line : summary)
        m_log->add(line);
    statusBar()->showMessage(summary.join(QStringLiteral(" \u00B7 ")), 30000);
    m_everywhere->deleteLater();
    m_everywhere = nullptr;
    m_ui->stopEverywhereAction->setEnabled(true);
    refreshJobs(); // the jobs of the profile in use, as they are now
}
