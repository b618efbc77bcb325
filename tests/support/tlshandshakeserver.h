#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

// A TLS server on 127.0.0.1 that only presents a given certificate: enough to see how the client reacts to a bad
// one (self-signed, expired, wrong host). It never speaks HTTP; a client that accepted the certificate would hang.
class TlsHandshakeServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TlsHandshakeServer)

public:
    explicit TlsHandshakeServer(QObject* parent = nullptr);

    // Loads PEM files; false when they cannot be read.
    bool setIdentity(const QString& certificatePath, const QString& keyPath);
    bool listen();
    QUrl baseUrl() const; // https://127.0.0.1:<port>/v1
    int handshakesAttempted() const { return m_handshakes; }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    QSslCertificate m_certificate;
    QSslKey m_key;
    int m_handshakes = 0;
};
