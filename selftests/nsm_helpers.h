/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel selftests: thin wrappers around the /dev/nsmodel ioctls.
 *
 * Every wrapper returns the ioctl's non-negative result, or -errno, so that
 * tests read as ASSERT_EQ(-EINVAL, nsm_clone(fd, 1, CLONE_NEWNS | CLONE_FS)).
 */
#ifndef _NSM_HELPERS_H
#define _NSM_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/sched.h>
#include <linux/mount.h>

#include "../include/uapi/linux/nsmodel.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif
#ifndef MNT_DETACH
#define MNT_FORCE	0x00000001
#define MNT_DETACH	0x00000002
#define MNT_EXPIRE	0x00000004
#endif

#define NSM_DEV_PATH	"/dev/" NSM_DEVICE_NAME

#define NSM_ALL_NEW_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |	\
			   CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP |	\
			   CLONE_NEWTIME | CLONE_NEWUSER)

#include "../tools/failslab.h"

#ifdef __KSELFTEST_HARNESS_H
/*
 * Without the module there is nothing to test: a selftest program (each
 * includes this header after kselftest_harness.h) then skips as a whole,
 * kselftest's way ("1..0 # SKIP", exit status KSFT_SKIP), before the
 * harness runs any test.  Other users of this header (bench/) have no
 * harness and no such check.
 */
static void __attribute__((constructor)) nsm_skip_without_device(void)
{
	if (access(NSM_DEV_PATH, F_OK) && errno == ENOENT)
		ksft_exit_skip("%s absent (nsmodel not loaded)\n", NSM_DEV_PATH);
}
#endif

static inline long nsm_ioc(int fd, unsigned long cmd, void *arg)
{
	long ret, before;
	int err, tries = 0;

	do {
		before = nsm_fs_begin();
		ret = ioctl(fd, cmd, arg);
		err = ret < 0 ? errno : 0;
	} while (nsm_fs_end(before, err, &tries));
	return ret < 0 ? -err : ret;
}

static inline int nsm_open(void)
{
	long before;
	int fd, err, tries = 0;

	do {
		before = nsm_fs_begin();
		fd = open(NSM_DEV_PATH, O_RDWR | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
	} while (nsm_fs_end(before, err, &tries));
	return fd < 0 ? -err : fd;
}

/* read(2) of an fd the module made (a mountinfo snapshot): -errno or n. */
static inline ssize_t nsm_read(int fd, void *buf, size_t len)
{
	long before;
	ssize_t n;
	int err, tries = 0;

	do {
		before = nsm_fs_begin();
		n = read(fd, buf, len);
		err = n < 0 ? errno : 0;
	} while (nsm_fs_end(before, err, &tries));
	return n < 0 ? -err : n;
}

static inline long nsm_counters(int fd, struct nsm_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return nsm_ioc(fd, NSM_IOC_COUNTERS, c);
}

/* Live objects of one type in the world of @fd (or -errno). */
static inline long nsm_world_count(int fd, enum nsm_obj_type type)
{
	struct nsm_counters c;
	long ret = nsm_counters(fd, &c);

	return ret < 0 ? ret : (long)c.world[type];
}

/* All live objects of the world of @fd except the world itself. */
static inline long nsm_world_objects(int fd)
{
	struct nsm_counters c;
	long ret = nsm_counters(fd, &c), n = 0;
	int i;

	if (ret < 0)
		return ret;
	for (i = 0; i < NSM_OBJ_MAX; i++)
		if (i != NSM_OBJ_WORLD)
			n += c.world[i];
	return n;
}

/*
 * How many of this process's fds are the module's: worlds (/dev/nsmodel),
 * namespace handles and mountinfo snapshots (each may hold a world).
 */
static inline int nsm_own_fds(void)
{
	char link[64], path[300];
	struct dirent *d;
	DIR *dir;
	ssize_t n;
	int nr = 0;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!strcmp(link, NSM_DEV_PATH) ||
		    !strncmp(link, "anon_inode:[nsmodel-", 20))
			nr++;
	}
	closedir(dir);
	return nr;
}

