/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel selftests of the core (tasks, credentials, namespaces, nsproxy):
 * the fixture they all share and a few readers of NSM_IOC_TASK_INFO.
 *
 * FIXTURE(core) opens a world (self->fd) and a monitor world (self->mon)
 * and snapshots the module-wide counters; its teardown closes the world
 * and checks that every object the test made is gone, so each test also
 * checks for leaks.  Include after kselftest_harness.h.
 */
#ifndef _NSM_CORE_HELPERS_H
#define _NSM_CORE_HELPERS_H

#include "nsm_helpers.h"

#define INIT	NSM_INIT_TASK

/* kernel's CAP_SYS_ADMIN etc., without needing libcap headers */
#define T_CAP_SETUID		7
#define T_CAP_SYS_ADMIN		21
#define T_CAP_SYS_CHROOT	18

FIXTURE(core) {
	int fd;
	int mon;
	struct nsm_counters before;
};

FIXTURE_SETUP(core)
{
	self->mon = nsm_open();
	ASSERT_LE(0, self->mon);
	ASSERT_EQ(0, nsm_snapshot(self->mon, &self->before));
	self->fd = nsm_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(core)
{
	int bad;

	if (self->fd >= 0)
		close(self->fd);
	bad = nsm_unbalanced(self->mon, &self->before);
	EXPECT_EQ(-1, bad) {
		TH_LOG("object type %d leaked (or freed twice)", bad);
	}
	close(self->mon);
}

/* A task's info, or a zeroed struct with task = 0 if the ioctl fails. */
static inline struct nsm_task_info ti(int fd, __u32 task)
{
	struct nsm_task_info i;

	if (nsm_task_info(fd, task, &i) < 0)
		memset(&i, 0, sizeof(i));
	return i;
}

/* The namespace kinds an nsproxy holds (all but user and active pid). */
static const int nsproxy_kinds[] = {
	NSM_NS_CGROUP, NSM_NS_IPC, NSM_NS_MNT, NSM_NS_NET,
	NSM_NS_PID_FOR_CHILDREN, NSM_NS_TIME, NSM_NS_TIME_FOR_CHILDREN,
	NSM_NS_UTS,
};

static inline const char *kind_name(int kind)
{
	static const char *const names[NSM_NS_KIND_MAX] = {
		"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
		"time", "time_for_children", "user", "uts",
	};

	return kind >= 0 && kind < NSM_NS_KIND_MAX ? names[kind] : "?";
}

/* The world's live objects of every type, for "nothing changed" checks. */
static inline void world_counts(int fd, __u64 out[NSM_OBJ_SLOTS])
{
	struct nsm_counters c;

	memset(out, 0, sizeof(__u64) * NSM_OBJ_SLOTS);
	if (nsm_counters(fd, &c) == 0)
		memcpy(out, c.world, sizeof(c.world));
}

/* Returns the first object type whose count differs, or -1. */
static inline int counts_differ(const __u64 *a, const __u64 *b)
{
	int i;

	for (i = 0; i < NSM_OBJ_MAX; i++)
		if (a[i] != b[i])
			return i;
	return -1;
}

/* Set a module parameter; returns its old value, or -1. */
static inline long set_param(const char *name, long val)
{
	char path[128], buf[32];
	long old;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/nsmodel/parameters/%s",
		 name);
	f = fopen(path, "r+");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	old = strtol(buf, NULL, 10);
	rewind(f);
	fprintf(f, "%ld\n", val);
	fclose(f);
	return old;
}

#endif /* _NSM_CORE_HELPERS_H */
