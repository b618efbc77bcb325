#include "fakeopenaiserver.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSocketNotifier>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtDebug>

#include <algorithm>
#include <memory>
#include <utility>

#ifdef Q_OS_LINUX
#include <sys/timerfd.h>
#include <unistd.h>
#endif

namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qint64 kMaxBodyBytes = 64 * 1024 * 1024;
constexpr qint64 kJobCreatedAt = 1721764800; // fixed, so response bodies are reproducible
constexpr qsizetype kNeedMore = -1;
constexpr qsizetype kMalformed = -2;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

bool responseHasHeader(const FakeResponse& response, const QByteArray& lowerName)
{
    return std::any_of(response.headers.cbegin(), response.headers.cend(),
                       [&lowerName](const auto& header) { return header.first.trimmed().toLower() == lowerName; });
}

QByteArray responseHeader(const FakeResponse& response, const QByteArray& lowerName)
{
    for (const auto& header : response.headers) {
        if (header.first.trimmed().toLower() == lowerName)
            return header.second;
    }
    return {};
}

// 1xx, 204 and 304 responses carry no body, so they get neither Content-Type nor Content-Length.
bool statusAllowsBody(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

QByteArray responseHead(const FakeResponse& response)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    const bool withBody = statusAllowsBody(response.status);
    if (withBody && !response.contentType.isEmpty() && !responseHasHeader(response, "content-type"))
        head += "Content-Type: " + response.contentType + "\r\n";
    if (withBody && response.sendContentLength && !responseHasHeader(response, "content-length")
        && !responseHasHeader(response, "transfer-encoding")) {
        head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    }
    if (!responseHasHeader(response, "connection"))
        head += "Connection: keep-alive\r\n";
    for (const auto& header : response.headers)
        head += header.first + ": " + header.second + "\r\n";
    head += "\r\n";
    return head;
}

// Parses a chunked body that starts at pos. Stores the de-chunked bytes in body and returns the offset just after the
// body (trailers are skipped), or kNeedMore / kMalformed.
qsizetype parseChunkedBody(const QByteArray& buffer, qsizetype pos, QByteArray* body)
{
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return buffer.size() - pos > kMaxHeadBytes ? kMalformed : kNeedMore;
        QByteArray sizeField = buffer.mid(pos, lineEnd - pos);
        const qsizetype extension = sizeField.indexOf(';');
        if (extension >= 0)
            sizeField.truncate(extension);
        bool ok = false;
        const qint64 chunkSize = sizeField.trimmed().toLongLong(&ok, 16);
        if (!ok || chunkSize < 0 || body->size() + chunkSize > kMaxBodyBytes)
            return kMalformed;
        pos = lineEnd + 2;
        if (chunkSize == 0)
            break;
        if (buffer.size() < pos + chunkSize + 2)
            return kNeedMore;
        if (buffer.mid(pos + chunkSize, 2) != "\r\n")
            return kMalformed;
        body->append(buffer.constData() + pos, chunkSize);
        pos += chunkSize + 2;
    }
    for (;;) { // trailer fields up to an empty line; not recorded
        const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return buffer.size() - pos > kMaxHeadBytes ? kMalformed : kNeedMore;
        const bool emptyLine = lineEnd == pos;
        pos = lineEnd + 2;
        if (emptyLine)
            return pos;
    }
}

// The outcome of trying to take one complete request off the front of a connection's input buffer.
struct ParseResult
{
    enum class Status { NeedMore, Complete, Error };
    Status status = Status::NeedMore;
    RecordedRequest request;
    qsizetype consumed = 0;
    int errorStatus = 400;
    QString errorMessage;
};

ParseResult parseError(int status, const QString& message)
{
    ParseResult result;
    result.status = ParseResult::Status::Error;
    result.errorStatus = status;
    result.errorMessage = message;
    return result;
}

