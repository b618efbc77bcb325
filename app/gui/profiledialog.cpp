#include "profiledialog.h"

#include "joblister.h"
#include "keyrefusingvalidator.h"
#include "outputgate.h"
#include "profileconfig.h"
#include "providerfacts.h"
#include "ui_profiledialog.h"

#include <QMessageBox>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSignalBlocker>

#include <algorithm>

namespace {
// A name is ours to show only through the gate (a profile written by hand may hold anything).
constexpr int nameBytes = 200;

QString shownName(const QString& name)
{
    return OutputGate::clean(name, nameBytes);
}
} // namespace

ProfileDialog::ProfileDialog(ProfileStore* store, const ApiConfig& requestSettings, QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::ProfileDialog>()), m_store(store), m_requestSettings(requestSettings)
{
    m_ui->setupUi(this);
    for (const ProviderInfo& info : ProviderInfo::all())
        m_ui->providerCombo->addItem(info.displayName, info.key);
    m_ui->nameEdit->setMaxLength(ProfileStore::maxNameLength);
    guardAgainstKeys(m_ui->nameEdit, tr("Name"));
    guardAgainstKeys(m_ui->baseUrlEdit, tr("Base URL"));
    guardAgainstKeys(m_ui->organizationEdit, tr("Organization ID"));
    guardAgainstKeys(m_ui->projectEdit, tr("Project ID"));
    guardAgainstKeys(m_ui->apiVersionEdit, tr("API version"));

    connect(m_ui->profileList, &QListWidget::currentRowChanged, this, &ProfileDialog::onRowChanged);
    connect(m_ui->providerCombo, &QComboBox::currentIndexChanged, this, &ProfileDialog::updateProviderFields);
    connect(m_ui->addProfileButton, &QPushButton::clicked, this, &ProfileDialog::startNew);
    connect(m_ui->deleteProfileButton, &QPushButton::clicked, this, &ProfileDialog::askToDelete);
    connect(m_ui->makeDefaultButton, &QPushButton::clicked, this, &ProfileDialog::makeDefault);
    connect(m_ui->testKeyButton, &QPushButton::clicked, this, &ProfileDialog::testKey);
    connect(m_ui->saveProfileButton, &QPushButton::clicked, this, &ProfileDialog::save);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // The store says what changed, whoever changed it (this dialog, the window, another of its calls).
    connect(m_store, &ProfileStore::changed, this, &ProfileDialog::fillList);
    connect(m_store, &ProfileStore::defaultChanged, this, &ProfileDialog::fillList);
    connect(m_store, &ProfileStore::added, this, &ProfileDialog::onAdded);
    connect(m_store, &ProfileStore::renamed, this, &ProfileDialog::onRenamed);
    connect(m_store, &ProfileStore::edited, this, &ProfileDialog::onEdited);
    connect(m_store, &ProfileStore::keySet, this, &ProfileDialog::onKeySet);
    connect(m_store, &ProfileStore::keyRead, this, &ProfileDialog::onKeyRead);
    connect(m_store, &ProfileStore::removed, this, &ProfileDialog::onRemoved);

    QString first = m_store->defaultName();
    if (first.isEmpty() && !m_store->names().isEmpty())
        first = m_store->names().first();
    if (first.isEmpty())
        startNew();
    else
        selectProfile(first);
}

ProfileDialog::~ProfileDialog() = default;

void ProfileDialog::guardAgainstKeys(QLineEdit* edit, const QString& field)
{
    // A key pasted where it does not belong never stays there: the field gets back what it held.
    auto* guard = new KeyRefusingValidator(KeyRefusingValidator::Mode::Restore, edit);
    edit->setValidator(guard);
    connect(guard, &KeyRefusingValidator::refused, this, [this, field](const QStringList& masked) {
        showMessage(tr("%1: that looks like an API key (%2). It belongs in the API key field; the field was left as "
                       "it was.")
                        .arg(field, masked.join(QStringLiteral(", "))));
    });
}

void ProfileDialog::selectProfile(const QString& name)
{
    const std::optional<Profile> p = m_store->profile(name);
    if (!p || m_step != Step::None)
        return;
    showProfile(*p, false);
    fillList();
}

