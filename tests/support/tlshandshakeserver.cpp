#include "tlshandshakeserver.h"

#include <QFile>
#include <QSslSocket>
#include <QUrl>

TlsHandshakeServer::TlsHandshakeServer(QObject* parent) : QTcpServer(parent) { }

bool TlsHandshakeServer::setIdentity(const QString& certificatePath, const QString& keyPath)
{
    QFile cert(certificatePath);
    QFile key(keyPath);
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
        return false;
    m_certificate = QSslCertificate(&cert, QSsl::Pem);
    m_key = QSslKey(&key, QSsl::Rsa, QSsl::Pem);
    return !m_certificate.isNull() && !m_key.isNull();
}

bool TlsHandshakeServer::listen()
{
    return QTcpServer::listen(QHostAddress::LocalHost, 0);
}

QUrl TlsHandshakeServer::baseUrl() const
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1/v1").arg(serverPort()));
}

void TlsHandshakeServer::incomingConnection(qintptr socketDescriptor)
{
    auto* socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    ++m_handshakes;
    socket->setLocalCertificate(m_certificate);
    socket->setPrivateKey(m_key);
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QSslSocket::errorOccurred, socket, [socket] { socket->close(); });
    socket->startServerEncryption();
}
