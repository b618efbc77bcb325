// libFuzzer target: JobId::parse is the only way a job id gets into a request path, and
// FineTuningClient::jobUrl turns it into {base}/fine_tuning/jobs/{id}/{action}. Whatever bytes are pasted,
// a valid result must be a plain id, and the URL built from it must stay inside /fine_tuning/jobs/{one segment}.
// A violated property prints what failed and aborts, so libFuzzer saves the input as a crash.

#include "finetuningclient.h"
#include "jobid.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

[[noreturn]] void fail(const char* what, const QString& input, const QString& detail)
{
    std::fprintf(stderr, "\nPROPERTY VIOLATED: %s\n  input:  %s\n  detail: %s\n", what,
                 QUrl::toPercentEncoding(input).constData(), qUtf8Printable(detail));
    std::abort();
}

#define FUZZ_CHECK(condition, input, detail)                                                                           \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            fail(#condition, (input), (detail));                                                                       \
    } while (false)

const QUrl& apiBase()
{
    static const QUrl base(QStringLiteral("https://api.openai.com/v1"));
    return base;
}

bool isIdChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '_';
}

// The parts of the URL that must not move, whatever the id.
void checkSameOrigin(const QUrl& url, const QString& input)
{
    FUZZ_CHECK(url.isValid(), input, url.errorString());
    FUZZ_CHECK(url.scheme() == QLatin1String("https"), input, url.toString());
    FUZZ_CHECK(url.host() == QLatin1String("api.openai.com"), input, url.toString());
    FUZZ_CHECK(url.port() == -1, input, url.toString());
    FUZZ_CHECK(url.userInfo().isEmpty(), input, url.toString());
    FUZZ_CHECK(!url.hasQuery(), input, url.toString());
    FUZZ_CHECK(!url.hasFragment(), input, url.toString());
}

void checkParse(const QString& input)
{
    const JobId::Parsed parsed = JobId::parse(input);
    if (!parsed.isValid()) {
        FUZZ_CHECK(!parsed.error.isEmpty(), input, QStringLiteral("invalid without an error message"));
        FUZZ_CHECK(parsed.id.isEmpty(), input, parsed.id);
        return;
    }

    const QString& id = parsed.id;
    FUZZ_CHECK(parsed.error.isEmpty(), input, parsed.error);
    FUZZ_CHECK(!id.isEmpty(), input, id);
    FUZZ_CHECK(id.size() <= JobId::maxLength, input, id);
    for (const QChar c : id)
        FUZZ_CHECK(isIdChar(c), input, id);
    const bool current = id.startsWith(QLatin1String("ftjob-"));
    const bool legacy = id.startsWith(QLatin1String("ft-"));
    FUZZ_CHECK(current || legacy, input, id);
    // The legacy form is accepted only with a caution; a current id never gets one.
    FUZZ_CHECK(legacy == !parsed.warning.isEmpty(), input, id + QStringLiteral(" / ") + parsed.warning);
    // A valid id is a fixed point: pasting the id that was shown gives the same id.
    const JobId::Parsed again = JobId::parse(id);
    FUZZ_CHECK(again.isValid() && again.id == id, input, id + QStringLiteral(" -> ") + again.id + again.error);

    const QUrl url = FineTuningClient::jobUrl(apiBase(), id, QStringLiteral("cancel"));
    checkSameOrigin(url, input);
    const QString expected = QStringLiteral("/v1/fine_tuning/jobs/") + id + QStringLiteral("/cancel");
    FUZZ_CHECK(url.path(QUrl::FullyEncoded) == expected, input, url.toString(QUrl::FullyEncoded));
    // What QNetworkAccessManager sends: the path after dot-segment removal, which must not change it.
    FUZZ_CHECK(url.adjusted(QUrl::NormalizePathSegments).path(QUrl::FullyEncoded) == expected, input,
               url.adjusted(QUrl::NormalizePathSegments).toString(QUrl::FullyEncoded));
}

// jobUrl on its own, given an id that never went through JobId::parse: percent-encoding must keep the id in
// exactly one path segment that decodes back to the id, and that segment must survive dot-segment removal
// (RFC 3986 5.2.4), which QNetworkAccessManager itself applies to the request path before sending it.
void checkRawUrl(const QString& raw)
{
    const QUrl url = FineTuningClient::jobUrl(apiBase(), raw, QStringLiteral("cancel"));
    // An id that cannot be one segment (empty, or starting with a dot, which dot-segment removal would eat) gets
    // no URL at all.
    if (raw.isEmpty() || raw.startsWith(u'.')) {
        FUZZ_CHECK(!url.isValid(), raw, url.toString(QUrl::FullyEncoded));
        return;
    }
    checkSameOrigin(url, raw);
    const QString path = url.path(QUrl::FullyEncoded);
    const QStringList segments = path.split(u'/');
    FUZZ_CHECK(segments.size() == 6, raw, path);
    FUZZ_CHECK(segments.at(0).isEmpty(), raw, path);
    FUZZ_CHECK(segments.at(1) == QLatin1String("v1"), raw, path);
    FUZZ_CHECK(segments.at(2) == QLatin1String("fine_tuning"), raw, path);
    FUZZ_CHECK(segments.at(3) == QLatin1String("jobs"), raw, path);
    FUZZ_CHECK(segments.at(5) == QLatin1String("cancel"), raw, path);
    const QString& segment = segments.at(4);
    FUZZ_CHECK(!segment.isEmpty(), raw, path);
    // Only the encoded bytes of the id: decoding the segment gives exactly the id's UTF-8 back. (Compared as
    // bytes: a QString round trip would drop a leading U+FEFF, which fromUtf8 takes for a byte order mark.)
    FUZZ_CHECK(QByteArray::fromPercentEncoding(segment.toLatin1()) == raw.toUtf8(), raw, path);

    // The path a server sees after dot-segment removal (QNetworkAccessManager itself normalizes the path it
    // sends) is the path we built.
    const QString normalized = url.adjusted(QUrl::NormalizePathSegments).path(QUrl::FullyEncoded);
    FUZZ_CHECK(normalized == path, raw, path + QStringLiteral(" -> ") + normalized);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));

    // The same bytes read three ways: as UTF-8 (what a clipboard usually holds), as Latin-1 (every byte one
    // character, including controls and U+0080..U+00FF) and as UTF-16 (any code unit, lone surrogates too).
    const QString utf8 = QString::fromUtf8(bytes);
    checkParse(utf8);
    checkParse(QString::fromLatin1(bytes));
    if (size >= 2) {
        QString utf16(qsizetype(size / 2), Qt::Uninitialized);
        std::memcpy(utf16.data(), data, (size / 2) * 2);
        checkParse(utf16);
    }

    checkRawUrl(utf8);
    return 0;
}
