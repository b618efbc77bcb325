#pragma once

#include "apiconfig.h"
#include "provider.h"
#include "secretstore.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

// The named profiles: their non-secret fields in QSettings (group "profiles", one child group per profile), each
// one's key in its own keychain entry (SecretStore::profileEntry). No secret ever goes to QSettings: renaming a
// profile moves its secret, removing it deletes it. Reads of the fields are synchronous; everything that touches
// the keychain is asynchronous and ends with exactly one signal, queued (so a caller may connect after calling).
class ProfileStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileStore)

public:
    struct Outcome
    {
        SecretStore::Status status = SecretStore::Status::Ok; // of the keychain
        QString message; // translated; empty when Ok. Said in plain words, never with the key
        // Refused before the keychain was asked (a bad name or field, no such profile): status stays Ok.
        bool refused = false;
        bool isOk() const { return status == SecretStore::Status::Ok && !refused; }
    };

    explicit ProfileStore(SecretStore* secrets, QObject* parent = nullptr);

    QList<Profile> profiles() const; // sorted by name
    std::optional<Profile> profile(const QString& name) const;
    QStringList names() const; // sorted
    // The remembered profile: the one the window shows on start and the command line uses without --profile.
    // "" when none is set or when it names no profile any more.
    QString defaultName() const;
    void setDefault(const QString& name); // synchronous; "" clears it; emits defaultChanged when it changes

    static constexpr int maxNameLength = 64;
    // "" when name can be a new profile's (or `except`'s new name when renaming it); else why not, translated.
    QString checkName(const QString& name, const QString& except = {}) const;
    // "" when the fields can be used; else the first problem, translated: the base URL (Azure has no default: its
    // endpoint must be given), the organization and project (OpenAI only), the API version (Azure only; "v1" or a
    // date such as 2024-10-21, optionally with -preview).
    static QString checkFields(const Profile& p);
    static QString migratedName(); // "Default"

    // The single credential of the releases before profiles (the legacy keychain entry: key, organization, project;
    // the base URL from AppSettings) becomes the OpenAI profile migratedName() (or "Default 2", … when taken),
    // without asking for the key. The legacy entry is deleted only after the new one is written and read back
    // equal; a failed write or read-back leaves it in place (the outcome says so) and migrate() tries again next
    // time. Nothing to migrate or already migrated: migrated(false, ok). migrated(true, not ok): the profile is
    // there and complete, but the old entry could not be deleted.
    void migrate();
    bool isMigrated() const; // migrate() has nothing left to do
    void add(const Profile& p, const QString& key); // the first profile also becomes the default
    void edit(const QString& name, const Profile& p); // the fields but the name (p.name is ignored)
    // Demo mode: a profile's fields alone, synchronously, with no keychain call (its key is in SecretStore's memory,
    // SecretStore::useMemoryOnly). The first also becomes the default. "" when added; else why not, translated.
    QString addFields(const Profile& p);
    void setKey(const QString& name, const QString& key);
    void readKey(const QString& name);
    // Writes the secret under the new name, reads it back, then moves the fields (and the default) and deletes
    // the old entry. A profile without a saved key is renamed all the same.
    void rename(const QString& from, const QString& to);
    void remove(const QString& name); // deletes the secret, then the fields; a secret that stays keeps the profile

signals:
    void migrated(bool didMigrate, const ProfileStore::Outcome& outcome);
    void added(const QString& name, const ProfileStore::Outcome& outcome);
    void edited(const QString& name, const ProfileStore::Outcome& outcome);
    void keySet(const QString& name, const ProfileStore::Outcome& outcome);
    void keyRead(const QString& name, const QString& key, const ProfileStore::Outcome& outcome);
    void renamed(const QString& from, const QString& to, const ProfileStore::Outcome& outcome);
    void removed(const QString& name, const ProfileStore::Outcome& outcome);
    void defaultChanged(const QString& name);
    void changed(); // the list or a profile's fields changed

private:
    static Outcome fromSecret(const SecretStore::Outcome& o, const QString& context = {});
    static Outcome refusal(const QString& message);
    static QString checkKey(const QString& key);
    void writeFields(const Profile& p);
    void removeFields(const QString& name);
    QString freeMigrationName() const;
    void migrateCredentials(const Credentials& old);
    void finishMigration(const Profile& p, const QString& entry);
    void moveSecret(const QString& from, const QString& to, const QString& secret);
    void renameFields(const QString& from, const QString& to);
    // Emits a signal later (queued), as every keychain answer comes.
    template <typename F> void later(F f);

    SecretStore* m_secrets;
};

Q_DECLARE_METATYPE(ProfileStore::Outcome)
