// bench_launch RESULT-FILE PROGRAM [ARG…]: runs PROGRAM (stdin, stdout and stderr passed through) and writes
// "start_ns wall_ns maxrss_kib exit_code" to RESULT-FILE. The wall time runs from just before fork to the child's
// exit (CLOCK_MONOTONIC); the peak RSS is the child's own (wait4), which a fork from a large process such as Python
// would inflate: the kernel counts the memory of the process that called exec.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
long long nowNs()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}
} // namespace

int main(int argc, char* argv[])
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_launch RESULT-FILE PROGRAM [ARG...]\n");
        return 125;
    }
    const long long start = nowNs();
    const pid_t child = fork();
    if (child == 0) {
        execvp(argv[2], argv + 2);
        std::fprintf(stderr, "bench_launch: %s: %s\n", argv[2], std::strerror(errno));
        _exit(127);
    }
    if (child < 0)
        return 126;
    int status = 0;
    rusage usage{};
    while (wait4(child, &status, 0, &usage) < 0 && errno == EINTR) { }
    const long long wall = nowNs() - start;
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE* out = std::fopen(argv[1], "w");
    if (!out)
        return 126;
    std::fprintf(out, "%lld %lld %ld %d\n", start, wall, usage.ru_maxrss, code);
    std::fclose(out);
    return 0;
}
