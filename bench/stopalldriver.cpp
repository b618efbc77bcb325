// Stop everything in FtCancel's window, as an operator does it: the real MainWindow with the key typed into its field,
// Jobs → Stop Everything Running triggered (as its menu entry or a shortcut would), and the confirmation answered with
// a click on "Cancel N jobs" as soon as its first frame is painted. Prints one JSON object on stdout with the
// CLOCK_MONOTONIC times (ns) of each step, so bench/run can set them beside the times the server saw:
//   bench_stopall --jobs N [--concurrency 16]     (OPENAI_BASE_URL names a server whose account has N unfinished jobs)
//   trigger_ns          just before the action is triggered
//   read_done_ns        the Account jobs table holds the N rows: the list's last page is read (the window starts with
//                       an empty list; the question comes from the same signal that ends the read, just after this)
//   dialog_show_ns      the confirmation is shown (its Show event: built, about to be painted)
//   dialog_painted_ns   its first frame is painted: from here a person could read and click it
//   click_ns            the click on "Cancel N jobs" (queued right after that frame)
//   finished_ns         the batch finished: the last answer was received and shown in the table
// and, to tell where the window's time goes, the frames the main window painted from the click to the end and the
// paint events of its widgets in them (frames_after_click, paints_after_click).
// Settings: Requests at once from --concurrency, watching off (the fake cancels at once, nothing to watch).
#include "appinfo.h"
#include "appsettings.h"
#include "batchmodel.h"
#include "cancelbatch.h"
#include "confirmdialog.h"
#include "jobsmodel.h"
#include "jobspanel.h"
#include "mainwindow.h"
#include "outcome.h"
#include "outputgate.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>
#include <QWindow>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>

