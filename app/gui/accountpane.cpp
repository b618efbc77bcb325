#include "accountpane.h"

#include "activitylog.h"
#include "appsettings.h"
#include "keyrefusingvalidator.h"
#include "keyringunlock.h"
#include "outcome.h"
#include "outputgate.h"
#include "profileconfig.h"
#include "profiledialog.h"
#include "statuscolors.h"
#include "ui_accountpane.h"

#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSettings>

AccountPane::AccountPane(QWidget* parent)
    : QGroupBox(parent),
      m_ui(std::make_unique<Ui::AccountPane>()),
      m_secrets(new SecretStore(this)),
      m_store(new ProfileStore(m_secrets, this))
{
    m_ui->setupUi(this);
    m_ui->credentialsMessageLabel->hide();
    connect(m_ui->showKeyButton, &QToolButton::toggled, this, [this](bool show) {
        m_ui->apiKeyEdit->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
        m_ui->showKeyButton->setAccessibleName(show ? tr("Hide API key") : tr("Show API key"));
    });
    for (QLineEdit* edit : {m_ui->apiKeyEdit, m_ui->orgEdit, m_ui->projectEdit}) {
        connect(edit, &QLineEdit::textChanged, this, [this] {
            updateState();
            emit accountChanged();
        });
    }
    // A key pasted (or typed) where it does not belong is refused there, masked in what is said, and never kept:
    // the organization and project fields get back what they held.
    for (QLineEdit* edit : {m_ui->orgEdit, m_ui->projectEdit}) {
        auto* guard = new KeyRefusingValidator(KeyRefusingValidator::Mode::Restore, edit);
        edit->setValidator(guard);
        const QString field = edit == m_ui->orgEdit ? tr("Organization ID") : tr("Project ID");
        connect(guard, &KeyRefusingValidator::refused, this, [this, field](const QStringList& masked) {
            const QString keys = masked.join(QStringLiteral(", "));
            m_ui->credentialsMessageLabel->setText(
                tr("That looks like an API key (%1); it belongs in the API key field. Cleared.").arg(keys));
            m_ui->credentialsMessageLabel->show();
            if (m_log)
                m_log->add(tr("%1: refused text that looks like an API key (%2).").arg(field, keys));
        });
        connect(edit, &QLineEdit::textEdited, m_ui->credentialsMessageLabel, &QWidget::hide);
    }
    connect(m_ui->profileCombo, qOverload<int>(&QComboBox::activated), this, &AccountPane::selectProfile);
    connect(m_ui->manageProfilesButton, &QPushButton::clicked, this, &AccountPane::openProfiles);
    connect(m_ui->saveCredentialsButton, &QPushButton::clicked, this, &AccountPane::save);
    connect(m_ui->forgetCredentialsButton, &QPushButton::clicked, this, &AccountPane::forget);
    connect(m_ui->unlockKeyringButton, &QPushButton::clicked, this, &AccountPane::unlockKeyring);
    connect(m_ui->reloadCredentialsButton, &QPushButton::clicked, this, &AccountPane::reload);
    connect(m_store, &ProfileStore::migrated, this, &AccountPane::onMigrated);
    connect(m_store, &ProfileStore::keyRead, this, &AccountPane::onKeyRead);
    connect(m_store, &ProfileStore::added, this, &AccountPane::onSaved);
    connect(m_store, &ProfileStore::keySet, this, &AccountPane::onSaved);
    connect(m_store, &ProfileStore::edited, this, &AccountPane::onEdited);
    connect(m_store, &ProfileStore::renamed, this, &AccountPane::onRenamed);
    connect(m_store, &ProfileStore::removed, this, &AccountPane::onRemoved);
    connect(m_store, &ProfileStore::changed, this, &AccountPane::onStoreChanged);
    connect(m_store, &ProfileStore::defaultChanged, this, &AccountPane::fillCombo);
    fillCombo();
    showProfileFields();
    setLoading(true); // "Loading credentials…" until the keyring answered
}

AccountPane::~AccountPane() = default;

QString AccountPane::rememberedKey()
{
    return QStringLiteral("window/profile"); // the profile in use, for the next run
}

QString AccountPane::quoted(const QString& name)
{
    return OutputGate::clean(name, ProfileStore::maxNameLength + 8);
}

void AccountPane::setLog(ActivityLog* log)
{
    m_log = log;
}

void AccountPane::start()
{
    if (m_started)
        return;
    m_started = true;
    m_store->migrate();
}

// ---- What is sent -------------------------------------------------------------------------------------------

