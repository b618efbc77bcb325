#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QPair>
#include <QQueue>
#include <QString>
#include <QUrl>

#include <functional>

class QTcpServer;

// One scripted answer of the FakeOpenAiServer: an HTTP response plus the way it is delivered (or not delivered).
struct FakeResponse
{
    enum class Behavior {
        Answer, // send status line, headers and body (after delayMs)
        NeverAnswer, // read the request, never reply, keep the socket open
        CloseConnection, // read the request, then close the socket without a byte
        CloseMidBody, // send headers with the full Content-Length, then only half the body, then close
        Drip // send headers, then the body one chunk of dripBytes every dripIntervalMs
    };
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers; // extra headers, sent as given
    QByteArray body;
    QByteArray contentType = "application/json"; // sent as Content-Type unless empty or set in headers
    int delayMs = 0; // wait this long before acting (all behaviors except NeverAnswer)
    // Called once when the answer has been acted on (sent, or the connection closed as told), or when the connection
    // goes away before that. The JobSimulator counts requests in flight with it.
    std::function<void()> onDone;
    Behavior behavior = Behavior::Answer;
    int dripBytes = 1;
    int dripIntervalMs = 50;
    bool sendContentLength = true; // add Content-Length (unless set in headers or the body is chunked)

    static FakeResponse json(int status, const QByteArray& body);
    // A FineTuningJob object as the API returns it (id, object "fine_tuning.job", model "gpt-4o-mini-2024-07-18",
    // status, created_at, ...)
    static FakeResponse job(const QString& id, const QString& status);
    // The JSON object behind job(), for tests that want to change fields before sending it.
    static QJsonObject jobObject(const QString& id, const QString& status);
    // {"error":{"message":..,"type":..,"param":null,"code":..}} ; code may be empty -> null
    static FakeResponse apiError(int status, const QString& message, const QString& type, const QString& code);

    // Chainable modifiers, e.g. FakeResponse::job(id, "cancelled").withDelay(200).withHeader("x-request-id", "req_1").
    FakeResponse& withHeader(const QByteArray& name, const QByteArray& value);
    FakeResponse& withDelay(int ms);
    FakeResponse& withBehavior(Behavior newBehavior);
    FakeResponse& withDrip(int bytesPerChunk, int intervalMs); // also sets behavior to Drip
    // Chunk-encodes the body as it is now (chunkBytes per chunk) and sends it with Transfer-Encoding: chunked and
    // no Content-Length. Call it after the body is final.
    FakeResponse& withChunkedBody(int chunkBytes = 64 * 1024);
    // No Content-Length: the body ends where the server closes the connection (Connection: close).
    FakeResponse& withBodyUntilClose();
};

struct RecordedRequest
{
    QByteArray method;
    QByteArray target; // raw request target as sent, e.g. "/v1/fine_tuning/jobs/ftjob-abc/cancel"
    QMap<QByteArray, QByteArray> headers; // names lower-cased; repeated headers joined with ", "
    QByteArray body; // de-chunked if the request used Transfer-Encoding: chunked
    int connectionId = 0; // 1 for the first accepted TCP connection, 2 for the next, ...

    QByteArray path() const; // target without query
    bool hasHeader(const QByteArray& lowerName) const;
    QByteArray header(const QByteArray& lowerName) const;
};

Q_DECLARE_METATYPE(RecordedRequest)
Q_DECLARE_METATYPE(FakeResponse)

// FakeOpenAiServer: a scriptable HTTP/1.1 server on 127.0.0.1 standing in for the OpenAI API in tests.
// It records every request and answers from a FIFO script of FakeResponses, then from a handler, and otherwise
// with a loud 500. Behaviors other than Answer inject network faults (silence, closed sockets, slow bodies).
class FakeOpenAiServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeOpenAiServer)
public:
    explicit FakeOpenAiServer(QObject* parent = nullptr);
    ~FakeOpenAiServer() override;

    bool listen(quint16 port = 0); // 127.0.0.1; port 0 picks a free one
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port>/v1, or https://… once a TLS identity is set

    // Speak HTTP/1.1 over TLS with this certificate and key (PEM files; call before listen()). False when they cannot
    // be read. ALPN offers nothing, so clients use HTTP/1.1 as they do with a server that has no HTTP/2.
    bool setTlsIdentity(const QString& certificatePath, const QString& keyPath);
    bool isTls() const;
    int tlsHandshakeCount() const; // TLS handshakes completed so far (one per connection)

    void enqueue(const FakeResponse& response); // FIFO script, one per request
    using Handler = std::function<FakeResponse(const RecordedRequest&)>;
    void setHandler(Handler handler); // used when the queue is empty
    int queuedResponseCount() const { return int(m_script.size()); }

    QList<RecordedRequest> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    void clearRequests();

    int connectionCount() const { return m_connectionCount; } // TCP connections accepted so far
    int openConnectionCount() const; // TCP connections currently open
    // Aborts every open client connection; the server keeps listening.
    void closeAllConnections();

signals:
    // Emitted after the request is recorded and before the response is chosen, so a slot may still enqueue() it.
    // Do not delete the server from a slot connected to this signal (use deleteLater()).
    void requestReceived(const RecordedRequest& request);
    // A TLS connection finished its handshake; count is tlsHandshakeCount().
    void tlsHandshakeCompleted(int count);

private:
    void acceptConnections();
    // Records the request, emits requestReceived and returns the scripted answer for it.
    FakeResponse handleRequest(RecordedRequest request);

    QTcpServer* m_tcpServer = nullptr;
    QQueue<FakeResponse> m_script;
    Handler m_handler;
    QList<RecordedRequest> m_requests;
    int m_connectionCount = 0;
    int m_tlsHandshakes = 0;
};
