// SPDX-License-Identifier: GPL-2.0
/*
 * isolation_test: worlds never see each other, and the device shows user
 * space nothing of the kernel.
 *
 * A task id names a task only in its own world; a namespace handle or a
 * mountinfo fd belongs to the world that made it.  Another world must
 * refuse them (ESRCH for ids, EINVAL for an fd that is not one of its own
 * namespace handles, EBADF for no fd at all), even after the first world
 * is gone.  No output field may hold a kernel pointer, and only root may
 * open the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"

static const unsigned long long new_flag[NSM_NS_KIND_MAX] = {
	[NSM_NS_CGROUP] = CLONE_NEWCGROUP,
	[NSM_NS_IPC] = CLONE_NEWIPC,
	[NSM_NS_MNT] = CLONE_NEWNS,
	[NSM_NS_NET] = CLONE_NEWNET,
	[NSM_NS_PID] = CLONE_NEWPID,
	[NSM_NS_PID_FOR_CHILDREN] = CLONE_NEWPID,
	[NSM_NS_TIME] = CLONE_NEWTIME,
	[NSM_NS_TIME_FOR_CHILDREN] = CLONE_NEWTIME,
	[NSM_NS_USER] = CLONE_NEWUSER,
	[NSM_NS_UTS] = CLONE_NEWUTS,
};

/* No 8-byte word of an output struct may look like a kernel address. */
static int kernel_pointer_at(const void *p, size_t size)
{
	const unsigned char *b = p;
	unsigned long long v;
	size_t i;

	for (i = 0; i + 8 <= size; i += 8) {
		memcpy(&v, b + i, 8);
		if (v >= 0xffff800000000000ULL)
			return (int)i;
	}
	return -1;
}

FIXTURE(two) {
	int mon;			/* sees the module-wide counters */
	int a, b;			/* two worlds */
	struct nsm_counters before;
};

FIXTURE_SETUP(two)
{
	self->mon = nsm_open();
	ASSERT_LE(0, self->mon);
	ASSERT_EQ(0, nsm_snapshot(self->mon, &self->before));
	self->a = nsm_open();
	self->b = nsm_open();
	ASSERT_LE(0, self->a);
	ASSERT_LE(0, self->b);
}

/* Both worlds closed (if the test did not), nothing of theirs remains. */
FIXTURE_TEARDOWN(two)
{
	int type;

	if (self->a >= 0)
		close(self->a);
	if (self->b >= 0)
		close(self->b);
	type = nsm_unbalanced(self->mon, &self->before);
	EXPECT_EQ(-1, type) {
		TH_LOG("object type %d still alive after both worlds closed",
		       type);
	}
	close(self->mon);
}

TEST_F(two, task_ids_belong_to_their_world)
{
	struct nsm_task_info ti;
	long child;

	child = nsm_clone(self->a, NSM_INIT_TASK, 0);
	ASSERT_LT(1, child) {
		TH_LOG("CLONE: %s", strerror((int)-child));
	}
	EXPECT_EQ(0, nsm_task_info(self->a, (__u32)child, &ti));
	/* World b has only its init task: a's child is nobody there. */
	EXPECT_EQ(-ESRCH, nsm_task_info(self->b, (__u32)child, &ti));
	EXPECT_EQ(-ESRCH, nsm_exit(self->b, (__u32)child));
	EXPECT_EQ(-ESRCH, nsm_clone(self->b, (__u32)child, 0));
	EXPECT_EQ(-ESRCH, nsm_setns_task(self->b, NSM_INIT_TASK, (__u32)child,
					 CLONE_NEWUTS));
	EXPECT_EQ(-ESRCH, nsm_unshare(self->b, (__u32)child, CLONE_NEWUTS));
	EXPECT_EQ(0, nsm_task_info(self->a, (__u32)child, &ti));
	EXPECT_EQ(0, nsm_exit(self->a, (__u32)child));
}

TEST_F(two, handles_of_another_world_are_refused)
{
	struct nsm_ns_info ia, ib;
	int kind;

	for (kind = 0; kind < NSM_NS_KIND_MAX; kind++) {
		long ha = nsm_ns_open(self->a, NSM_INIT_TASK, kind);
		long hb;

		ASSERT_LE(0, ha) {
			TH_LOG("kind %d: NS_OPEN: %s", kind, strerror((int)-ha));
		}
		hb = nsm_ns_open(self->b, NSM_INIT_TASK, kind);
		ASSERT_LE(0, hb) {
			TH_LOG("kind %d: NS_OPEN: %s", kind, strerror((int)-hb));
		}
		EXPECT_EQ(-EINVAL, nsm_setns_fd(self->b, NSM_INIT_TASK, (int)ha, 0)) {
			TH_LOG("kind %d: b accepted a's handle", kind);
		}
		EXPECT_EQ(-EINVAL, nsm_setns_fd(self->b, NSM_INIT_TASK, (int)ha,
						new_flag[kind]));
		EXPECT_EQ(-EINVAL, nsm_setns_fd(self->a, NSM_INIT_TASK, (int)hb, 0));
		/* Each handle tells its own world, and they differ. */
		ASSERT_EQ(0, nsm_ns_info((int)ha, &ia));
		ASSERT_EQ(0, nsm_ns_info((int)hb, &ib));
		/* pid_for_children is a pid namespace, as nsfs says too. */
		EXPECT_EQ(kind == NSM_NS_PID_FOR_CHILDREN ? NSM_NS_PID :
			  kind == NSM_NS_TIME_FOR_CHILDREN ? NSM_NS_TIME : kind,
			  ia.kind);
		EXPECT_NE(ia.world_id, ib.world_id);
		EXPECT_EQ(-1, kernel_pointer_at(&ia, sizeof(ia)));
		close((int)ha);
		close((int)hb);
	}
}

