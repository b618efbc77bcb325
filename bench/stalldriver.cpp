// The longest main-thread stall while a batch runs in FtCancel's window: the real MainWindow, driven through what an
// operator uses (the key field, the job field, the Cancel button; "Ask before cancelling" off in the settings). A
// 1 ms precise timer is the watchdog: the main thread was stalled for as long as a tick came late. Prints one JSON
// object on stdout and exits.
//   bench_stall --ids N [--prefix P] [--concurrency 6] [--hide-log-pane]     (OPENAI_BASE_URL names the server)
//   bench_stall --list N     the account's N jobs instead: press Refresh on the Account jobs tab, wait for the N rows,
//                            scroll the whole table down as a held-down Page Down would (a page every 10 ms), then
//                            press Refresh again (every row read and merged again, a row selected); the stalls of
//                            the read, the scrolling and the refresh are reported apart
//   bench_stall --reread N [--seconds 60] [--changes 10] [--filter]
//                            the account's N jobs read again and again as Settings' auto-refresh does it (every 5 s,
//                            the shortest it offers), for --seconds after the first read, with the list sorted by
//                            status and a row selected (--filter: and the Active status filter on); between reads the
//                            driver cancels --changes running jobs through the API itself, so each read brings
//                            changed rows. Reports the longest stall of that minute and whether the sort was kept
#include "appinfo.h"
#include "appsettings.h"
#include "batchmodel.h"
#include "jobsmodel.h"
#include "jobspanel.h"
#include "mainwindow.h"
#include "outcome.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolButton>

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
    const QCommandLineOption listOption(QStringLiteral("list"),
                                        QStringLiteral("Read the account's N jobs and scroll them instead."),
                                        QStringLiteral("N"));
    const QCommandLineOption rereadOption(QStringLiteral("reread"),
                                          QStringLiteral("Read the account's N jobs again every 5 s instead."),
                                          QStringLiteral("N"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("How long to re-read (--reread)."),
                                           QStringLiteral("S"), QStringLiteral("60"));
    const QCommandLineOption changesOption(QStringLiteral("changes"),
                                           QStringLiteral("Jobs cancelled between two reads (--reread)."),
                                           QStringLiteral("K"), QStringLiteral("10"));
    const QCommandLineOption filterOption(QStringLiteral("filter"),
                                          QStringLiteral("The Active status filter on as well (--reread)."));
    parser.addOptions({idsOption, prefixOption, concurrencyOption, hideLogOption, listOption, rereadOption,
                       secondsOption, changesOption, filterOption});
    parser.process(app);
    const int count = parser.value(idsOption).toInt();
    const bool rereading = parser.isSet(rereadOption);
    const bool listing = parser.isSet(listOption) || rereading;
    const int listCount = rereading ? parser.value(rereadOption).toInt() : parser.value(listOption).toInt();

    // The window's batch settings: requests in flight, no watching, no confirmation dialog.
    AppSettings settings;
    settings.setConcurrency(parser.value(concurrencyOption).toInt());
    settings.setWatchEnabled(false);
    settings.setAskBeforeCancelling(false);
    if (listing)
        settings.setListCap(listCount);
    settings.setAutoRefresh(rereading);
    if (rereading)
        settings.setAutoRefreshSeconds(AppSettings::minAutoRefreshSeconds);

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

    // --list: Refresh, the N rows, then the scrolling. Each phase's ticks are kept apart.
    auto* panel = window.findChild<JobsPanel*>();
    auto* accountView = window.findChild<QTableView*>(QStringLiteral("accountJobsView"));
    auto* refreshButton = window.findChild<QToolButton*>(QStringLiteral("refreshJobsButton"));
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("jobsTabs"));
    auto* statusFilter = window.findChild<QListWidget*>(QStringLiteral("statusFilterList"));
    if (listing && (!panel || !accountView || !refreshButton || !tabs || !statusFilter)) {
        std::fprintf(stderr,
                     "bench_stall: the window has no JobsPanel, accountJobsView, refreshJobsButton, jobsTabs "
                     "or statusFilterList\n");
        return 2;
    }
    std::vector<qint64> readGapsNs;
    std::vector<qint64> scrollGapsNs;
    qint64 readMs = 0;
    qint64 refreshMs = 0;
    int scrollSteps = 0;
    QTimer scroller;
    scroller.setTimerType(Qt::PreciseTimer);
    scroller.setInterval(10);
    const auto finishList = [&](int code) {
        watchdog.stop();
        scroller.stop();
        std::sort(gapsNs.begin(), gapsNs.end());
        std::sort(readGapsNs.begin(), readGapsNs.end());
        std::sort(scrollGapsNs.begin(), scrollGapsNs.end());
        const auto longestMs = [](const std::vector<qint64>& gaps) {
            return gaps.empty() ? 0.0 : double(gaps.back()) / 1e6;
        };
        const QJsonObject result{
            {QStringLiteral("read_ms"), double(readMs)},
            {QStringLiteral("longest_stall_read_ms"), longestMs(readGapsNs)},
            {QStringLiteral("longest_stall_scroll_ms"), longestMs(scrollGapsNs)},
            {QStringLiteral("refresh_ms"), double(refreshMs)},
            {QStringLiteral("longest_stall_refresh_ms"), longestMs(gapsNs)},
            {QStringLiteral("scroll_steps"), scrollSteps},
            {QStringLiteral("rows"), accountView->model()->rowCount()},
            {QStringLiteral("long_stalls"), longStalls},
        };
        std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::exit(code);
    };
    QElapsedTimer refreshWall;
    QTimer refreshDone;
    refreshDone.setInterval(20);
    QObject::connect(&refreshDone, &QTimer::timeout, [&] {
        if (panel->isReading()) {
            if (wall.elapsed() > 600000)
                finishList(3);
            return;
        }
        refreshDone.stop();
        refreshMs = refreshWall.elapsed();
        finishList(0);
    });
    QObject::connect(&scroller, &QTimer::timeout, [&] {
        QScrollBar* bar = accountView->verticalScrollBar();
        if (bar->value() >= bar->maximum()) {
            // Then F5 on the full list: every row is read again and merged into the table (selection kept).
            scroller.stop();
            scrollGapsNs.swap(gapsNs);
            gapsNs.clear();
            accountView->selectRow(accountView->model()->rowCount() / 2);
            refreshWall.start();
            sinceTick.start();
            refreshButton->click();
            refreshDone.start();
            return;
        }
        bar->triggerAction(QAbstractSlider::SliderPageStepAdd);
        ++scrollSteps;
    });

    // --reread: after the first read, a sort and a selection (and the filter), then the timer's reads for a minute.
    int rereads = 0;
    int changesSent = 0;
    // The driver's own requests go from a thread of their own: their answers are not the window's stalls.
    QThread apiThread;
    QObject apiContext;
    QNetworkAccessManager* api = nullptr;
    if (rereading) {
        apiContext.moveToThread(&apiThread);
        apiThread.start();
        QMetaObject::invokeMethod(
            &apiContext, [&] { api = new QNetworkAccessManager(&apiContext); }, Qt::BlockingQueuedConnection);
    }
    QTimer changer;
    changer.setInterval(AppSettings::minAutoRefreshSeconds * 1000);
    const auto changeSome = [&] {
        // Some running jobs cancelled, as an operator elsewhere would: the next read brings those rows changed.
        const QAbstractItemModel* model = panel->model();
        QStringList picked;
        for (int row = 0; row < model->rowCount() && picked.size() < parser.value(changesOption).toInt(); ++row) {
            if (model->index(row, JobsModel::StatusColumn).data(JobsModel::StatusRole).toString()
                == QLatin1String("running"))
                picked << model->index(row, 0).data(JobsModel::JobIdRole).toString();
        }
        changesSent += int(picked.size());
        const QString base = qEnvironmentVariable("OPENAI_BASE_URL");
        const QByteArray authorization = "Bearer " + qgetenv("OPENAI_API_KEY");
        QMetaObject::invokeMethod(&apiContext, [api, picked, base, authorization] {
            for (const QString& id : picked) {
                QUrl url(base);
                url.setPath(url.path() + QStringLiteral("/fine_tuning/jobs/%1/cancel").arg(id));
                QNetworkRequest request(url);
                request.setRawHeader("Authorization", authorization);
                QNetworkReply* reply = api->post(request, QByteArray());
                QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
            }
        });
    };
    QObject::connect(&changer, &QTimer::timeout, changeSome);
    QObject::connect(panel, &JobsPanel::readFinished, &app, [&](bool) { ++rereads; });
    QTimer rereadDone;
    const auto finishReread = [&](int code) {
        watchdog.stop();
        QMetaObject::invokeMethod(
            &apiContext, [&] { delete api; }, Qt::BlockingQueuedConnection);
        apiThread.quit();
        apiThread.wait();
        changer.stop();
        rereadDone.stop();
        std::sort(gapsNs.begin(), gapsNs.end());
        const qint64 longest = gapsNs.empty() ? 0 : gapsNs.back();
        const qint64 p99 = gapsNs.empty() ? 0 : gapsNs[size_t(double(gapsNs.size() - 1) * 0.99)];
        const QHeaderView* header = accountView->horizontalHeader();
        const QJsonObject result{
            {QStringLiteral("read_ms"), double(readMs)},
            {QStringLiteral("longest_stall_ms"), double(longest) / 1e6},
            {QStringLiteral("p99_tick_gap_ms"), double(p99) / 1e6},
            {QStringLiteral("rereads"), rereads - 1},
            {QStringLiteral("changes_sent"), changesSent},
            {QStringLiteral("rows"), panel->model()->rowCount()},
            {QStringLiteral("sort_kept"), header->sortIndicatorSection() == JobsModel::StatusColumn},
            {QStringLiteral("selection_kept"), accountView->selectionModel()->selectedRows().size() == 1},
            {QStringLiteral("long_stalls"), longStalls},
        };
        std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::exit(code);
    };
    rereadDone.setSingleShot(true);
    rereadDone.setInterval(parser.value(secondsOption).toInt() * 1000);
    QObject::connect(&rereadDone, &QTimer::timeout, [&] {
        // The read under way (if any) is part of the minute: it ends first.
        if (panel->isReading()) {
            rereadDone.start(20);
            return;
        }
        finishReread(rereads > 1 ? 0 : 3);
    });

    QTimer listDone;
    listDone.setInterval(20);
    QObject::connect(&listDone, &QTimer::timeout, [&] {
        if (panel->isReading() || panel->model()->rowCount() < listCount) {
            if (wall.elapsed() > 300000)
                finishList(3);
            return;
        }
        listDone.stop();
        readMs = wall.elapsed();
        if (rereading) {
            accountView->sortByColumn(JobsModel::StatusColumn, Qt::AscendingOrder);
            if (parser.isSet(filterOption))
                statusFilter->setCurrentRow(1); // Active
            accountView->setFocus();
            accountView->selectRow(accountView->model()->rowCount() / 2);
            gapsNs.clear();
            longStalls = QJsonArray();
            sinceTick.start();
            changeSome();
            changer.start();
            rereadDone.start();
            return;
        }
        readGapsNs.swap(gapsNs);
        gapsNs.clear();
        statusFilter->setCurrentRow(0); // All
        accountView->setFocus();
        sinceTick.start();
        scroller.start();
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
        if (listing) {
            for (int i = 0; i < tabs->count(); ++i) {
                if (tabs->widget(i)->isAncestorOf(accountView))
                    tabs->setCurrentIndex(i);
            }
            wall.start();
            sinceTick.start();
            watchdog.start();
            listDone.start();
            refreshButton->click(); // ignored if switching to the tab started the read already
            return;
        }
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