ApiConfig AccountPane::config(const ApiConfig& base, QString* error) const
{
    std::optional<Profile> profile = m_active;
    if (profile && ProviderInfo::of(profile->provider).hasOrganization && profile->baseUrl.trimmed().isEmpty())
        profile->baseUrl = base.baseUrl.toString(); // Settings → Base URL, for an OpenAI profile naming none
    const QString key = m_ui->apiKeyEdit->text().trimmed();
    ApiConfig config = ProfileConfig::resolve(profile, key, base, error, QProcessEnvironment());
    config.apiKey = key;
    if (ProviderInfo::of(config.provider).hasOrganization) {
        config.organization = m_ui->orgEdit->text().trimmed();
        config.project = m_ui->projectEdit->text().trimmed();
    }
    return config;
}

Provider AccountPane::provider() const
{
    return m_active ? m_active->provider : Provider::OpenAI;
}

QString AccountPane::profileName() const
{
    return m_active ? m_active->name : QString();
}

bool AccountPane::keyIsEmpty() const
{
    return m_ui->apiKeyEdit->text().trimmed().isEmpty();
}

bool AccountPane::keyHasFocus() const
{
    return m_ui->apiKeyEdit->hasFocus();
}

QWidget* AccountPane::firstField() const
{
    return m_ui->profileCombo;
}

QWidget* AccountPane::lastField() const
{
    return m_ui->projectEdit;
}

void AccountPane::setLocked(bool locked)
{
    m_locked = locked;
    // The account a batch runs with stays on screen until it ends: no typing over it.
    for (QLineEdit* edit : {m_ui->apiKeyEdit, m_ui->orgEdit, m_ui->projectEdit})
        edit->setReadOnly(locked);
    updateState();
}

void AccountPane::focusKey()
{
    m_ui->apiKeyEdit->setFocus(Qt::OtherFocusReason);
    m_ui->apiKeyEdit->selectAll();
}

void AccountPane::applyColors()
{
    QPalette colored;
    colored.setColor(QPalette::WindowText,
                     StatusColors::forCategory(Outcome::Category::Error, palette(), QPalette::Window));
    m_ui->credentialsMessageLabel->setPalette(colored);
}

void AccountPane::openProfiles()
{
    QString error;
    auto* dialog = new ProfileDialog(m_store, AppSettings().apiConfig(&error), window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_active)
        dialog->selectProfile(m_active->name);
    connect(dialog, &ProfileDialog::messageShown, this, [this](const QString& text) {
        if (m_log)
            m_log->add(text);
    });
    dialog->open();
}

// ---- Loading ------------------------------------------------------------------------------------------------

void AccountPane::onMigrated(bool didMigrate, const ProfileStore::Outcome& outcome)
{
    if (didMigrate && m_log)
        m_log->add(tr("The saved credentials are now the profile \u201C%1\u201D.").arg(ProfileStore::migratedName()));
    if (!outcome.isOk())
        onKeychainFailure(outcome, tr("The key will be kept for this session only."));
    fillCombo();
    const QString name = startName();
    if (name.isEmpty() && outcome.isOk()) {
        // No profile to read: the keyring is asked all the same, so that a locked (or missing) one is said now,
        // not when a key is saved.
        m_secrets->readSecret(SecretStore::profileEntry(ProfileStore::migratedName()), this,
                              [this](const QString&, const SecretStore::Outcome& probe) {
                                  if (probe.isOk() || probe.status == SecretStore::Status::NotFound) {
                                      if (m_log)
                                          m_log->add(tr("No profile saved yet: the key you save becomes the profile "
                                                        "\u201C%1\u201D.")
                                                         .arg(ProfileStore::migratedName()));
                                  } else {
                                      ProfileStore::Outcome failed;
                                      failed.status = probe.status;
                                      failed.message = probe.message;
                                      onKeychainFailure(failed, tr("The key will be kept for this session only."));
                                  }
                                  finishLoading();
                              });
        return;
    }
    if (name.isEmpty()) {
        finishLoading();
        return;
    }
    activate(name);
}

QString AccountPane::startName() const
{
    const QString remembered = QSettings().value(rememberedKey()).toString();
    if (m_store->profile(remembered))
        return remembered;
    if (const QString name = m_store->defaultName(); !name.isEmpty())
        return name;
    const QStringList names = m_store->names();
    return names.isEmpty() ? QString() : names.first();
}

void AccountPane::activate(const QString& name)
{
    m_active = m_store->profile(name);
    m_savedKey.clear();
    m_ui->apiKeyEdit->clear();
    fillCombo();
    showProfileFields();
    if (!m_active) {
        finishLoading();
        return;
    }
    setLoading(true);
    m_store->readKey(name);
}

