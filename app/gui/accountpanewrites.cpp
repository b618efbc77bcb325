// AccountPane, its writes: Save and Forget, and what the pane does when the profiles change under it (its own
// writes answered, or the profile dialog's). The rest of the pane is in accountpane.cpp.
#include "accountpane.h"

#include "activitylog.h"
#include "outputgate.h"
#include "ui_accountpane.h"

#include <QMessageBox>
#include <QSettings>

// ---- Save, forget -------------------------------------------------------------------------------------------

void AccountPane::save()
{
    if (m_busy || m_loading || m_locked)
        return;
    const QString key = m_ui->apiKeyEdit->text().trimmed();
    if (key.isEmpty()) {
        say(tr("Enter an API key to save."));
        m_ui->apiKeyEdit->setFocus();
        return;
    }
    Profile p;
    if (m_active) {
        p = *m_active;
    } else {
        // The first key saved becomes the profile "Default" (or "Default 2", … should that name be taken).
        p.name = ProfileStore::migratedName();
        for (int n = 2; !m_store->checkName(p.name).isEmpty() && n < 100; ++n)
            p.name = QStringLiteral("%1 %2").arg(ProfileStore::migratedName()).arg(n);
    }
    if (ProviderInfo::of(p.provider).hasOrganization) {
        p.organization = m_ui->orgEdit->text().trimmed();
        p.project = m_ui->projectEdit->text().trimmed();
    }
    ApiConfig check;
    check.provider = p.provider;
    check.apiKey = key;
    check.organization = p.organization;
    check.project = p.project;
    QString problem = check.problem();
    if (problem.isEmpty())
        problem = ProfileStore::checkFields(p);
    if (!problem.isEmpty()) {
        say(OutputGate::clean(problem, OutputGate::lineBytes), 10000);
        return;
    }
    m_busy = true;
    updateState();
    if (m_log)
        m_log->addSecret(key);
    m_pendingKey = key;
    if (!m_active) {
        m_store->add(p, key);
    } else if (p != *m_active) {
        if (key == m_savedKey)
            m_pendingKey.clear(); // the fields only
        m_store->edit(p.name, p);
    } else {
        m_store->setKey(p.name, key);
    }
}

// Added (the first key saved) or its key written: ours when busy, else the profile dialog's.
void AccountPane::onSaved(const QString& name, const ProfileStore::Outcome& outcome)
{
    if (!m_busy) {
        if (!outcome.isOk() || m_loading)
            return;
        if (!m_active)
            activate(name); // the dialog made the first profile: it is the one in use
        else if (name == m_active->name)
            activate(name); // its key changed in the dialog: read what is saved now
        return;
    }
    if (m_active && name != m_active->name)
        return;
    m_busy = false;
    if (outcome.isOk()) {
        m_keyringProblem = SecretStore::Status::Ok;
        if (!m_active) {
            m_active = m_store->profile(name);
            QSettings().setValue(rememberedKey(), name);
            fillCombo();
            showProfileFields();
        }
        m_savedKey = m_pendingKey;
        if (m_log)
            m_log->add(tr("Saved to the keyring in the profile \u201C%1\u201D (key %2).")
                           .arg(quoted(name), OutputGate::maskKey(m_savedKey)));
        say(tr("Saved to the keyring."));
    } else {
        onKeychainFailure(outcome, tr("The key will be kept for this session only."));
    }
    m_pendingKey.clear();
    updateState();
    emit accountChanged();
}

void AccountPane::onEdited(const QString& name, const ProfileStore::Outcome& outcome)
{
    if (!m_busy || !m_active || name != m_active->name)
        return; // the dialog's: changed() follows it
    if (outcome.isOk() && !m_pendingKey.isEmpty()) {
        m_active = m_store->profile(name);
        m_store->setKey(name, m_pendingKey); // then onSaved
        return;
    }
    m_busy = false;
    if (outcome.isOk()) {
        m_active = m_store->profile(name);
        if (m_log)
            m_log->add(tr("Saved the profile \u201C%1\u201D.").arg(quoted(name)));
        say(tr("Saved."));
    } else {
        onKeychainFailure(outcome, QString());
    }
    updateState();
    emit accountChanged();
}