ParseResult parseRequest(const QByteArray& buffer)
{
    qsizetype start = 0;
    while (buffer.mid(start, 2) == "\r\n") // empty lines before a request line are allowed (RFC 9112, 2.2)
        start += 2;
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n", start);
    if (headEnd < 0) {
        if (buffer.size() - start > kMaxHeadBytes)
            return parseError(431, QStringLiteral("request head larger than %1 bytes").arg(kMaxHeadBytes));
        return {};
    }

    QList<QByteArray> lines = buffer.mid(start, headEnd - start).split('\n');
    for (QByteArray& line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    const QList<QByteArray> requestLine = lines.constFirst().split(' ');
    if (requestLine.size() != 3 || requestLine.at(0).isEmpty() || requestLine.at(1).isEmpty()
        || !requestLine.at(2).startsWith("HTTP/1.")) {
        return parseError(400, QStringLiteral("malformed request line \"%1\"").arg(QString::fromLatin1(lines.first())));
    }

    ParseResult result;
    RecordedRequest& request = result.request;
    request.method = requestLine.at(0);
    request.target = requestLine.at(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray& line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (line.startsWith(' ') || line.startsWith('\t') || colon <= 0)
            return parseError(400, QStringLiteral("malformed header line \"%1\"").arg(QString::fromLatin1(line)));
        const QByteArray name = line.left(colon).toLower();
        if (name.contains(' ') || name.contains('\t'))
            return parseError(400, QStringLiteral("malformed header name \"%1\"").arg(QString::fromLatin1(name)));
        const QByteArray value = line.mid(colon + 1).trimmed();
        auto existing = request.headers.find(name);
        if (existing != request.headers.end())
            existing.value() += ", " + value;
        else
            request.headers.insert(name, value);
    }

    const qsizetype bodyStart = headEnd + 4;
    if (request.hasHeader("transfer-encoding")) {
        const QByteArray lastCoding = request.header("transfer-encoding").toLower().split(',').constLast().trimmed();
        if (lastCoding != "chunked")
            return parseError(501,
                              QStringLiteral("unsupported Transfer-Encoding \"%1\"")
                                  .arg(QString::fromLatin1(request.header("transfer-encoding"))));
        const qsizetype end = parseChunkedBody(buffer, bodyStart, &request.body);
        if (end == kNeedMore)
            return {};
        if (end == kMalformed)
            return parseError(400, QStringLiteral("malformed chunked request body"));
        result.consumed = end;
    } else if (request.hasHeader("content-length")) {
        bool ok = false;
        const qint64 length = request.header("content-length").toLongLong(&ok);
        if (!ok || length < 0)
            return parseError(400, QStringLiteral("malformed Content-Length"));
        if (length > kMaxBodyBytes)
            return parseError(413, QStringLiteral("request body larger than %1 bytes").arg(kMaxBodyBytes));
        if (buffer.size() < bodyStart + length)
            return {};
        request.body = buffer.mid(bodyStart, length);
        result.consumed = bodyStart + length;
    } else {
        result.consumed = bodyStart;
    }
    result.status = ParseResult::Status::Complete;
    return result;
}

// One accepted TCP connection: parses requests as they arrive, asks the server for a response to each (in arrival
// order) and plays the responses back one after another. It is a child of its socket, so it and its timers die with
// the socket.
// FakeResponse::onDone, called exactly once: by fire() when the answer was acted on, or when the connection (and with
// it every copy of its pending answer) goes away first.
struct DoneOnce
{
    std::function<void()> done;
    DoneOnce() = default;
    DoneOnce(const DoneOnce&) = delete;
    DoneOnce& operator=(const DoneOnce&) = delete;
    ~DoneOnce() { fire(); }
    void fire()
    {
        if (!done)
            return;
        const std::function<void()> call = std::move(done);
        done = nullptr;
        call();
    }
};

class Connection final : public QObject
{
public:
    using RequestHandler = std::function<FakeResponse(RecordedRequest)>;

    Connection(QTcpSocket* socket, int id, RequestHandler handler)
        : QObject(socket), m_socket(socket), m_id(id), m_handler(std::move(handler)), m_dripTimer(new QTimer(this))
    {
        connect(m_socket, &QTcpSocket::readyRead, this, &Connection::readRequests);
        connect(m_socket, &QTcpSocket::disconnected, this, &Connection::onDisconnected);
        connect(m_dripTimer, &QTimer::timeout, this, &Connection::dripNext);
        m_dripTimer->setTimerType(Qt::PreciseTimer); // a coarse one may fire 5 % early: drips are never faster
    }

    void start()
    {
        if (m_socket->state() != QAbstractSocket::ConnectedState) {
            onDisconnected();
            return;
        }
        if (m_socket->bytesAvailable() > 0)
            readRequests();
    }

private:
    struct Pending
    {
        QByteArray method;
        FakeResponse response;
        qint64 handlerNs = 0; // what building the answer took: part of its delay, not added to it
        std::shared_ptr<DoneOnce> done; // response.onDone, called once: when acted on, or when the last copy goes
    };

    void readRequests()
    {
        const QByteArray data = m_socket->readAll();
        if (m_closed || m_ignoreInput)
            return;
        m_buffer += data;
        while (!m_closed && !m_ignoreInput) {
            ParseResult parsed = parseRequest(m_buffer);
            if (parsed.status == ParseResult::Status::NeedMore)
                return;
            if (parsed.status == ParseResult::Status::Error) {
                // Not a request we can record: answer after whatever is still queued, then hang up.
                qWarning().noquote() << "FakeOpenAiServer: bad request on connection" << m_id << "-"
                                     << parsed.errorMessage;
                m_ignoreInput = true;
                m_buffer.clear();
                FakeResponse response
                    = FakeResponse::apiError(parsed.errorStatus, "FakeOpenAiServer: " + parsed.errorMessage,
                                             QStringLiteral("invalid_request_error"), QString());
                m_pending.enqueue({QByteArray(), response.withHeader("Connection", "close"), 0, nullptr});
                playNext();
                return;
            }
            m_buffer.remove(0, parsed.consumed);
            parsed.request.connectionId = m_id;
            QByteArray method = parsed.request.method;
            QElapsedTimer handling;
            handling.start();
            FakeResponse response = m_handler(std::move(parsed.request));
            if (m_closed) // a requestReceived slot or the handler closed the connections
                return;
            auto done = std::make_shared<DoneOnce>();
            done->done = std::exchange(response.onDone, nullptr);
            m_pending.enqueue({std::move(method), std::move(response), handling.nsecsElapsed(), std::move(done)});
            playNext();
        }
    }

    // Calls done after ns nanoseconds, to the microsecond: a QTimer counts whole milliseconds and its wait is rounded
    // to one more, which made a "20 ms" server answer in 20.5–21 ms and every benchmark against it 3-5 % slower.
    template <typename Done> void afterNanoseconds(qint64 ns, Done done)
    {
#ifdef Q_OS_LINUX
        const int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (fd >= 0) {
            itimerspec spec{};
            ns = qMax<qint64>(ns, 1000); // 0 would disarm it
            spec.it_value.tv_sec = time_t(ns / 1000000000);
            spec.it_value.tv_nsec = long(ns % 1000000000);
            if (::timerfd_settime(fd, 0, &spec, nullptr) == 0) {
                auto* notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
                connect(notifier, &QObject::destroyed, [fd] { ::close(fd); }); // also with the connection
                connect(notifier, &QSocketNotifier::activated, this, [notifier, done] {
                    notifier->setEnabled(false);
                    notifier->deleteLater();
                    done();
                });
                return;
            }
            ::close(fd);
        }
#endif
        QTimer::singleShot(int(qMax<qint64>(0, (ns + 999999) / 1000000)), Qt::PreciseTimer, this, done);
    }

    void playNext()
    {
        while (!m_busy && !m_closed && !m_pending.isEmpty())
            play(m_pending.dequeue());
    }

    void play(const Pending& pending)
    {
        if (pending.response.behavior == FakeResponse::Behavior::NeverAnswer) {
            m_busy = true; // forever: later requests on this connection are recorded but not answered either
            return;
        }
        if (pending.response.delayMs > 0) {
            m_busy = true;
            // A server that answers in delayMs: the time spent building the answer (a page of 100 jobs takes about
            // a millisecond) counts towards it.
            const qint64 remainingNs = qint64(pending.response.delayMs) * 1000000 - pending.handlerNs;
            afterNanoseconds(remainingNs, [this, pending] {
                m_busy = false;
                if (m_closed)
                    return;
                deliver(pending);
                playNext();
            });
            return;
        }
        deliver(pending);
    }

    void deliver(const Pending& pending)
    {
        const FakeResponse& response = pending.response;
        const bool closeAfter = responseHeader(response, "connection").toLower().contains("close");
        const bool sendBody = pending.method != "HEAD" && statusAllowsBody(response.status);
        const QByteArray body = sendBody ? response.body : QByteArray();
        if (response.behavior != FakeResponse::Behavior::NeverAnswer && pending.done)
            pending.done->fire(); // before the first byte: a client answered cannot be ahead of it
        switch (response.behavior) {
        case FakeResponse::Behavior::NeverAnswer:
            m_busy = true;
            return;
        case FakeResponse::Behavior::CloseConnection:
            closeGracefully();
            return;
        case FakeResponse::Behavior::CloseMidBody:
            m_socket->write(responseHead(response) + body.left(body.size() / 2));
            closeGracefully();
            return;
        case FakeResponse::Behavior::Drip:
            m_socket->write(responseHead(response));
            if (body.isEmpty()) {
                if (closeAfter)
                    closeGracefully();
                return;
            }
            m_busy = true;
            m_dripBody = body;
            m_dripOffset = 0;
            m_dripBytes = std::max(1, response.dripBytes);
            m_dripCloseAfter = closeAfter;
            m_dripTimer->start(std::max(0, response.dripIntervalMs));
            return;
        case FakeResponse::Behavior::Answer:
            m_socket->write(responseHead(response) + body);
            if (closeAfter)
                closeGracefully();
            return;
        }
    }

    void dripNext()
    {
        if (m_closed) {
            m_dripTimer->stop();
            return;
        }
        m_socket->write(m_dripBody.mid(m_dripOffset, m_dripBytes));
        m_dripOffset += m_dripBytes;
        if (m_dripOffset < m_dripBody.size())
            return;
        m_dripTimer->stop();
        m_dripBody.clear();
        m_busy = false;
        if (m_dripCloseAfter) {
            closeGracefully();
            return;
        }
        playNext();
    }

    // Flushes what was written, then closes (FIN). Nothing more is read or answered on this connection.
    void closeGracefully()
    {
        m_closed = true;
        m_pending.clear();
        m_dripTimer->stop();
        m_socket->disconnectFromHost(); // emits disconnected() at once if nothing is left to write
    }

    void onDisconnected()
    {
        m_closed = true;
        m_pending.clear();
        m_dripTimer->stop();
        m_socket->deleteLater();
    }

    QTcpSocket* const m_socket;
    const int m_id;
    const RequestHandler m_handler;
    QByteArray m_buffer;
    QQueue<Pending> m_pending;
    bool m_busy = false; // a response is delayed, dripping or withheld; later ones wait
    bool m_closed = false; // closing or closed: nothing more is read or written
    bool m_ignoreInput = false; // after a malformed request
    QTimer* const m_dripTimer;
    QByteArray m_dripBody;
    qsizetype m_dripOffset = 0;
    int m_dripBytes = 1;
    bool m_dripCloseAfter = false;
};

// A QTcpServer that, once given a certificate and key, hands out QSslSockets that start the server handshake at once.
// The connection reads and writes through them as through plain sockets: QSslSocket buffers until it is encrypted.
class TlsCapableServer final : public QTcpServer
{
public:
    explicit TlsCapableServer(std::function<void()> onHandshake, QObject* parent)
        : QTcpServer(parent), m_onHandshake(std::move(onHandshake))
    {
    }

    QSslCertificate certificate;
    QSslKey key;

    bool isTls() const { return !certificate.isNull(); }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (!isTls())
            return QTcpServer::incomingConnection(descriptor);
        auto* socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setLocalCertificate(certificate);
        socket->setPrivateKey(key);
        connect(socket, &QSslSocket::encrypted, this, [this] { m_onHandshake(); });
        socket->startServerEncryption();
        addPendingConnection(socket);
    }

private:
    std::function<void()> m_onHandshake;
};

} // namespace