TEST_F(two, a_handle_outliving_its_world_is_refused_everywhere)
{
	struct nsm_ns_info info;
	long h;

	h = nsm_ns_open(self->a, NSM_INIT_TASK, NSM_NS_MNT);
	ASSERT_LE(0, h) {
		TH_LOG("NS_OPEN: %s", strerror((int)-h));
	}
	close(self->a);
	self->a = -1;
	/* The namespace lives on while the handle holds it ... */
	ASSERT_EQ(0, nsm_ns_info((int)h, &info));
	EXPECT_EQ(NSM_NS_MNT, info.kind);
	EXPECT_LE(1, info.count);
	/* ... but no other world may enter it. */
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->b, NSM_INIT_TASK, (int)h, 0));
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->b, NSM_INIT_TASK, (int)h,
					CLONE_NEWNS));
	close((int)h);
}

TEST_F(two, fds_that_are_not_handles_are_refused)
{
	struct nsm_mountinfo_args mi = { .size = sizeof(mi),
					 .task = NSM_INIT_TASK };
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int closed = dup(self->b);
	long ret;

	ASSERT_LE(0, devnull);
	ASSERT_LE(0, closed);
	close(closed);
	/* A world fd, its own or another's, is not a namespace. */
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->b, NSM_INIT_TASK, self->a, 0));
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->b, NSM_INIT_TASK, self->b, 0));
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->b, NSM_INIT_TASK, devnull, 0));
	EXPECT_EQ(-EBADF, nsm_setns_fd(self->b, NSM_INIT_TASK, closed, 0));
	EXPECT_EQ(-EBADF, nsm_setns_fd(self->b, NSM_INIT_TASK, -2, 0));
	/* Nor is a mountinfo fd, in the world that made it or another. */
	ret = nsm_ioc(self->a, NSM_IOC_MOUNTINFO, &mi);
	ASSERT_LE(0, ret) {
		TH_LOG("MOUNTINFO: %s", strerror((int)-ret));
	}
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->b, NSM_INIT_TASK, mi.fd, 0));
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->a, NSM_INIT_TASK, mi.fd, 0));
	close(mi.fd);
	close(devnull);
}

TEST_F(two, ns_info_only_on_handles)
{
	struct nsm_ns_info info;
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, devnull);
	EXPECT_EQ(-ENOTTY, nsm_ns_info(self->a, &info));
	EXPECT_EQ(-ENOTTY, nsm_ns_info(devnull, &info));
	close(devnull);
}

TEST_F(two, no_kernel_pointer_in_any_output)
{
	struct nsm_task_info ti;
	struct nsm_counters c;
	struct nsm_version v = { .size = sizeof(v) };
	char *mi;
	long ret;

	ASSERT_EQ(0, nsm_counters(self->a, &c));
	EXPECT_EQ(-1, kernel_pointer_at(&c, sizeof(c)));
	ASSERT_EQ(0, nsm_ioc(self->a, NSM_IOC_VERSION, &v));
	EXPECT_EQ(-1, kernel_pointer_at(&v, sizeof(v)));
	ret = nsm_task_info(self->a, NSM_INIT_TASK, &ti);
	ASSERT_EQ(0, ret) {
		TH_LOG("TASK_INFO: %s", strerror((int)-ret));
	}
	EXPECT_EQ(-1, kernel_pointer_at(&ti, sizeof(ti))) {
		TH_LOG("task_info offset %d", kernel_pointer_at(&ti, sizeof(ti)));
	}
	mi = nsm_mountinfo(self->a, NSM_INIT_TASK);
	ASSERT_NE(NULL, mi) {
		TH_LOG("MOUNTINFO: %s", strerror(errno));
	}
	EXPECT_EQ(NULL, strstr(mi, "ffff8"));
	EXPECT_EQ(NULL, strstr(mi, "ffffffff"));
	free(mi);
}

/* A user who is not root cannot open the device (it is 0600 root). */
TEST(non_root_is_refused)
{
	int status;
	pid_t pid;

	if (getuid() != 0)
		SKIP(return, "needs root to drop to another user");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		fd = open(NSM_DEV_PATH, O_RDWR);
		if (fd >= 0)
			_exit(1);
		_exit(errno == EACCES || errno == EPERM ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("%s", WEXITSTATUS(status) == 1 ? "uid 65534 opened the device" :
		       WEXITSTATUS(status) == 2 ? "refused with an unexpected errno" :
		       "could not drop privileges");
	}
}

TEST_HARNESS_MAIN