void AccountPane::selectProfile(int comboIndex)
{
    const QString name = m_ui->profileCombo->itemData(comboIndex).toString();
    if (name.isEmpty() || name == profileName())
        return;
    if (m_locked || m_loading || m_busy) {
        fillCombo(); // back to the one in use
        say(tr("Not switched: a batch or the keyring is busy; try again when it is done."), 10000);
        return;
    }
    QSettings().setValue(rememberedKey(), name);
    activate(name);
    if (m_log)
        m_log->add(
            tr("Profile \u201C%1\u201D (%2) in use.").arg(quoted(name), ProviderInfo::of(provider()).displayName));
    emit profileSwitched(name);
    emit accountChanged();
}

void AccountPane::onKeyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome)
{
    if (!m_loading || !m_active || name != m_active->name)
        return; // not asked for here (the profile dialog's key test), or for a profile no longer in use
    if (outcome.isOk() || outcome.status == SecretStore::Status::NotFound)
        m_keyringProblem = SecretStore::Status::Ok; // it answered (also after Load again)
    if (outcome.isOk()) {
        m_savedKey = key;
        if (m_log) {
            m_log->addSecret(key);
            m_log->add((SecretStore::isMemoryOnly() ? tr("Demo profile \u201C%1\u201D in use (made-up key %2).")
                                                    : tr("Profile \u201C%1\u201D loaded from the keyring (key %2)."))
                           .arg(quoted(name), OutputGate::maskKey(key)));
        }
        m_ui->apiKeyEdit->setText(key);
    } else if (outcome.status == SecretStore::Status::NotFound) {
        m_savedKey.clear();
        if (m_log)
            m_log->add(tr("The profile \u201C%1\u201D has no key saved yet.").arg(quoted(name)));
    } else {
        onKeychainFailure(outcome, tr("The key will be kept for this session only."));
    }
    finishLoading();
}

void AccountPane::finishLoading()
{
    setLoading(false);
    emit accountChanged();
    emit loaded();
}

void AccountPane::setLoading(bool loading)
{
    m_loading = loading;
    for (QWidget* w : {static_cast<QWidget*>(m_ui->apiKeyEdit), static_cast<QWidget*>(m_ui->orgEdit),
                       static_cast<QWidget*>(m_ui->projectEdit), static_cast<QWidget*>(m_ui->showKeyButton)})
        w->setEnabled(!loading);
    updateState();
    emit loadingChanged(loading);
}

void AccountPane::reload()
{
    if (m_busy || m_loading || m_locked)
        return;
    if (m_log)
        m_log->add(tr("Loading the credentials from the keyring again."));
    if (!m_store->isMigrated()) {
        setLoading(true);
        m_store->migrate();
        return;
    }
    activate(m_active ? m_active->name : startName());
}

void AccountPane::unlockKeyring()
{
    if (m_keyringUnlock || m_busy || m_loading || m_locked)
        return;
    auto* unlock = new KeyringUnlock(quintptr(window()->winId()), this);
    m_keyringUnlock = unlock;
    m_busy = true;
    updateState();
    if (m_log)
        m_log->add(tr("Asking the keyring to unlock; it asks for its password in a window of its own."));
    connect(unlock, &KeyringUnlock::finished, this, [this](KeyringUnlock::Result result, const QString& text) {
        m_busy = false;
        if (result == KeyringUnlock::Result::Unlocked) {
            if (m_log)
                m_log->add(tr("The keyring is unlocked."));
            reload();
            return;
        }
        say(OutputGate::clean(text, OutputGate::lineBytes), 15000);
        if (m_log)
            m_log->add(OutputGate::clean(text, OutputGate::lineBytes));
        updateState();
    });
    unlock->start();
}

// The store says what happened to the keyring; the pane adds what that means here (consequence).
void AccountPane::onKeychainFailure(const ProfileStore::Outcome& outcome, const QString& consequence)
{
    if (!outcome.refused)
        m_keyringProblem = outcome.status;
    const QString text = OutputGate::clean(
        consequence.isEmpty() ? outcome.message : outcome.message + u' ' + consequence, OutputGate::lineBytes);
    say(text, 0);
    if (m_log)
        m_log->add(text);
}

void AccountPane::say(const QString& text, int timeoutMs)
{
    emit message(text, timeoutMs);
}

// ---- What the pane shows ------------------------------------------------------------------------------------

