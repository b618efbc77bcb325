#include "auditjson.h"

#include "apiconfig.h"
#include "auditlog.h"
#include "outputgate.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>

namespace {
// JSON keys: snake_case like the CLI's --json output. Changing one makes older lines unreadable.
const QLatin1String keyTime("time");
const QLatin1String keyJobId("job_id");
const QLatin1String keyOrganization("organization");
const QLatin1String keyProject("project");
const QLatin1String keyBaseHost("base_host");
const QLatin1String keyHttpStatus("http_status");
const QLatin1String keyStatus("status");
const QLatin1String keyRequestId("request_id");
const QLatin1String keyErrorKind("error_kind");
const QLatin1String keyErrorMessage("error_message");
const QLatin1String keyAttempts("attempts");
const QLatin1String keySource("source");
const QLatin1String keyProfile("profile");
const QLatin1String keyProvider("provider");
const QLatin1String keyKind("kind");
const QLatin1String keyAction("action");

// A JSON string as QJsonDocument writes one (tst_auditlog compares them byte for byte): '"' and '\\' escaped,
// control characters as \b \f \n \r \t or \u00XX, a lone surrogate as \uXXXX, everything else as UTF-8.
void appendJsonString(QByteArray& out, QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    qsizetype plain = 0; // where the characters written as they are start
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text[i];
        const char16_t u = c.unicode();
        if (c.isHighSurrogate() && i + 1 < n && text[i + 1].isLowSurrogate()) {
            ++i; // a pair: as UTF-8, with the rest
            continue;
        }
        if (u >= 0x20 && u != '"' && u != '\\' && !c.isSurrogate())
            continue;
        out += text.mid(plain, i - plain).toUtf8();
        plain = i + 1;
        out += '\\';
        switch (u) {
        case '"':
        case '\\':
            out += char(u);
            break;
        case '\b':
            out += 'b';
            break;
        case '\f':
            out += 'f';
            break;
        case '\n':
            out += 'n';
            break;
        case '\r':
            out += 'r';
            break;
        case '\t':
            out += 't';
            break;
        default:
            out += 'u';
            for (const int shift : {12, 8, 4, 0})
                out += hex[(u >> shift) & 0xf];
        }
    }
    out += text.mid(plain).toUtf8();
    out += '"';
}

// On the way out every field gets a little more room than on the way in, so a field that was capped when written
// (it ends "… (N bytes more)") is shown as it is instead of being capped again.
constexpr int capNoteRoom = 64;

} // namespace

namespace AuditJson {

// Made by hand: building a QJsonObject and serialising it was most of what a cancel's audit line cost.
QByteArray toLine(const AuditEntry& e)
{
    QByteArray line;
    line.reserve(320 + e.errorMessage.size());
    const auto key = [&line](QLatin1String name) {
        line += line.isEmpty() ? "{\"" : ",\"";
        line += QByteArrayView(name.data(), name.size());
        line += "\":";
    };
    const auto text = [&](QLatin1String name, QStringView value) {
        key(name);
        appendJsonString(line, value);
    };
    const auto number = [&](QLatin1String name, int value) {
        key(name);
        line += QByteArray::number(value);
    };
    text(keyAction, e.action);
    number(keyAttempts, e.attempts);
    text(keyBaseHost, e.baseHost);
    text(keyErrorKind, e.errorKind);
    text(keyErrorMessage, e.errorMessage);
    number(keyHttpStatus, e.httpStatus);
    text(keyJobId, e.jobId);
    text(keyKind, e.kind);
    text(keyOrganization, e.organization);
    text(keyProfile, e.profile);
    text(keyProject, e.project);
    text(keyProvider, e.provider);
    text(keyRequestId, e.requestId);
    text(keySource, e.source);
    text(keyStatus, e.status);
    text(keyTime, e.time.toUTC().toString(Qt::ISODateWithMs));
    line += '}';
    // Control characters are escaped, so an entry is always exactly one line.
    return line;
}

QString describeSkip(const SkippedLine& s, const QString& where)
{
    switch (s.kind) {
    case SkippedLine::Kind::Overlong:
        return QCoreApplication::translate("AuditLog", "%1 is longer than %2 (%3); skipped without reading it.")
            .arg(where, QLocale().formattedDataSize(AuditLog::maxLineBytes), QLocale().formattedDataSize(s.length));
    case SkippedLine::Kind::Incomplete:
        return QCoreApplication::translate("AuditLog", "%1 is incomplete (cut off while being written); skipped.")
            .arg(where);
    case SkippedLine::Kind::NotJson:
        return QCoreApplication::translate("AuditLog", "%1 is not valid JSON (%2); skipped.").arg(where, s.detail);
    case SkippedLine::Kind::NotObject:
        return QCoreApplication::translate("AuditLog", "%1 is not a JSON object; skipped.").arg(where);
    case SkippedLine::Kind::NoTimeOrJobId:
        return QCoreApplication::translate("AuditLog", "%1 has no valid time or job id; skipped.").arg(where);
    }
    return where;
}

bool isBlank(const QByteArray& bytes)
{
    return std::all_of(bytes.cbegin(), bytes.cend(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

std::optional<AuditEntry> parseLine(const QByteArray& bytes, bool lastPiece, SkippedLine* skipped)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.trimmed(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Only the last piece can lack its line end: a writer that died in the middle of it.
        skipped->kind = lastPiece ? SkippedLine::Kind::Incomplete : SkippedLine::Kind::NotJson;
        skipped->detail = parseError.errorString();
        return std::nullopt;
    }
    if (!doc.isObject()) {
        skipped->kind = SkippedLine::Kind::NotObject;
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    const auto text = [&o](QLatin1String key, int maxBytes = OutputGate::fieldBytes) {
        return OutputGate::clean(o.value(key).toString(), maxBytes + capNoteRoom);
    };
    AuditEntry e;
    e.time = QDateTime::fromString(o.value(keyTime).toString(), Qt::ISODateWithMs).toUTC();
    e.jobId = text(keyJobId);
    if (!e.time.isValid() || e.jobId.isEmpty()) {
        skipped->kind = SkippedLine::Kind::NoTimeOrJobId;
        return std::nullopt;
    }
    e.organization = text(keyOrganization);
    e.project = text(keyProject);
    e.baseHost = text(keyBaseHost);
    e.httpStatus = o.value(keyHttpStatus).toInt();
    e.status = text(keyStatus);
    e.requestId = text(keyRequestId);
    e.errorKind = text(keyErrorKind);
    e.errorMessage = text(keyErrorMessage, OutputGate::lineBytes);
    e.attempts = o.value(keyAttempts).toInt();
    e.source = text(keySource);
    e.profile = text(keyProfile);
    e.provider = o.contains(keyProvider) ? text(keyProvider) : ProviderInfo::of(Provider::OpenAI).key;
    e.kind = o.contains(keyKind) ? text(keyKind) : jobKindKey(JobKind::FineTuning);
    e.action = o.contains(keyAction) ? text(keyAction) : QStringLiteral("cancel");
    return e;
}

} // namespace AuditJson
