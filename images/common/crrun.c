/*
 * crrun: run one command under CPU, wall-clock and output limits and write
 * one result line (docs/DESIGN.md §3).
 *
 *   crrun [--cpu-ms N] [--wall-ms N] [--cap BYTES] [--truncate-only]
 *         [--stdin FILE | --stdin-slice FILE:OFFSET:LENGTH]
 *         --stdout FILE --stderr FILE --result FILE|-
 *         [--kill-all [--wipe DIR]... [--reset SNAPSHOT:WORK] [--prune-output DIR:I]]
 *         [--exec-fail-exit]
 *         [--mem-kb N] -- CMD [ARG...]
 *
 * The untrusted program runs as our own uid, so every file we write may have
 * been replaced by it beforehand: outputs are unlinked and recreated with
 * O_EXCL|O_NOFOLLOW.  "--result -" prints the line on stdout, a pipe the
 * program cannot reach under runc (PID 1 is not dumpable).  Under gVisor it
 * can open it through /proc/<ppid>/fd and write a line of its own, so the
 * line goes out last, on a line of its own, after every process of the test
 * is dead: the reader takes the last line and nothing can come after it.
 *
 * --mem-kb N: without a memory cgroup in sight (gVisor), the kernel's OOM
 * killer of the container is the host's and takes the whole sandbox.  crrun
 * plays it instead: when the sandbox's memory in use (/proc/meminfo MemTotal
 * - MemAvailable) goes over N KiB, the test is killed and reported oom=1.  --kill-all makes
 * crrun SIGKILL every process it may signal except PID 1, before the test
 * (leftovers) and after it; it is honoured only when our parent is PID 1 (the
 * container's entry script), because on a host kill(-1) would hit the whole
 * user (or machine).
 *
 * The per-test housekeeping of the entry script is done here, in-process,
 * because a process per step (find, cp, dd, rm) cost more than a short test
 * itself: --wipe, --reset and --stdin-slice run after the first
 * kill-all and before the fork, when nothing of the previous test is left
 * alive but everything it planted on disk (symlinks, FIFOs, unreadable
 * directories, deep trees) still is.  So the tree walks open every entry
 * relative to its directory with O_NOFOLLOW, keep a single directory open at
 * a time (RLIMIT_NOFILE is small) and climb back through "..".  They refuse
 * to run without an honoured --kill-all: on a host they would race live
 * processes, and "--wipe /tmp" there is a disaster.
 */
#define _GNU_SOURCE
#include <dirent.h>
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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

#define MAX_WIPE 8

static const char *opt_stdin = "/dev/null", *opt_stdout, *opt_stderr, *opt_result;
static const char *opt_slice, *opt_snap, *opt_work, *opt_wipe[MAX_WIPE], *opt_prune;
static uint64_t opt_prune_max;
static uint64_t opt_cpu_ms, opt_wall_ms, opt_cap = 65536, opt_mem_kb;
static int opt_truncate_only, opt_kill_all, opt_exec_fail_exit, opt_nwipe;
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

/* The same total as the cgroup's without one (gVisor): every process of the
 * test, alive or a zombie, with what each has reaped; not PID 1 (idle, and it
 * reaped earlier tests) and not us.  The test's own process alone would let a
 * fork bomb's processes share out the CPU and run until the wall clock. */
static int64_t procs_cpu_ns(void)
{
    DIR *d = opendir("/proc");
    if (!d) return -1;
    int64_t sum = 0;
    struct dirent *e;
    pid_t self = getpid();
    while ((e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end || pid <= 1 || pid == self) continue;
        int64_t t = proc_cpu_ns((pid_t)pid);
        if (t > 0) sum += t;
    }
    closedir(d);
    return sum;
}

static int64_t self_cpu_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

/* Memory in use in the whole sandbox in KiB, from /proc/meminfo; -1 if unknown. */
static int64_t meminfo_used_kb(void)
{
    int64_t total = keyed_value("/proc/meminfo", "MemTotal:");
    int64_t avail = keyed_value("/proc/meminfo", "MemAvailable:");
    return total < 0 || avail < 0 ? -1 : total - avail;
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

/* Whether a process other than PID 1 and us is still alive.  kill(-1)
 * succeeds on zombies too, and a zombie PID 1 has not reaped yet (the crrun
 * of the previous test) is no one we could reap: counting it kept every
 * such test waiting the whole 2 s below. */
static int others_alive(void)
{
    DIR *d = opendir("/proc");
    if (!d) return 1;
    pid_t self = getpid();
    int alive = 0;
    struct dirent *e;
    while (!alive && (e = readdir(d))) {
        char *end, path[64], buf[512];
        long pid = strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end || pid <= 1 || pid == self) continue;
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;   /* gone meanwhile */
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0) continue;
        buf[n] = 0;
        char *p = strrchr(buf, ')');
        alive = !p || (p[1] == ' ' && p[2] != 'Z' && p[2] != 'X');
    }
    closedir(d);
    return alive;
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
        while (waitpid(-1, NULL, WNOHANG) > 0) {}
        if (!others_alive()) break;
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