void ProfileDialog::fillList()
{
    // A profile removed by someone else leaves the form as a new, unsaved profile with the same values. Not while
    // saving: a rename removes the old name before it says it is done.
    if (!m_isNew && m_step == Step::None && !m_store->profile(m_current)) {
        m_isNew = true;
        m_current.clear();
        updateKeyPlaceholder();
    }
    // Only the row of the profile in the form is selected; the form keeps what is being typed.
    const QSignalBlocker blocker(m_ui->profileList);
    m_ui->profileList->clear();
    const QString defaultName = m_store->defaultName();
    for (const Profile& p : m_store->profiles()) {
        QString text = tr("%1 \u2014 %2").arg(shownName(p.name), ProviderInfo::of(p.provider).displayName);
        if (p.name == defaultName)
            text += tr(" (default)");
        auto* item = new QListWidgetItem(text, m_ui->profileList);
        item->setData(Qt::UserRole, p.name);
        if (!m_isNew && p.name == m_current)
            m_ui->profileList->setCurrentItem(item);
    }
    updateButtons();
}

void ProfileDialog::onRowChanged()
{
    const QListWidgetItem* item = m_ui->profileList->currentItem();
    if (!item || m_step != Step::None)
        return;
    if (const std::optional<Profile> p = m_store->profile(item->data(Qt::UserRole).toString()))
        showProfile(*p, false);
}

void ProfileDialog::showProfile(const Profile& p, bool isNew)
{
    m_isNew = isNew;
    m_current = isNew ? QString() : p.name;
    m_ui->nameEdit->setText(p.name);
    const int provider = m_ui->providerCombo->findData(ProviderInfo::of(p.provider).key);
    m_ui->providerCombo->setCurrentIndex(std::max(0, provider));
    m_ui->baseUrlEdit->setText(p.baseUrl);
    m_ui->organizationEdit->setText(p.organization);
    m_ui->projectEdit->setText(p.project);
    m_ui->apiVersionEdit->setText(p.apiVersion);
    m_ui->apiKeyEdit->clear(); // the saved key is never read into the form
    m_ui->profileMessageLabel->clear();
    updateProviderFields();
    updateKeyPlaceholder();
    updateButtons();
}

void ProfileDialog::startNew()
{
    if (m_step != Step::None)
        return;
    {
        const QSignalBlocker blocker(m_ui->profileList);
        m_ui->profileList->setCurrentRow(-1);
    }
    showProfile(Profile(), true);
    m_ui->nameEdit->setFocus();
}

void ProfileDialog::updateProviderFields()
{
    const ProviderInfo* found = ProviderInfo::byKey(m_ui->providerCombo->currentData().toString());
    const ProviderInfo& info = found ? *found : ProviderInfo::of(Provider::OpenAI);
    m_ui->baseUrlEdit->setPlaceholderText(info.defaultBaseUrl.isEmpty() ? tr("https://<resource>.openai.azure.com")
                                                                        : info.defaultBaseUrl);
    for (QWidget* w : {static_cast<QWidget*>(m_ui->organizationLabel), static_cast<QWidget*>(m_ui->organizationEdit),
                       static_cast<QWidget*>(m_ui->projectLabel), static_cast<QWidget*>(m_ui->projectEdit)})
        w->setVisible(info.hasOrganization);
    m_ui->apiVersionLabel->setVisible(info.hasApiVersion);
    m_ui->apiVersionEdit->setVisible(info.hasApiVersion);
}

void ProfileDialog::updateKeyPlaceholder()
{
    const bool saved = !m_isNew && !m_withoutKey.contains(m_current);
    m_ui->apiKeyEdit->setPlaceholderText(saved ? tr("Saved in the keyring") : tr("Paste the API key"));
}

void ProfileDialog::updateButtons()
{
    const bool idle = m_step == Step::None;
    const bool saved = !m_isNew && m_store->profile(m_current).has_value();
    m_ui->profileList->setEnabled(idle);
    m_ui->profileForm->setEnabled(idle);
    m_ui->addProfileButton->setEnabled(idle);
    m_ui->deleteProfileButton->setEnabled(idle && saved);
    m_ui->saveProfileButton->setEnabled(idle);
    m_ui->makeDefaultButton->setEnabled(idle && saved && m_store->defaultName() != m_current);
    m_ui->testKeyButton->setEnabled(!m_tester && !m_readingKeyForTest);
}

Profile ProfileDialog::formProfile() const
{
    // What the provider does not have is not kept: an Azure profile has no organization, OpenAI no API version.
    Profile p;
    p.name = m_ui->nameEdit->text();
    const ProviderInfo* info = ProviderInfo::byKey(m_ui->providerCombo->currentData().toString());
    p.provider = info ? info->provider : Provider::OpenAI;
    p.baseUrl = m_ui->baseUrlEdit->text().trimmed();
    if (ProviderInfo::of(p.provider).hasOrganization) {
        p.organization = m_ui->organizationEdit->text().trimmed();
        p.project = m_ui->projectEdit->text().trimmed();
    }
    if (ProviderInfo::of(p.provider).hasApiVersion)
        p.apiVersion = m_ui->apiVersionEdit->text().trimmed();
    return p;
}

