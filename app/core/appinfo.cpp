#include "appinfo.h"

#include <QCoreApplication>

namespace AppInfo {

QString appId()
{
    return QStringLiteral(FTCANCEL_APP_ID);
}

QString displayName()
{
    return QStringLiteral("FtCancel");
}

QString version()
{
    return QStringLiteral(FTCANCEL_VERSION);
}

QString userAgent()
{
    return QStringLiteral("FtCancel/%1").arg(version());
}

void applyToApplication()
{
    QCoreApplication::setOrganizationName(appId());
    QCoreApplication::setApplicationName(displayName());
    QCoreApplication::setApplicationVersion(version());
}

} // namespace AppInfo