/*
 * Module-wide counters, read through a monitor world that stays open, so
 * a test can check that everything it created is gone again:
 *	nsm_snapshot(mon, &before); ...; nsm_balanced(mon, &before)
 */
static inline int nsm_snapshot(int monfd, struct nsm_counters *c)
{
	struct nsm_counters prev;
	int i, still = 0;

	/*
	 * Wait for the module to settle first.  When the harness kills a
	 * test on its timeout it does not wait for the process to be gone
	 * (its waitpid() returns on SIGALRM), so the next test can start
	 * while the killed one's worlds are still being torn down, and a
	 * snapshot taken then would not balance.  Settled: no more worlds
	 * alive than this process holds fds of the module; or, if other
	 * worlds are alive (someone else's), counters unchanged for a
	 * second.  At most a minute.
	 */
	for (i = 0; i < 600; i++) {
		if (nsm_counters(monfd, c) < 0)
			return -1;
		if (c->global[NSM_OBJ_WORLD] <= (__u64)nsm_own_fds())
			return 0;
		if (i && !memcmp(c->global, prev.global, sizeof(c->global)) &&
		    c->global_bytes == prev.global_bytes) {
			if (++still >= 10)
				return 0;
		} else {
			still = 0;
		}
		prev = *c;
		usleep(100000);
	}
	return 0;
}

/* Returns the first object type whose global count differs, or -1. */
static inline int nsm_unbalanced(int monfd, const struct nsm_counters *before)
{
	struct nsm_counters now;
	int i;

	if (nsm_counters(monfd, &now) < 0)
		return NSM_OBJ_MAX;
	for (i = 0; i < NSM_OBJ_MAX; i++)
		if (now.global[i] != before->global[i])
			return i;
	if (now.global_bytes != before->global_bytes)
		return NSM_OBJ_MAX;
	return -1;
}

/*
 * The world of a fixture's test, and the check that it leaked nothing:
 * for a FIXTURE with "int mon, fd; struct nsm_counters before;".
 * NSM_WORLD_SETUP(self) in FIXTURE_SETUP opens a monitor fd, takes the
 * module's counters and opens the world (fd); NSM_WORLD_TEARDOWN(self) in
 * FIXTURE_TEARDOWN closes the world and expects every counter back.
 */
#define NSM_WORLD_SETUP(s) do {						\
	(s)->mon = nsm_open();						\
	ASSERT_LE(0, (s)->mon);						\
	ASSERT_EQ(0, nsm_snapshot((s)->mon, &(s)->before));		\
	(s)->fd = nsm_open();						\
	ASSERT_LE(0, (s)->fd);						\
} while (0)

#define NSM_WORLD_TEARDOWN(s) do {					\
	int __type;							\
									\
	if ((s)->fd >= 0)						\
		close((s)->fd);						\
	__type = nsm_unbalanced((s)->mon, &(s)->before);		\
	EXPECT_EQ(-1, __type) {						\
		TH_LOG("object type %d still alive after the world closed", \
		       __type);						\
	}								\
	close((s)->mon);						\
} while (0)

static inline long nsm_clone(int fd, __u32 parent, __u64 flags)
{
	struct nsm_clone_args a = { .size = sizeof(a), .parent = parent,
				    .flags = flags };
	long ret = nsm_ioc(fd, NSM_IOC_CLONE, &a);

	return ret < 0 ? ret : (long)a.child;
}

static inline long nsm_unshare(int fd, __u32 task, __u64 flags)
{
	struct nsm_unshare_args a = { .size = sizeof(a), .task = task,
				      .flags = flags };

	return nsm_ioc(fd, NSM_IOC_UNSHARE, &a);
}

/* setns(2) on a namespace handle fd from nsm_ns_open(). */
static inline long nsm_setns_fd(int fd, __u32 task, int nsfd, __u64 nstype)
{
	struct nsm_setns_args a = { .size = sizeof(a), .task = task,
				    .fd = nsfd, .nstype = nstype };

	return nsm_ioc(fd, NSM_IOC_SETNS, &a);
}