void ProfileDialog::showMessage(const QString& text, bool outcome)
{
    // Through the gate like every text that may quote a server or a name: a key in play is masked.
    const QString shown = OutputGate::clean(text, OutputGate::lineBytes);
    m_ui->profileMessageLabel->setText(shown);
    if (outcome)
        emit messageShown(shown);
}

// ---- save: add, or rename, edit and set the key, each step started by the last one's signal ----

void ProfileDialog::save()
{
    if (m_step != Step::None)
        return;
    const Profile p = formProfile();
    const QString key = m_ui->apiKeyEdit->text();
    QString problem = m_store->checkName(p.name, m_isNew ? QString() : m_current);
    if (problem.isEmpty())
        problem = ProfileStore::checkFields(p);
    if (problem.isEmpty() && m_isNew && key.isEmpty()) {
        problem = tr("A new profile needs its API key: paste it in the API key field.");
        m_ui->apiKeyEdit->setFocus();
    }
    if (!problem.isEmpty())
        return showMessage(tr("Not saved: %1").arg(problem));
    OutputGate::addSecret(key); // masked from now on, wherever a server might quote it
    m_pending = p;
    m_pendingKey = key;
    if (m_isNew) {
        m_step = Step::Adding;
        m_store->add(p, key);
    } else if (p.name != m_current) {
        m_step = Step::Renaming; // the secret moves first; the fields follow
        m_store->rename(m_current, p.name);
    } else {
        m_step = Step::Editing;
        m_store->edit(m_current, p);
    }
    showMessage(tr("Saving\u2026"), false);
    updateButtons();
}

void ProfileDialog::onAdded(const QString& name, const ProfileStore::Outcome& outcome)
{
    if (m_step != Step::Adding || name != m_pending.name)
        return;
    if (!outcome.isOk())
        return failed(outcome);
    m_isNew = false;
    m_current = name;
    saved();
}

void ProfileDialog::onRenamed(const QString& from, const QString& to, const ProfileStore::Outcome& outcome)
{
    if (m_step != Step::Renaming || from != m_current || to != m_pending.name)
        return;
    if (m_store->profile(to)) { // renamed, even when the key under the old name could not be deleted
        m_current = to;
        if (m_withoutKey.remove(from))
            m_withoutKey.insert(to);
    }
    if (!outcome.isOk())
        return failed(outcome);
    m_step = Step::Editing;
    m_store->edit(to, m_pending);
}

void ProfileDialog::onEdited(const QString& name, const ProfileStore::Outcome& outcome)
{
    if (m_step != Step::Editing || name != m_current)
        return;
    if (!outcome.isOk())
        return failed(outcome);
    if (m_pendingKey.isEmpty()) // an empty key field keeps the saved key
        return saved();
    m_step = Step::SettingKey;
    m_store->setKey(name, m_pendingKey);
}

void ProfileDialog::onKeySet(const QString& name, const ProfileStore::Outcome& outcome)
{
    if (m_step != Step::SettingKey || name != m_current)
        return;
    if (!outcome.isOk())
        return failed(outcome);
    saved();
}

void ProfileDialog::saved()
{
    if (!m_pendingKey.isEmpty())
        m_withoutKey.remove(m_current);
    m_step = Step::None;
    m_pendingKey.clear();
    m_ui->apiKeyEdit->clear();
    fillList();
    updateKeyPlaceholder();
    showMessage(tr("Saved the profile \u201C%1\u201D.").arg(shownName(m_current)));
}

void ProfileDialog::failed(const ProfileStore::Outcome& outcome)
{
    // The form keeps what was typed (the key too), to be corrected and saved again.
    m_step = Step::None;
    m_pendingKey.clear();
    fillList();
    updateKeyPlaceholder();
    if (outcome.message.isEmpty())
        return showMessage(tr("Not saved."));
    showMessage(outcome.refused ? tr("Not saved: %1").arg(outcome.message) : outcome.message);
}

// ---- delete, default ----

