#include "secretcheck.h"

#include <QRandomGenerator>

namespace SecretCheck {

QString randomChars(int n, const char* alphabet)
{
    const int size = int(qstrlen(alphabet));
    QString s;
    for (int i = 0; i < n; ++i)
        s += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(size)]);
    return s;
}

int longestLeak(const QString& text, const QString& secret)
{
    int longest = 0;
    for (int len = 5; len <= secret.size(); ++len) {
        bool found = false;
        for (int start = 0; start + len <= secret.size() && !found; ++start)
            found = text.contains(QStringView(secret).mid(start, len));
        if (!found)
            break;
        longest = len;
    }
    return longest;
}

QString dangerousCharacterIn(const QString& text, bool lineBreaksAllowed)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (lineBreaksAllowed && u == u'\n')
            continue;
        if (u < 0x20 || (u >= 0x7F && u <= 0x9F) || (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069)
            || u == 0x200E || u == 0x200F || u == 0x061C || u == 0x2028 || u == 0x2029)
            return QStringLiteral("U+%1").arg(uint(u), 4, 16, QLatin1Char('0'));
    }
    return QString();
}

} // namespace SecretCheck
