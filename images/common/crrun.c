/*
 * crrun: run one command under CPU, wall-clock and output limits and write
 * one result line (docs/DESIGN.md §3).
 *
 *   crrun [--cpu-ms N] [--wall-ms N] [--cap BYTES] [--truncate-only]
 *         [--stdin FILE] --stdout FILE --stderr FILE --result FILE|-
 *         [--kill-all] -- CMD [ARG...]
 *
 * The untrusted program runs as our own uid, so every file we write may have
 * been replaced by it beforehand: outputs are unlinked and recreated with
 * O_EXCL|O_NOFOLLOW.  "--result -" prints the line on stdout, a pipe the
 * program cannot reach, so it cannot forge its own verdict.  --kill-all makes
 * crrun SIGKILL every process it may signal except PID 1, before the test
 * (leftovers) and after it; it is honoured only when our parent is PID 1 (the
 * container's entry script), because on a host kill(-1) would hit the whole
 * user (or machine).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define POLL_MS 10

struct stream {
    int rfd, ffd;              /* pipe read end, file; -1 when closed */
    uint64_t bytes, written;
    int truncated;
};

static const char *opt_stdin = "/dev/null", *opt_stdout, *opt_stderr, *opt_result;
static uint64_t opt_cpu_ms, opt_wall_ms, opt_cap = 65536;
static int opt_truncate_only, opt_kill_all;
static int sig_w = -1;
static pid_t child = -1;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_sigchld(int sig)
{
    int e = errno;
    (void)sig;
    if (sig_w >= 0 && write(sig_w, "c", 1) < 0) { /* pipe full: already woken */ }
    errno = e;
}

static int read_small(const char *path, char *buf, size_t n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t r;
    do r = read(fd, buf, n - 1); while (r < 0 && errno == EINTR);
    close(fd);
    if (r < 0) return -1;
    buf[r] = 0;
    return 0;
}

/* Value of "key N" inside a flat-keyed cgroup file, or -1. */
static int64_t keyed_value(const char *path, const char *key)
{
    char buf[4096];
    if (read_small(path, buf, sizeof buf) < 0) return -1;
    size_t kl = strlen(key);
    for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, key, kl) && p[kl] == ' ') return strtoll(p + kl + 1, NULL, 10);
    return -1;
}

/* Whole-container CPU time in ns: the cgroup counts every process of the
 * test, including daemons that left the process tree. */
static int64_t cgroup_cpu_ns(void)
{
    static const char *v1[] = {"/sys/fs/cgroup/cpuacct/cpuacct.usage",
                               "/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage",
                               "/sys/fs/cgroup/cpuacct,cpu/cpuacct.usage", NULL};
    char buf[64];
    for (int i = 0; v1[i]; i++)
        if (read_small(v1[i], buf, sizeof buf) == 0) return strtoll(buf, NULL, 10);
    int64_t us = keyed_value("/sys/fs/cgroup/cpu.stat", "usage_usec");
    return us < 0 ? -1 : us * 1000;
}

/* Fallback without cgroupfs (e.g. gVisor): the child and its reaped children. */
static int64_t proc_cpu_ns(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (read_small(path, buf, sizeof buf) < 0) return -1;
    char *p = strrchr(buf, ')');
    unsigned long long v[4];
    /* after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime... */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
                     &v[0], &v[1], &v[2], &v[3]) != 4)
        return -1;
    return (int64_t)((v[0] + v[1] + v[2] + v[3]) * (1e9 / sysconf(_SC_CLK_TCK)));
}

static int64_t self_cpu_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

static int64_t oom_kills(void)
{
    int64_t n = keyed_value("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill");
    return n >= 0 ? n : keyed_value("/sys/fs/cgroup/memory.events", "oom_kill");
}

static void kill_tree(void)
{
    if (opt_kill_all) kill(-1, SIGKILL);
    if (child > 0) { kill(-child, SIGKILL); kill(child, SIGKILL); }
}

/* Kill and reap until nothing but PID 1 and us is left (bounded: a process
 * stuck in the kernel must not hang the whole session). */
static void kill_everything(void)
{
    double until = now_ms() + 2000;
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0) {}
        if (!opt_kill_all) { kill_tree(); break; }
        if (kill(-1, SIGKILL) < 0 && errno == ESRCH) break;
        if (now_ms() > until) break;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;    /* EFBIG/ENOSPC: the count still tells the truth */
        p += w;
        n -= (size_t)w;
    }
}

/* Returns 1 when the stream went over the cap with this read. */
static int pump(struct stream *s, char *buf)
{
    ssize_t r = read(s->rfd, buf, CHUNK);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
    if (r <= 0) { close(s->rfd); s->rfd = -1; return 0; }
    s->bytes += (uint64_t)r;
    if (s->written < opt_cap) {
        size_t n = (size_t)r;
        if (n > opt_cap - s->written) n = (size_t)(opt_cap - s->written);
        write_all(s->ffd, buf, n);
        s->written += n;
    }
    if (s->bytes > opt_cap && !s->truncated) { s->truncated = 1; return 1; }
    return 0;
}

