#include "redaction.h"

#include <QRegularExpression>

namespace Redaction {

QString maskKey(const QString& key)
{
    if (key.isEmpty())
        return QString();
    // Showing four characters of a very short secret would give away too much of it.
    if (key.size() < 12)
        return QStringLiteral("\u2026");
    return QStringLiteral("\u2026") + key.right(4);
}

QString redact(const QString& text, const QStringList& secrets)
{
    QString out = text;
    for (const QString& secret : secrets) {
        if (secret.size() >= 4)
            out.replace(secret, maskKey(secret));
    }
    static const QRegularExpression bearer(QStringLiteral("(Bearer\\s+)([^\\s\"',;]+)"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression skKey(QStringLiteral("\\bsk-[A-Za-z0-9_\\-\\*]{6,}"));
    QRegularExpressionMatchIterator it = bearer.globalMatch(out);
    QString result;
    qsizetype last = 0;
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.captured(2).startsWith(QChar(0x2026)))
            continue; // already masked
        result += QStringView(out).mid(last, m.capturedStart(2) - last);
        result += maskKey(m.captured(2));
        last = m.capturedEnd(2);
    }
    result += QStringView(out).mid(last);
    out = result;

    result.clear();
    last = 0;
    it = skKey.globalMatch(out);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        result += QStringView(out).mid(last, m.capturedStart(0) - last);
        result += QStringLiteral("sk-") + maskKey(m.captured(0));
        last = m.capturedEnd(0);
    }
    result += QStringView(out).mid(last);
    return result;
}

} // namespace Redaction
