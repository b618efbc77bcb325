#include "apiconfig.h"
#include "appinfo.h"
#include "appsettings.h"
#include "auditlog.h"
#include "fakeopenaiserver.h"
#include "jobresult.h"
#include "mainwindow.h"
#include "outputgate.h"
#include "secretcheck.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>
#include <memory>

// A hostile or broken server (or proxy) answering every field with what a terminal, a label or a file must never
// get raw: keys (ours, echoed, and another provider's), line breaks that forge lines, escape sequences that
// retitle or clear a terminal, bidi overrides, and 7 MiB messages. Each answer goes through every output: the
// command line's plain lines, --json and --verbose, the window's labels, status bar and log, and the audit trail.
class TestHostileServer final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void cliPlain_data() { answers(); }
    void cliPlain();
    void cliJson_data() { answers(); }
    void cliJson();
    void cliVerbose_data() { answers(); }
    void cliVerbose();
    void window_data() { answers(); }
    void window();
    void auditEntryGatesEveryField();
    void pastedKeyIsNeverEchoedByTheCli_data() { pastedKeys(); }
    void pastedKeyIsNeverEchoedByTheCli();
    void pastedKeyIsNeverEchoedByTheWindow_data() { pastedKeys(); }
    void pastedKeyIsNeverEchoedByTheWindow();

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    void answers();
    void pastedKeys();
    Run runCli(const QStringList& extraArguments);
    void checkText(const QString& where, const QString& text, int maxBytes, bool linesAllowed);
    void checkAudit(int expectedLines);
    void checkWindow(MainWindow* window);
    QString auditPath() const;

    FakeOpenAiServer* m_server = nullptr;
    QString m_key; // ours: registered as the key in use
    QString m_foreignKey; // another provider's (Azure-shaped), never registered: caught by its shape
};

namespace {
using SecretCheck::dangerousCharacterIn;
using SecretCheck::longestLeak;
using SecretCheck::randomChars;

const char* const jobId = "ftjob-hostile1";
} // namespace

