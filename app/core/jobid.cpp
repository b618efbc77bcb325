#include "jobid.h"

#include <QUrl>

namespace {

bool isIdChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '_';
}

bool isInvisible(QChar c)
{
    const char16_t u = c.unicode();
    return c.isSpace() || u == 0x200B || u == 0x200C || u == 0x200D || u == 0x2060 || u == 0xFEFF;
}

QString trimInvisible(QString s)
{
    int start = 0;
    int end = s.size();
    while (start < end && isInvisible(s.at(start)))
        ++start;
    while (end > start && isInvisible(s.at(end - 1)))
        --end;
    return s.mid(start, end - start);
}

// Removes whitespace and one or more layers of matching quotes/brackets around the text.
QString stripWrapping(QString s)
{
    static const QList<QPair<QChar, QChar>> pairs = {
        {u'"', u'"'},
        {u'\'', u'\''},
        {u'`', u'`'},
        {u'<', u'>'},
        {QChar(0x201C), QChar(0x201D)},
        {QChar(0x2018), QChar(0x2019)},
        {QChar(0x00AB), QChar(0x00BB)},
        {u'(', u')'},
        {u'[', u']'},
    };
    for (;;) {
        s = trimInvisible(s);
        bool stripped = false;
        if (s.size() >= 2) {
            for (const auto& pair : pairs) {
                if (s.front() == pair.first && s.back() == pair.second) {
                    s = s.mid(1, s.size() - 2);
                    stripped = true;
                    break;
                }
            }
        }
        // A trailing comma or semicolon often comes along when copying from a list or JSON.
        while (!s.isEmpty() && (s.back() == u',' || s.back() == u';')) {
            s.chop(1);
            stripped = true;
        }
        if (!stripped)
            return s;
    }
}

bool looksLikeUrl(const QString& s)
{
    return s.contains(QLatin1String("://")) || s.startsWith(QLatin1String("platform.openai.com/"))
        || s.startsWith(QLatin1String("api.openai.com/"));
}

// From a dashboard or API URL, the path segment that holds the job id.
QString idFromUrl(const QString& text)
{
    QString withScheme = text.contains(QLatin1String("://")) ? text : QStringLiteral("https://") + text;
    const QUrl url(withScheme, QUrl::StrictMode);
    if (!url.isValid())
        return QString();
    const QStringList segments = url.path(QUrl::FullyEncoded).split(u'/', Qt::SkipEmptyParts);
    for (auto it = segments.crbegin(); it != segments.crend(); ++it) {
        if (it->startsWith(QLatin1String("ftjob")) || it->startsWith(QLatin1String("ft-")))
            return *it;
    }
    return segments.isEmpty() ? QString() : segments.last();
}

QString describeChar(QChar c)
{
    const QString hex = QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
    if (c.isSpace())
        return JobId::tr("a space or line break (%1)").arg(hex);
    if (c.unicode() < 0x20 || c.unicode() == 0x7F)
        return JobId::tr("a control character (%1)").arg(hex);
    if (c.unicode() < 0x80)
        return QStringLiteral("\u201C%1\u201D").arg(c);
    return JobId::tr("\u201C%1\u201D (%2, not a plain ASCII letter — was it retyped or copied from a document?)")
        .arg(c)
        .arg(hex);
}

} // namespace

JobId::Parsed JobId::parse(const QString& pasted)
{
    Parsed result;
    QString text = stripWrapping(pasted);
    if (text.isEmpty()) {
        result.error = tr("Paste a job id such as ftjob-abc123.");
        return result;
    }

    if (looksLikeUrl(text)) {
        const QString fromUrl = idFromUrl(text);
        if (fromUrl.isEmpty()) {
            result.error = tr("That URL does not contain a job id. Open the job in the dashboard and copy its id.");
            return result;
        }
        text = fromUrl;
    }

    // Things that are often pasted by mistake, recognised before the character check so the message can say
    // what they are.
    if (text.startsWith(QLatin1String("ft:"))) {
        result.error = tr("That is a fine-tuned model name (ft:…), not a job id. Job ids start with ftjob-.");
        return result;
    }
    if (text.startsWith(QLatin1String("file-"))) {
        result.error = tr("That is a file id (file-…), not a job id. Job ids start with ftjob-.");
        return result;
    }
    if (text.startsWith(QLatin1String("ftckpt"))) {
        result.error = tr("That is a checkpoint id (ftckpt_…), not a job id. Job ids start with ftjob-.");
        return result;
    }
    if (text.startsWith(QLatin1String("ftevent-"))) {
        result.error = tr("That is a job event id (ftevent-…), not a job id. Job ids start with ftjob-.");
        return result;
    }

    for (const QChar c : text) {
        if (!isIdChar(c)) {
            result.error = tr("A job id has only letters, digits, - and _; this contains %1.").arg(describeChar(c));
            return result;
        }
    }
    if (text.size() > maxLength) {
        result.error = tr("That is %n character(s) long; a job id is much shorter.", nullptr, int(text.size()));
        return result;
    }

    if (text.startsWith(QLatin1String("ftjob-"))) {
        if (text.size() == 6) {
            result.error = tr("The job id is cut off after \u201Cftjob-\u201D.");
            return result;
        }
        result.id = text;
        return result;
    }
    if (text.startsWith(QLatin1String("ft-")) && text.size() > 3) {
        result.id = text;
        result.warning = tr("\u201Cft-\u201D is a legacy job id; the API that used them was retired in January 2024, "
                            "so the request will probably fail. Current job ids start with ftjob-.");
        return result;
    }
    if (text.startsWith(QLatin1String("ftjob_"))) {
        result.error = tr("Job ids start with \u201Cftjob-\u201D (with a hyphen); did you mean %1?")
                           .arg(QStringLiteral("ftjob-") + text.mid(6));
        return result;
    }
    result.error = tr("\u201C%1\u201D is not a job id: job ids start with ftjob-.").arg(text.left(40));
    return result;
}
