#include "apierror.h"

#include "outputgate.h"

ApiError ApiError::forReading() const
{
    ApiError e = *this;
    if (cancelPart.isEmpty())
        return e;
    const qsizetype at = e.message.indexOf(cancelPart);
    if (at < 0)
        return e;
    e.message.replace(at, cancelPart.size(), readPart);
    e.message = e.message.simplified(); // a part taken away leaves no double space
    e.cancelPart.clear();
    e.readPart.clear();
    return e;
}

QString ApiError::kindName() const
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Input:
        return QStringLiteral("input");
    case Kind::Network:
        return QStringLiteral("network");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Stopped:
        return QStringLiteral("stopped");
    case Kind::Http:
        return QStringLiteral("http");
    case Kind::BadResponse:
        return QStringLiteral("bad_response");
    case Kind::Keychain:
        return QStringLiteral("keychain");
    }
    return QString();
}

ApiError ApiError::input(const QString& message)
{
    ApiError e;
    e.kind = Kind::Input;
    e.message = message;
    return e;
}

ApiError ApiError::keychain(const QString& message)
{
    ApiError e;
    e.kind = Kind::Keychain;
    e.message = message;
    return e;
}

ApiError ApiError::http(int status, const QString& apiMessage, const QString& apiType, const QString& apiCode)
{
    ApiError e;
    e.kind = Kind::Http;
    e.httpStatus = status;
    e.apiMessage = apiMessage;
    e.apiType = apiType;
    e.apiCode = apiCode;

    QString meaning;
    if (status == 401) {
        meaning = tr("The API key was rejected. Check that it is complete, not revoked, and belongs to this "
                     "organization.");
    } else if (status == 403) {
        meaning = tr("This key has no permission for that job in this organization or project. Check the "
                     "Organization and Project IDs and the key's permissions.");
    } else if (status == 404) {
        meaning = tr("No such job for this key and organization. Check the job id, and that the key, Organization "
                     "and Project match the ones that created the job.");
    } else if (status == 400 || status == 409) {
        // The wording of "already finished" changes over time, so the text is shown, never matched.
        meaning = tr("The API refused to cancel the job. Usually this means it had already finished (succeeded, "
                     "failed or cancelled), so there is nothing to cancel.");
        e.cancelPart = meaning;
        e.readPart = tr("The API refused the request.");
    } else if (status == 408) {
        meaning = tr("The API timed out handling the request. Try again.");
    } else if (status == 429) {
        meaning = tr("Rate limited: too many requests for this key or organization. Wait a moment and try again.");
    } else if (status >= 500) {
        meaning = tr("The service failed (HTTP %1). This is not your fault; try again shortly.").arg(status);
    } else {
        meaning = tr("The API refused the request.");
    }

    // The API's own words are quoted through the output gate: masked, control characters shown, capped.
    QString details;
    if (!apiMessage.isEmpty())
        details = tr("The API said: %1").arg(OutputGate::clean(apiMessage));
    QStringList tags;
    if (!apiType.isEmpty())
        tags << tr("type %1").arg(OutputGate::clean(apiType, 200));
    if (!apiCode.isEmpty())
        tags << tr("code %1").arg(OutputGate::clean(apiCode, 200));
    if (!tags.isEmpty())
        details += (details.isEmpty() ? QString() : QStringLiteral(" ")) + QStringLiteral("(%1)").arg(tags.join(u", "));

    e.message = tr("HTTP %1: %2").arg(status).arg(meaning);
    if (!details.isEmpty())
        e.message += QLatin1Char(' ') + details;
    return e;
}

ApiError ApiError::badResponse(int status, const QByteArray& contentType, const QByteArray& body)
{
    ApiError e;
    e.kind = Kind::BadResponse;
    e.httpStatus = status;
    e.contentType = QString::fromLatin1(contentType);
    e.excerpt = excerptOf(body);
    const QString type = contentType.isEmpty() ? tr("no content type") : e.contentType;
    if (body.isEmpty()) {
        e.cancelPart
            = tr("the API always sends a JSON job, so the outcome is unknown. Check the job in the dashboard.");
        e.readPart = tr("the API always sends JSON. Check the base URL and any proxy.");
        e.message = tr("HTTP %1 with an empty body (%2): %3").arg(status).arg(type, e.cancelPart);
    } else {
        e.cancelPart = tr("The outcome is unknown.");
        e.message = tr("HTTP %1 with a response that is not the API's JSON (%2), probably from a proxy or gateway. "
                       "%3 First bytes: %4")
                        .arg(status)
                        .arg(type, e.cancelPart, e.excerpt);
    }
    return e;
}

