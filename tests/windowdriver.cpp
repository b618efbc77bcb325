// Runs the window exactly as `ftcancel` does — ftcancel_window_main() of the real ftcancel-window.so, with its
// start-up (signal handling, the environment scrubbed) — and drives it as an operator would, so that a test can
// send it signals or watch what it starts:
//   ftcancel-window-driver MODULE ACTION KEY ID...
// ACTION "cancel": types the key, the ids and Enter, and accepts the confirmation ("driver: confirmed").
// ACTION "dashboard": the same, but keeps the jobs running, then Open in dashboard ("driver: dashboard opened"),
// and quits (what it started lives on).
// ACTION "ask": the same, and leaves the confirmation open, unanswered ("driver: asked").
// Steps are reported on stderr as "driver: …" lines. Test-only: nothing here is part of FtCancel.
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QLineEdit>
#include <QStringList>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <dlfcn.h>

namespace {
QString action;
QString apiKey;
QStringList ids;
int step = 0;

void say(const char* what)
{
    std::fprintf(stderr, "driver: %s\n", what);
    std::fflush(stderr);
}

QWidget* mainWindow()
{
    for (QWidget* widget : QApplication::topLevelWidgets()) {
        if (widget->inherits("MainWindow"))
            return widget;
    }
    return nullptr;
}

// One step further each time what it waits for is there (polled: this is a test's driver, not the app).
void drive()
{
    QWidget* window = mainWindow();
    if (!window)
        return;
    if (step == 0) {
        auto* key = window->findChild<QLineEdit*>(QStringLiteral("apiKeyEdit"));
        auto* field = window->findChild<QLineEdit*>(QStringLiteral("jobIdEdit"));
        if (!key || !field || !key->isEnabled())
            return; // the keyring is still being asked
        key->setText(apiKey);
        field->setText(ids.join(u' '));
        emit field->returnPressed();
        say("ids entered");
        step = 1;
        return;
    }
    if (step == 1) {
        auto* confirm = window->findChild<QDialog*>(QStringLiteral("confirmDialog"));
        if (!confirm || !confirm->isVisible())
            return;
        if (action == QLatin1String("ask")) {
            say("asked");
            step = 3;
        } else if (action == QLatin1String("cancel")) {
            confirm->accept();
            say("confirmed");
            step = 3;
        } else {
            confirm->reject();
            say("kept running");
            step = 2;
        }
        return;
    }
    if (step == 2) {
        auto* open = window->findChild<QAction*>(QStringLiteral("openDashboardAction"));
        if (!open || !open->isEnabled())
            return;
        open->trigger();
        say("dashboard opened");
        step = 3;
        QCoreApplication::exit(0);
    }
}

void startDriving()
{
    auto* timer = new QTimer(QCoreApplication::instance());
    QObject::connect(timer, &QTimer::timeout, timer, &drive);
    timer->start(50);
}
} // namespace

Q_COREAPP_STARTUP_FUNCTION(startDriving)

int main(int argc, char** argv)
{
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s MODULE cancel|ask|dashboard KEY ID...\n", argv[0]);
        return 2;
    }
    action = QString::fromLocal8Bit(argv[2]);
    apiKey = QString::fromLocal8Bit(argv[3]);
    for (int i = 4; i < argc; ++i)
        ids << QString::fromLocal8Bit(argv[i]);
    void* module = ::dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!module) {
        std::fprintf(stderr, "driver: %s\n", ::dlerror());
        return 2;
    }
    using Entry = int (*)(int, char**);
    const auto entry = reinterpret_cast<Entry>(::dlsym(module, "ftcancel_window_main"));
    if (!entry) {
        std::fprintf(stderr, "driver: no ftcancel_window_main in %s\n", argv[1]);
        return 2;
    }
    char* windowArguments[] = {argv[0], nullptr};
    int windowArgc = 1;
    return entry(windowArgc, windowArguments);
}
