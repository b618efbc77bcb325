#include "cancelverdict.h"
#include "dialect.h"
#include "jobid.h"
#include "outputgate.h"

#include <QTest>

// Per provider, what is not on the wire: which ids each accepts and which it refuses with a hint naming the provider
// they belong to, its dashboard link (or none), the one verdict on a refused cancel, an Azure profile's problems, and
// each provider's key shapes masked by the output gate while every provider's ids pass it.
class TestDialectIds final : public QObject
{
    Q_OBJECT

private slots:
    void ids_data();
    void ids();
    void extractTakesTheProvidersIds();
    void dashboardOnlyWhereThereIsOne();
    void refusedCancelVerdict_data();
    void refusedCancelVerdict();
    void azureWithoutEndpointIsAProblem();
    void providerKeysAreMaskedIdsAreNot_data();
    void providerKeysAreMaskedIdsAreNot();
};

Q_DECLARE_METATYPE(Provider)

namespace {
const QString testKey = QStringLiteral("sk-test-dialects-") + QStringLiteral("0123456789abcdefWXYZ");
const QString uuid = QStringLiteral("7d3e1c2a-5b4f-4e6d-9a8b-0c1d2e3f4a5b");
const QString togetherId = QStringLiteral("ft-3b883474-f39c-40d9-9d5a-7f97ba9eeb9f");
} // namespace

void TestDialectIds::ids_data()
{
    QTest::addColumn<Provider>("provider");
    QTest::addColumn<QString>("pasted");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("errorPart");
    QTest::addColumn<bool>("warned");

    QTest::newRow("openai ftjob") << Provider::OpenAI << "ftjob-abc123"
                                  << "ftjob-abc123" << QString() << false;
    QTest::newRow("openai uuid: mistral")
        << Provider::OpenAI << uuid << QString()
        << "looks like a Together AI or Mistral AI job id; choose a Together AI or Mistral AI profile" << false;
    QTest::newRow("openai together id") << Provider::OpenAI << togetherId << QString()
                                        << "looks like a Together AI job id" << false;
    QTest::newRow("openai legacy ft-") << Provider::OpenAI << "ft-AF1WoRqd3aJAHsqc9NY7iL8F"
                                       << "ft-AF1WoRqd3aJAHsqc9NY7iL8F" << QString() << true;
    QTest::newRow("azure ftjob") << Provider::Azure << "ftjob-abc123"
                                 << "ftjob-abc123" << QString() << false;
    QTest::newRow("azure older ft-hex") << Provider::Azure << "ft-72a2792ef7d24ba7b82c7fe4a37e379f"
                                        << "ft-72a2792ef7d24ba7b82c7fe4a37e379f" << QString() << false;
    QTest::newRow("azure uuid") << Provider::Azure << uuid << QString() << "Mistral AI" << false;
    QTest::newRow("together ft-uuid, no warning")
        << Provider::Together << togetherId << togetherId << QString() << false;
    QTest::newRow("together ftjob")
        << Provider::Together << "ftjob-abc123" << QString()
        << "looks like an OpenAI or Azure OpenAI job id; choose an OpenAI or Azure OpenAI profile" << false;
    QTest::newRow("together api url") << Provider::Together
                                      << "https://api.together.ai/v1/fine-tunes/" + togetherId + "/cancel" << togetherId
                                      << QString() << false;
    QTest::newRow("mistral uuid") << Provider::Mistral << uuid << uuid << QString() << false;
    QTest::newRow("mistral quoted uuid") << Provider::Mistral << "\"" + uuid + "\"," << uuid << QString() << false;
    QTest::newRow("mistral api url") << Provider::Mistral << "api.mistral.ai/v1/fine_tuning/jobs/" + uuid << uuid
                                     << QString() << false;
    QTest::newRow("mistral ftjob") << Provider::Mistral << "ftjob-abc123" << QString() << "an OpenAI or Azure OpenAI"
                                   << false;
    QTest::newRow("mistral word") << Provider::Mistral << "hello" << QString() << "UUIDs" << false;
    QTest::newRow("mistral empty") << Provider::Mistral << "" << QString() << "such as 7d3e1c2a-" << false;
    QTest::newRow("mistral short uuid") << Provider::Mistral << uuid.left(35) << QString() << "UUIDs" << false;
}

