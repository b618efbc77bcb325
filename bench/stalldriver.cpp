// The longest main-thread stall while a batch runs in a window: what the FtCancel window does for a batch (a
// CancelBatch, its BatchModel in a QTableView, the activity log in a QPlainTextEdit), without the rest of the window,
// which is being rebuilt. A 1 ms precise timer is the watchdog: the main thread was stalled for as long as a tick
// came late. Prints one JSON object on stdout and exits.
//   bench_stall --base-url URL --ids N [--prefix P] [--concurrency 6] [--no-preview]
#include "activitylog.h"
#include "batchmodel.h"
#include "cancelbatch.h"
#include "jobid.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption baseUrlOption(QStringLiteral("base-url"), QStringLiteral("API base URL."),
                                           QStringLiteral("URL"));
    const QCommandLineOption idsOption(QStringLiteral("ids"), QStringLiteral("How many jobs."), QStringLiteral("N"),
                                       QStringLiteral("1000"));
    const QCommandLineOption prefixOption(QStringLiteral("prefix"), QStringLiteral("Job id prefix."),
                                          QStringLiteral("P"), QStringLiteral("ftjob-stall"));
    const QCommandLineOption concurrencyOption(QStringLiteral("concurrency"), QStringLiteral("In flight."),
                                               QStringLiteral("N"), QStringLiteral("6"));
    const QCommandLineOption noPreviewOption(QStringLiteral("no-preview"), QStringLiteral("No look-up first."));
    const QCommandLineOption noLogOption(QStringLiteral("no-log-view"), QStringLiteral("Leave the log pane out."));
    parser.addOptions({baseUrlOption, idsOption, prefixOption, concurrencyOption, noPreviewOption, noLogOption});
    parser.process(app);

    ApiConfig config;
    QString error;
    config.baseUrl = ApiConfig::parseBaseUrl(parser.value(baseUrlOption), &error);
    config.apiKey = qEnvironmentVariable("OPENAI_API_KEY");
    config.loadExtraCaCertificates();
    CancelBatch::Options options;
    options.preview = !parser.isSet(noPreviewOption);
    options.concurrency = parser.value(concurrencyOption).toInt();
    options.watch = false;
    ActivityLog log(5000);
    CancelBatch batch(config, options, &log);
    BatchModel model;
    model.setBatch(&batch);

    QSplitter window(Qt::Vertical);
    auto* table = new QTableView(&window);
    table->setModel(&model);
    table->setSortingEnabled(true);
    table->horizontalHeader()->setStretchLastSection(true);
    auto* logView = new QPlainTextEdit(&window);
    logView->setReadOnly(true);
    logView->setMaximumBlockCount(5000);
    if (!parser.isSet(noLogOption))
        QObject::connect(&log, &ActivityLog::lineAdded, logView, &QPlainTextEdit::appendPlainText);
    window.resize(1100, 750);

    QList<JobId::Parsed> ids;
    const int count = parser.value(idsOption).toInt();
    for (int i = 0; i < count; ++i)
        ids << JobId::parse(QStringLiteral("%1%2").arg(parser.value(prefixOption)).arg(i, 6, 10, QLatin1Char('0')));

    QElapsedTimer wall;
    // The watchdog: ticks every millisecond; a late tick is a stall of the main thread.
    std::vector<qint64> gapsNs;
    gapsNs.reserve(200000);
    QElapsedTimer sinceTick;
    QTimer watchdog;
    watchdog.setTimerType(Qt::PreciseTimer);
    watchdog.setInterval(1);
    QJsonArray longStalls; // [ms since the start, stall ms, batch state] of each tick later than one frame
    QObject::connect(&watchdog, &QTimer::timeout, [&] {
        const qint64 gap = sinceTick.nsecsElapsed();
        gapsNs.push_back(gap);
        if (gap > 16'000'000)
            longStalls.append(QJsonArray{double(wall.elapsed()), double(gap) / 1e6, int(batch.state())});
        sinceTick.start();
    });

    QObject::connect(&batch, &CancelBatch::lookupFinished, &batch, [&batch] { batch.confirm(); });
    QObject::connect(&batch, &CancelBatch::finished, &app, [&] {
        watchdog.stop();
        const qint64 wallMs = wall.elapsed();
        std::sort(gapsNs.begin(), gapsNs.end());
        const auto ms = [](qint64 ns) {
            return double(ns) / 1e6;
        };
        const qint64 longest = gapsNs.empty() ? 0 : gapsNs.back();
        const qint64 p99 = gapsNs.empty() ? 0 : gapsNs[size_t(double(gapsNs.size() - 1) * 0.99)];
        const auto over = std::count_if(gapsNs.begin(), gapsNs.end(), [](qint64 g) { return g > 16'000'000; });
        const QJsonObject result{
            {QStringLiteral("wall_ms"), double(wallMs)},
            {QStringLiteral("longest_stall_ms"), ms(longest)},
            {QStringLiteral("p99_tick_gap_ms"), ms(p99)},
            {QStringLiteral("ticks"), double(gapsNs.size())},
            {QStringLiteral("stalls_over_16ms"), double(over)},
            {QStringLiteral("cancelled"), batch.count(Outcome::Cancelled)},
            {QStringLiteral("rows"), batch.rowCount()},
            {QStringLiteral("long_stalls"), longStalls},
        };
        std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::quit();
    });

    window.show();
    // Start once the window is up: stalls of the start-up itself are the start-up figure's business.
    QTimer::singleShot(200, &app, [&] {
        batch.addIds(ids);
        wall.start();
        sinceTick.start();
        watchdog.start();
        if (const QString problem = batch.start(); !problem.isEmpty()) {
            std::fprintf(stderr, "bench_stall: %s\n", qPrintable(problem));
            QCoreApplication::exit(2);
        }
    });
    return app.exec();
}