static int open_out(const char *path)
{
    if (unlink(path) < 0 && errno == EISDIR) rmdir(path);
    return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

static int write_result(const char *line)
{
    if (!strcmp(opt_result, "-")) {
        write_all(1, line, strlen(line));
        return 0;
    }
    int fd = open_out(opt_result);
    if (fd < 0) { fprintf(stderr, "crrun: %s: %s\n", opt_result, strerror(errno)); return -1; }
    write_all(fd, line, strlen(line));
    close(fd);
    return 0;
}

static int fail(const char *word, const char *what)
{
    char line[512];
    fprintf(stderr, "crrun: %s: %s\n", what, strerror(errno));
    snprintf(line, sizeof line,
             "exit=-1 signal=0 cpu_ms=0.000 wall_ms=0.000 maxrss_kb=0 stdout_bytes=0 "
             "stderr_bytes=0 stdout_truncated=0 stderr_truncated=0 timeout=none oom=0 "
             "ole=0 error=%s\n", word);
    write_result(line);
    return strcmp(word, "exec_failed") == 0 ? 127 : 1;
}

static void child_exec(int in, int out_w, int err_w, int err_pipe, char **argv)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++)   /* ignored ones would survive exec */
        signal(sig, SIG_DFL);
    setsid();
    /* Make the test, not the supervisor or PID 1, the OOM killer's choice.
     * /proc/self is root's while we are non-dumpable; exec resets it anyway. */
    prctl(PR_SET_DUMPABLE, 1);
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) { write_all(fd, "1000", 4); close(fd); }
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    if (opt_cpu_ms) {
        rl.rlim_cur = rl.rlim_max = (opt_cpu_ms + 999) / 1000 + 1;
        setrlimit(RLIMIT_CPU, &rl);
    }
    if (dup2(in, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0) goto fail;
    struct rlimit nf;
    int maxfd = getrlimit(RLIMIT_NOFILE, &nf) == 0 && nf.rlim_cur < 65536 ? (int)nf.rlim_cur : 65536;
    for (int i = 3; i < maxfd; i++)
        if (i != err_pipe) close(i);
    execvp(argv[0], argv);
fail:;
    int e = errno;
    write_all(err_pipe, (const char *)&e, sizeof e);
    _exit(127);
}

static void usage(void)
{
    fprintf(stderr, "usage: crrun [--cpu-ms N] [--wall-ms N] [--cap BYTES] [--truncate-only]\n"
                    "             [--stdin FILE] --stdout FILE --stderr FILE --result FILE|-\n"
                    "             [--kill-all] -- CMD [ARG...]\n");
    exit(2);
}

