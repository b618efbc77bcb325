#pragma once

#include <QCoreApplication>
#include <QNetworkReply>
#include <QString>

// The one error type of the core: what went wrong (kind), the HTTP and API details when the server answered,
// and a translated sentence an operator can act on. A default-constructed ApiError means "no error".
class ApiError
{
    Q_DECLARE_TR_FUNCTIONS(ApiError)

public:
    enum class Kind {
        None,
        Input, // bad job id, base URL or option: nothing was sent
        Network, // DNS, refused, TLS, reset: no HTTP answer
        Timeout, // no answer within the transfer timeout
        Stopped, // the operator pressed Stop (or the CLI got a signal): the outcome is unknown, not "cancelled"
        Http, // the API answered with a 4xx/5xx
        BadResponse, // an answer that is not what the API promises (not JSON, no status, HTML)
        Keychain, // the secret store failed
    };

    Kind kind = Kind::None;
    QString message; // translated, for the operator; says what happened and what to check

    int httpStatus = 0; // 0 when there was no HTTP answer
    QString apiMessage; // the API's own error.message
    QString apiType; // error.type
    QString apiCode; // error.code
    QString apiParam; // error.param
    QString requestId; // x-request-id
    QString contentType; // of a response that was not understood
    QString excerpt; // first bytes of a response that was not understood
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    // The words of message that speak of a cancel (what became of the job: "The job may or may not have been
    // cancelled; …"), and what a read says in their place (may be empty). Both empty when message has none.
    QString cancelPart;
    QString readPart;

    bool isError() const { return kind != Kind::None; }
    // No HTTP answer at all (network failure or timeout): the request may or may not have reached the API.
    bool isTransport() const { return kind == Kind::Network || kind == Kind::Timeout; }
    // Short machine-friendly name of the kind ("http", "network", …) for JSON output and logs.
    QString kindName() const;
    // The same error as the failure of a read (a page of the account's jobs or of a job's events): cancelPart
    // replaced by readPart, so that nothing in it speaks of a cancel that was never asked for.
    ApiError forReading() const;

    static ApiError input(const QString& message);
    static ApiError keychain(const QString& message);
    // An HTTP error answer; fills message from the status and the API's error object.
    static ApiError http(int status, const QString& apiMessage, const QString& apiType, const QString& apiCode);
    static ApiError badResponse(int status, const QByteArray& contentType, const QByteArray& body);
    // A success about another job than the one asked for: says nothing about the requested one.
    static ApiError wrongJob(int status, const QString& requestedId, const QString& answeredId);
    // A body larger than we accept: reading stopped at limitBytes.
    static ApiError tooLarge(int status, qint64 limitBytes);
    // A paged list that says "has_more" but does not move on (a page repeated, empty, or leading to a request made
    // already): what was read is not the whole list. what says what the server did; the message starts "The list
    // did not end: ".
    static ApiError listDidNotEnd(int status, const QString& what);
    // A 3xx: never followed, so the key never travels to another host.
    static ApiError redirect(int status, const QString& location);
    // A transport failure reported by QNetworkReply; timedOut/cancelled distinguish OperationCanceledError.
    // proxy: "host:port" of the proxy the request went through, empty when it went straight to host.
    static ApiError network(QNetworkReply::NetworkError code, const QString& qtErrorString, const QString& host,
                            bool timedOut, int timeoutSeconds, bool cancelledByUser, const QString& proxy = QString());
    // An attempt that ended after waitedMs without a (complete) answer: by its own transfer timeout, or, when
    // deadlineSeconds > 0, because the overall deadline of that many seconds cut it short. partial: part of the
    // answer had arrived.
    static ApiError timeout(const QString& host, qint64 waitedMs, int deadlineSeconds, bool partial,
                            const QString& proxy = QString());

    // The sentence for a network error code (like qBittorrent's errorCodeToString).
    static QString networkErrorText(QNetworkReply::NetworkError code, const QString& host);
    // The same for a request that went through a proxy and got no HTTP answer from host: names the proxy, and
    // never blames host's DNS for what may be the proxy's (Qt reports a 404 or 503 to CONNECT, and a proxy name
    // that does not resolve, with the codes of a direct connection to host).
    static QString proxyErrorText(QNetworkReply::NetworkError code, const QString& host, const QString& proxy);
    // "The job may or may not have been cancelled; check it before retrying.": what a cancel without an answer means.
    static QString mayBeCancelledText();
    // Printable first bytes of a body: control characters replaced, cut at maxChars.
    static QString excerptOf(const QByteArray& body, int maxChars = 200);
};