// ---- FakeResponse ----

FakeResponse FakeResponse::json(int status, const QByteArray& body)
{
    FakeResponse response;
    response.status = status;
    response.body = body;
    return response;
}

QJsonObject FakeResponse::jobObject(const QString& id, const QString& status)
{
    const QString model = QStringLiteral("gpt-4o-mini-2024-07-18");
    const QJsonObject hyperparameters{
        {QStringLiteral("n_epochs"), QStringLiteral("auto")},
        {QStringLiteral("batch_size"), QStringLiteral("auto")},
        {QStringLiteral("learning_rate_multiplier"), QStringLiteral("auto")},
    };
    const bool succeeded = status == QLatin1String("succeeded");
    const bool failed = status == QLatin1String("failed");

    QJsonObject job{
        {QStringLiteral("object"), QStringLiteral("fine_tuning.job")},
        {QStringLiteral("id"), id},
        {QStringLiteral("model"), model},
        {QStringLiteral("created_at"), kJobCreatedAt},
        {QStringLiteral("finished_at"), succeeded || failed ? QJsonValue(kJobCreatedAt + 3600) : QJsonValue()},
        {QStringLiteral("fine_tuned_model"),
         succeeded ? QJsonValue(QStringLiteral("ft:%1:fake-org::%2").arg(model, id.right(8))) : QJsonValue()},
        {QStringLiteral("organization_id"), QStringLiteral("org-fake")},
        {QStringLiteral("result_files"), QJsonArray()},
        {QStringLiteral("status"), status},
        {QStringLiteral("validation_file"), QJsonValue()},
        {QStringLiteral("training_file"), QStringLiteral("file-abc123")},
        {QStringLiteral("hyperparameters"), hyperparameters},
        {QStringLiteral("trained_tokens"), succeeded ? QJsonValue(12345) : QJsonValue()},
        {QStringLiteral("integrations"), QJsonArray()},
        {QStringLiteral("seed"), 42},
        {QStringLiteral("estimated_finish"), QJsonValue()},
        {QStringLiteral("user_provided_suffix"), QJsonValue()},
        {QStringLiteral("metadata"), QJsonValue()},
        {QStringLiteral("method"),
         QJsonObject{
             {QStringLiteral("type"), QStringLiteral("supervised")},
             {QStringLiteral("supervised"), QJsonObject{{QStringLiteral("hyperparameters"), hyperparameters}}}}},
    };
    job.insert(QStringLiteral("error"),
               failed ? QJsonValue(QJsonObject{
                   {QStringLiteral("code"), QStringLiteral("invalid_training_file")},
                   {QStringLiteral("message"), QStringLiteral("The training file could not be parsed.")},
                   {QStringLiteral("param"), QStringLiteral("training_file")},
               })
                      : QJsonValue());
    return job;
}