void TestDialectIds::ids()
{
    QFETCH(Provider, provider);
    QFETCH(QString, pasted);
    QFETCH(QString, id);
    QFETCH(QString, errorPart);
    QFETCH(bool, warned);
    const JobId::Parsed parsed = JobId::parse(pasted, provider);
    QCOMPARE(parsed.id, id);
    if (errorPart.isEmpty())
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
    else
        QVERIFY2(parsed.error.contains(errorPart), qPrintable(parsed.error));
    QCOMPARE(!parsed.warning.isEmpty(), warned);
}

void TestDialectIds::extractTakesTheProvidersIds()
{
    const QString pasted = QStringLiteral("jobs: %1, %2\nrequest 42 ok").arg(uuid, uuid.left(35) + u'0');
    const JobId::Extracted mistral = JobId::extract(pasted, Provider::Mistral);
    QCOMPARE(mistral.ids.size(), 2);
    QVERIFY(mistral.rejected.isEmpty());
    const JobId::Extracted openAi = JobId::extract(pasted, Provider::OpenAI);
    QCOMPARE(openAi.ids.size(), 0);
    QCOMPARE(openAi.rejected.size(), 2);
    QVERIFY2(openAi.rejected.at(0).reason.contains(QLatin1String("Mistral AI")), qPrintable(openAi.rejected[0].reason));
}

void TestDialectIds::dashboardOnlyWhereThereIsOne()
{
    QCOMPARE(Dialect::of(Provider::OpenAI).dashboardUrl(QStringLiteral("ftjob-abc"), JobKind::FineTuning),
             QStringLiteral("https://platform.openai.com/finetune/ftjob-abc"));
    QVERIFY(Dialect::of(Provider::Azure).dashboardUrl(QStringLiteral("ftjob-abc"), JobKind::FineTuning).isEmpty());
    QVERIFY(Dialect::of(Provider::Together).dashboardUrl(togetherId, JobKind::FineTuning).isEmpty());
    QVERIFY(Dialect::of(Provider::Mistral).dashboardUrl(uuid, JobKind::FineTuning).isEmpty());
    // Only Together's confirmation carries a note about billing.
    QVERIFY(Dialect::of(Provider::Together).cancelNote(JobKind::FineTuning).contains(QLatin1String("bills")));
    QVERIFY(Dialect::of(Provider::OpenAI).cancelNote(JobKind::FineTuning).isEmpty());
}

void TestDialectIds::refusedCancelVerdict_data()
{
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("apiMessage");
    QTest::addColumn<QString>("readStatus"); // empty: the read failed
    QTest::addColumn<int>("verdict");
    using V = CancelVerdict::Verdict;
    const QString plain = QStringLiteral("Cannot cancel this job.");
    QTest::newRow("stopping is accepted") << 1 << plain << "cancelling" << int(V::Accepted);
    QTest::newRow("retried, cancelled is accepted") << 2 << plain << "cancelled" << int(V::Accepted);
    QTest::newRow("first, cancelled had finished") << 1 << plain << "cancelled" << int(V::Finished);
    QTest::newRow("succeeded had finished") << 2 << plain << "succeeded" << int(V::Finished);
    QTest::newRow("running, refused") << 2 << plain << "running" << int(V::Refused);
    QTest::newRow("running, 'being cancelled'") << 2 << "Job ftjob-abc is already being cancelled."
                                                << "running" << int(V::Accepted);
    QTest::newRow("running, 'already been cancelled'") << 2 << "Job has already been canceled"
                                                       << "running" << int(V::Accepted);
    QTest::newRow("unknown status, 'being cancelled'") << 1 << "The job is being cancelled"
                                                       << "mystery" << int(V::Accepted);
    QTest::newRow("read failed") << 2 << "already being cancelled" << QString() << int(V::Refused);
}

void TestDialectIds::refusedCancelVerdict()
{
    QFETCH(int, attempts);
    QFETCH(QString, apiMessage);
    QFETCH(QString, readStatus);
    QFETCH(int, verdict);
    JobResult refused;
    refused.httpStatus = 409;
    refused.attempts = attempts;
    refused.error = ApiError::http(409, apiMessage, QString(), QString());
    QVERIFY(CancelVerdict::deservesReadBack(refused));
    JobResult read;
    if (readStatus.isEmpty()) {
        read.error = ApiError::http(500, QString(), QString(), QString());
    } else {
        read.job.status = readStatus;
        read.job.statusClass = Dialect::of(Provider::OpenAI).statusClass(readStatus, JobKind::FineTuning);
    }
    QCOMPARE(int(CancelVerdict::of(refused, read)), verdict);
}