/* ---- per-test housekeeping (--wipe, --reset, --stdin-slice) ---- */

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

static char copy_buf[CHUNK];

struct ent { char *name; unsigned char type; };
struct ents { struct ent *v; size_t n, cap; };

static void ents_free(struct ents *l)
{
    while (l->n) free(l->v[--l->n].name);
    free(l->v);
    l->v = NULL;
    l->cap = 0;
}

/* Read the whole directory first: acting on entries while readdir() walks
 * them is allowed but leaves it open whether the walk sees them. */
static int list_dir(int fd, struct ents *l)
{
    int d = fcntl(fd, F_DUPFD_CLOEXEC, 0);   /* closedir() closes its fd */
    DIR *dir = d < 0 ? NULL : fdopendir(d);
    if (!dir) { if (d >= 0) close(d); return -1; }
    int rc = 0;
    struct dirent *e;
    for (errno = 0; (e = readdir(dir)); errno = 0) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (l->n == l->cap) {
            size_t cap = l->cap ? 2 * l->cap : 32;
            struct ent *v = realloc(l->v, cap * sizeof *v);
            if (!v) { rc = -1; break; }
            l->v = v;
            l->cap = cap;
        }
        if (!(l->v[l->n].name = strdup(e->d_name))) { rc = -1; break; }
        l->v[l->n++].type = e->d_type;
    }
    if (errno) rc = -1;
    closedir(dir);
    return rc;
}

static int is_dir(int fd, const struct ent *e)
{
    struct stat st;
    if (e->type != DT_UNKNOWN) return e->type == DT_DIR;
    return fstatat(fd, e->name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* A directory to empty: the program may have made it unreadable or
 * unwritable, but it is ours, so we give ourselves rwx back.  fchmodat()
 * follows a symlink, but only a real directory fails O_NOFOLLOW with EACCES,
 * and nothing runs that could swap it in between. */
static int open_to_empty(int fd, const char *name)
{
    int d = openat(fd, name, DIR_FLAGS);
    if (d < 0 && errno == EACCES && fchmodat(fd, name, 0700, 0) == 0)
        d = openat(fd, name, DIR_FLAGS);
    struct stat st;
    if (d >= 0 && fstat(d, &st) == 0 && (st.st_mode & 0700) != 0700)
        fchmod(d, (st.st_mode & 07777) | 0700);
    return d;
}

struct frame { char *name; struct ents todo; int listed; struct stat st; };
struct stack { struct frame *v; size_t n, cap; };

static struct frame *push(struct stack *s, char *name)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        struct frame *v = realloc(s->v, cap * sizeof *v);
        if (!v) return NULL;
        s->v = v;
        s->cap = cap;
    }
    struct frame *f = &s->v[s->n++];
    memset(f, 0, sizeof *f);
    f->name = name;
    return f;
}

static void pop(struct stack *s)
{
    struct frame *f = &s->v[--s->n];
    free(f->name);
    ents_free(&f->todo);
}

static void stack_free(struct stack *s)
{
    while (s->n) pop(s);
    free(s->v);
}

/* Delete entry `name` of directory pfd, and all below it when it is a
 * directory, never following a symlink.  Depth-first with one directory
 * open at a time: any depth fits in RLIMIT_NOFILE and every directory is
 * read once. */