void TestHostileServer::initTestCase()
{
    AppInfo::applyToApplication();
    QVERIFY2(QFile::exists(qEnvironmentVariable("FTCANCEL_BINARY")), "ctest sets FTCANCEL_BINARY");
    m_key = QStringLiteral("sk-proj-") + randomChars(60, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789_-");
    m_foreignKey = QStringLiteral("9f") + randomChars(30, "0123456789abcdef");
}

void TestHostileServer::init()
{
    m_server = new FakeOpenAiServer(this);
    QVERIFY(m_server->listen());
    QFile::remove(auditPath());
}

void TestHostileServer::cleanup()
{
    delete m_server;
    m_server = nullptr;
}

QString TestHostileServer::auditPath() const
{
    return qEnvironmentVariable("XDG_DATA_HOME") + QStringLiteral("/io.github.ftcancel.FtCancel/FtCancel/audit.jsonl");
}

void TestHostileServer::answers()
{
    QTest::addColumn<FakeResponse>("answer");
    QTest::addColumn<bool>("success"); // a 200 job (one line on stdout) rather than an error (one on stderr)

    const QString forged = QStringLiteral("cancelled\nftjob-forged cancelled");
    const QString escapes = QStringLiteral("\x1b]0;pwned\x07\x1b[2J\x1b[Hcancelled\r");
    const QString bidi = QStringLiteral("cancel\u202Eled\u2066");
    const QString keys = QStringLiteral(" key %1 and %2 ").arg(QStringLiteral("KEY"), m_foreignKey);
    const QString huge = QString(7 * 1024 * 1024, u'A');
    const QString large = QString(3 * 1024 * 1024, u'B'); // two of them fit under the 8 MiB cap on a job

    QJsonObject job = FakeResponse::jobObject(QString::fromLatin1(jobId), forged);
    QTest::newRow("status forges a line") << FakeResponse::json(200, QJsonDocument(job).toJson()) << true;
    job = FakeResponse::jobObject(QString::fromLatin1(jobId), escapes);
    job.insert(QStringLiteral("model"), escapes + keys);
    QTest::newRow("status and model with escapes and keys")
        << FakeResponse::json(200, QJsonDocument(job).toJson()).withHeader("x-request-id", "req_\x1b[2J\x1b]0;x\x07")
        << true;
    job = FakeResponse::jobObject(QString::fromLatin1(jobId), bidi);
    QTest::newRow("bidi status") << FakeResponse::json(200, QJsonDocument(job).toJson()) << true;
    job = FakeResponse::jobObject(QString::fromLatin1(jobId), large);
    job.insert(QStringLiteral("model"), large + keys);
    QTest::newRow("3 MiB status and model") << FakeResponse::json(200, QJsonDocument(job).toJson()) << true;

    QTest::newRow("error fields with keys and escapes")
        << FakeResponse::apiError(400, QStringLiteral("Incorrect API key provided: KEY.\n") + escapes + keys,
                                  QStringLiteral("invalid\x1b[31m_request") + keys, QStringLiteral("code\n") + keys)
               .withHeader("x-request-id", m_foreignKey.toUtf8())
        << false;
    QTest::newRow("7 MiB error message") << FakeResponse::apiError(
        400, QStringLiteral("Incorrect API key provided: KEY. ") + huge + keys, QStringLiteral("invalid_request_error"),
        QStringLiteral("code")) << false;
    // A gateway's page quoting the key where the excerpt is cut (200 bytes).
    QByteArray page = QByteArray(180, 'x') + " KEY " + QByteArray(4096, 'y');
    FakeResponse gateway = FakeResponse::json(502, page);
    gateway.contentType = "text/html";
    QTest::newRow("non-JSON error quoting the key across the excerpt's cut")
        << gateway.withHeader("x-should-retry", "false") << false;
    // A proxy's 401 that echoes the whole Authorization header.
    FakeResponse echo = FakeResponse::json(401, "Authorization: Bearer KEY\r\nX-Forged: 1\x1b[2J");
    echo.contentType = "text/plain";
    QTest::newRow("plain-text 401 echoing the header") << echo << false;
}

TestHostileServer::Run TestHostileServer::runCli(const QStringList& extraArguments)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"OPENAI_ORG_ID", "OPENAI_PROJECT_ID"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("OPENAI_API_KEY"), m_key);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProgram(qEnvironmentVariable("FTCANCEL_BINARY"));
    // The hostile answer is the cancel's (the look-up before it is tested with the simulator).
    process.setArguments(QStringList{QStringLiteral("cancel"), QStringLiteral("--no-preview"),
                                     QStringLiteral("--max-retries"), QStringLiteral("0")}
                         + extraArguments + QStringList{QString::fromLatin1(jobId)});
    QSignalSpy finished(&process, &QProcess::finished);
    process.start();
    Run r;
    if (!finished.wait(120000)) {
        process.kill();
        process.waitForFinished();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

// The server's answer, with KEY replaced by the key actually in use (it only exists at run time).
static FakeResponse withKey(FakeResponse answer, const QString& key)
{
    answer.body.replace("KEY", key.toUtf8());
    return answer;
}

void TestHostileServer::checkText(const QString& where, const QString& text, int maxBytes, bool linesAllowed)
{
    // What a failure prints must not carry the key into the test log either, nor raw escapes into a terminal.
    QString shown = text.left(1000);
    shown.replace(m_key.mid(8), QStringLiteral("<KEY>")).replace(m_foreignKey.mid(2), QStringLiteral("<KEY>"));
    for (QChar& c : shown) {
        if (c.unicode() < 0x20 && c != u'\n')
            c = u'?';
    }
    QVERIFY2(longestLeak(text, m_key.mid(8)) <= 4, qPrintable(where + QStringLiteral(": our key leaked: ") + shown));
    QVERIFY2(longestLeak(text, m_foreignKey) <= 4,
             qPrintable(where + QStringLiteral(": the foreign key leaked: ") + shown));
    const QString bad = dangerousCharacterIn(text, linesAllowed);
    QVERIFY2(bad.isEmpty(), qPrintable(where + QStringLiteral(": raw ") + bad + QStringLiteral(" in ") + shown));
    QVERIFY2(text.toUtf8().size() <= maxBytes,
             qPrintable(where + QStringLiteral(": %1 bytes").arg(text.toUtf8().size())));
}

void TestHostileServer::checkAudit(int expectedLines)
{
    QFile file(auditPath());
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(auditPath()));
    const QByteArray bytes = file.readAll();
    QVERIFY2(bytes.size() < 32 * 1024, qPrintable(QStringLiteral("audit file of %1 bytes").arg(bytes.size())));
    const QList<QByteArray> lines = bytes.split('\n');
    QCOMPARE(lines.size(), expectedLines + 1);
    for (int i = 0; i < expectedLines; ++i) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(lines.at(i), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QLatin1String("job_id")).toString(), QString::fromLatin1(jobId));
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (it->isString())
                checkText(QStringLiteral("audit field ") + it.key(), it->toString(), OutputGate::lineBytes + 64, false);
        }
    }
}

