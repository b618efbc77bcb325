// The longest main-thread stall while a batch runs in FtCancel's window: the real MainWindow, driven through what an
// operator uses (the key field, the job field, the Cancel button; "Ask before cancelling" off in the settings). A
// 1 ms precise timer is the watchdog: the main thread was stalled for as long as a tick came late. Prints one JSON
// object on stdout and exits.
//   bench_stall --ids N [--prefix P] [--concurrency 6] [--hide-log-pane]     (OPENAI_BASE_URL names the server)
#include "appinfo.h"
#include "appsettings.h"
#include "batchmodel.h"
#include "mainwindow.h"
#include "outcome.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    AppInfo::applyToApplication();
    QCommandLineParser parser;
    const QCommandLineOption idsOption(QStringLiteral("ids"), QStringLiteral("How many jobs."), QStringLiteral("N"),
                                       QStringLiteral("1000"));
    const QCommandLineOption prefixOption(QStringLiteral("prefix"), QStringLiteral("Job id prefix."),
                                          QStringLiteral("P"), QStringLiteral("ftjob-stall"));
    const QCommandLineOption concurrencyOption(QStringLiteral("concurrency"), QStringLiteral("In flight."),
                                               QStringLiteral("N"), QStringLiteral("6"));
    const QCommandLineOption hideLogOption(QStringLiteral("hide-log-pane"), QStringLiteral("Hide the log pane."));
    parser.addOptions({idsOption, prefixOption, concurrencyOption, hideLogOption});
    parser.process(app);
    const int count = parser.value(idsOption).toInt();

    // The window's batch settings: requests in flight, no watching, no confirmation dialog.
    AppSettings settings;
    settings.setConcurrency(parser.value(concurrencyOption).toInt());
    settings.setWatchEnabled(false);
    settings.setAskBeforeCancelling(false);

    MainWindow window;
    window.resize(1100, 750);
    auto* keyEdit = window.findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"));
    auto* jobEdit = window.findChild<QLineEdit*>(QStringLiteral("jobIdEdit"));
    auto* cancelButton = window.findChild<QPushButton*>(QStringLiteral("cancelButton"));
    auto* view = window.findChild<QTableView*>(QStringLiteral("jobsView"));
    if (!keyEdit || !jobEdit || !cancelButton || !view) {
        std::fprintf(stderr, "bench_stall: the window has no apiKeyEdit, jobIdEdit, cancelButton or jobsView\n");
        return 2;
    }
    if (parser.isSet(hideLogOption)) {
        if (auto* log = window.findChild<QPlainTextEdit*>(QStringLiteral("logView")))
            log->hide();
    }
    QStringList ids;
    for (int i = 0; i < count; ++i)
        ids << QStringLiteral("%1%2").arg(parser.value(prefixOption)).arg(i, 6, 10, QLatin1Char('0'));

    // The watchdog: ticks every millisecond; a late tick is a stall of the main thread.
    std::vector<qint64> gapsNs;
    gapsNs.reserve(200000);
    QJsonArray longStalls; // [ms since the start, stall ms] of each tick later than one frame
    QElapsedTimer wall;
    QElapsedTimer sinceTick;
    QTimer watchdog;
    watchdog.setTimerType(Qt::PreciseTimer);
    watchdog.setInterval(1);
    QObject::connect(&watchdog, &QTimer::timeout, [&] {
        const qint64 gap = sinceTick.nsecsElapsed();
        gapsNs.push_back(gap);
        if (gap > 16'000'000)
            longStalls.append(QJsonArray{double(wall.elapsed()), double(gap) / 1e6});
        sinceTick.start();
    });

    const auto cancelled = [view] {
        const QAbstractItemModel* model = view->model();
        int n = 0;
        for (int row = 0; row < model->rowCount(); ++row)
            n += model->index(row, 0).data(BatchModel::OutcomeRole).toInt() == Outcome::Cancelled;
        return n;
    };
    const auto finish = [&](int code) {
        watchdog.stop();
        const qint64 wallMs = wall.elapsed();
        std::sort(gapsNs.begin(), gapsNs.end());
        const auto ms = [](qint64 ns) {
            return double(ns) / 1e6;
        };
        const qint64 longest = gapsNs.empty() ? 0 : gapsNs.back();
        const qint64 p99 = gapsNs.empty() ? 0 : gapsNs[size_t(double(gapsNs.size() - 1) * 0.99)];
        const QJsonObject result{
            {QStringLiteral("wall_ms"), double(wallMs)},  {QStringLiteral("longest_stall_ms"), ms(longest)},
            {QStringLiteral("p99_tick_gap_ms"), ms(p99)}, {QStringLiteral("ticks"), double(gapsNs.size())},
            {QStringLiteral("cancelled"), cancelled()},   {QStringLiteral("rows"), view->model()->rowCount()},
            {QStringLiteral("long_stalls"), longStalls},
        };
        std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::exit(code);
    };

    // Every 250 ms: is every row cancelled? (The batch is the window's own; the table is what an operator sees.)
    QTimer done;
    done.setInterval(250);
    QObject::connect(&done, &QTimer::timeout, [&] {
        if (cancelled() == count)
            finish(0);
        else if (wall.elapsed() > 300000)
            finish(3);
    });

    // Once the window is up and the keyring was asked (nothing saved here): type the key, paste the ids, press
    // Cancel. Stalls of the start-up itself are the start-up figure's business.
    QTimer start;
    start.setInterval(50);
    QObject::connect(&start, &QTimer::timeout, [&] {
        if (!keyEdit->isEnabled() || !keyEdit->isVisible())
            return;
        start.stop();
        keyEdit->setText(qEnvironmentVariable("OPENAI_API_KEY"));
        jobEdit->setText(ids.join(u' '));
        wall.start();
        sinceTick.start();
        watchdog.start();
        done.start();
        cancelButton->click();
    });
    window.show();
    start.start();
    return app.exec();
}