ApiError ApiError::wrongJob(int status, const QString& requestedId, const QString& answeredId)
{
    ApiError e;
    e.kind = Kind::BadResponse;
    e.httpStatus = status;
    // Both ids through the gate: the answered one is the server's, and ours is only ever shown next to it.
    const int idBytes = 256;
    e.message = tr("HTTP %1, but the answer is about another job: %2, not %3. It says nothing about %3, so the "
                   "outcome is unknown; check the job in the dashboard, and the base URL and any proxy.")
                    .arg(QString::number(status), OutputGate::clean(answeredId, idBytes),
                         OutputGate::clean(requestedId, idBytes));
    return e;
}

ApiError ApiError::tooLarge(int status, qint64 limitBytes)
{
    ApiError e;
    e.kind = Kind::BadResponse;
    e.httpStatus = status;
    e.cancelPart = tr("The API never sends that much for one job; check the base URL and any proxy. The outcome is "
                      "unknown.");
    e.readPart = tr("The API never sends that much for one page; check the base URL and any proxy.");
    e.message = tr("HTTP %1 with a response too large (over %2 MiB), so reading stopped. %3")
                    .arg(status)
                    .arg(limitBytes / (1024 * 1024))
                    .arg(e.cancelPart);
    return e;
}

ApiError ApiError::listDidNotEnd(int status, const QString& what)
{
    ApiError e;
    e.kind = Kind::BadResponse;
    e.httpStatus = status;
    e.message = tr("The list did not end: %1").arg(what);
    return e;
}

ApiError ApiError::redirect(int status, const QString& location)
{
    ApiError e;
    e.kind = Kind::BadResponse;
    e.httpStatus = status;
    e.message = tr("HTTP %1: the server redirects to %2. FtCancel does not follow redirects, so the API key is never "
                   "sent to another address. Check the base URL.")
                    .arg(status)
                    .arg(location.isEmpty() ? tr("an unnamed location") : location);
    return e;
}

ApiError ApiError::network(QNetworkReply::NetworkError code, const QString& qtErrorString, const QString& host,
                           bool timedOut, int timeoutSeconds, bool cancelledByUser, const QString& proxy)
{
    ApiError e;
    e.networkError = code;
    if (cancelledByUser) {
        e.kind = Kind::Stopped;
        e.cancelPart = tr("The request may or may not have reached the API; check the job before retrying.");
        e.message = tr("Stopped.") + QLatin1Char(' ') + e.cancelPart;
        return e;
    }
    if (timedOut) {
        e = timeout(host, qint64(timeoutSeconds) * 1000, 0, false, proxy);
        e.networkError = code;
        return e;
    }
    e.kind = Kind::Network;
    e.message = proxy.isEmpty() ? networkErrorText(code, host) : proxyErrorText(code, host, proxy);
    if (code == QNetworkReply::RemoteHostClosedError)
        e.cancelPart = mayBeCancelledText();
    // Through a proxy, Qt's "Host … not found" names the API host even when it was the proxy's name that failed.
    const bool misleading = !proxy.isEmpty() && code == QNetworkReply::HostNotFoundError;
    if (!qtErrorString.isEmpty() && !misleading)
        e.message += QLatin1Char(' ') + tr("(Details: %1)").arg(qtErrorString);
    return e;
}

ApiError ApiError::timeout(const QString& hostName, qint64 waitedMs, int deadlineSeconds, bool partial,
                           const QString& proxy)
{
    const QString host = proxy.isEmpty() ? hostName : tr("%1 through the proxy %2").arg(hostName, proxy);
    ApiError e;
    e.kind = Kind::Timeout;
    e.networkError = QNetworkReply::OperationCanceledError;
    // Whole seconds, at least one: a wait cut to a fraction of a second is still "1 second".
    const int seconds = int(qBound(qint64(1), (waitedMs + 500) / 1000, qint64(999999999)));
    if (deadlineSeconds <= 0) {
        e.cancelPart = tr("The job may or may not have been cancelled.");
        e.message = partial
            ? tr("The answer from %1 stopped: nothing more came for %n second(s). Check your network connection and "
                 "proxy, or raise the timeout.",
                 nullptr, seconds)
                  .arg(host)
            : tr("No answer from %1 within %n second(s). Check your network connection and proxy, or raise the "
                 "timeout.",
                 nullptr, seconds)
                  .arg(host);
        e.message += QLatin1Char(' ') + e.cancelPart;
        return e;
    }
    const QString waited = tr("%n second(s)", nullptr, seconds);
    e.cancelPart = mayBeCancelledText();
    e.message = partial
        ? tr("No complete answer from %1 within %2 (the overall deadline of %n second(s) cut this attempt short).",
             nullptr, deadlineSeconds)
              .arg(host, waited)
        : tr("No answer from %1 within %2 (the overall deadline of %n second(s) cut this attempt short).", nullptr,
             deadlineSeconds)
              .arg(host, waited);
    e.message += QLatin1Char(' ') + e.cancelPart;
    return e;
}