void TestHostileServer::cliPlain()
{
    QFETCH(FakeResponse, answer);
    QFETCH(bool, success);
    m_server->enqueue(withKey(answer, m_key));
    const Run r = runCli({});
    QVERIFY2(r.exitCode == 1, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
    const QString out = QString::fromUtf8(r.out);
    const QString err = QString::fromUtf8(r.err);
    checkText(QStringLiteral("stdout"), out, 8 * 1024, true);
    checkText(QStringLiteral("stderr"), err, 16 * 1024, true);
    if (success) {
        // Exactly one line, for the job asked about: nothing forged.
        QCOMPARE(out.count(u'\n'), 1);
        QVERIFY2(out.startsWith(QString::fromLatin1(jobId) + u' '), qPrintable(out));
    } else {
        QCOMPARE(out, QString());
        QCOMPARE(err.count(u'\n'), 1);
        QVERIFY2(err.startsWith(QString::fromLatin1(jobId) + QStringLiteral(" error ")), qPrintable(err.left(500)));
    }
    checkAudit(1);
}

void TestHostileServer::cliJson()
{
    QFETCH(FakeResponse, answer);
    m_server->enqueue(withKey(answer, m_key));
    const Run r = runCli({QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 1);
    const QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.size(), 2); // one object, then the final line break
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(lines.first(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value(QLatin1String("id")).toString(), QString::fromLatin1(jobId));
    QCOMPARE(o.value(QLatin1String("ok")).toBool(true), false);
    checkText(QStringLiteral("--json"), QString::fromUtf8(r.out), 16 * 1024, true);
    // Every string field, nested ones too, as a script would read it.
    std::function<void(const QJsonObject&)> walk = [&](const QJsonObject& object) {
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it->isString())
                checkText(QStringLiteral("--json field ") + it.key(), it->toString(), OutputGate::lineBytes + 64,
                          false);
            else if (it->isObject())
                walk(it->toObject());
        }
    };
    walk(o);
    checkText(QStringLiteral("stderr"), QString::fromUtf8(r.err), 16 * 1024, true);
}

void TestHostileServer::cliVerbose()
{
    QFETCH(FakeResponse, answer);
    m_server->enqueue(withKey(answer, m_key));
    const Run r = runCli({QStringLiteral("--verbose")});
    QCOMPARE(r.exitCode, 1);
    const QString err = QString::fromUtf8(r.err);
    checkText(QStringLiteral("--verbose stderr"), err, 64 * 1024, true);
    checkText(QStringLiteral("stdout"), QString::fromUtf8(r.out), 8 * 1024, true);
    // Every line of the log is a log line (a timestamp), not something the server forged.
    for (const QString& line : err.split(u'\n', Qt::SkipEmptyParts)) {
        const bool logLine = QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d ")).match(line).hasMatch();
        QVERIFY2(logLine || line.startsWith(QString::fromLatin1(jobId) + QStringLiteral(" error ")),
                 qPrintable(line.left(300)));
    }
}

