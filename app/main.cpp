#include "appinfo.h"
#include "commandline.h"
#include "mainwindow.h"

#include <QApplication>
#include <QTimer>
#include <csignal>
#include <memory>

int main(int argc, char* argv[])
{
    // A file size limit (ulimit -f) must fail the audit write with EFBIG, which is reported, not kill the process.
    std::signal(SIGXFSZ, SIG_IGN);

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    if (CommandLine::wantsCommandLine(arguments)) {
        // Headless: no display needed, nothing from the widget world is created.
        QCoreApplication app(argc, argv);
        AppInfo::applyToApplication();
        CommandLine cli;
        QObject::connect(
            &cli, &CommandLine::finished, &app, [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
        QTimer::singleShot(0, &cli, [&cli, &app] { cli.start(app.arguments()); });
        return app.exec();
    }

    QApplication app(argc, argv);
    AppInfo::applyToApplication();
    QGuiApplication::setDesktopFileName(AppInfo::appId());
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));
    MainWindow window;
    window.show();
    return app.exec();
}
