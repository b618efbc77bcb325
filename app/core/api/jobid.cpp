#include "jobid.h"

#include "dialect.h"
#include "outputgate.h"

#include <QSet>
#include <QStringList>
#include <QUrl>

#include <utility>

namespace {

// Whether an id is one of a provider's, of any kind of job it runs.
bool fitsAnyKind(const Dialect& dialect, const QString& id)
{
    for (const JobKind kind : dialect.kinds()) {
        if (dialect.fitsId(id, kind, nullptr) != Dialect::IdFit::No)
            return true;
    }
    return false;
}

// What the provider's ids look like, every kind's rule once: "Job ids start with ftjob-. Batch ids start with batch_."
QString ruleOf(const Dialect& dialect)
{
    QStringList rules;
    for (const JobKind kind : dialect.kinds()) {
        if (const QString rule = dialect.idRule(kind); !rules.contains(rule))
            rules << rule;
    }
    return rules.join(u' ');
}

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
        // Read through const: QString's non-const front() and back() copy the string first (one copy per id pasted).
        if (s.size() >= 2) {
            for (const auto& pair : pairs) {
                if (std::as_const(s).front() == pair.first && std::as_const(s).back() == pair.second) {
                    s = s.mid(1, s.size() - 2);
                    stripped = true;
                    break;
                }
            }
        }
        // A trailing comma or semicolon often comes along when copying from a list or JSON.
        while (!s.isEmpty() && (std::as_const(s).back() == u',' || std::as_const(s).back() == u';')) {
            s.chop(1);
            stripped = true;
        }
        if (!stripped)
            return s;
    }
}

bool looksLikeUrl(const QString& s)
{
    if (s.contains(QLatin1String("://")))
        return true;
    // A dashboard or API address pasted without its scheme: the host of one of the providers.
    const QUrl url(QStringLiteral("https://") + s, QUrl::StrictMode);
    if (!s.contains(u'/') || !url.isValid())
        return false;
    for (const Dialect* dialect : Dialect::all()) {
        if (dialect->ownsUrl(url))
            return true;
    }
    return false;
}

// From a dashboard or API URL, the path segment that holds the job id: the last one that is an id of any provider
// (the profile's verdict comes after), else the last one.
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
        for (const Dialect* dialect : Dialect::all()) {
            if (fitsAnyKind(*dialect, *it))
                return *it;
        }
    }
    return segments.isEmpty() ? QString() : segments.last();
}