void TestHostileServer::window()
{
    QFETCH(FakeResponse, answer);
    QFETCH(bool, success);
    qputenv("OPENAI_BASE_URL", m_server->baseUrl().toString().toUtf8());
    qputenv("OPENAI_API_KEY", QByteArray());
    // A hostile status is not final: watching it would poll for two minutes. What is shown is the point here.
    AppSettings().setWatchEnabled(false);
    AppSettings().setAskBeforeCancelling(true);
    auto window = std::make_unique<MainWindow>();
    window->show();
    auto* keyEdit = window->findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"));
    auto* jobEdit = window->findChild<QLineEdit*>(QStringLiteral("jobIdEdit"));
    auto* button = window->findChild<QPushButton*>(QStringLiteral("cancelButton"));
    QVERIFY(keyEdit && jobEdit && button);
    QTRY_VERIFY_WITH_TIMEOUT(keyEdit->isEnabled(), 30000);
    keyEdit->setText(m_key);
    const auto openConfirmation = [&window]() -> QDialog* {
        for (QDialog* dialog : window->findChildren<QDialog*>(QStringLiteral("confirmDialog"))) {
            if (dialog->isVisible())
                return dialog;
        }
        return nullptr;
    };
    const auto idle = [&] {
        return button->text() != QLatin1String("Stop") && !openConfirmation();
    };

    // 1. The hostile answer to the look-up: whatever it says reaches the table, the details and, when it looks
    //    like a job still running, the confirmation, which is declined: nothing is cancelled.
    m_server->enqueue(withKey(answer, m_key));
    jobEdit->setText(QString::fromLatin1(jobId));
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(openConfirmation() || idle(), 120000);
    if (QDialog* dialog = openConfirmation()) {
        QVERIFY(success);
        for (QLabel* label : dialog->findChildren<QLabel*>()) {
            QCOMPARE(label->textFormat(), Qt::PlainText);
            checkText(QStringLiteral("confirmation ") + label->objectName(), label->text(), 4 * OutputGate::lineBytes,
                      true);
        }
        auto* list = dialog->findChild<QTreeWidget*>(QStringLiteral("confirmJobsView"));
        QCOMPARE(list->topLevelItemCount(), 1);
        for (int column = 0; column < list->columnCount(); ++column)
            checkText(QStringLiteral("confirmation column %1").arg(column), list->topLevelItem(0)->text(column),
                      OutputGate::fieldBytes + 256, false);
        QTest::keyClick(dialog, Qt::Key_Escape);
    }
    QTRY_VERIFY_WITH_TIMEOUT(idle(), 120000);
    QCOMPARE(m_server->requestCount(), 1);
    checkWindow(window.get());

    // 2. A plain look-up, confirmed, and the hostile answer to the cancel.
    if (QTableView* view = window->findChild<QTableView*>(QStringLiteral("jobsView")); view->model()->rowCount() > 0)
        QTest::mouseClick(window->findChild<QPushButton*>(QStringLiteral("clearJobsButton")), Qt::LeftButton);
    m_server->enqueue(FakeResponse::job(QString::fromLatin1(jobId), QStringLiteral("running")));
    m_server->enqueue(withKey(answer, m_key));
    // A refused cancel is read back (GET): the job is still running.
    m_server->setHandler([](const RecordedRequest&) {
        return FakeResponse::job(QString::fromLatin1(jobId), QStringLiteral("running"));
    });
    jobEdit->setText(QString::fromLatin1(jobId));
    QTest::mouseClick(button, Qt::LeftButton);
    QDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = openConfirmation()) != nullptr, 120000);
    QTest::keyClick(dialog, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(idle(), 120000);
    int posts = 0;
    for (const RecordedRequest& request : m_server->requests())
        posts += request.method == "POST" ? 1 : 0;
    QCOMPARE(posts, 1);
    QVERIFY(m_server->requestCount() >= 3);
    checkWindow(window.get());
    window.reset();
    checkAudit(1);
}

