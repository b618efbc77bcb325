#include "outputgate.h"

#include <QCoreApplication>
#include <QMutex>
#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

// A registered secret and, for finding a piece of it that arrived cut short, every run of gramLength characters
// of its body (the part after a public prefix such as "sk-proj-", which is the same for every key).
constexpr int gramLength = 8;
constexpr int minSecretLength = 8;
// Before cutting, this much more than the cap is masked, so a secret straddling the cut is seen whole.
constexpr int maskMargin = 1024;

struct Secret
{
    std::u16string text;
    std::unordered_map<std::u16string_view, std::vector<int>> grams; // views into text
    QString tail; // OutputGate::maskKey(text), what a whole occurrence becomes
};

struct Registry
{
    std::vector<std::shared_ptr<const Secret>> secrets;
};

QMutex registryMutex;
std::shared_ptr<const Registry> registry = std::make_shared<Registry>();

std::shared_ptr<const Registry> currentRegistry()
{
    QMutexLocker lock(&registryMutex);
    return registry;
}

int publicPrefixLength(QStringView key)
{
    static const QRegularExpression prefix(
        QStringLiteral("^(?:sk-ant-(?:api|admin)\\d\\d-|sk-(?:proj-|svcacct-|admin-)?|tgp_v1_)"));
    const QRegularExpressionMatch m = prefix.match(key);
    return m.hasMatch() ? int(m.capturedLength(0)) : 0;
}

struct Range
{
    qsizetype start;
    qsizetype end;
    QString replacement;
};

// Where each character of a text that was transformed (masked, neutralised) came from, so a cut can be made only
// between whole replacements and the size note can count what is left of the text as it was given: source[i] is
// the index, in the input, of the piece that output character i belongs to (source[size] is the input's size), and
// start[i] whether such a piece starts at i.
struct Origin
{
    std::vector<qsizetype> source;
    std::vector<bool> start;

    void add(qsizetype from, qsizetype characters)
    {
        for (qsizetype k = 0; k < characters; ++k) {
            source.push_back(from);
            start.push_back(k == 0);
        }
    }
    void end(qsizetype inputSize)
    {
        source.push_back(inputSize);
        start.push_back(true);
    }
};

// Replaces ranges (sorted by start, possibly overlapping) in text; the first of overlapping ranges wins and grows.
QString applyRanges(QStringView text, std::vector<Range> ranges, Origin* origin = nullptr)
{
    if (ranges.empty() && !origin)
        return text.toString();
    std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.start < b.start; });
    QString out;
    out.reserve(text.size());
    qsizetype pos = 0;
    const auto copy = [&](qsizetype to) {
        if (origin) {
            for (qsizetype k = pos; k < to; ++k) {
                origin->source.push_back(k);
                origin->start.push_back(!text.at(k).isLowSurrogate() || k == 0 || !text.at(k - 1).isHighSurrogate());
            }
        }
        out += text.mid(pos, to - pos);
    };
    for (size_t i = 0; i < ranges.size();) {
        Range merged = ranges[i++];
        while (i < ranges.size() && ranges[i].start < merged.end) {
            merged.end = std::max(merged.end, ranges[i].end);
            ++i;
        }
        copy(merged.start);
        if (origin)
            origin->add(merged.start, merged.replacement.size());
        out += merged.replacement;
        pos = merged.end;
    }
    copy(text.size());
    if (origin)
        origin->end(text.size());
    return out;
}

// Every occurrence of a registered secret, whole or as a piece of at least gramLength characters of its body.
std::vector<Range> secretRanges(QStringView text, const Registry& reg)
{
    std::vector<Range> ranges;
    const auto* data = reinterpret_cast<const char16_t*>(text.utf16());
    const qsizetype n = text.size();
    for (const auto& secret : reg.secrets) {
        const std::u16string& s = secret->text;
        const qsizetype len = qsizetype(s.size());
        for (qsizetype i = 0; i + gramLength <= n; ++i) {
            const auto hit = secret->grams.find(std::u16string_view(data + i, gramLength));
            if (hit == secret->grams.end())
                continue;
            qsizetype furthest = i;
            for (const int p : hit->second) {
                qsizetype a = i;
                qsizetype b = p;
                while (a > 0 && b > 0 && data[a - 1] == s[size_t(b - 1)]) {
                    --a;
                    --b;
                }
                qsizetype e = i + gramLength;
                qsizetype f = p + gramLength;
                while (e < n && f < len && data[e] == s[size_t(f)]) {
                    ++e;
                    ++f;
                }
                // The last four characters are shown only where they are the key's own tail.
                ranges.push_back({a, e, f == len ? secret->tail : QStringLiteral("\u2026")});
                furthest = std::max(furthest, e);
            }
            i = std::max(i, furthest - gramLength);
        }
    }
    return ranges;
}