FakeResponse FakeResponse::job(const QString& id, const QString& status)
{
    return json(200, QJsonDocument(jobObject(id, status)).toJson(QJsonDocument::Compact));
}

FakeResponse FakeResponse::apiError(int status, const QString& message, const QString& type, const QString& code)
{
    const QJsonObject error{
        {QStringLiteral("message"), message},
        {QStringLiteral("type"), type},
        {QStringLiteral("param"), QJsonValue()},
        {QStringLiteral("code"), code.isEmpty() ? QJsonValue() : QJsonValue(code)},
    };
    return json(status, QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact));
}

FakeResponse& FakeResponse::withHeader(const QByteArray& name, const QByteArray& value)
{
    headers.append({name, value});
    return *this;
}

FakeResponse& FakeResponse::withDelay(int ms)
{
    delayMs = ms;
    return *this;
}

FakeResponse& FakeResponse::withBehavior(Behavior newBehavior)
{
    behavior = newBehavior;
    return *this;
}

FakeResponse& FakeResponse::withDrip(int bytesPerChunk, int intervalMs)
{
    behavior = Behavior::Drip;
    dripBytes = bytesPerChunk;
    dripIntervalMs = intervalMs;
    return *this;
}

FakeResponse& FakeResponse::withChunkedBody(int chunkBytes)
{
    const qsizetype step = std::max(1, chunkBytes);
    QByteArray encoded;
    encoded.reserve(body.size() + (body.size() / step + 2) * 16);
    for (qsizetype pos = 0; pos < body.size(); pos += step) {
        const QByteArray chunk = body.mid(pos, step);
        encoded += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    }
    encoded += "0\r\n\r\n";
    body = encoded;
    withHeader("Transfer-Encoding", "chunked");
    return *this;
}