void TestHostileServer::checkWindow(MainWindow* window)
{
    for (const char* name : {"statusLabel", "statusDetailsLabel", "summaryLabel", "jobIdMessageLabel", "accountLabel",
                             "credentialsStateLabel"}) {
        auto* label = window->findChild<QLabel*>(QLatin1String(name));
        QVERIFY2(label, name);
        QCOMPARE(label->textFormat(), Qt::PlainText);
    }
    const auto* status = window->findChild<QLabel*>(QStringLiteral("statusLabel"));
    const auto* details = window->findChild<QLabel*>(QStringLiteral("statusDetailsLabel"));
    checkText(QStringLiteral("status label"), status->text(), OutputGate::fieldBytes + 64, false);
    checkText(QStringLiteral("details label"), details->text(), 4 * OutputGate::lineBytes, true);
    checkText(QStringLiteral("summary"),
              window->findChild<QLabel*>(QStringLiteral("summaryLabel"))->accessibleDescription(),
              OutputGate::lineBytes + 256, false);
    checkText(QStringLiteral("status bar"), window->statusBar()->currentMessage(), OutputGate::lineBytes + 64, false);
    // Every cell of the jobs table, and its tooltip (rich text, escaped).
    const QAbstractItemModel* model = window->findChild<QTableView*>(QStringLiteral("jobsView"))->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            const QModelIndex index = model->index(row, column);
            checkText(QStringLiteral("table cell %1").arg(column), index.data().toString(), OutputGate::lineBytes + 256,
                      false);
            const QString tip = index.data(Qt::ToolTipRole).toString();
            checkText(QStringLiteral("tooltip %1").arg(column), tip, 8 * OutputGate::lineBytes, true);
            QVERIFY2(!tip.contains(QStringLiteral("<img")) && !tip.contains(QStringLiteral("<a ")),
                     "a tooltip holds raw markup from the server");
        }
    }
    const QString log = window->findChild<QPlainTextEdit*>(QStringLiteral("logView"))->toPlainText();
    checkText(QStringLiteral("log pane"), log, 64 * 1024, true);
}

void TestHostileServer::auditEntryGatesEveryField()
{
    // Whatever a result carries raw (however it was composed), the trail gets it masked, shown and capped.
    const QString hostile
        = QStringLiteral("x\n\x1b[2J\u202E %1 %2 ").arg(m_key, m_foreignKey) + QString(7 * 1024 * 1024, u'A');
    ApiConfig config;
    config.apiKey = m_key;
    JobResult result;
    result.requestedId = QString::fromLatin1(jobId);
    result.requestId = hostile;
    result.error = ApiError::input(QString());
    result.error.kind = ApiError::Kind::BadResponse;
    result.error.message = hostile;
    const AuditEntry error = AuditEntry::fromResult(result, config, QStringLiteral("cli"));
    checkText(QStringLiteral("audit error message"), error.errorMessage, OutputGate::lineBytes + 64, false);
    checkText(QStringLiteral("audit request id"), error.requestId, OutputGate::fieldBytes + 64, false);
    result.error = ApiError();
    result.job.status = hostile;
    const AuditEntry ok = AuditEntry::fromResult(result, config, QStringLiteral("cli"));
    checkText(QStringLiteral("audit status"), ok.status, OutputGate::fieldBytes + 64, false);
}

