/*
 * Preloaded into Rscript only (see r/Dockerfile): getrlimit(RLIMIT_NOFILE) fails
 * with EINVAL, which R reads as "limit unknown" and answers with its default DLL
 * table instead of refusing to start under a small nofile ulimit.  Every other
 * resource is passed through; the kernel still enforces the real limit.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/resource.h>

typedef int (*getrlimit_fn)(__rlimit_resource_t, struct rlimit *);

static int real_getrlimit(__rlimit_resource_t resource, struct rlimit *rlim)
{
    static getrlimit_fn next;
    if (!next)
        next = (getrlimit_fn)dlsym(RTLD_NEXT, "getrlimit");
    if (!next) {
        errno = ENOSYS;
        return -1;
    }
    return next(resource, rlim);
}

int getrlimit(__rlimit_resource_t resource, struct rlimit *rlim)
{
    if (resource == RLIMIT_NOFILE) {
        errno = EINVAL;
        return -1;
    }
    return real_getrlimit(resource, rlim);
}

int getrlimit64(__rlimit_resource_t resource, struct rlimit64 *rlim)
{
    return getrlimit(resource, (struct rlimit *)rlim);
}