// The masked form of a key-shaped token's body: its last four characters when it is long enough to be a whole
// key (so the operator can tell which key), else nothing of it.
QString maskedBody(QStringView body)
{
    if (body.startsWith(QChar(0x2026)))
        return body.toString(); // already masked
    QStringView last4 = body.right(4);
    const bool starred = std::all_of(last4.begin(), last4.end(), [](QChar c) { return c == u'*'; });
    if (body.size() >= 16 && !starred)
        return QStringLiteral("\u2026") + last4.toString();
    return QStringLiteral("\u2026");
}

struct Shape
{
    QRegularExpression pattern; // group 1: what is kept (a prefix), group 2: the secret part
    // Text without this (in the pattern's case sensitivity) cannot match; empty for the bare token, which needs a run
    // of 32 letters and digits instead (hasLongAlnumRun).
    QLatin1String hint;
    Qt::CaseSensitivity hintCase = Qt::CaseSensitive;
};

// Whether text has a run of at least 32 ASCII letters and digits: the least a bare token needs.
bool hasLongAlnumRun(QStringView text)
{
    qsizetype run = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool alnum = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
        run = alnum ? run + 1 : 0;
        if (run >= 32)
            return true;
    }
    return false;
}

// Whether the shape's expression can match text at all. Most texts that pass the gate are a status, an id or a
// sentence of ours: running five expressions over each was most of what the gate cost (10 % of a cancel's CPU).
bool mayHold(const Shape& shape, QStringView text)
{
    return shape.hint.isEmpty() ? hasLongAlnumRun(text) : text.contains(shape.hint, shape.hintCase);
}

const std::vector<Shape>& shapes()
{
    static const std::vector<Shape> list = [] {
        const auto re = [](const char* pattern, bool caseInsensitive = false) {
            return QRegularExpression(QString::fromLatin1(pattern),
                                      caseInsensitive ? QRegularExpression::CaseInsensitiveOption
                                                      : QRegularExpression::NoPatternOption);
        };
        std::vector<Shape> s;
        // Anthropic (sk-ant-api03-…, sk-ant-admin01-…); OpenAI's shape leaves them to it.
        s.push_back(
            {re("(?<![A-Za-z0-9])(sk-ant-(?:api|admin)\\d\\d-)([A-Za-z0-9_\\-*]{6,})"), QLatin1String("sk-ant-")});
        // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-); "*" covers the API's own half-masked echo of a key.
        s.push_back(
            {re("(?<![A-Za-z0-9])(sk-(?!ant-(?:api|admin)\\d\\d-)(?:proj-|svcacct-|admin-)?)([A-Za-z0-9_\\-*]{6,})"),
             QLatin1String("sk-")});
        // Together's current keys.
        s.push_back({re("(?<![A-Za-z0-9])(tgp_v1_)([A-Za-z0-9_\\-]{6,})"), QLatin1String("tgp_v1_")});
        // A token in an Authorization header, whatever issued it.
        s.push_back({re("(bearer\\s+)([^\\s\"',;]+)", true), QLatin1String("bearer"), Qt::CaseInsensitive});
        // Azure's api-key header, or a key in a query string or JSON object. (Qt folds case as the expression does:
        // "\u212A", the Kelvin sign, is a "k" to both.)
        s.push_back({re("((?:api[-_]?key|x-api-key)[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"',;&]{6,})", true),
                     QLatin1String("key"), Qt::CaseInsensitive});
        // A bare token of 32 to 128 letters and digits (Azure: 32 hex or 84 characters; Together's older keys: 64
        // hex; Mistral: 32), standing alone: ids carry a prefix (ftjob-…, req_…) and UUIDs hyphens.
        s.push_back({re("(?<![A-Za-z0-9_\\-])()((?=[A-Za-z]*[0-9])(?=[0-9]*[A-Za-z])[A-Za-z0-9]{32,128})"
                        "(?![A-Za-z0-9_\\-])"),
                     QLatin1String()});
        return s;
    }();
    return list;
}

std::vector<Range> shapeRanges(QStringView text)
{
    std::vector<Range> ranges;
    for (const Shape& shape : shapes()) {
        if (!mayHold(shape, text))
            continue;
        QRegularExpressionMatchIterator it = shape.pattern.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            const QStringView body = m.capturedView(2);
            const QString replacement = maskedBody(body);
            if (replacement == body)
                continue;
            ranges.push_back({m.capturedStart(2), m.capturedEnd(2), replacement});
        }
    }
    return ranges;
}

