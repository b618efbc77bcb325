// The window's entry point, in a module of its own (ftcancel-window.so) that main.cpp loads only when FtCancel is
// started without a command: `ftcancel cancel …` never loads Qt Widgets, Qt Gui and the X11/OpenGL/font libraries
// behind them (about half of a one-shot cancel's time went into loading them).
#include "appinfo.h"
#include "mainwindow.h"

#include <QApplication>
#include <QIcon>
#include <QTimer>
#include <QWindow>

#include <cstdio>
#include <ctime>

namespace {
// Test hook for the benchmark (bench/run) and the window_starts test: with FTCANCEL_TEST_EXIT_AFTER_FIRST_FRAME set,
// print the CLOCK_MONOTONIC time of the first painted frame on stderr ("first-frame-ns N") and quit. Widgets paint
// and flush a top-level window while its first expose event is handled; the queued call runs right after that.
class FirstFrameProbe final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Expose && !m_seen) {
            auto* window = qobject_cast<QWindow*>(watched);
            if (window && window->isExposed()) {
                m_seen = true;
                QMetaObject::invokeMethod(
                    this,
                    [] {
                        timespec now{};
                        clock_gettime(CLOCK_MONOTONIC, &now);
                        std::fprintf(stderr, "first-frame-ns %lld\n",
                                     static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec);
                        std::fflush(stderr);
                        QCoreApplication::quit();
                    },
                    Qt::QueuedConnection);
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_seen = false;
};
} // namespace

extern "C" __attribute__((visibility("default"))) int ftcancel_window_main(int argc, char** argv)
{
    QApplication app(argc, argv);
    AppInfo::applyToApplication();
    QGuiApplication::setDesktopFileName(AppInfo::appId());
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));
    MainWindow window;
    if (qEnvironmentVariableIsSet("FTCANCEL_TEST_EXIT_AFTER_FIRST_FRAME")) {
        window.winId(); // creates the QWindow to watch
        window.windowHandle()->installEventFilter(new FirstFrameProbe(&window));
    }
    window.show();
    return app.exec();
}
