#pragma once

#include "apiconfig.h"
#include "profilestore.h"
#include "provider.h"

#include <QDialog>
#include <QPointer>
#include <QSet>
#include <QString>

#include <memory>

class JobLister;
class QLineEdit;
class QMessageBox;

namespace Ui {
class ProfileDialog;
}

// The named profiles, as an operator adds, edits, renames, deletes and tests them: the list on the left, the
// selected profile's fields on the right. Everything is written through the ProfileStore (whose own signals tell
// the window what changed); the key goes to the keyring only and is never shown or read into the form. Test key
// asks the provider for one job with the form's values and an empty environment. Non-modal; nothing blocks.
// messageShown(text) follows every outcome the dialog shows (for the window's log); it never holds a key.
class ProfileDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileDialog)

public:
    // requestSettings: the timeouts, retries and CAs of the key test (AppSettings::apiConfig).
    ProfileDialog(ProfileStore* store, const ApiConfig& requestSettings, QWidget* parent = nullptr);
    ~ProfileDialog() override;

    // Shows the profile of that name in the form; an unknown name changes nothing.
    void selectProfile(const QString& name);

signals:
    void messageShown(const QString& text);

private:
    // What Save is waiting for: one store operation at a time, each started by the last one's signal.
    enum class Step { None, Adding, Renaming, Editing, SettingKey, Removing };

    void guardAgainstKeys(QLineEdit* edit, const QString& field);
    void fillList();
    void onRowChanged();
    void showProfile(const Profile& p, bool isNew);
    void startNew();
    void updateProviderFields();
    void updateKeyPlaceholder();
    void updateButtons();
    Profile formProfile() const;
    void showMessage(const QString& text, bool outcome = true);

    void save();
    void onAdded(const QString& name, const ProfileStore::Outcome& outcome);
    void onRenamed(const QString& from, const QString& to, const ProfileStore::Outcome& outcome);
    void onEdited(const QString& name, const ProfileStore::Outcome& outcome);
    void onKeySet(const QString& name, const ProfileStore::Outcome& outcome);
    void saved();
    void failed(const ProfileStore::Outcome& outcome);

    void askToDelete();
    void onRemoved(const QString& name, const ProfileStore::Outcome& outcome);
    void makeDefault();

    void testKey();
    void onKeyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome);
    void runTest(const Profile& p, const QString& key);
    void onTestFinished(JobLister* lister, const QString& provider);

    std::unique_ptr<Ui::ProfileDialog> m_ui;
    ProfileStore* m_store;
    ApiConfig m_requestSettings;
    QString m_current; // the saved name of the profile in the form; empty for a new one
    bool m_isNew = true;
    Step m_step = Step::None;
    Profile m_pending; // what Save is writing
    QString m_pendingKey; // the key Save is writing; cleared when it ends
    QSet<QString> m_withoutKey; // profiles the keyring was found to hold no key for
    QPointer<QMessageBox> m_deleteQuestion;
    QPointer<JobLister> m_tester;
    bool m_readingKeyForTest = false;
    QString m_testName; // whose saved key is being read for the test
    Profile m_testProfile; // the form's values when Test key was pressed
};