QString maskWith(QStringView text, const Registry& reg, Origin* origin = nullptr)
{
    // Registered secrets first (the key itself, also cut short), then shapes over what is left.
    if (!origin) {
        const QString first = applyRanges(text, secretRanges(text, reg));
        return applyRanges(first, shapeRanges(first));
    }
    Origin firstOrigin;
    const QString first = applyRanges(text, secretRanges(text, reg), &firstOrigin);
    Origin secondOrigin;
    QString second = applyRanges(first, shapeRanges(first), &secondOrigin);
    // Composed: a character of the result comes from where its piece of `first` came from.
    for (size_t i = 0; i < secondOrigin.source.size(); ++i) {
        const auto p = size_t(secondOrigin.source[i]);
        origin->source.push_back(firstOrigin.source[p]);
        origin->start.push_back(secondOrigin.start[i] && firstOrigin.start[p]);
    }
    return second;
}

// Characters that change how text reads or is laid out without being seen: bidi controls (which reorder what a
// person reads), zero-width and joiner characters, Unicode's default-ignorable code points (a soft hyphen, Hangul
// fillers, variation selectors, tag characters …, which make "running\u00AD" look like "running") and every other
// format character (category Cf).
bool isBidiOrInvisible(char32_t u)
{
    const auto in = [u](char32_t first, char32_t last) {
        return u >= first && u <= last;
    };
    if (u == 0x00AD || u == 0x034F || u == 0x061C || u == 0x115F || u == 0x1160 || u == 0x17B4 || u == 0x17B5
        || in(0x180B, 0x180F) || in(0x200B, 0x200F) || u == 0x2028 || u == 0x2029 || in(0x202A, 0x202E)
        || in(0x2060, 0x206F) || u == 0x3164 || in(0xFE00, 0xFE0F) || u == 0xFEFF || u == 0xFFA0 || in(0xFFF0, 0xFFFB)
        || in(0x1BCA0, 0x1BCA3) || in(0x1D173, 0x1D17A) || in(0xE0000, 0xE007F) || in(0xE0100, 0xE01EF))
        return true;
    return QChar::category(u) == QChar::Other_Format;
}

// Control characters become the Control Pictures a person can see (␛, ␊ …); C1 controls, bidi overrides,
// invisible characters (also outside the BMP, as one "[U+E0041]" for a surrogate pair) and broken UTF-16 become
// "[U+XXXX]" / U+FFFD.
QString neutralise(QStringView text, Origin* origin = nullptr)
{
    // Printable ASCII, as ids, statuses and most messages are, has nothing to replace.
    const auto printable = [](QChar c) {
        return c.unicode() >= 0x20 && c.unicode() < 0x7F;
    };
    if (!origin && std::all_of(text.begin(), text.end(), printable))
        return text.toString();
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const qsizetype from = i;
        const qsizetype before = out.size();
        const QChar c = text.at(i);
        const char16_t u = c.unicode();
        if (u < 0x20) {
            out += QChar(char16_t(0x2400 + u));
        } else if (u == 0x7F) {
            out += QChar(char16_t(0x2421));
        } else if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            const char32_t point = QChar::surrogateToUcs4(c, text.at(i + 1));
            if (isBidiOrInvisible(point)) {
                out += QStringLiteral("[U+%1]").arg(uint(point), 4, 16, QLatin1Char('0')).toUpper();
            } else {
                out += c;
                out += text.at(i + 1);
            }
            ++i;
        } else if (c.isSurrogate()) {
            out += QChar(QChar::ReplacementCharacter);
        } else if ((u >= 0x80 && u <= 0x9F) || isBidiOrInvisible(u)) {
            out += QStringLiteral("[U+%1]").arg(uint(u), 4, 16, QLatin1Char('0')).toUpper();
        } else {
            out += c;
        }
        if (origin)
            origin->add(from, out.size() - before);
    }
    if (origin)
        origin->end(text.size());
    return out;
}

