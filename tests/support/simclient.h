#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkReply>
#include <QPair>
#include <QString>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

// What one request to the simulator got back.
struct SimAnswer
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QJsonObject json; // the body, when it is a JSON object
};

// SimClient: a real QNetworkAccessManager that sends requests to a JobSimulator's base URL (or Azure endpoint) with
// the headers a test sets, and waits for each answer. For the simulator's own tests; the app has its own client.
class SimClient final
{
public:
    explicit SimClient(const QUrl& base);
    ~SimClient();
    SimClient(const SimClient&) = delete;
    SimClient& operator=(const SimClient&) = delete;

    void setHeader(const QByteArray& name, const QByteArray& value); // sent with every request; empty value: not
    SimAnswer send(const QByteArray& method, const QString& pathAndQuery); // base + pathAndQuery
    SimAnswer get(const QString& pathAndQuery) { return send("GET", pathAndQuery); }
    SimAnswer post(const QString& pathAndQuery) { return send("POST", pathAndQuery); }

private:
    QUrl m_base;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};