/* setns(2) on a pidfd: enter @target's namespaces of the kinds in @mask. */
static inline long nsm_setns_task(int fd, __u32 task, __u32 target,
				  __u64 mask)
{
	struct nsm_setns_args a = { .size = sizeof(a), .task = task, .fd = -1,
				    .target = target, .nstype = mask };

	return nsm_ioc(fd, NSM_IOC_SETNS, &a);
}

static inline long nsm_exit(int fd, __u32 task)
{
	struct nsm_task_args a = { .size = sizeof(a), .task = task };

	return nsm_ioc(fd, NSM_IOC_EXIT, &a);
}

static inline long nsm_setuid(int fd, __u32 task, __u32 uid)
{
	struct nsm_task_args a = { .size = sizeof(a), .task = task,
				   .uid = uid };

	return nsm_ioc(fd, NSM_IOC_SETUID, &a);
}

static inline long nsm_sethostname(int fd, __u32 task, const char *name)
{
	struct nsm_hostname_args a = { .size = sizeof(a), .task = task,
				       .name = (uintptr_t)name,
				       .len = (__u32)strlen(name) };

	return nsm_ioc(fd, NSM_IOC_SETHOSTNAME, &a);
}

static inline long nsm_task_info(int fd, __u32 task, struct nsm_task_info *i)
{
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	i->task = task;
	return nsm_ioc(fd, NSM_IOC_TASK_INFO, i);
}

/* The inode-like id of @task's namespace of @kind (0 on error). */
static inline __u64 nsm_ns_id(int fd, __u32 task, enum nsm_ns_kind kind)
{
	struct nsm_task_info i;

	return nsm_task_info(fd, task, &i) < 0 ? 0 : i.ns_id[kind];
}

/* The refcount of @task's namespace of @kind (-errno on error). */
static inline long nsm_ns_count(int fd, __u32 task, enum nsm_ns_kind kind)
{
	struct nsm_task_info i;
	long ret = nsm_task_info(fd, task, &i);

	return ret < 0 ? ret : (long)i.ns_count[kind];
}

static inline long nsm_ns_open(int fd, __u32 task, enum nsm_ns_kind kind)
{
	struct nsm_ns_open_args a = { .size = sizeof(a), .task = task,
				      .kind = kind };

	return nsm_ioc(fd, NSM_IOC_NS_OPEN, &a);
}

static inline long nsm_ns_info(int nsfd, struct nsm_ns_info *i)
{
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	return nsm_ioc(nsfd, NSM_IOC_NS_INFO, i);
}

static inline long nsm_path_op(int fd, unsigned long cmd, __u32 task,
			       const char *path, __u32 flags)
{
	struct nsm_path_args a = { .size = sizeof(a), .task = task,
				   .path = (uintptr_t)path, .flags = flags };

	return nsm_ioc(fd, cmd, &a);
}

#define nsm_mkdir(fd, t, p)	nsm_path_op(fd, NSM_IOC_MKDIR, t, p, 0)
#define nsm_chdir(fd, t, p)	nsm_path_op(fd, NSM_IOC_CHDIR, t, p, 0)
#define nsm_chroot(fd, t, p)	nsm_path_op(fd, NSM_IOC_CHROOT, t, p, 0)
#define nsm_umount(fd, t, p, f)	nsm_path_op(fd, NSM_IOC_UMOUNT, t, p, f)

/*
 * getcwd(2) of @task into the @len bytes at @buf: the length written (the
 * NUL included) or -errno.
 */
static inline long nsm_getcwd(int fd, __u32 task, char *buf, __u32 len)
{
	struct nsm_getcwd_args a = { .size = sizeof(a), .task = task,
				     .buf = (uintptr_t)buf, .len = len };

	return nsm_ioc(fd, NSM_IOC_GETCWD, &a);
}