static int remove_tree(int pfd, const char *name)
{
    struct stat st;
    if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode)) return unlinkat(pfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;

    struct stack s = {0};
    char *top = strdup(name);
    int cur = top ? open_to_empty(pfd, name) : -1;
    if (cur < 0 || !push(&s, top)) {
        free(top);
        if (cur >= 0) close(cur);
        return -1;
    }
    int err = 0;
    while (s.n > 0) {
        struct frame *f = &s.v[s.n - 1];
        if (!f->listed) {   /* unlink the leaves now, keep the subdirectories for later */
            if (list_dir(cur, &f->todo) < 0) err = -1;
            f->listed = 1;
            size_t k = 0;
            for (size_t i = 0; i < f->todo.n; i++) {
                struct ent e = f->todo.v[i];
                if (is_dir(cur, &e)) { f->todo.v[k++] = e; continue; }
                if (unlinkat(cur, e.name, 0) < 0 && errno != ENOENT) err = -1;
                free(e.name);
            }
            f->todo.n = k;
        }
        if (f->todo.n > 0) {
            char *child = f->todo.v[--f->todo.n].name;
            int sub = open_to_empty(cur, child);
            if (sub < 0 || !push(&s, child)) {
                err = -1;
                free(child);
                if (sub >= 0) close(sub);
                continue;   /* its parent's rmdir reports it */
            }
            close(cur);
            cur = sub;
            continue;
        }
        int up = s.n == 1 ? pfd : openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(cur);
        if (up < 0) { err = -1; break; }
        if (unlinkat(up, f->name, AT_REMOVEDIR) < 0 && errno != ENOENT) err = -1;
        pop(&s);
        cur = up;   /* pfd at the end: the caller's */
    }
    stack_free(&s);
    return err;
}

/* Delete everything inside dir except the directories on the path `keep`
 * (relative, may be NULL): each of them is emptied but for the next one,
 * and the last one is left alone. */
static int wipe_fd(int fd, const char *keep)
{
    struct ents l = {0};
    int err = list_dir(fd, &l);
    size_t kl = keep ? strcspn(keep, "/") : 0;
    for (size_t i = 0; i < l.n; i++) {
        const char *name = l.v[i].name;
        if (kl && strlen(name) == kl && !strncmp(name, keep, kl) && is_dir(fd, &l.v[i])) {
            if (!keep[kl]) continue;
            int sub = open_to_empty(fd, name);
            if (sub < 0 || wipe_fd(sub, keep + kl + 1) < 0) err = -1;
            if (sub >= 0) close(sub);
            continue;
        }
        if (remove_tree(fd, name) < 0) err = -1;
    }
    ents_free(&l);
    return err;
}

/* --wipe DIR: DIR itself stays; the --reset snapshot stays when inside it. */
static int wipe(const char *dir)
{
    int fd = open(dir, DIR_FLAGS);
    if (fd < 0) return errno == ENOENT ? 0 : -1;   /* e.g. a runtime without /dev/shm */
    size_t n = strlen(dir);
    const char *keep = NULL;
    if (opt_snap && !strncmp(opt_snap, dir, n) && opt_snap[n] == '/') keep = opt_snap + n + 1;
    int rc = wipe_fd(fd, keep);
    close(fd);
    return rc;
}

static int copy_data(int in, int out)
{
    static int no_cfr;   /* copy_file_range() is not everywhere (old kernels, gVisor) */
    while (!no_cfr) {
        ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)1 << 30, 0);
        if (n == 0) return 0;
        if (n < 0 && errno != EINTR) no_cfr = 1;   /* offsets moved as far as it got */
    }
    for (;;) {
        ssize_t r = read(in, copy_buf, sizeof copy_buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return (int)r;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(out, copy_buf + off, (size_t)(r - off));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return -1;
            off += w;
        }
    }
}

/* One non-directory entry, as cp -a would (hard links become copies;
 * sockets and devices, useless to a later test, are left out). */