FakeResponse& FakeResponse::withBodyUntilClose()
{
    sendContentLength = false;
    withHeader("Connection", "close");
    return *this;
}

// ---- RecordedRequest ----

QByteArray RecordedRequest::path() const
{
    const qsizetype end = target.indexOf('?');
    return end < 0 ? target : target.left(end);
}

bool RecordedRequest::hasHeader(const QByteArray& lowerName) const
{
    return headers.contains(lowerName);
}

QByteArray RecordedRequest::header(const QByteArray& lowerName) const
{
    return headers.value(lowerName);
}

// ---- FakeOpenAiServer ----

FakeOpenAiServer::FakeOpenAiServer(QObject* parent)
    : QObject(parent),
      m_tcpServer(new TlsCapableServer([this] { emit tlsHandshakeCompleted(++m_tlsHandshakes); }, this))
{
    connect(m_tcpServer, &QTcpServer::newConnection, this, &FakeOpenAiServer::acceptConnections);
}

FakeOpenAiServer::~FakeOpenAiServer()
{
    m_tcpServer->close();
    const QList<QTcpSocket*> sockets = m_tcpServer->findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket* socket : sockets) {
        socket->disconnect(); // no callbacks into a half-destroyed server while the socket aborts
        delete socket; // also deletes its Connection and that one's timers
    }
}

