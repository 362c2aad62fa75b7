/*
 * xstate-shim: lets Debian's user-mode Linux 6.1 run on hosts whose XSAVE area is larger than
 * the 832 bytes it was built for (AVX-512, AMX: Intel Xeon since Skylake-SP).
 *
 * UML 6.1 saves and restores each guest thread's FPU state with
 * ptrace(PTRACE_GETREGSET / PTRACE_SETREGSET, NT_X86_XSTATE) using a fixed buffer of
 * sizeof(struct _xstate) bytes. The host kernel truncates the GET to that size but refuses a
 * SET whose size is not exactly the host's full XSAVE size (EFAULT), and UML panics at boot:
 * "userspace - ptrace set fp regs failed, errno = 14". Linux 6.8's UML sizes the buffer from the
 * host; this shim does the same from outside, through LD_PRELOAD:
 *
 *  - GETREGSET(NT_X86_XSTATE): read the whole host-sized state, remember it under the caller's
 *    buffer address (UML keeps one buffer per guest thread, so the address names the thread),
 *    and hand the caller the prefix it asked for;
 *  - SETREGSET(NT_X86_XSTATE): start from the whole state remembered for that buffer (or the
 *    traced process's current state when there is none), lay the caller's prefix over it and
 *    set the whole thing.
 *
 * Every other ptrace request goes to glibc unchanged. Built by lab/sctp-lab on first use.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define SHIM_PTRACE_GETREGSET 0x4204
#define SHIM_PTRACE_SETREGSET 0x4205
#define SHIM_NT_X86_XSTATE 0x202
#define SHIM_MAX_XSTATE (64 * 1024)
#define SHIM_SLOTS 4096

struct slot {
    void *key;
    size_t len;
    unsigned char *state;
};

static struct slot slots[SHIM_SLOTS];

static struct slot *slot_for(void *key, int create)
{
    size_t h = ((uintptr_t)key >> 4) % SHIM_SLOTS;
    for (size_t i = 0; i < SHIM_SLOTS; i++) {
        struct slot *s = &slots[(h + i) % SHIM_SLOTS];
        if (s->key == key)
            return s;
        if (s->key == NULL) {
            if (!create)
                return NULL;
            s->state = malloc(SHIM_MAX_XSTATE);
            if (s->state == NULL)
                return NULL;
            s->key = key;
            s->len = 0;
            return s;
        }
    }
    return NULL;
}

static long raw_ptrace(long req, pid_t pid, void *addr, void *data)
{
    return syscall(SYS_ptrace, req, pid, addr, data);
}

static long get_full(pid_t pid, unsigned char *buf, size_t *len)
{
    struct iovec iov = { .iov_base = buf, .iov_len = SHIM_MAX_XSTATE };
    long r = raw_ptrace(SHIM_PTRACE_GETREGSET, pid, (void *)SHIM_NT_X86_XSTATE, &iov);
    if (r == 0)
        *len = iov.iov_len;
    return r;
}

long ptrace(int request, ...)
{
    va_list ap;
    va_start(ap, request);
    pid_t pid = va_arg(ap, pid_t);
    void *addr = va_arg(ap, void *);
    void *data = va_arg(ap, void *);
    va_end(ap);

    if ((request == SHIM_PTRACE_GETREGSET || request == SHIM_PTRACE_SETREGSET) &&
        (uintptr_t)addr == SHIM_NT_X86_XSTATE && data != NULL) {
        struct iovec *user = data;
        static unsigned char scratch[SHIM_MAX_XSTATE];
        if (request == SHIM_PTRACE_GETREGSET) {
            struct slot *s = slot_for(user->iov_base, 1);
            unsigned char *buf = s ? s->state : scratch;
            size_t len = 0;
            long r = get_full(pid, buf, &len);
            if (r != 0)
                return r;
            if (s)
                s->len = len;
            size_t n = user->iov_len < len ? user->iov_len : len;
            memcpy(user->iov_base, buf, n);
            user->iov_len = n;
            return 0;
        } else {
            struct slot *s = slot_for(user->iov_base, 0);
            size_t len = 0;
            if (s && s->len) {
                memcpy(scratch, s->state, s->len);
                len = s->len;
            } else {
                long r = get_full(pid, scratch, &len);
                if (r != 0)
                    return r;
            }
            size_t n = user->iov_len < len ? user->iov_len : len;
            memcpy(scratch, user->iov_base, n);
            struct iovec full = { .iov_base = scratch, .iov_len = len };
            long r = raw_ptrace(SHIM_PTRACE_SETREGSET, pid, addr, &full);
            if (r == 0 && s)
                memcpy(s->state, scratch, len);
            return r;
        }
    }

    static long (*next)(int, ...) = NULL;
    if (next == NULL)
        next = (long (*)(int, ...))dlsym(RTLD_NEXT, "ptrace");
    if (next == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return next(request, pid, addr, data);
}
