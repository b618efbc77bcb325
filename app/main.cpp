#include "appinfo.h"
#include "commandline.h"
#include "mainwindow.h"

#include <QApplication>
#include <QTimer>
#include <memory>

int main(int argc, char* argv[])
{
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