void ProfileDialog::askToDelete()
{
    if (m_step != Step::None || m_isNew || !m_store->profile(m_current))
        return;
    if (m_deleteQuestion) {
        m_deleteQuestion->raise();
        m_deleteQuestion->activateWindow();
        return;
    }
    const QString name = m_current;
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Delete Profile?"),
        tr("Delete the profile \u201C%1\u201D? Its key is deleted from the keyring.").arg(shownName(name)),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("deleteProfileQuestion"));
    box->setTextFormat(Qt::PlainText); // a name is shown as written, never as markup
    QPushButton* confirm = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmDeleteButton"));
    QPushButton* keep = box->addButton(tr("Keep"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepProfileButton"));
    // Enter and Escape keep it; only a deliberate click (or Space) deletes.
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, confirm, name] {
        if (box->clickedButton() != confirm || m_step != Step::None || !m_store->profile(name))
            return;
        m_step = Step::Removing;
        m_pending = Profile();
        m_pending.name = name;
        showMessage(tr("Deleting\u2026"), false);
        updateButtons();
        m_store->remove(name);
    });
    m_deleteQuestion = box;
    box->open();
}

void ProfileDialog::onRemoved(const QString& name, const ProfileStore::Outcome& outcome)
{
    if (m_step != Step::Removing || name != m_pending.name)
        return;
    m_step = Step::None;
    if (!outcome.isOk()) {
        fillList();
        return showMessage(outcome.refused ? tr("Not deleted: %1").arg(outcome.message) : outcome.message);
    }
    m_withoutKey.remove(name);
    const QStringList names = m_store->names();
    if (names.isEmpty())
        startNew();
    else
        selectProfile(names.contains(m_store->defaultName()) ? m_store->defaultName() : names.first());
    showMessage(tr("Deleted the profile \u201C%1\u201D and its key.").arg(shownName(name)));
}

void ProfileDialog::makeDefault()
{
    if (m_step != Step::None || m_isNew || !m_store->profile(m_current))
        return;
    m_store->setDefault(m_current); // defaultChanged: the list marks it
    showMessage(tr("\u201C%1\u201D is the default profile now.").arg(shownName(m_current)));
}

// ---- test key: one read-only request, never the environment's ----

void ProfileDialog::testKey()
{
    if (m_tester || m_readingKeyForTest)
        return;
    const Profile p = formProfile();
    if (const QString problem = ProfileStore::checkFields(p); !problem.isEmpty())
        return showMessage(tr("Not tested: %1").arg(problem));
    const QString key = m_ui->apiKeyEdit->text();
    if (!key.isEmpty())
        return runTest(p, key);
    if (m_isNew || !m_store->profile(m_current))
        return showMessage(tr("Not tested: paste the API key in the API key field first."));
    m_readingKeyForTest = true;
    m_testName = m_current;
    m_testProfile = p;
    updateButtons();
    showMessage(tr("Reading the saved key\u2026"), false);
    m_store->readKey(m_current);
}

void ProfileDialog::onKeyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome)
{
    if (!m_readingKeyForTest || name != m_testName)
        return;
    m_readingKeyForTest = false;
    updateButtons();
    if (outcome.status == SecretStore::Status::NotFound || (outcome.isOk() && key.isEmpty())) {
        m_withoutKey.insert(name);
        updateKeyPlaceholder();
        return showMessage(
            tr("Not tested: no key is saved for \u201C%1\u201D; paste it in the API key field.").arg(shownName(name)));
    }
    if (!outcome.isOk())
        return showMessage(tr("Not tested: the saved key could not be read. %1").arg(outcome.message));
    runTest(m_testProfile, key);
}

void ProfileDialog::runTest(const Profile& p, const QString& key)
{
    // An empty environment: the dialog tests what the form says, not what OPENAI_API_KEY or a base URL variable
    // would put in its place.
    QString error;
    const ApiConfig config = ProfileConfig::resolve(p, key, m_requestSettings, &error, QProcessEnvironment());
    if (!config.baseUrl.isValid())
        return showMessage(tr("Not tested: %1").arg(error));
    const QString provider = ProviderInfo::of(p.provider).displayName;
    // One page of at most one job: whatever the provider pages by, one request.
    auto* lister = new JobLister(config, nullptr, this);
    // The provider's first kind of job (Anthropic runs batches only): a list that asks nothing proves nothing.
    if (const QList<JobKind> kinds = ProviderFacts::kinds(p.provider); !kinds.isEmpty())
        lister->setKinds({kinds.first()});
    m_tester = lister;
    connect(lister, &JobLister::finished, this, [this, lister, provider] { onTestFinished(lister, provider); });
    updateButtons();
    showMessage(tr("Testing the key with %1\u2026").arg(provider), false);
    lister->start(1);
}

void ProfileDialog::onTestFinished(JobLister* lister, const QString& provider)
{
    if (m_tester == lister)
        m_tester.clear();
    lister->deleteLater();
    updateButtons();
    const ApiError& error = lister->error();
    if (error.isError())
        return showMessage(tr("The key test failed: %1").arg(error.forReading().message));
    showMessage(tr("The key works: %1 answered.").arg(provider));
}