QString ApiError::mayBeCancelledText()
{
    return tr("The job may or may not have been cancelled; check it before retrying.");
}

QString ApiError::networkErrorText(QNetworkReply::NetworkError code, const QString& host)
{
    switch (code) {
    case QNetworkReply::HostNotFoundError:
        return tr("Could not find the server %1 (DNS lookup failed). Check the base URL and your network "
                  "connection.")
            .arg(host);
    case QNetworkReply::ConnectionRefusedError:
        return tr("The connection to %1 was refused. Check the base URL and port, and that any proxy is running.")
            .arg(host);
    case QNetworkReply::RemoteHostClosedError:
        return tr("%1 closed the connection before answering.").arg(host) + QLatin1Char(' ') + mayBeCancelledText();
    case QNetworkReply::TimeoutError:
        return tr("The connection to %1 timed out. Check your network connection and proxy.").arg(host);
    case QNetworkReply::SslHandshakeFailedError:
        return tr("The secure (TLS) connection to %1 failed: its certificate was not accepted. Check the system date "
                  "and time, and whether a proxy intercepts HTTPS.")
            .arg(host);
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return tr("The network is unavailable. Check that this computer is online.");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return tr("The proxy could not be reached. Check the proxy settings (HTTPS_PROXY).");
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return tr("The proxy asks for a login. Check the proxy credentials.");
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProtocolFailure:
        return tr("The answer from %1 broke the HTTP protocol. Check the base URL.").arg(host);
    default:
        return tr("The request to %1 failed.").arg(host);
    }
}

QString ApiError::proxyErrorText(QNetworkReply::NetworkError code, const QString& host, const QString& proxy)
{
    const QString check = tr("Check the proxy settings (HTTPS_PROXY, NO_PROXY or the desktop's) and that the proxy "
                             "lets connections to %1 through.")
                              .arg(host);
    QString what;
    switch (code) {
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return tr("Could not reach %1 through the proxy %2: the proxy asks for a login. Check the proxy user name and "
                  "password (in HTTPS_PROXY or the desktop's proxy settings).")
            .arg(host, proxy);
    case QNetworkReply::ProxyNotFoundError:
        return tr("Could not reach %1 through the proxy %2: the proxy's own name was not found. Check the proxy "
                  "settings (HTTPS_PROXY or the desktop's).")
            .arg(host, proxy);
    case QNetworkReply::ProxyConnectionRefusedError:
        what = tr("the proxy refused the connection.");
        break;
    case QNetworkReply::ProxyConnectionClosedError:
        what = tr("the proxy closed the connection without opening the way to %1.").arg(host);
        break;
    case QNetworkReply::ProxyTimeoutError:
        what = tr("the proxy did not answer in time.");
        break;
    case QNetworkReply::HostNotFoundError:
        // A 404 to CONNECT, or a proxy name that does not resolve: Qt reports both like a direct lookup of host.
        what = tr("the proxy could not find %1, or the proxy's own name was not found.").arg(host);
        break;
    case QNetworkReply::ConnectionRefusedError:
        // A 503 to CONNECT.
        what = tr("the proxy could not open a connection to %1.").arg(host);
        break;
    case QNetworkReply::UnknownNetworkError:
        // Qt 6.4 for a 403, 405 or 502 to CONNECT and for a proxy port that refuses; its details tell which.
        what = tr("the proxy refused the connection, or refused to open the way to %1.").arg(host);
        break;
    default:
        // Past the proxy: the API host itself closed, TLS failed, …
        return networkErrorText(code, host) + QLatin1Char(' ')
            + tr("The request went through the proxy %1.").arg(proxy);
    }
    return tr("Could not reach %1 through the proxy %2: %3").arg(host, proxy, what) + QLatin1Char(' ') + check;
}

QString ApiError::excerptOf(const QByteArray& body, int maxChars)
{
    // Masked before it is cut (a key straddling the cut must not leak its first part), by the output gate; the
    // gate's window reaches far enough past the cut, so only that much of the body is decoded.
    const QByteArray head = body.left(qsizetype(maxChars) * 4 + 4096);
    return OutputGate::clean(QString::fromUtf8(head).simplified(), maxChars, body.size() - head.size());
}
