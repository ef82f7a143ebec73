/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space side of the FAILSLAB passes, shared by the selftests
 * (selftests/nsm_helpers.h) and nsmctl's model backend (tools/model.c).
 * gettid() wants _GNU_SOURCE, defined before the first #include.
 */
#ifndef _NSM_FAILSLAB_H
#define _NSM_FAILSLAB_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Kernel fault injection (the FAILSLAB passes of scripts/guest-debug-tests).
 * When NSM_FAILSLAB is set (and not "0"), every call into the device
 * (open, ioctl, read) runs with this thread's /proc/thread-self/make-it-fail
 * set, and only those: with failslab's task-filter, the kernel then fails
 * allocations made inside the module's system calls and nowhere else (not
 * in the test's own fork, printf or file reads).  The probability and the
 * filters are the runner's (/sys/kernel/debug/failslab); this only marks
 * the calls.  Unset, it costs one getenv per thread.
 *
 * NSM_FAILSLAB=retry also calls again when failslab failed the call (it
 * returned ENOMEM and failslab's "times" counted down meanwhile).  A failed
 * call leaves the world as it was, so calling again is what a program
 * would do; the test then goes on past the failure, and the next ones hit
 * allocations deeper in.  At most NSM_FS_TRIES times: a call that makes
 * thousands of allocations (a copy of a big tree) would never get through.
 */
#define NSM_FS_TRIES	50

struct nsm_fs_state {
	int mode;		/* -1 unknown, 0 off, 1 mark, 2 mark and retry */
	int fd;			/* /proc/thread-self/make-it-fail */
	pid_t tid;
};

static inline struct nsm_fs_state *nsm_fs(void)
{
	static __thread struct nsm_fs_state st = { -1, -1, 0 };
	const char *e;

	if (st.mode < 0) {
		e = getenv("NSM_FAILSLAB");
		st.mode = !e || !*e || !strcmp(e, "0") ? 0 :
			  !strcmp(e, "retry") ? 2 : 1;
	}
	return &st;
}

/*
 * failslab's countdown of failures (or -1).  Its debugfs file cannot seek
 * (nonseekable_open): one open per read.
 */
static inline long nsm_fs_times(void)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open("/sys/kernel/debug/failslab/times", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static inline void nsm_may_fail(int on)
{
	struct nsm_fs_state *st = nsm_fs();

	if (!st->mode)
		return;
	/* After fork() the cached fd is the parent's thread: open again. */
	if (st->fd < 0 || st->tid != gettid()) {
		if (st->fd >= 0)
			close(st->fd);
		st->fd = open("/proc/thread-self/make-it-fail",
			      O_WRONLY | O_CLOEXEC);
		st->tid = gettid();
	}
	if (st->fd >= 0 && pwrite(st->fd, on ? "1" : "0", 1, 0) < 0) {
		close(st->fd);
		st->fd = -1;
	}
}

/* Before a call into the device: mark it; returns failslab's countdown. */
static inline long nsm_fs_begin(void)
{
	struct nsm_fs_state *st = nsm_fs();
	long times;

	if (!st->mode)
		return -1;
	/* read first: opening the knob allocates, and must not fail */
	times = st->mode == 2 ? nsm_fs_times() : -1;
	nsm_may_fail(1);
	return times;
}

/*
 * After it (@err its errno, or 0; @tries counts the calls): true to call
 * again (see above).
 */
static inline int nsm_fs_end(long before, int err, int *tries)
{
	struct nsm_fs_state *st = nsm_fs();

	if (!st->mode)
		return 0;
	nsm_may_fail(0);
	return err == ENOMEM && before > 0 && ++*tries < NSM_FS_TRIES &&
	       nsm_fs_times() < before;
}

#endif /* _NSM_FAILSLAB_H */
