#pragma once

#include <QString>

// Names shared by every part of FtCancel: the app id is used for the desktop file, the icon,
// the keychain service name and the settings organisation, so all of them stay in step.
namespace AppInfo {
QString appId();
QString displayName();
QString version();
QString userAgent();
// Sets organisation/application names on the running QCoreApplication and installs the translations
// (English plural forms, then the user's language when FtCancel has it).
void applyToApplication();
} // namespace AppInfo
