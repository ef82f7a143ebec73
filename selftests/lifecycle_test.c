// SPDX-License-Identifier: GPL-2.0
/*
 * lifecycle_test: loading and unloading nsmodel.
 *
 * Every fd the module hands out (a world, a namespace handle, a mountinfo
 * snapshot) runs module code when it is closed, so each must pin the
 * module: while one is open, delete_module() must refuse (EWOULDBLOCK with
 * O_NONBLOCK, as rmmod asks), and once all are closed it must succeed.
 * Then many load/unload cycles with worlds opened and used in between, each
 * cycle starting from zero live objects.
 *
 * Runs in the test VM as root, with the module loaded and its file at
 * $NSMODEL_KO (default /nsmodel.ko).  Leaves the module loaded.
 * NSM_LOAD_CYCLES sets the number of cycles (default 100).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"

static const char *ko_path(void)
{
	const char *p = getenv("NSMODEL_KO");

	return p && *p ? p : "/nsmodel.ko";
}

static bool loaded(void)
{
	return access("/sys/module/nsmodel", F_OK) == 0;
}

static int load(void)
{
	int fd = open(ko_path(), O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = (int)syscall(SYS_finit_module, fd, "", 0);
	ret = ret < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int unload(void)
{
	return syscall(SYS_delete_module, "nsmodel", O_NONBLOCK) < 0 ? -errno : 0;
}

/* open /dev/nsmodel, giving devtmpfs a moment after a fresh load */
static int open_world(void)
{
	int i, fd = -ENOENT;

	for (i = 0; i < 100 && fd == -ENOENT; i++) {
		fd = nsm_open();
		if (fd == -ENOENT)
			usleep(10000);
	}
	return fd;
}

FIXTURE(mod) {
	int unused;
};

FIXTURE_SETUP(mod)
{
	if (getuid() != 0)
		SKIP(return, "needs root");
	if (access(ko_path(), R_OK))
		SKIP(return, "no module file at %s (set NSMODEL_KO)", ko_path());
	/* nsm_helpers.h skipped the whole program if it was not */
	ASSERT_TRUE(loaded());
}

/* Whatever happened, leave the module loaded for the next program. */
FIXTURE_TEARDOWN(mod)
{
	if (!loaded())
		EXPECT_EQ(0, load());
}

TEST_F(mod, unload_refused_while_a_world_is_open)
{
	int fd = open_world();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, unload());
	EXPECT_TRUE(loaded());
	/* The world still works after the refused unload. */
	EXPECT_EQ(1, nsm_world_count(fd, NSM_OBJ_WORLD));
	close(fd);
	EXPECT_EQ(0, unload());
	EXPECT_FALSE(loaded());
	EXPECT_EQ(0, load());
}

TEST_F(mod, unload_refused_while_a_namespace_handle_is_open)
{
	struct nsm_ns_info info;
	int fd = open_world();
	long h;

	ASSERT_LE(0, fd);
	h = nsm_ns_open(fd, NSM_INIT_TASK, NSM_NS_UTS);
	ASSERT_LE(0, h);
	/* The handle outlives its world, and so must the module's code. */
	close(fd);
	EXPECT_EQ(-EWOULDBLOCK, unload());
	ASSERT_TRUE(loaded());
	EXPECT_EQ(0, nsm_ns_info((int)h, &info));
	EXPECT_EQ(NSM_NS_UTS, info.kind);
	close((int)h);
	EXPECT_EQ(0, unload());
	EXPECT_EQ(0, load());
}

TEST_F(mod, unload_refused_while_a_mountinfo_fd_is_open)
{
	struct nsm_mountinfo_args a = { .size = sizeof(a),
					.task = NSM_INIT_TASK };
	int fd = open_world();
	char buf[256];
	long ret;

	ASSERT_LE(0, fd);
	ret = nsm_ioc(fd, NSM_IOC_MOUNTINFO, &a);
	ASSERT_LE(0, ret) {
		TH_LOG("MOUNTINFO: %s", strerror((int)-ret));
	}
	close(fd);
	EXPECT_EQ(-EWOULDBLOCK, unload());
	ASSERT_TRUE(loaded());
	EXPECT_LE(0, read(a.fd, buf, sizeof(buf)));
	close(a.fd);
	EXPECT_EQ(0, unload());
	EXPECT_EQ(0, load());
}

