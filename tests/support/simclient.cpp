#include "simclient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QSignalSpy>

SimClient::SimClient(const QUrl& base) : m_base(base), m_nam(std::make_unique<QNetworkAccessManager>())
{
    m_nam->setProxy(QNetworkProxy::NoProxy); // an http_proxy in the environment must not divert 127.0.0.1
}

SimClient::~SimClient() = default;

void SimClient::setHeader(const QByteArray& name, const QByteArray& value)
{
    m_headers.removeIf([&name](const auto& header) { return header.first.compare(name, Qt::CaseInsensitive) == 0; });
    if (!value.isEmpty())
        m_headers.append({name, value});
}

SimAnswer SimClient::send(const QByteArray& method, const QString& pathAndQuery)
{
    QString base = m_base.toString();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    QNetworkRequest request(QUrl(base + pathAndQuery));
    for (const auto& header : m_headers)
        request.setRawHeader(header.first, header.second);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(10000);
    QNetworkReply* reply = m_nam->sendCustomRequest(request, method);
    if (!reply->isFinished()) {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!finished.wait(20000))
            qWarning() << "reply did not finish";
    }
    SimAnswer answer;
    answer.error = reply->error();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.json = QJsonDocument::fromJson(answer.body).object();
    reply->deleteLater();
    return answer;
}