void TestHostileServer::pastedKeys()
{
    QTest::addColumn<QString>("pasted");
    QTest::addColumn<QString>("secret");
    const QString project
        = QStringLiteral("sk-proj-") + randomChars(80, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789_-");
    QTest::newRow("openai project key") << project << project.mid(8);
    QTest::newRow("quoted, with a line break") << QStringLiteral("\"%1\"\n").arg(project) << project.mid(8);
    QTest::newRow("in an env line") << QStringLiteral("OPENAI_API_KEY=%1").arg(project) << project.mid(8);
    const QString azure = QStringLiteral("7c") + randomChars(30, "0123456789abcdef");
    QTest::newRow("azure key") << azure << azure;
    const QString together = QStringLiteral("tgp_v1_") + randomChars(40, "abcdefghijklmnopqrstuvwxyz0123456789_-");
    QTest::newRow("together key") << together << together.mid(7);
}

void TestHostileServer::pastedKeyIsNeverEchoedByTheCli()
{
    // A key pasted where the job id goes (it happens): refused, and neither the argument nor the reason shows it.
    QFETCH(QString, pasted);
    QFETCH(QString, secret);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("OPENAI_API_KEY"), m_key);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_server->baseUrl().toString());
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(qEnvironmentVariable("FTCANCEL_BINARY"), {QStringLiteral("cancel"), pasted});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 2);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("Invalid job id")), qPrintable(OutputGate::clean(err)));
    QVERIFY2(longestLeak(err, secret) <= 4, "the pasted key was printed");
    QVERIFY(dangerousCharacterIn(err, true).isEmpty());
}

void TestHostileServer::pastedKeyIsNeverEchoedByTheWindow()
{
    QFETCH(QString, pasted);
    QFETCH(QString, secret);
    qputenv("OPENAI_BASE_URL", m_server->baseUrl().toString().toUtf8());
    auto window = std::make_unique<MainWindow>();
    window->show();
    auto* keyEdit = window->findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"));
    auto* jobEdit = window->findChild<QLineEdit*>(QStringLiteral("jobIdEdit"));
    QTRY_VERIFY_WITH_TIMEOUT(keyEdit->isEnabled(), 30000);
    keyEdit->setText(m_key);
    jobEdit->setText(pasted);
    QTest::keyClick(jobEdit, Qt::Key_Return);
    auto* message = window->findChild<QLabel*>(QStringLiteral("jobIdMessageLabel"));
    QTRY_VERIFY(message->isVisible());
    QVERIFY2(longestLeak(message->text(), secret) <= 4, "the pasted key is shown under the job field");
    const QString log = window->findChild<QPlainTextEdit*>(QStringLiteral("logView"))->toPlainText();
    QVERIFY2(longestLeak(log, secret) <= 4, "the pasted key is in the log");
    QCOMPARE(message->textFormat(), Qt::PlainText);

    // Pasted anywhere in the window (Ctrl+V outside a text field): listed the same way, masked; no row, and the
    // field is left as it was.
    jobEdit->clear();
    QGuiApplication::clipboard()->setText(pasted + QStringLiteral("\nmore text"));
    window->findChild<QAction*>(QStringLiteral("actionPasteIds"))->trigger();
    QTRY_VERIFY(message->isVisible());
    QVERIFY2(longestLeak(message->text(), secret) <= 4, "the pasted key is shown under the job field");
    QCOMPARE(jobEdit->text(), QString());
    QCOMPARE(window->findChild<QTableView*>(QStringLiteral("jobsView"))->model()->rowCount(), 0);
    QVERIFY2(longestLeak(window->findChild<QPlainTextEdit*>(QStringLiteral("logView"))->toPlainText(), secret) <= 4,
             "the pasted key is in the log");
    QVERIFY2(longestLeak(window->windowTitle() + window->statusBar()->currentMessage(), secret) <= 4,
             "the pasted key is in the title or the status bar");
    QCOMPARE(m_server->requestCount(), 0);
}

QTEST_MAIN(TestHostileServer)
#include "tst_hostileserver.moc"