void TestDialectIds::azureWithoutEndpointIsAProblem()
{
    ApiConfig c;
    c.provider = Provider::Azure;
    c.apiKey = testKey;
    QVERIFY2(c.problem().contains(QLatin1String("endpoint")), qPrintable(c.problem()));
    c.baseUrl = QUrl(QStringLiteral("https://my-resource.openai.azure.com"));
    QVERIFY2(c.problem().isEmpty(), qPrintable(c.problem()));
    c.apiVersion = QStringLiteral("yesterday");
    QVERIFY(c.problem().contains(QLatin1String("API version")));
    c.apiVersion = QStringLiteral("2025-04-01-preview");
    QVERIFY(c.problem().isEmpty());
    QVERIFY(c.describe().contains(QLatin1String("API version 2025-04-01-preview")));
    QVERIFY(c.describe().contains(QLatin1String("(Azure OpenAI)")));
    QVERIFY(!c.describe().contains(QLatin1String("organization")));
    c.profileName = QStringLiteral("customer-eu");
    QVERIFY(c.describe().contains(QLatin1String("(profile customer-eu, Azure OpenAI)")));
    // A pasted endpoint that already ends in /openai/v1 is one.
    c.baseUrl = QUrl(QStringLiteral("https://my-resource.services.ai.azure.com/openai/v1/"));
    QVERIFY2(c.problem().isEmpty(), qPrintable(c.problem()));
    QString error;
    QVERIFY(!ApiConfig::parseBaseUrl(QStringLiteral("not a url"), &error, Provider::Azure).isValid());
    QVERIFY2(error.contains(QLatin1String("openai.azure.com")), qPrintable(error));
    QVERIFY(!c.describe().contains(testKey));
    c.apiKey.clear();
    QVERIFY(c.problem().contains(QLatin1String("Azure OpenAI API key")));
}

void TestDialectIds::providerKeysAreMaskedIdsAreNot_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("secret"); // empty: nothing may be masked
    // Key shapes of each provider, never registered here: the gate's shapes alone must catch them.
    const QString azure32 = QStringLiteral("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    const QString azure84 = QStringLiteral("3xAmPl3K3y") + QString(64, u'q') + QStringLiteral("Z9y8x7w6v5");
    const QString together64 = QString(32, u'a') + QString(32, u'7');
    const QString togetherNew = QStringLiteral("tgp_v1_") + QStringLiteral("Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z");
    const QString mistral32 = QStringLiteral("aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0dF");
    QTest::newRow("azure 32 hex in an api-key header") << "api-key: " + azure32 << azure32;
    QTest::newRow("azure 32 hex bare") << "key " + azure32 + " failed" << azure32;
    QTest::newRow("azure 84 characters") << azure84 << azure84;
    QTest::newRow("together 64 hex") << together64 << together64;
    QTest::newRow("together tgp_v1_") << "TOGETHER_API_KEY=" + togetherNew << togetherNew.mid(7);
    QTest::newRow("together tgp_v1_ bare") << "the key " + togetherNew + " was refused" << togetherNew.mid(7);
    QTest::newRow("mistral 32 bare") << "Bearer " + mistral32 << mistral32;
    QTest::newRow("mistral 32 in a sentence") << "the key " + mistral32 + " is wrong" << mistral32;
    // The ids of every provider pass untouched.
    QTest::newRow("openai id") << QStringLiteral("ftjob-abc123DEF456ghi789JKL012mno345") << QString();
    QTest::newRow("azure older id") << QStringLiteral("ft-72a2792ef7d24ba7b82c7fe4a37e379f") << QString();
    QTest::newRow("together id") << togetherId << QString();
    QTest::newRow("mistral id") << uuid << QString();
    QTest::newRow("mistral id in a url") << "https://api.mistral.ai/v1/fine_tuning/jobs/" + uuid << QString();
}

void TestDialectIds::providerKeysAreMaskedIdsAreNot()
{
    QFETCH(QString, text);
    QFETCH(QString, secret);
    const QString shown = OutputGate::clean(text, OutputGate::lineBytes);
    if (secret.isEmpty()) {
        QCOMPARE(shown, text);
        QVERIFY(!OutputGate::containsSecret(text));
    } else {
        QVERIFY2(!shown.contains(secret), qPrintable(shown));
        QVERIFY2(!shown.contains(secret.left(12)), qPrintable(shown));
        QVERIFY(OutputGate::containsSecret(text));
    }
}

QTEST_GUILESS_MAIN(TestDialectIds)
#include "tst_dialectids.moc"
