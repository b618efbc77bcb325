// libFuzzer target: ResponseParser::parseJob sees whatever a server, proxy or captive portal sends back.
// Input layout: bytes 0-1 the HTTP status (big-endian, signed 16 bit, so 0, negative and odd codes occur too),
// byte 2 picks a content type, the rest is the body. Properties: it never crashes; success is never assumed
// (OK only for a 2xx with a job status); every failure has a message; "cancelled" implies OK.
// A violated property prints what failed and aborts, so libFuzzer saves the input as a crash.

#include "jobresult.h"
#include "responseparser.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace {

[[noreturn]] void fail(const char* what, int status, const QByteArray& contentType, const JobResult& r)
{
    std::fprintf(stderr,
                 "\nPROPERTY VIOLATED: %s\n  status %d, content type \"%s\"\n  result: ok=%d cancelled=%d "
                 "job.status=\"%s\" error.kind=%s error.message=\"%s\"\n",
                 what, status, contentType.constData(), int(r.isOk()), int(r.isCancelled()),
                 qUtf8Printable(r.job.status), qUtf8Printable(r.error.kindName()), qUtf8Printable(r.error.message));
    std::abort();
}

#define FUZZ_CHECK(condition)                                                                                          \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            fail(#condition, status, contentType, result);                                                             \
    } while (false)

constexpr char binaryContentType[] = "\x00\xff\x7f application/json"; // NUL, 0xFF, DEL inside

const QByteArray contentTypes[] = {
    "application/json",
    "application/json; charset=utf-8",
    "text/html; charset=utf-8",
    "text/plain",
    "",
    "application/problem+json",
    "application/octet-stream",
    "text/html\r\nX-Injected: 1",
    QByteArray(binaryContentType, sizeof binaryContentType - 1),
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 3)
        return 0;
    const int status = int(int16_t(uint16_t(data[0]) << 8 | data[1]));
    const QByteArray& contentType = contentTypes[data[2] % std::size(contentTypes)];
    const QByteArray body(reinterpret_cast<const char*>(data + 3), qsizetype(size - 3));

    const JobResult result = ResponseParser::parseJob(status, contentType, body);

    FUZZ_CHECK(result.httpStatus == status);
    if (result.isOk()) {
        FUZZ_CHECK(status >= 200 && status < 300);
        FUZZ_CHECK(!result.job.status.isEmpty());
    } else {
        FUZZ_CHECK(!result.error.message.isEmpty());
        FUZZ_CHECK(result.error.httpStatus == status);
    }
    if (result.isCancelled())
        FUZZ_CHECK(result.isOk());

    // The same bytes as a page of jobs and of events: a list is only ever success with a "data" array behind a 2xx.
    for (const ResponseParser::Page kind : {ResponseParser::Page::Jobs, ResponseParser::Page::Events}) {
        const PageResult page = ResponseParser::parsePage(kind, status, contentType, body);
        FUZZ_CHECK(page.httpStatus == status);
        if (page.isOk()) {
            FUZZ_CHECK(status >= 200 && status < 300);
            for (const FineTuningJob& job : page.jobs)
                FUZZ_CHECK(!job.id.isEmpty());
        } else {
            FUZZ_CHECK(!page.error.message.isEmpty());
            FUZZ_CHECK(page.jobs.isEmpty() && page.events.isEmpty());
        }
        FUZZ_CHECK(kind == ResponseParser::Page::Jobs ? page.events.isEmpty() : page.jobs.isEmpty());
    }
    return 0;
}
