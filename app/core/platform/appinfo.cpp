#include "appinfo.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

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

    static bool installed = false;
    if (installed)
        return;
    installed = true;
    auto* english = new QTranslator(QCoreApplication::instance());
    if (english->load(QStringLiteral(":/i18n/ftcancel_en.qm")))
        QCoreApplication::installTranslator(english);
    auto* local = new QTranslator(QCoreApplication::instance());
    if (!QLocale().name().startsWith(QLatin1String("en"))
        && local->load(QLocale(), QStringLiteral("ftcancel"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(local);
}

} // namespace AppInfo