static int copy_leaf(int sfd, int dfd, const char *name, const struct stat *st)
{
    const struct timespec t[2] = {st->st_atim, st->st_mtim};
    if (S_ISREG(st->st_mode)) {
        int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (in < 0) return -1;
        int out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        int rc = out < 0 || copy_data(in, out) < 0 || fchmod(out, st->st_mode & 07777) < 0 ||
                 futimens(out, t) < 0 ? -1 : 0;
        close(in);
        if (out >= 0) close(out);
        return rc;
    }
    if (S_ISLNK(st->st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlinkat(sfd, name, target, sizeof target - 1);
        if (n < 0) return -1;
        target[n] = 0;
        if (symlinkat(target, dfd, name) < 0) return -1;
        utimensat(dfd, name, t, AT_SYMLINK_NOFOLLOW);   /* not everywhere: cosmetic */
        return 0;
    }
    if (S_ISFIFO(st->st_mode)) {
        if (mkfifoat(dfd, name, 0600) < 0) return -1;
        return fchmodat(dfd, name, st->st_mode & 07777, 0) < 0 ||
               utimensat(dfd, name, t, AT_SYMLINK_NOFOLLOW) < 0 ? -1 : 0;
    }
    return 0;
}

/* Copy the contents of directory src into the empty directory dst (both
 * stay open and are the caller's), preserving modes, times and symlinks. */
static int copy_tree(int src, int dst)
{
    struct stack s = {0};
    if (!push(&s, NULL)) return -1;
    int sfd = src, dfd = dst, err = 0;
    while (s.n > 0) {
        struct frame *f = &s.v[s.n - 1];
        if (!f->listed) {
            if (list_dir(sfd, &f->todo) < 0) err = -1;
            f->listed = 1;
        }
        if (f->todo.n > 0) {
            char *name = f->todo.v[--f->todo.n].name;
            struct stat st;
            if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) { err = -1; free(name); continue; }
            if (!S_ISDIR(st.st_mode)) {
                if (copy_leaf(sfd, dfd, name, &st) < 0) err = -1;
                free(name);
                continue;
            }
            /* 0700 until it is filled: its own mode may forbid writing into it */
            int ns = -1, nd = -1;
            struct frame *g = NULL;
            if (mkdirat(dfd, name, 0700) < 0 || (ns = openat(sfd, name, DIR_FLAGS)) < 0 ||
                (nd = openat(dfd, name, DIR_FLAGS)) < 0 || !(g = push(&s, name))) {
                err = -1;
                free(name);
                if (ns >= 0) close(ns);
                if (nd >= 0) close(nd);
                continue;
            }
            g->st = st;
            if (sfd != src) close(sfd);
            if (dfd != dst) close(dfd);
            sfd = ns;
            dfd = nd;
            continue;
        }
        if (s.n == 1) break;   /* the top: the caller sets its mode */
        int us = s.n == 2 ? src : openat(sfd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int ud = s.n == 2 ? dst : openat(dfd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        close(sfd);
        close(dfd);
        sfd = us;
        dfd = ud;
        if (us < 0 || ud < 0) { err = -1; break; }
        /* set from the parent: with its final mode we might not get out of it */
        const struct timespec t[2] = {f->st.st_atim, f->st.st_mtim};
        if (fchmodat(ud, f->name, f->st.st_mode & 07777, 0) < 0 ||
            utimensat(ud, f->name, t, AT_SYMLINK_NOFOLLOW) < 0)
            err = -1;
        pop(&s);
    }
    if (sfd >= 0 && sfd != src) close(sfd);
    if (dfd >= 0 && dfd != dst) close(dfd);
    stack_free(&s);
    return err;
}

/* --reset SNAPSHOT:WORK: WORK becomes a fresh copy of SNAPSHOT and our cwd
 * (the test's).  WORK's parent directory must be trusted (e.g. /tmp). */
static int reset_work(void)
{
    const char *slash = strrchr(opt_work, '/');
    if (!slash || !slash[1]) { errno = EINVAL; return -1; }
    const char *base = slash + 1;
    char *parent = slash == opt_work ? strdup("/") : strndup(opt_work, (size_t)(slash - opt_work));
    int p = parent ? open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    free(parent);
    if (p < 0) return -1;
    int src = -1, dst = -1, rc = -1;
    struct stat st;
    if (remove_tree(p, base) == 0 && (src = open(opt_snap, DIR_FLAGS)) >= 0 &&
        fstat(src, &st) == 0 && mkdirat(p, base, 0700) == 0 &&
        (dst = openat(p, base, DIR_FLAGS)) >= 0 && copy_tree(src, dst) == 0) {
        const struct timespec t[2] = {st.st_atim, st.st_mtim};
        if (fchmod(dst, st.st_mode & 07777) == 0 && futimens(dst, t) == 0 && fchdir(dst) == 0)
            rc = 0;
    }
    int e = errno;
    if (src >= 0) close(src);
    if (dst >= 0) close(dst);
    close(p);
    errno = e;
    return rc;
}

/* --prune-output DIR:I keeps the files of the steps and the outputs of the
 * tests before I (before the test) or up to I (after it); names as the
 * analyzer reads them: no leading zero, up to 6 digits. */
static int prune_keep(const char *name, uint64_t below)
{
    if (!strcmp(name, "logCompile") || !strcmp(name, "compile.result") ||
        !strcmp(name, "testCaseLog"))
        return 1;
    const char *dot = strchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : 0;
    if (n == 0 || n > 6 || (name[0] == '0' && n > 1) || (strcmp(dot, ".out") && strcmp(dot, ".err")))
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (name[i] < '0' || name[i] > '9') return 0;
        v = v * 10 + (uint64_t)(name[i] - '0');
    }
    return v < below;
}

/* output/ may be a size-capped tmpfs: what a test left there besides the
 * results goes once it is over, so that the results of the tests after it
 * still fit.  Here and not in the entry script, whose glob-and-match loop
 * cost ~65 us per file, for every test (quadratic in the number of tests).
 * Best effort: what cannot go only costs room. */
static void prune_output(uint64_t below)
{
    int fd = open(opt_prune, DIR_FLAGS);
    if (fd < 0) return;
    struct ents l = {0};
    list_dir(fd, &l);
    for (size_t i = 0; i < l.n; i++)
        if (!prune_keep(l.v[i].name, below)) remove_tree(fd, l.v[i].name);
    ents_free(&l);
    close(fd);
}

/* "--stdin-slice FILE:OFFSET:LENGTH", checked while parsing the options. */
static char *slice_file;
static uint64_t slice_off, slice_len;

static int parse_slice(const char *arg)
{
    char *spec = strdup(arg), *c2 = spec ? strrchr(spec, ':') : NULL, *c1 = NULL, *end;
    if (c2) { *c2 = 0; c1 = strrchr(spec, ':'); }
    if (!c1 || c1 == spec) { free(spec); return -1; }
    *c1 = 0;
    errno = 0;
    unsigned long long off = strtoull(c1 + 1, &end, 10);
    int bad = errno || end == c1 + 1 || *end || c1[1] == '-';
    unsigned long long len = strtoull(c2 + 1, &end, 10);
    if (bad || errno || end == c2 + 1 || *end || c2[1] == '-' || off > INT64_MAX ||
        len > INT64_MAX - off) {
        free(spec);
        return -1;
    }
    free(slice_file);
    slice_file = spec;
    slice_off = off;
    slice_len = len;
    return 0;
}

static int pcopy(int src, int dst, uint64_t off, uint64_t len)
{
    while (len > 0) {
        size_t want = len < sizeof copy_buf ? (size_t)len : sizeof copy_buf;
        ssize_t r = pread(src, copy_buf, want, (off_t)off);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) errno = EIO;   /* shorter than its header says */
        if (r <= 0) return -1;
        for (ssize_t done = 0; done < r;) {
            ssize_t w = write(dst, copy_buf + done, (size_t)(r - done));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return -1;
            done += w;
        }
        off += (uint64_t)r;
        len -= (uint64_t)r;
    }
    return 0;
}