void AccountPane::fillCombo()
{
    QComboBox* combo = m_ui->profileCombo;
    const QSignalBlocker block(combo);
    combo->clear();
    const QString defaultName = m_store->defaultName();
    for (const Profile& p : m_store->profiles()) {
        const QString provider = ProviderInfo::of(p.provider).displayName;
        combo->addItem(tr("%1 (%2)").arg(quoted(p.name), provider), p.name);
        const QString tip = p.name == defaultName ? tr("%1, used by default").arg(provider) : provider;
        combo->setItemData(combo->count() - 1, tip, Qt::ToolTipRole);
    }
    if (!m_active)
        combo->insertItem(0, tr("No profile yet"), QString());
    combo->setCurrentIndex(std::max(0, combo->findData(profileName())));
    updateState();
}

void AccountPane::showProfileFields()
{
    const ProviderInfo& info = ProviderInfo::of(provider());
    m_ui->providerLabel->setText(info.displayName);
    for (QWidget* w : {static_cast<QWidget*>(m_ui->orgLabel), static_cast<QWidget*>(m_ui->orgEdit),
                       static_cast<QWidget*>(m_ui->projectLabel), static_cast<QWidget*>(m_ui->projectEdit)})
        w->setVisible(info.hasOrganization);
    if (!info.hasOrganization) {
        m_ui->orgEdit->clear();
        m_ui->projectEdit->clear();
    } else if (m_active) {
        m_ui->orgEdit->setText(m_active->organization);
        m_ui->projectEdit->setText(m_active->project);
    }
    m_ui->apiKeyEdit->setAccessibleDescription(
        tr("The %1 API key of the profile in use. It is stored only in the system keyring.").arg(info.displayName));
}

bool AccountPane::fieldsSaved() const
{
    if (!m_active || m_ui->apiKeyEdit->text().trimmed() != m_savedKey)
        return false;
    return !ProviderInfo::of(m_active->provider).hasOrganization
        || (m_ui->orgEdit->text().trimmed() == m_active->organization
            && m_ui->projectEdit->text().trimmed() == m_active->project);
}

void AccountPane::updateState()
{
    const bool fieldsEmpty = m_ui->apiKeyEdit->text().trimmed().isEmpty() && m_ui->orgEdit->text().trimmed().isEmpty()
        && m_ui->projectEdit->text().trimmed().isEmpty();
    QString state;
    QString detail;
    if (m_loading) {
        state = tr("Loading credentials\u2026");
    } else if (m_busy) {
        state = tr("Talking to the keyring\u2026");
    } else if (m_keyringProblem == SecretStore::Status::Locked) {
        state = tr("Keyring locked: key kept for this session only");
        detail = tr("Unlock the keyring, then press Save (or start FtCancel again).");
    } else if (m_keyringProblem == SecretStore::Status::Unavailable) {
        state = tr("Session only: no keyring");
        detail = tr("No keyring service was found; nothing is stored, the key is kept for this session only.");
    } else if (m_keyringProblem != SecretStore::Status::Ok) {
        state = tr("Session only: keyring failed");
        detail = tr("The keyring failed (see the log); the key is kept for this session only.");
    } else if (fieldsEmpty && m_savedKey.isEmpty()) {
        state = tr("Nothing saved");
    } else if (SecretStore::isMemoryOnly()) {
        // Demo mode: nothing is ever read from or written to the keyring.
        state = tr("Demo: made-up key, in memory only");
    } else if (fieldsSaved()) {
        state = tr("Saved in the keyring");
    } else {
        state = tr("Not saved");
    }
    m_ui->credentialsStateLabel->setText(state);
    m_ui->credentialsStateLabel->setToolTip(detail.toHtmlEscaped());
    const bool idle = !m_loading && !m_busy && !m_locked;
    m_ui->saveCredentialsButton->setEnabled(idle && !m_ui->apiKeyEdit->text().trimmed().isEmpty() && !fieldsSaved());
    m_ui->forgetCredentialsButton->setEnabled(idle && (m_active || m_keyringProblem != SecretStore::Status::Ok));
    m_ui->profileCombo->setEnabled(idle && m_active);
    m_ui->manageProfilesButton->setEnabled(!m_locked && !m_busy && m_started);
    // A keyring that is locked can be asked to unlock; one that failed can be read again.
    const bool failed = m_keyringProblem != SecretStore::Status::Ok && !m_loading && !m_busy;
    m_ui->unlockKeyringButton->setVisible(failed && m_keyringProblem == SecretStore::Status::Locked);
    m_ui->reloadCredentialsButton->setVisible(failed);
    m_ui->unlockKeyringButton->setEnabled(idle);
    m_ui->reloadCredentialsButton->setEnabled(idle);
}