namespace {
qint64 nowNs()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return qint64(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

// Watches every event of the application for the confirmation: its Show event, then the first Expose of its window.
// Widgets paint a window while its expose event is handled, so a call queued from there runs after the first frame.
class DialogWatcher final : public QObject
{
    Q_DISABLE_COPY_MOVE(DialogWatcher)

public:
    using QObject::QObject;
    ~DialogWatcher() override = default;

    std::function<void(ConfirmDialog*)> onShown;
    std::function<void(ConfirmDialog*)> onPainted;
    bool counting = false; // paint events counted while true
    int paints = 0; // widgets painted (one per widget and frame)
    int frames = 0; // the main window's frames painted

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (counting && event->type() == QEvent::Paint)
            ++paints;
        if (counting && event->type() == QEvent::UpdateRequest && qobject_cast<MainWindow*>(watched))
            ++frames;
        if (event->type() == QEvent::Show && !m_dialog) {
            if (auto* dialog = qobject_cast<ConfirmDialog*>(watched)) {
                m_dialog = dialog;
                onShown(dialog);
            }
        } else if (event->type() == QEvent::Expose && m_dialog && !m_painted) {
            auto* window = qobject_cast<QWindow*>(watched);
            if (window && window == m_dialog->windowHandle() && window->isExposed()) {
                m_painted = true;
                QMetaObject::invokeMethod(
                    this,
                    [this] {
                        if (m_dialog)
                            onPainted(m_dialog);
                    },
                    Qt::QueuedConnection);
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QPointer<ConfirmDialog> m_dialog;
    bool m_painted = false;
};
} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    AppInfo::applyToApplication();
    QCommandLineParser parser;
    const QCommandLineOption jobsOption(QStringLiteral("jobs"), QStringLiteral("The account's unfinished jobs."),
                                        QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption concurrencyOption(QStringLiteral("concurrency"), QStringLiteral("Requests at once."),
                                               QStringLiteral("N"), QStringLiteral("16"));
    parser.addOptions({jobsOption, concurrencyOption});
    parser.process(app);
    const int count = parser.value(jobsOption).toInt();

    AppSettings settings;
    settings.setConcurrency(parser.value(concurrencyOption).toInt());
    settings.setWatchEnabled(false);
    settings.setAutoRefresh(false);
    settings.setListCap(std::max(count, settings.listCap()));

    MainWindow window;
    window.resize(1100, 750);
    auto* keyEdit = window.findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"));
    auto* stopAction = window.findChild<QAction*>(QStringLiteral("stopEverythingAction"));
    auto* view = window.findChild<QTableView*>(QStringLiteral("jobsView"));
    auto* panel = window.findChild<JobsPanel*>();
    if (!keyEdit || !stopAction || !view || !panel) {
        std::fprintf(stderr,
                     "bench_stopall: the window has no apiKeyEdit, stopEverythingAction, jobsView or "
                     "JobsPanel\n");
        return 2;
    }

    qint64 triggerNs = 0;
    qint64 readDoneNs = 0;
    qint64 dialogShowNs = 0;
    qint64 dialogPaintedNs = 0;
    qint64 clickNs = 0;
    qint64 finishedNs = 0;
    int dialogRows = 0;
    QString buttonText;
    const auto cancelled = [view] {
        const QAbstractItemModel* model = view->model();
        int n = 0;
        for (int row = 0; row < model->rowCount(); ++row)
            n += model->index(row, 0).data(BatchModel::OutcomeRole).toInt() == Outcome::Cancelled;
        return n;
    };
    DialogWatcher watcher;
    const auto finish = [&](int code) {
        const QJsonObject result{
            {QStringLiteral("trigger_ns"), double(triggerNs)},
            {QStringLiteral("read_done_ns"), double(readDoneNs)},
            {QStringLiteral("dialog_show_ns"), double(dialogShowNs)},
            {QStringLiteral("dialog_painted_ns"), double(dialogPaintedNs)},
            {QStringLiteral("click_ns"), double(clickNs)},
            {QStringLiteral("finished_ns"), double(finishedNs)},
            {QStringLiteral("dialog_rows"), dialogRows},
            {QStringLiteral("frames_after_click"), watcher.frames},
            {QStringLiteral("paints_after_click"), watcher.paints},
            {QStringLiteral("button"), buttonText},
            {QStringLiteral("cancelled"), cancelled()},
            {QStringLiteral("rows"), view->model()->rowCount()},
        };
        std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::exit(code);
    };

    // The window's own slot of readFinished asks the question before any slot connected here would run: the last
    // page's rows are the end of the read instead (they are merged just before the read finishes).
    QObject::connect(panel->model(), &QAbstractItemModel::rowsInserted, &app, [&] {
        if (triggerNs && !readDoneNs && panel->model()->rowCount() >= count)
            readDoneNs = nowNs();
    });
    // A list that could not be read cancels nothing and asks nothing: said at once, not after the timeout.
    QObject::connect(panel, &JobsPanel::readFinished, &app, [&](bool ok) {
        if (triggerNs && !ok) {
            std::fprintf(stderr, "bench_stopall: the list could not be read: %s\n",
                         qPrintable(OutputGate::clean(panel->readError().message, OutputGate::lineBytes)));
            finish(4);
        }
    });
    watcher.onShown = [&](ConfirmDialog* dialog) {
        dialogShowNs = nowNs();
        if (auto* tree = dialog->findChild<QTreeWidget*>(QStringLiteral("confirmJobsView")))
            dialogRows = tree->topLevelItemCount();
        // The batch asking is the window's own (made just before the question): its end is the last answer shown.
        if (auto* batch = window.findChild<CancelBatch*>()) {
            QObject::connect(batch, &CancelBatch::finished, &app, [&] {
                if (finishedNs)
                    return;
                finishedNs = nowNs();
                QTimer::singleShot(0, &app, [&] { finish(cancelled() == count ? 0 : 3); });
            });
        }
    };
    watcher.onPainted = [&](ConfirmDialog* dialog) {
        dialogPaintedNs = nowNs();
        auto* button = dialog->findChild<QPushButton*>(QStringLiteral("cancelJobsButton"));
        if (!button) {
            std::fprintf(stderr, "bench_stopall: the confirmation has no cancelJobsButton\n");
            return finish(2);
        }
        buttonText = button->text();
        clickNs = nowNs();
        watcher.counting = true;
        button->click();
    };
    app.installEventFilter(&watcher);

    // Once the window is up and the keyring was asked: the key typed in, a moment for what that starts (the
    // account's list may be read on its own), then Stop everything.
    QElapsedTimer sinceStart;
    sinceStart.start();
    QTimer start;
    start.setInterval(50);
    bool keyTyped = false;
    QObject::connect(&start, &QTimer::timeout, [&] {
        if (!keyTyped) {
            if (!keyEdit->isEnabled() || !keyEdit->isVisible())
                return;
            keyEdit->setText(qEnvironmentVariable("OPENAI_API_KEY"));
            keyTyped = true;
            sinceStart.start();
            return;
        }
        if (sinceStart.elapsed() < 500 || panel->isReading() || !stopAction->isEnabled())
            return;
        start.stop();
        triggerNs = nowNs();
        stopAction->trigger();
    });
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, [&] {
        std::fprintf(stderr,
                     "bench_stopall: no end after 300 s (key typed: %d, key field enabled: %d, visible: %d; Stop "
                     "everything enabled: %d; list reading: %d; triggered: %d, rows read: %d, question shown: %d)\n",
                     keyTyped, keyEdit->isEnabled(), keyEdit->isVisible(), stopAction->isEnabled(), panel->isReading(),
                     triggerNs != 0, panel->model()->rowCount(), dialogShowNs != 0);
        finish(3);
    });
    timeout.start(qEnvironmentVariableIntValue("BENCH_STOPALL_TIMEOUT_MS") > 0
                      ? qEnvironmentVariableIntValue("BENCH_STOPALL_TIMEOUT_MS")
                      : 300000);
    window.show();
    start.start();
    return app.exec();
}