void AccountPane::forget()
{
    if (!m_active) {
        // Nothing saved: the fields are all there is.
        for (QLineEdit* edit : {m_ui->apiKeyEdit, m_ui->orgEdit, m_ui->projectEdit})
            edit->clear();
        say(tr("Fields cleared."));
        return;
    }
    if (m_forgetQuestion) {
        m_forgetQuestion->raise();
        m_forgetQuestion->activateWindow();
        return;
    }
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Forget Profile?"),
        tr("Forget the profile \u201C%1\u201D? Its key is deleted from the keyring.").arg(quoted(m_active->name)),
        QMessageBox::NoButton, window());
    box->setObjectName(QStringLiteral("forgetQuestion"));
    QPushButton* yes = box->addButton(tr("Forget"), QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("forgetButton"));
    QPushButton* keep = box->addButton(tr("Keep"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepButton"));
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString name = m_active->name;
    connect(box, &QMessageBox::finished, this, [this, box, yes, name] {
        m_forgetQuestion.clear();
        if (box->clickedButton() != yes)
            return;
        // Things may have moved on while it asked (a batch started, the keyring is busy): as the button would.
        if (m_loading || m_busy || m_locked || profileName() != name) {
            say(tr("Not forgotten: the keyring or a batch is busy; try again in a moment."), 10000);
            return;
        }
        m_busy = true;
        updateState();
        m_store->remove(name);
    });
    m_forgetQuestion = box;
    box->open();
}

void AccountPane::onRemoved(const QString& name, const ProfileStore::Outcome& outcome)
{
    const bool ours = m_busy && name == profileName();
    if (ours) {
        m_busy = false;
        if (outcome.isOk()) {
            m_keyringProblem = SecretStore::Status::Ok;
            if (m_log)
                m_log->add(
                    tr("The profile \u201C%1\u201D and its key are deleted from the keyring.").arg(quoted(name)));
            say(tr("Profile forgotten."));
        } else {
            onKeychainFailure(outcome, tr("The profile and its key may still be in the keyring."));
        }
    }
    if (outcome.isOk() && name == profileName())
        removeActive();
    else
        fillCombo();
    updateState();
}

// The profile in use is gone: the next one (the default, else the first) takes its place, or none.
void AccountPane::removeActive()
{
    const QString next = startName();
    if (next.isEmpty()) {
        m_active.reset();
        m_savedKey.clear();
        for (QLineEdit* edit : {m_ui->apiKeyEdit, m_ui->orgEdit, m_ui->projectEdit})
            edit->clear();
        fillCombo();
        showProfileFields();
    } else {
        QSettings().setValue(rememberedKey(), next);
        activate(next);
    }
    emit profileSwitched(next);
    emit accountChanged();
}

// ---- The profile dialog changed something -------------------------------------------------------------------

void AccountPane::onRenamed(const QString& from, const QString& to, const ProfileStore::Outcome& outcome)
{
    if (!outcome.isOk())
        return;
    if (QSettings().value(rememberedKey()).toString() == from)
        QSettings().setValue(rememberedKey(), to);
    if (m_active && m_active->name == from) {
        m_active = m_store->profile(to);
        if (m_log)
            m_log->add(tr("The profile in use is now named \u201C%1\u201D.").arg(quoted(to)));
        emit accountChanged();
    }
    fillCombo();
}

void AccountPane::onStoreChanged()
{
    if (m_active && !m_busy) {
        const std::optional<Profile> now = m_store->profile(m_active->name);
        if (now && *now != *m_active) {
            // Edited in the dialog: the fields follow unless they hold something not saved.
            if (m_ui->orgEdit->text().trimmed() == m_active->organization)
                m_ui->orgEdit->setText(now->organization);
            if (m_ui->projectEdit->text().trimmed() == m_active->project)
                m_ui->projectEdit->setText(now->project);
            m_active = now;
            showProfileFields();
            emit accountChanged();
        }
    }
    fillCombo();
    updateState();
}