/* The test's stdin: a sealed memfd holding the slice.  A regular file as
 * before (seekable, mappable, with its size); unlike a pipe it needs no
 * writer beside the test, and unlike a file in /tmp the program of an
 * earlier test cannot have planted anything in its place. */
static int slice_stdin(void)
{
    int src = open(slice_file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (src < 0) return -1;
    struct stat st;
    int fd = -1;
    if (fstat(src, &st) < 0 || !S_ISREG(st.st_mode)) {
        errno = EINVAL;
    } else {
        fd = memfd_create("stdin", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)   /* no memfd here: an unnamed file, as unreachable */
            fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd >= 0 && (pcopy(src, fd, slice_off, slice_len) < 0 || lseek(fd, 0, SEEK_SET) != 0)) {
            int e = errno;
            close(fd);
            fd = -1;
            errno = e;
        }
        /* writing to its own stdin then fails as on a read-only file */
        if (fd >= 0) fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
    }
    int e = errno;
    close(src);
    errno = e;
    return fd;
}

static int write_result(const char *line)
{
    if (!strcmp(opt_result, "-")) {
        write_all(1, "\n", 1);   /* see the top: the last line is ours */
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
    /* One system call instead of one per possible descriptor (65536 of them
     * cost ~2 ms a test under docker's default nofile); the loop is for a
     * kernel without close_range (Linux < 5.9, older gVisor). */
    if (syscall(SYS_close_range, 3, err_pipe - 1, 0) != 0 ||
        syscall(SYS_close_range, err_pipe + 1, ~0U, 0) != 0) {
        struct rlimit nf;
        int maxfd = getrlimit(RLIMIT_NOFILE, &nf) == 0 && nf.rlim_cur < 65536 ? (int)nf.rlim_cur : 65536;
        for (int i = 3; i < maxfd; i++)
            if (i != err_pipe) close(i);
    }
    execvp(argv[0], argv);
    if (opt_exec_fail_exit) {
        /* What `sh -c "exec CMD"` did when CMD was run that way: the
         * program's own failure (its file is missing, not executable...),
         * told on its stderr, never crrun's. */
        int e = errno;
        char msg[512];
        int n = snprintf(msg, sizeof msg, "%s: %s\n", argv[0],
                         e == ENOENT || e == ENOTDIR ? "not found" : strerror(e));
        write_all(2, msg, n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
        _exit(e == ENOENT || e == ENOTDIR ? 127 : 126);
    }
fail:;
    int e = errno;
    write_all(err_pipe, (const char *)&e, sizeof e);
    _exit(127);
}

static void usage(void)
{
    fprintf(stderr, "usage: crrun [--cpu-ms N] [--wall-ms N] [--cap BYTES] [--truncate-only]\n"
                    "             [--stdin FILE | --stdin-slice FILE:OFFSET:LENGTH]\n"
                    "             --stdout FILE --stderr FILE --result FILE|-\n"
                    "             [--kill-all [--wipe DIR]... [--reset SNAPSHOT:WORK]\n"
                    "                         [--prune-output DIR:I]]\n"
                    "             [--exec-fail-exit] [--mem-kb N] -- CMD [ARG...]\n");
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
        {"mem-kb", 1, 0, 'm'},
        {"stdin-slice", 1, 0, 'I'}, {"wipe", 1, 0, 'W'}, {"reset", 1, 0, 'R'},
        {"exec-fail-exit", 0, 0, 'x'}, {"prune-output", 1, 0, 'P'}, {0, 0, 0, 0}};
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
        case 'm': opt_mem_kb = number(optarg); break;
        case 'I': if (parse_slice(optarg) < 0) usage(); opt_slice = optarg; break;
        case 'W':
            if (optarg[0] != '/' || opt_nwipe == MAX_WIPE) usage();
            opt_wipe[opt_nwipe++] = optarg;
            break;
        case 'R': {
            char *colon = strrchr(optarg, ':');
            if (!colon || optarg[0] != '/' || colon[1] != '/') usage();
            *colon = 0;
            opt_snap = optarg;
            opt_work = colon + 1;
            break;
        }
        case 'x': opt_exec_fail_exit = 1; break;
        case 'P': {
            char *colon = strrchr(optarg, ':');
            if (!colon || optarg[0] != '/') usage();
            *colon = 0;
            opt_prune = optarg;
            opt_prune_max = number(colon + 1);
            break;
        }
        default: usage();
        }
    }
    if (!opt_stdout || !opt_stderr || !opt_result || optind >= argc) usage();
    if (opt_slice && strcmp(opt_stdin, "/dev/null")) usage();
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

    /* Only now is nothing of the previous test alive to race the walks. */
    if ((opt_nwipe || opt_snap || opt_prune) && !opt_kill_all) {
        errno = EPERM;
        return fail("reset", "--wipe/--reset/--prune-output without an honoured --kill-all");
    }
    for (int i = 0; i < opt_nwipe; i++)
        if (wipe(opt_wipe[i]) < 0) return fail("reset", opt_wipe[i]);
    if (opt_snap && reset_work() < 0) return fail("reset", opt_work);
    /* and again before, in case the last test killed its crrun */
    if (opt_prune) prune_output(opt_prune_max);

    int merged = strcmp(opt_stdout, opt_stderr) == 0;
    struct stream s[2] = {{-1, -1, 0, 0, 0}, {-1, -1, 0, 0, 0}};
    int in = opt_slice ? slice_stdin()
                       : open(opt_stdin, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (in < 0) return fail("open_stdin", opt_slice ? opt_slice : opt_stdin);
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
    /* The cgroup's OOM killer does this job where there is one. */
    int mem_guard = opt_mem_kb && oom0 < 0 && meminfo_used_kb() >= 0, mem_killed = 0;
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
        if (mem_guard && !killed && meminfo_used_kb() > (int64_t)opt_mem_kb) {
            mem_killed = 1; kill_tree(); killed = 1;
        }
        if (opt_cpu_ms && !killed) {
            int64_t used = cg0 >= 0 ? cgroup_cpu_ns() - cg0 - (self_cpu_ns() - self0)
                                    : procs_cpu_ns();
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
    if (opt_prune) prune_output(opt_prune_max + 1);   /* nothing of the test is left alive */

    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    double cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    int64_t oom1 = oom_kills();
    int oom = (oom0 >= 0 && oom1 > oom0) || mem_killed;
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
