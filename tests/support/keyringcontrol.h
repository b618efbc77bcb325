#pragma once

#include <QString>
#include <optional>

// Locks and unlocks the default collection of the Secret Service on the session bus — in tests, the private
// gnome-keyring of tests/with-keyring.sh — the way a screen lock or a user would, so a test can show what the
// app says about a really locked keyring. Blocking D-Bus calls: for tests only.
namespace KeyringControl {
// Whether the default collection is locked; nothing when the Secret Service cannot tell (error in *error).
std::optional<bool> isLocked(QString* error = nullptr);
// org.freedesktop.Secret.Service.Lock on the default collection (gnome-keyring locks without a prompt).
bool lock(QString* error = nullptr);
// Unlocks it with its password through gnome-keyring's own interface (the standard Unlock needs a prompt).
bool unlock(const QString& password, QString* error = nullptr);
// Stores a QtKeychain text entry (its libsecret schema: service, key) in gnome-keyring's "session" collection, which
// is never locked, instead of the default one where QtKeychain writes. A read (QtKeychain searches every collection)
// still finds it while the default collection is locked and every write is refused: an old entry that can be read
// but not written beside.
bool storeInSessionCollection(const QString& serviceName, const QString& key, const QString& text,
                              QString* error = nullptr);
} // namespace KeyringControl
