#include "apiconfig.h"
#include "appinfo.h"

#include <QTest>

// Which base URLs FtCancel will send a key to, and what it says about the others.
class TestApiConfig final : public QObject
{
    Q_OBJECT

private slots:
    void describeReadsRight();
    void baseUrl_data();
    void baseUrl();
    void environmentOverridesTheSetting();
    void problemsAreNamed_data();
    void problemsAreNamed();
    void describeMasksTheKey();
};

void TestApiConfig::baseUrl_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("default") << "https://api.openai.com/v1" << true << QString();
    QTest::newRow("spaces around") << "  https://api.openai.com/v1 \n" << true << QString();
    QTest::newRow("azure") << "https://myres.openai.azure.com/openai" << true << QString();
    QTest::newRow("https with port") << "https://gateway.example.com:8443/openai/v1" << true << QString();
    QTest::newRow("http localhost") << "http://localhost:8080/v1" << true << QString();
    QTest::newRow("http 127.0.0.1") << "http://127.0.0.1:1234/v1" << true << QString();
    QTest::newRow("http 127.x") << "http://127.8.9.10/v1" << true << QString();
    QTest::newRow("http ::1") << "http://[::1]:8080/v1" << true << QString();
    QTest::newRow("http remote") << "http://api.openai.com/v1" << false << "clear text";
    QTest::newRow("http private lan") << "http://192.168.1.10/v1" << false << "clear text";
    QTest::newRow("http localhost lookalike") << "http://localhost.evil.example/v1" << false << "clear text";
    QTest::newRow("ftp") << "ftp://api.openai.com/v1" << false << "https://";
    QTest::newRow("no scheme") << "api.openai.com/v1" << false << "not a valid URL";
    QTest::newRow("empty") << "" << false << "empty";
    QTest::newRow("user info") << "https://user:pass@api.openai.com/v1" << false << "user name or password";
    QTest::newRow("fragment") << "https://api.openai.com/v1#x" << false << "fragment";
}

void TestApiConfig::baseUrl()
{
    QFETCH(QString, text);
    QFETCH(bool, accepted);
    QFETCH(QString, errorContains);
    QString error;
    const QUrl url = ApiConfig::parseBaseUrl(text, &error);
    QCOMPARE(url.isValid(), accepted);
    if (!accepted)
        QVERIFY2(error.contains(errorContains), qPrintable(error));
}

void TestApiConfig::environmentOverridesTheSetting()
{
    qunsetenv("OPENAI_BASE_URL");
    QCOMPARE(ApiConfig::effectiveBaseUrl(QString()), QStringLiteral("https://api.openai.com/v1"));
    QCOMPARE(ApiConfig::effectiveBaseUrl(QStringLiteral("https://saved.example/v1")),
             QStringLiteral("https://saved.example/v1"));
    qputenv("OPENAI_BASE_URL", "https://env.example/v1");
    QCOMPARE(ApiConfig::effectiveBaseUrl(QStringLiteral("https://saved.example/v1")),
             QStringLiteral("https://env.example/v1"));
    qunsetenv("OPENAI_BASE_URL");
}

void TestApiConfig::problemsAreNamed_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("organization");
    QTest::addColumn<QString>("problem");
    QTest::newRow("fine") << "sk-0123456789abcdef"
                          << "org-abc" << QString();
    QTest::newRow("no key") << ""
                            << ""
                            << "No API key";
    QTest::newRow("key with space") << "sk-abc def"
                                    << ""
                                    << "unusual character";
    QTest::newRow("key with newline") << "sk-abc\ndef"
                                      << ""
                                      << "unusual character";
    QTest::newRow("header injection in org") << "sk-0123456789abcdef"
                                             << "org-a\r\nX-Evil: 1"
                                             << "Organization ID";
}

void TestApiConfig::problemsAreNamed()
{
    QFETCH(QString, key);
    QFETCH(QString, organization);
    QFETCH(QString, problem);
    ApiConfig config;
    config.apiKey = key;
    config.organization = organization;
    if (problem.isEmpty())
        QCOMPARE(config.problem(), QString());
    else
        QVERIFY2(config.problem().contains(problem), qPrintable(config.problem()));
}

void TestApiConfig::describeMasksTheKey()
{
    ApiConfig config;
    config.apiKey = QStringLiteral("sk-describe-0123456789abcdWXYZ");
    const QString line = config.describe();
    QVERIFY(line.contains(QStringLiteral("\u2026WXYZ")));
    QVERIFY(!line.contains(config.apiKey));
    QVERIFY(line.contains(QStringLiteral("https://api.openai.com/v1")));
}

void TestApiConfig::describeReadsRight()
{
    AppInfo::applyToApplication(); // the English plural forms
    ApiConfig config;
    config.apiKey = QStringLiteral("sk-describe-0123456789") + QStringLiteral("WXYZ");
    config.maxRetries = 1;
    const QString one = config.describe();
    QVERIFY2(one.contains(QStringLiteral("up to 1 retry,")), qPrintable(one));
    QVERIFY2(one.contains(QStringLiteral("key \u2026WXYZ")) && !one.contains(config.apiKey), qPrintable(one));
    config.maxRetries = 3;
    QVERIFY2(config.describe().contains(QStringLiteral("up to 3 retries,")), qPrintable(config.describe()));
}

QTEST_GUILESS_MAIN(TestApiConfig)
#include "tst_apiconfig.moc"