// "a Mistral AI", "an OpenAI or Azure OpenAI": the providers whose ids `text` is, for the hint; empty when none.
QString ownersOf(const QString& text, Provider except)
{
    QStringList names;
    for (const Dialect* dialect : Dialect::all()) {
        if (dialect->provider() != except && fitsAnyKind(*dialect, text))
            names << dialect->info().displayName;
    }
    if (names.isEmpty())
        return QString();
    const QChar first = names.constFirst().front().toUpper();
    const bool vowel = QStringLiteral("AEIOU").contains(first);
    return (vowel ? QStringLiteral("an ") : QStringLiteral("a ")) + names.join(JobId::tr(" or "));
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

namespace {
// What is not a job id anywhere, recognised before the character check so the message can say what it is; empty
// when the text is none of them.
QString misPasted(const QString& text, const QString& rule)
{
    if (text.startsWith(QLatin1String("ft:")))
        return JobId::tr("That is a fine-tuned model name (ft:…), not a job id. %1").arg(rule);
    if (text.startsWith(QLatin1String("file-")))
        return JobId::tr("That is a file id (file-…), not a job id. %1").arg(rule);
    if (text.startsWith(QLatin1String("ftckpt")))
        return JobId::tr("That is a checkpoint id (ftckpt_…), not a job id. %1").arg(rule);
    if (text.startsWith(QLatin1String("ftevent-")))
        return JobId::tr("That is a job event id (ftevent-…), not a job id. %1").arg(rule);
    return QString();
}

// The verdict on one word of id characters for the profile's provider.
JobId::Parsed judge(const QString& text, const Dialect& dialect, JobKind preferred)
{
    JobId::Parsed result;
    if (text == QLatin1String("ftjob-") || text == QLatin1String("batch_") || text == QLatin1String("msgbatch_")) {
        result.error = JobId::tr("The id is cut off after \u201C%1\u201D.").arg(text);
        return result;
    }
    // The preferred kind first, then the others the provider runs: the first whose ids this is.
    QList<JobKind> kinds = dialect.kinds();
    if (kinds.removeOne(preferred))
        kinds.prepend(preferred);
    for (const JobKind kind : std::as_const(kinds)) {
        QString warning;
        if (const Dialect::IdFit fit = dialect.fitsId(text, kind, &warning); fit != Dialect::IdFit::No) {
            result.id = text;
            result.kind = kind;
            if (fit == Dialect::IdFit::YesWithWarning)
                result.warning = warning;
            return result;
        }
    }
    const QString name = dialect.info().displayName;
    if (const QString owners = ownersOf(text, dialect.provider()); !owners.isEmpty()) {
        result.error = JobId::tr("\u201C%1\u201D looks like %2 job id; choose %2 profile (this profile is %3).")
                           .arg(text.left(40), owners, name);
        return result;
    }
    if (text.startsWith(QLatin1String("ftjob_"))) {
        result.error = JobId::tr("Job ids start with \u201Cftjob-\u201D (with a hyphen); did you mean %1?")
                           .arg(QStringLiteral("ftjob-") + text.mid(6));
        return result;
    }
    result.error = JobId::tr("\u201C%1\u201D is not a job id. %2").arg(text.left(40), ruleOf(dialect));
    return result;
}
} // namespace

JobId::Parsed JobId::parse(const QString& pasted, Provider provider, JobKind preferred)
{
    const Dialect& dialect = Dialect::of(provider);
    Parsed result;
    QString text = stripWrapping(pasted);
    if (text.isEmpty()) {
        result.error = tr("Paste a job id such as %1.").arg(dialect.idExample(dialect.kinds().constFirst()));
        return result;
    }

    // A key pasted where the id goes: said so, and never quoted.
    if (OutputGate::containsSecret(text)) {
        result.error = tr("That looks like an API key, not a job id (it is not shown). %1").arg(ruleOf(dialect));
        return result;
    }

    if (looksLikeUrl(text)) {
        const QString fromUrl = idFromUrl(text);
        if (fromUrl.isEmpty()) {
            result.error = tr("That URL does not contain a job id. Open the job in the dashboard and copy its id.");
            return result;
        }
        text = fromUrl;
        // A dashboard or API address of a batch says the kind where the id alone does not (Mistral's UUIDs).
        const QUrl url(stripWrapping(pasted).contains(QLatin1String("://"))
                           ? stripWrapping(pasted)
                           : QStringLiteral("https://") + stripWrapping(pasted));
        if (dialect.kindOfUrl(url) == JobKind::Batch)
            preferred = JobKind::Batch;
    }

    if (const QString error = misPasted(text, ruleOf(dialect)); !error.isEmpty()) {
        result.error = error;
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
    return judge(text, dialect, preferred);
}

namespace {

bool isSeparator(QChar c)
{
    return c.isSpace() || c == u',' || c == u';' || c == u'|';
}

// JSON and log decorations around or between the pieces of one fragment; URLs keep theirs.
bool isDecoration(QChar c)
{
    static const QString marks = QStringLiteral("\"'`:=()[]{}<>\u201C\u201D\u2018\u2019\u00AB\u00BB");
    return marks.contains(c);
}

// Whether a piece of pasted text was meant as an id (or is a key pasted by mistake), as opposed to an ordinary
// word of a log line or a JSON key, which is passed over.
bool looksMeantAsId(const QString& piece, const Dialect& dialect)
{
    // An id of the profile's provider (a Mistral UUID), or of another (refused with the hint naming it).
    if (fitsAnyKind(dialect, piece) || !ownersOf(piece, dialect.provider()).isEmpty())
        return true;
    const QString lower = piece.toLower();
    if (lower.contains(QLatin1String("ftjob")) || lower.startsWith(QLatin1String("ft-"))
        || lower.startsWith(QLatin1String("ft:")) || lower.startsWith(QLatin1String("ftckpt"))
        || lower.startsWith(QLatin1String("ftevent")) || lower.startsWith(QLatin1String("file-")))
        return true;
    // Look-alike characters ("ftjоb-…" with a Cyrillic о) still start with "ft" and carry a hyphen.
    if (lower.startsWith(QLatin1String("ft")) && piece.size() >= 6 && (piece.contains(u'-') || piece.contains(u'_')))
        return true;
    return OutputGate::containsSecret(piece);
}

QStringList splitFragments(const QString& text)
{
    QStringList fragments;
    QString current;
    for (const QChar c : text) {
        if (isSeparator(c)) {
            if (!current.isEmpty())
                fragments << current;
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        fragments << current;
    return fragments;
}

// A fragment that is not a URL, split at JSON / log decorations: "id":"ftjob-abc" gives id and ftjob-abc. A model
// name (ft:…) stays whole so it can be named as what it is.
QStringList pieces(const QString& fragment)
{
    if (fragment.contains(QLatin1String("://")) || looksLikeUrl(fragment))
        return {fragment};
    QString trimmed = fragment;
    while (!trimmed.isEmpty() && isDecoration(trimmed.front()))
        trimmed.remove(0, 1);
    if (trimmed.startsWith(QLatin1String("ft:")))
        return {trimmed};
    QStringList out;
    QString current;
    for (const QChar c : fragment) {
        if (isDecoration(c)) {
            if (!current.isEmpty())
                out << current;
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        out << current;
    return out;
}

} // namespace

JobId::Extracted JobId::extract(const QString& pasted, Provider provider, JobKind preferred)
{
    const Dialect& dialect = Dialect::of(provider);
    Extracted result;
    for (const QStringView line : QStringView(pasted).split(u'\n')) {
        if (!line.trimmed().isEmpty())
            ++result.lines;
    }
    QSet<QString> seen;
    const auto take = [&](const QString& piece, const Parsed& parsed) {
        if (parsed.isValid()) {
            if (seen.contains(parsed.id)) {
                ++result.duplicates;
                return;
            }
            seen.insert(parsed.id);
            result.ids << parsed;
            return;
        }
        // The fragment passes the gate: a key pasted by mistake is masked, never echoed.
        result.rejected << Rejected{OutputGate::clean(piece.trimmed(), 80),
                                    OutputGate::clean(parsed.error, OutputGate::lineBytes)};
    };

    const QStringList fragments = splitFragments(pasted);
    if (fragments.size() <= 1) {
        // One fragment: judged as one id, with every message parse() gives.
        if (fragments.isEmpty() && pasted.trimmed().isEmpty())
            return result;
        take(pasted, parse(pasted, provider, preferred));
        return result;
    }
    for (const QString& fragment : fragments) {
        for (const QString& piece : pieces(fragment)) {
            if (looksMeantAsId(piece, dialect))
                take(piece, parse(piece, provider, preferred));
        }
    }
    return result;
}

QString JobId::summary(const Extracted& extracted)
{
    QStringList parts;
    parts << tr("%n id(s)", nullptr, int(extracted.ids.size()));
    if (extracted.duplicates > 0)
        parts << tr("%n duplicate(s)", nullptr, extracted.duplicates);
    if (!extracted.rejected.isEmpty())
        parts << tr("%n not id(s)", nullptr, int(extracted.rejected.size()));
    return tr("%n line(s): %1", nullptr, qMax(1, extracted.lines)).arg(parts.join(QStringLiteral(", ")));
}
