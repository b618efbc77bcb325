#pragma once

#include "provider.h"

#include <QString>

#include <optional>

// Profiles for the window's tests, through the real ProfileStore on the real keyring: each call waits for the
// store's answer (up to 15 s) and says in *error why it failed.
namespace ProfileFixture {
// Every profile gone (its fields and its keychain entry), and with them the default, the window's remembered
// profile and the migration flag: a test starts as a first run does.
bool removeAll(QString* error = nullptr);
bool add(const Profile& profile, const QString& key, QString* error = nullptr);
bool addOpenAi(const QString& name, const QString& key, QString* error = nullptr);
// The key saved in the profile's keychain entry; none when it has no entry (or the keyring failed).
std::optional<QString> savedKey(const QString& name);
} // namespace ProfileFixture