bool FakeOpenAiServer::listen(quint16 port)
{
    if (m_tcpServer->isListening())
        return true;
    if (!m_tcpServer->listen(QHostAddress::LocalHost, port)) {
        qWarning().noquote() << "FakeOpenAiServer: cannot listen:" << m_tcpServer->errorString();
        return false;
    }
    return true;
}

quint16 FakeOpenAiServer::port() const
{
    return m_tcpServer->serverPort();
}

QUrl FakeOpenAiServer::baseUrl() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/v1")
                    .arg(isTls() ? QLatin1String("https") : QLatin1String("http"))
                    .arg(port()));
}

bool FakeOpenAiServer::setTlsIdentity(const QString& certificatePath, const QString& keyPath)
{
    QFile certificateFile(certificatePath);
    QFile keyFile(keyPath);
    if (!certificateFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return false;
    const QSslCertificate certificate(&certificateFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
    if (certificate.isNull() || key.isNull())
        return false;
    auto* server = static_cast<TlsCapableServer*>(m_tcpServer);
    server->certificate = certificate;
    server->key = key;
    return true;
}

bool FakeOpenAiServer::isTls() const
{
    return static_cast<const TlsCapableServer*>(m_tcpServer)->isTls();
}

int FakeOpenAiServer::tlsHandshakeCount() const
{
    return m_tlsHandshakes;
}

void FakeOpenAiServer::enqueue(const FakeResponse& response)
{
    m_script.enqueue(response);
}

void FakeOpenAiServer::setHandler(Handler handler)
{
    m_handler = std::move(handler);
}

void FakeOpenAiServer::clearRequests()
{
    m_requests.clear();
}

int FakeOpenAiServer::openConnectionCount() const
{
    const QList<QTcpSocket*> sockets = m_tcpServer->findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly);
    return int(std::count_if(sockets.cbegin(), sockets.cend(), [](const QTcpSocket* socket) {
        return socket->state() == QAbstractSocket::ConnectedState;
    }));
}

void FakeOpenAiServer::closeAllConnections()
{
    const QList<QTcpSocket*> sockets = m_tcpServer->findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket* socket : sockets)
        socket->abort(); // emits disconnected(), so the Connection stops and schedules the socket's deletion
}

void FakeOpenAiServer::acceptConnections()
{
    while (m_tcpServer->hasPendingConnections()) {
        QTcpSocket* socket = m_tcpServer->nextPendingConnection(); // a child of m_tcpServer
        auto* connection = new Connection(
            socket, ++m_connectionCount, [this](RecordedRequest request) { return handleRequest(std::move(request)); });
        connection->start();
    }
}

FakeResponse FakeOpenAiServer::handleRequest(RecordedRequest request)
{
    m_requests.append(request);
    emit requestReceived(request);
    if (!m_script.isEmpty())
        return m_script.dequeue();
    if (m_handler) {
        const Handler handler = m_handler; // the handler may replace itself via setHandler()
        return handler(request);
    }
    const QString message = QStringLiteral("FakeOpenAiServer: no scripted response for %1 %2")
                                .arg(QString::fromLatin1(request.method), QString::fromLatin1(request.target));
    qWarning().noquote() << message;
    return FakeResponse::apiError(500, message, QStringLiteral("server_error"), QString());
}