/* Look @path up; fills @out (may be NULL).  Returns 0 or -errno. */
static inline long nsm_stat(int fd, __u32 task, const char *path,
			    struct nsm_path_args *out)
{
	struct nsm_path_args a = { .size = sizeof(a), .task = task,
				   .path = (uintptr_t)path };
	long ret = nsm_ioc(fd, NSM_IOC_STAT, &a);

	if (out)
		*out = a;
	return ret;
}

static inline long nsm_mount(int fd, __u32 task, const char *source,
			     const char *target, const char *fstype,
			     __u64 flags, const char *data)
{
	struct nsm_mount_args a = { .size = sizeof(a), .task = task,
				    .source = (uintptr_t)source,
				    .target = (uintptr_t)target,
				    .fstype = (uintptr_t)fstype,
				    .flags = flags, .data = (uintptr_t)data };

	return nsm_ioc(fd, NSM_IOC_MOUNT, &a);
}

#define nsm_bind(fd, t, s, d)	nsm_mount(fd, t, s, d, NULL, MS_BIND, NULL)
#define nsm_rbind(fd, t, s, d)	\
	nsm_mount(fd, t, s, d, NULL, MS_BIND | MS_REC, NULL)
#define nsm_tmpfs(fd, t, d)	nsm_mount(fd, t, "none", d, "tmpfs", 0, NULL)

/* mkdir -p @path, then a new tmpfs on it, in @task's view */
static inline long nsm_tmpfs_at(int fd, __u32 task, const char *path)
{
	long ret = nsm_mkdir(fd, task, path);

	return ret ? ret : nsm_tmpfs(fd, task, path);
}
#define nsm_make(fd, t, d, f)	nsm_mount(fd, t, NULL, d, NULL, f, NULL)

/*
 * The text of NSM_IOC_MOUNTINFO with @a, read whole into a malloc'ed,
 * NUL-terminated buffer.  Returns NULL (with errno set) on failure; free()
 * the result.
 */
static inline char *nsm_mountinfo_read(int fd, struct nsm_mountinfo_args *a)
{
	size_t len = 0, cap = 4096;
	char *buf;
	ssize_t n;
	long ret;

	ret = nsm_ioc(fd, NSM_IOC_MOUNTINFO, a);
	if (ret < 0) {
		errno = (int)-ret;
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		n = nsm_read(a->fd, buf + len, cap - len - 1);
		if (n < 0) {
			/* a read that fails (ENOMEM) is the call's failure */
			free(buf);
			close(a->fd);
			errno = (int)-n;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (cap - len < 2) {
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nbuf;
			cap *= 2;
		}
	}
	close(a->fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* The mountinfo text of @task (see nsm_mountinfo_read()). */
static inline char *nsm_mountinfo(int fd, __u32 task)
{
	struct nsm_mountinfo_args a = { .size = sizeof(a), .task = task };

	return nsm_mountinfo_read(fd, &a);
}

/* The text of the tree behind mount handle @h (NSM_MOUNTINFO_HANDLE). */
static inline char *nsm_handle_tree(int fd, __u32 task, int h)
{
	struct nsm_mountinfo_args a = {
		.size = sizeof(a), .task = task,
		.flags = NSM_MOUNTINFO_HANDLE, .handle = h,
	};

	return nsm_mountinfo_read(fd, &a);
}

/* Number of lines of @task's mountinfo (-errno on error). */
static inline long nsm_nr_mounts(int fd, __u32 task)
{
	char *s = nsm_mountinfo(fd, task), *p;
	long n = 0;

	if (!s)
		return -errno;
	for (p = s; *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

/*
 * Arm fault injection: the @nth allocation from now fails (0 disarms).
 * Returns the number of allocations made since the previous call.
 */
static inline long nsm_fault(int fd, __u32 nth)
{
	struct nsm_fault_args a = { .size = sizeof(a), .fail_nth = nth };
	long ret = nsm_ioc(fd, NSM_IOC_FAULT, &a);

	return ret < 0 ? ret : (long)a.nr_allocs;
}

#endif /* _NSM_HELPERS_H */