qint64 utf8Bytes(QChar c)
{
    const char16_t u = c.unicode();
    if (u < 0x80)
        return 1;
    if (u < 0x800 || c.isSurrogate())
        return 2; // a surrogate pair is 4 bytes, 2 for each half
    return 3;
}

qint64 utf8Length(QStringView text)
{
    qint64 bytes = 0;
    for (const QChar c : text)
        bytes += utf8Bytes(c);
    return bytes;
}

} // namespace

namespace OutputGate {

void addSecret(const QString& secret)
{
    if (secret.size() < minSecretLength)
        return;
    QMutexLocker lock(&registryMutex);
    for (const auto& known : registry->secrets) {
        if (QStringView(known->text.data(), qsizetype(known->text.size())) == secret)
            return;
    }
    auto entry = std::make_shared<Secret>();
    entry->text.assign(reinterpret_cast<const char16_t*>(secret.utf16()), size_t(secret.size()));
    entry->tail = maskKey(secret);
    const int body = publicPrefixLength(secret);
    for (int p = body; p + gramLength <= int(entry->text.size()); ++p)
        entry->grams[std::u16string_view(entry->text.data() + p, gramLength)].push_back(p);
    auto next = std::make_shared<Registry>(*registry);
    next->secrets.push_back(std::move(entry));
    registry = std::move(next);
}

QString maskKey(QStringView key)
{
    if (key.isEmpty())
        return QString();
    // Showing four characters of a very short secret would give away too much of it.
    if (key.size() < 12)
        return QStringLiteral("\u2026");
    return QStringLiteral("\u2026") + key.right(4).toString();
}

QString mask(QStringView text)
{
    return maskWith(text, *currentRegistry());
}

bool containsSecret(QStringView text)
{
    return mask(text) != text;
}

QString clean(QStringView text, int maxBytes, qint64 bytesNotGiven)
{
    if (text.isEmpty() && bytesNotGiven <= 0)
        return QString(); // most optional fields of an answer: nothing to mask, show or cut

    // Only a window a little longer than the cap is worked on, so a 7 MiB message costs what 3 KiB do; the window
    // is masked before anything is cut, and it reaches far enough past the cap to hold any secret whole.
    const qsizetype window
        = maxBytes > 0 ? std::min<qsizetype>(text.size(), qsizetype(maxBytes) + maskMargin) : text.size();
    const std::shared_ptr<const Registry> reg = currentRegistry();
    const QString shown = neutralise(maskWith(text.left(window), *reg));
    if (maxBytes <= 0 || (window == text.size() && bytesNotGiven <= 0 && utf8Length(shown) <= maxBytes))
        return shown;

    // To be cut: again, knowing where each character shown came from. A cut falls only between whole pieces (never
    // inside "[U+202E]" or a masked key), and the note counts the bytes of the text as given that are not shown,
    // not those of its longer (neutralised) or shorter (masked) form.
    Origin masked;
    const QString maskedText = maskWith(text.left(window), *reg, &masked);
    Origin neutralised;
    neutralise(maskedText, &neutralised);
    const auto isCut = [&](qsizetype at) {
        const auto p = size_t(neutralised.source[size_t(at)]);
        return neutralised.start[size_t(at)] && masked.start[p];
    };
    qint64 kept = 0;
    qsizetype cut = 0;
    for (qsizetype i = 0; i < shown.size();) {
        const bool pair = shown.at(i).isHighSurrogate() && i + 1 < shown.size();
        const qint64 bytes = pair ? 4 : utf8Bytes(shown.at(i));
        if (kept + bytes > maxBytes)
            break;
        kept += bytes;
        i += pair ? 2 : 1;
        if (isCut(i))
            cut = i;
    }
    const qsizetype givenShown = masked.source[size_t(neutralised.source[size_t(cut)])];
    const qint64 more = utf8Length(text.mid(givenShown)) + qMax<qint64>(0, bytesNotGiven);
    if (more == 0)
        return shown;
    // (Computed apart: lupdate loops forever on a template argument list inside translate().)
    const int moreCount = int(qMin(more, qint64(std::numeric_limits<int>::max())));
    return shown.left(cut) + QCoreApplication::translate("OutputGate", "\u2026 (%n byte(s) more)", nullptr, moreCount);
}

} // namespace OutputGate
