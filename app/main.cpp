#include "appinfo.h"
#include "commandline.h"
#include "processhardening.h"

#include <QCoreApplication>
#include <QTimer>
#include <csignal>
#include <cstdio>
#include <dlfcn.h>
#include <string>
#include <unistd.h>

namespace {
// The directory of this executable, with a trailing slash.
std::string executableDir()
{
    char path[4096];
    const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return std::string();
    const std::string exe(path, size_t(n));
    return exe.substr(0, exe.rfind('/') + 1);
}

// The window lives in ftcancel-window.so (app/windowmain.cpp), so the command line never loads the widget libraries.
// It is next to the executable in a build tree, and in <libdir>/ftcancel once installed.
int runWindow(int argc, char* argv[])
{
    const std::string dir = executableDir();
    std::string tried;
    for (const std::string& path : {dir + "ftcancel-window.so", dir + FTCANCEL_WINDOW_MODULE_FROM_BINDIR}) {
        void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!module) {
            tried += std::string("\n  ") + ::dlerror();
            continue;
        }
        using Entry = int (*)(int, char**);
        if (auto entry = reinterpret_cast<Entry>(::dlsym(module, "ftcancel_window_main")))
            return entry(argc, argv);
        tried += "\n  " + path + ": no ftcancel_window_main";
    }
    std::fprintf(stderr, "ftcancel: could not load the window:%s\nThe command line works without it: ftcancel --help\n",
                 tried.c_str());
    return 1;
}
} // namespace

int main(int argc, char* argv[])
{
    // Before anything else: this process will hold an API key (the window's, or OPENAI_API_KEY), and a core file
    // would put copies of it on disk.
    ProcessHardening::forbidCoreDumps();
    // A file size limit (ulimit -f) must fail the audit write with EFBIG, which is reported, not kill the process.
    std::signal(SIGXFSZ, SIG_IGN);

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    if (!CommandLine::wantsCommandLine(arguments))
        return runWindow(argc, argv);

    // Headless: no display needed, nothing from the widget world is loaded.
    QCoreApplication app(argc, argv);
    AppInfo::applyToApplication();
    CommandLine cli;
    QObject::connect(
        &cli, &CommandLine::finished, &app, [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
    QTimer::singleShot(0, &cli, [&cli, &app] { cli.start(app.arguments()); });
    return app.exec();
}
