#pragma once

#include "apiconfig.h"
#include "profilestore.h"
#include "provider.h"
#include "secretstore.h"

#include <QGroupBox>
#include <QPointer>

#include <memory>
#include <optional>

namespace Ui {
class AccountPane;
}
class ActivityLog;

// The profile bar of the window: which profile requests go to (a switcher, remembered between runs), its provider,
// and the key (organization and project for OpenAI) of that profile, saved in it, forgotten with it. Manage… (and
// File → Profiles…) opens the ProfileDialog on the same ProfileStore. The keychain is only read after start() (the
// window calls it after its first frame): first the credential of the releases before profiles becomes the profile
// "Default", then the chosen profile's key is read. Nothing here blocks: every keychain answer is a signal.
class AccountPane final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountPane)

public:
    explicit AccountPane(QWidget* parent = nullptr);
    ~AccountPane() override;

    void setLog(ActivityLog* log);
    void start(); // once; later calls do nothing
    bool isStarted() const { return m_started; }
    // Until the keyring answered (at start, after a switch, after Load again): the fields are disabled.
    bool isLoading() const { return m_loading; }
    // What requests are sent with now: the profile in use (none yet: an OpenAI account) with the fields' key,
    // organization and project, on top of `base` (the request settings; its base URL is used by an OpenAI profile
    // that names none). The environment is not read: the window sends what it shows.
    ApiConfig config(const ApiConfig& base, QString* error) const;
    Provider provider() const;
    QString profileName() const; // "" before the first profile is saved
    // While a batch runs: no switching, no saving, no forgetting.
    void setLocked(bool locked);
    // A rejected key: the next keystroke belongs in the key field.
    void focusKey();
    bool keyIsEmpty() const;
    bool keyHasFocus() const;
    // The fields in tab order, for the window to chain its own after them.
    QWidget* firstField() const;
    QWidget* lastField() const;
    void openProfiles();
    void applyColors();

signals:
    void accountChanged(); // the profile or a field changed: what requests are sent with
    void loadingChanged(bool loading);
    void loaded(); // the keyring answered after start() or a switch
    void profileSwitched(const QString& name); // another profile is in use: what belonged to the last one goes
    void message(const QString& text, int timeoutMs); // for the status bar (0: until the next one)

private:
    void onMigrated(bool didMigrate, const ProfileStore::Outcome& outcome);
    void activate(const QString& name);
    void selectProfile(int comboIndex);
    void onKeyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome);
    void onSaved(const QString& name, const ProfileStore::Outcome& outcome);
    void onEdited(const QString& name, const ProfileStore::Outcome& outcome);
    void onRenamed(const QString& from, const QString& to, const ProfileStore::Outcome& outcome);
    void onRemoved(const QString& name, const ProfileStore::Outcome& outcome);
    void onStoreChanged();
    void save();
    void forget();
    void removeActive();
    void unlockKeyring();
    void reload();
    void finishLoading();
    void onKeychainFailure(const ProfileStore::Outcome& outcome, const QString& consequence);
    void fillCombo();
    void showProfileFields();
    void updateState();
    void setLoading(bool loading);
    void say(const QString& text, int timeoutMs = 5000);
    QString startName() const;
    static QString rememberedKey();
    static QString quoted(const QString& name); // a profile name as shown: through the output gate
    bool fieldsSaved() const;

    std::unique_ptr<Ui::AccountPane> m_ui;
    ActivityLog* m_log = nullptr;
    SecretStore* m_secrets;
    ProfileStore* m_store;
    std::optional<Profile> m_active; // the profile in use; none before the first is saved
    QString m_savedKey; // what the keyring holds for it, to tell "saved" from "edited"
    QString m_pendingKey; // Save: the key still to write after the fields
    bool m_started = false;
    bool m_loading = true;
    bool m_busy = false; // a keychain write or delete of ours is under way
    bool m_locked = false;
    SecretStore::Status m_keyringProblem = SecretStore::Status::Ok; // the last failure: the key lives in memory only
    QPointer<QWidget> m_forgetQuestion;
    QPointer<QObject> m_keyringUnlock;
};