static uint64_t number(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || !*s || *end || *s == '-') usage();
    return v;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"cpu-ms", 1, 0, 'c'}, {"wall-ms", 1, 0, 'w'}, {"cap", 1, 0, 'C'},
        {"stdin", 1, 0, 'i'}, {"stdout", 1, 0, 'o'}, {"stderr", 1, 0, 'e'},
        {"result", 1, 0, 'r'}, {"truncate-only", 0, 0, 't'}, {"kill-all", 0, 0, 'k'},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'c': opt_cpu_ms = number(optarg); break;
        case 'w': opt_wall_ms = number(optarg); break;
        case 'C': opt_cap = number(optarg); break;
        case 'i': opt_stdin = optarg; break;
        case 'o': opt_stdout = optarg; break;
        case 'e': opt_stderr = optarg; break;
        case 'r': opt_result = optarg; break;
        case 't': opt_truncate_only = 1; break;
        case 'k': opt_kill_all = 1; break;
        default: usage();
        }
    }
    if (!opt_stdout || !opt_stderr || !opt_result || optind >= argc) usage();
    char **cmd = argv + optind;
    if (opt_kill_all && getppid() != 1) {
        fprintf(stderr, "crrun: --kill-all ignored: parent is not PID 1\n");
        opt_kill_all = 0;
    }

    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    prctl(PR_SET_CHILD_SUBREAPER, 1);   /* orphans come back to us to be reaped and counted */
    prctl(PR_SET_DUMPABLE, 0);          /* the program (same uid) must not ptrace us */
    if (opt_kill_all) kill_everything();

    int merged = strcmp(opt_stdout, opt_stderr) == 0;
    struct stream s[2] = {{-1, -1, 0, 0, 0}, {-1, -1, 0, 0, 0}};
    int in = open(opt_stdin, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (in < 0) return fail("open_stdin", opt_stdin);
    fcntl(in, F_SETFL, 0);   /* O_NONBLOCK only guarded against a FIFO blocking open() */
    if ((s[0].ffd = open_out(opt_stdout)) < 0) return fail("open_stdout", opt_stdout);
    if (!merged && (s[1].ffd = open_out(opt_stderr)) < 0) return fail("open_stderr", opt_stderr);

    int p_out[2], p_err[2] = {-1, -1}, p_exec[2], p_sig[2];
    if (pipe2(p_out, O_CLOEXEC) || (!merged && pipe2(p_err, O_CLOEXEC)) ||
        pipe2(p_exec, O_CLOEXEC) || pipe2(p_sig, O_CLOEXEC | O_NONBLOCK))
        return fail("pipe", "pipe");
    sig_w = p_sig[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);

    int64_t oom0 = oom_kills();
    int64_t cg0 = cgroup_cpu_ns(), self0 = self_cpu_ns();
    double t0 = now_ms();
    child = fork();
    if (child < 0) return fail("fork", "fork");
    if (child == 0) child_exec(in, p_out[1], merged ? p_out[1] : p_err[1], p_exec[1], cmd);

    close(in);
    close(p_out[1]);
    if (!merged) close(p_err[1]);
    close(p_exec[1]);
    int exec_errno = 0;
    ssize_t r;
    do r = read(p_exec[0], &exec_errno, sizeof exec_errno); while (r < 0 && errno == EINTR);
    close(p_exec[0]);
    if (r == (ssize_t)sizeof exec_errno) {
        waitpid(child, NULL, 0);
        errno = exec_errno;
        return fail("exec_failed", cmd[0]);
    }

    s[0].rfd = p_out[0];
    s[1].rfd = merged ? -1 : p_err[0];
    for (int i = 0; i < 2; i++)
        if (s[i].rfd >= 0) fcntl(s[i].rfd, F_SETFL, O_NONBLOCK);

    static char buf[CHUNK];
    const char *timeout = "none";
    int status = 0, done = 0, ole = 0, killed = 0;
    double t_end = 0;
    while (!done) {
        if (waitpid(child, &status, WNOHANG) == child) { t_end = now_ms(); done = 1; break; }
        double now = now_ms();
        int wait_ms = POLL_MS;
        if (opt_wall_ms && !killed) {
            double left = t0 + opt_wall_ms - now;
            if (left <= 0) { timeout = "wall"; kill_tree(); killed = 1; }
            else if (left < wait_ms) wait_ms = (int)left + 1;
        }
        struct pollfd pf[3];
        int n = 0, idx[3];
        for (int i = 0; i < 2; i++)
            if (s[i].rfd >= 0) { pf[n] = (struct pollfd){s[i].rfd, POLLIN, 0}; idx[n++] = i; }
        pf[n] = (struct pollfd){p_sig[0], POLLIN, 0};
        idx[n++] = -1;
        if (poll(pf, (nfds_t)n, wait_ms) < 0 && errno != EINTR) { kill_tree(); killed = 1; }
        for (int k = 0; k < n; k++) {
            if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (idx[k] < 0) { while (read(p_sig[0], buf, sizeof buf) > 0) {} continue; }
            if (pump(&s[idx[k]], buf) && !opt_truncate_only && !killed) {
                ole = 1; kill_tree(); killed = 1;
            }
        }
        if (opt_cpu_ms && !killed) {
            int64_t used = cg0 >= 0 ? cgroup_cpu_ns() - cg0 - (self_cpu_ns() - self0)
                                    : proc_cpu_ns(child);
            if (used >= 0 && (uint64_t)used >= opt_cpu_ms * 1000000ULL) {
                timeout = "cpu"; kill_tree(); killed = 1;
            }
        }
    }

    /* The test is over when its main process is: nothing it started may
     * write anything afterwards, so kill first, then drain what is buffered. */
    kill_everything();
    double drain_until = now_ms() + 500;
    while ((s[0].rfd >= 0 || s[1].rfd >= 0) && now_ms() < drain_until) {
        struct pollfd pf[2];
        int n = 0, idx[2];
        for (int i = 0; i < 2; i++)
            if (s[i].rfd >= 0) { pf[n] = (struct pollfd){s[i].rfd, POLLIN, 0}; idx[n++] = i; }
        if (poll(pf, (nfds_t)n, 50) <= 0) continue;
        for (int k = 0; k < n; k++)
            if (pf[k].revents) pump(&s[idx[k]], buf);
    }
    for (int i = 0; i < 2; i++) {
        if (s[i].rfd >= 0) close(s[i].rfd);
        if (s[i].ffd >= 0) close(s[i].ffd);
    }
    if (!opt_truncate_only && (s[0].truncated || s[1].truncated)) ole = 1;

    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    double cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    int64_t oom1 = oom_kills();
    int oom = oom0 >= 0 && oom1 > oom0;
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (!strcmp(timeout, "none") && opt_cpu_ms &&
        (sig == SIGXCPU || (sig == SIGKILL && cpu_ms >= (double)opt_cpu_ms)))
        timeout = "cpu";   /* the RLIMIT_CPU backstop fired between two polls */

    char line[512];
    snprintf(line, sizeof line,
             "exit=%d signal=%d cpu_ms=%.3f wall_ms=%.3f maxrss_kb=%ld stdout_bytes=%" PRIu64
             " stderr_bytes=%" PRIu64 " stdout_truncated=%d stderr_truncated=%d timeout=%s"
             " oom=%d ole=%d error=-\n",
             code, sig, cpu_ms, t_end - t0, ru.ru_maxrss, s[0].bytes, s[1].bytes,
             s[0].truncated, s[1].truncated, timeout, oom, ole);
    return write_result(line) < 0 ? 1 : 0;
}
