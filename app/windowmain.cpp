// The window's entry point, in a module of its own (ftcancel-window.so) that main.cpp loads only when FtCancel is
// started without a command: `ftcancel cancel …` never loads Qt Widgets, Qt Gui and the X11/OpenGL/font libraries
// behind them (about half of a one-shot cancel's time went into loading them).
#include "afterfirstframe.h"
#include "appinfo.h"
#include "demo.h"
#include "mainwindow.h"
#include "processhardening.h"
#include "signalwatcher.h"

#include <QApplication>
#include <QIcon>
#include <QWindow>

#include <cstdio>
#include <ctime>
#include <memory>

extern "C" __attribute__((visibility("default"))) int ftcancel_window_main(int argc, char** argv)
{
    // The window reads no key from the environment (it has its own field and the keyring); the programs it starts,
    // the browser for "Open in dashboard" above all, must not inherit one either. Before anything can start one.
    ProcessHardening::removeKeyVariables();
    QApplication app(argc, argv);
    AppInfo::applyToApplication();
    QGuiApplication::setDesktopFileName(AppInfo::appId());
    // Logout, shutdown, `kill`, Ctrl+C where it was started: as File → Quit, without asking. What is in flight ends
    // as "stopped by SIGTERM" in the audit trail, then the process exits with 128 + the signal's number.
    SignalWatcher signalWatcher;
    // ftcancel --demo: the built-in simulator on 127.0.0.1, made-up profiles, no keychain, no audit trail, settings
    // of its own. Started before the window is made, gone after it.
    std::unique_ptr<Demo> demo;
    if (QCoreApplication::arguments().contains(QStringLiteral("--demo"))) {
        demo = std::make_unique<Demo>();
        QString error;
        if (!demo->start(&error)) {
            std::fprintf(stderr, "ftcancel: %s\n", error.toLocal8Bit().constData());
            return 1;
        }
    }
    MainWindow window;
    QObject::connect(&signalWatcher, &SignalWatcher::received, &window, [&window](int signalNumber) {
        window.quitNow(SignalWatcher::stopReason(signalNumber));
        QCoreApplication::exit(128 + signalNumber);
    });
    window.winId(); // creates the QWindow to watch
    const bool exitAfterFirstFrame = qEnvironmentVariableIsSet("FTCANCEL_TEST_EXIT_AFTER_FIRST_FRAME");
    new AfterFirstFrame(window.windowHandle(), [exitAfterFirstFrame] {
        if (exitAfterFirstFrame) {
            // Test hook for the benchmark (bench/run) and the window_starts test: the CLOCK_MONOTONIC time of the
            // first painted frame on stderr, then quit.
            timespec now{};
            clock_gettime(CLOCK_MONOTONIC, &now);
            std::fprintf(stderr, "first-frame-ns %lld\n",
                         static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec);
            std::fflush(stderr);
            QCoreApplication::quit();
            return;
        }
        // The icon is an SVG: reading it loads Qt's image-format plugins (and libjpeg with them), a few ms that the
        // first frame need not wait for. The desktop file names the same icon for the window manager meanwhile.
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));
    });
    window.show();
    return app.exec();
}
