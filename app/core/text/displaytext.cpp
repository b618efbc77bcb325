#include "displaytext.h"

#include "outputgate.h"

#include <QDateTime>
#include <QLocale>

namespace DisplayText {

QString localTime(qint64 secs)
{
    if (secs <= 0)
        return QString();
    const QDateTime when = QDateTime::fromSecsSinceEpoch(secs).toLocalTime();
    const QLocale locale;
    if (when.date() == QDate::currentDate())
        return locale.toString(when.time(), QLocale::ShortFormat);
    return locale.toString(when, QLocale::ShortFormat);
}

QString toolTip(const QString& text)
{
    if (text.isEmpty())
        return QString();
    return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>")
        .arg(OutputGate::clean(text, OutputGate::lineBytes * 2).toHtmlEscaped());
}

} // namespace DisplayText