/*
 * Some work in a world: clones, a namespace handle, a mount, a mountinfo
 * read, each of which must succeed.  Returns a handle for the caller to
 * close after the world, or -1.
 */
static int exercise(struct __test_metadata *_metadata, int fd, unsigned int n)
{
	enum nsm_ns_kind kind = (enum nsm_ns_kind)(n % NSM_NS_KIND_MAX);
	long child, ret, h;
	char *mi;

	child = nsm_clone(fd, NSM_INIT_TASK,
			  n % 2 ? CLONE_NEWNS | CLONE_NEWUTS : 0);
	ASSERT_LT(0, child) {
		TH_LOG("cycle %u: CLONE: %s", n, strerror((int)-child));
	}
	ret = nsm_clone(fd, (__u32)child, CLONE_NEWPID | CLONE_NEWUSER);
	ASSERT_LT(0, ret) {
		TH_LOG("cycle %u: CLONE NEWPID|NEWUSER: %s", n,
		       strerror((int)-ret));
	}
	ret = nsm_mkdir(fd, (__u32)child, "/a");
	ASSERT_EQ(0, ret) {
		TH_LOG("cycle %u: MKDIR: %s", n, strerror((int)-ret));
	}
	ret = nsm_tmpfs(fd, (__u32)child, "/a");
	ASSERT_EQ(0, ret) {
		TH_LOG("cycle %u: MOUNT: %s", n, strerror((int)-ret));
	}
	mi = nsm_mountinfo(fd, NSM_INIT_TASK);
	ASSERT_NE(NULL, mi) {
		TH_LOG("cycle %u: MOUNTINFO: %s", n, strerror(errno));
	}
	free(mi);
	h = nsm_ns_open(fd, NSM_INIT_TASK, kind);
	ASSERT_LE(0, h) {
		TH_LOG("cycle %u: NS_OPEN kind %d: %s", n, kind,
		       strerror((int)-h));
	}
	if (n % 3 == 0) {
		close((int)h);
		return -1;
	}
	if (n % 3 == 1) {
		ret = nsm_setns_fd(fd, NSM_INIT_TASK, (int)h, 0);
		close((int)h);
		/* userns_install(): not into one's own user namespace */
		ASSERT_EQ(kind == NSM_NS_USER ? -EINVAL : 0, ret) {
			TH_LOG("cycle %u: SETNS kind %d: %s", n, kind,
			       strerror((int)-ret));
		}
		return -1;
	}
	return (int)h;		/* outlives its world */
}

/* 1,000 cycles on the debug kernel take minutes (the runner bounds it). */
TEST_F_TIMEOUT(mod, load_unload_cycles, 6 * 3600)
{
	const char *env = getenv("NSM_LOAD_CYCLES");
	unsigned int cycles = env ? (unsigned int)atoi(env) : 100, n;
	time_t t0 = time(NULL);

	for (n = 0; n < cycles; n++) {
		struct nsm_counters c;
		int fd, fd2, h1, h2, i;

		ASSERT_EQ(0, unload()) {
			TH_LOG("cycle %u: unload refused", n);
		}
		ASSERT_EQ(0, load()) {
			TH_LOG("cycle %u: load failed", n);
		}
		fd = open_world();
		ASSERT_LE(0, fd) {
			TH_LOG("cycle %u: open: %s", n, strerror(-fd));
		}
		/* A fresh module: nothing alive but this world. */
		ASSERT_EQ(0, nsm_counters(fd, &c));
		for (i = 0; i < NSM_OBJ_MAX; i++) {
			ASSERT_EQ(c.world[i], c.global[i]) {
				TH_LOG("cycle %u: type %d: %llu live outside the first world",
				       n, i, (unsigned long long)(c.global[i] - c.world[i]));
			}
		}
		fd2 = open_world();
		ASSERT_LE(0, fd2);
		h1 = exercise(_metadata, fd, n);
		h2 = exercise(_metadata, fd2, n + 1);
		close(fd2);
		close(fd);
		if (h1 >= 0)
			close(h1);
		if (h2 >= 0)
			close(h2);
		if (n % 100 == 99)	/* progress, for long runs */
			TH_LOG("%u cycles, %lld s", n + 1,
			       (long long)(time(NULL) - t0));
	}
	TH_LOG("%u load/unload cycles in %lld s", cycles,
	       (long long)(time(NULL) - t0));
}

TEST_HARNESS_MAIN
