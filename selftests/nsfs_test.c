// SPDX-License-Identifier: GPL-2.0
/*
 * nsfs_test: namespace files bound onto paths - NSM_IOC_NS_BIND (mount
 * --bind /proc/PID/ns/KIND PATH) and NSM_IOC_NS_OPEN with a path (open
 * of the bound file, for setns).  The bound namespace outlives its tasks
 * while the mount exists and goes with the mount (fs/nsfs.c: the dentry's
 * reference, dropped by nsfs_evict()); mnt_ns_loop() refuses a mount
 * namespace not newer than the caller's; mountinfo shows the kernel's
 * nsfs line; the ABI's argument errors; a failed bind leaves nothing.
 */
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "nsm_helpers.h"

#define INIT	NSM_INIT_TASK

#define nsm_touch(fd, t, p)	nsm_path_op(fd, NSM_IOC_TOUCH, t, p, 0)

FIXTURE(nsfs) {
	int fd;
	int mon;
	struct nsm_counters before;
};

FIXTURE_SETUP(nsfs)
{
	NSM_WORLD_SETUP(self);
}

FIXTURE_TEARDOWN(nsfs)
{
	NSM_WORLD_TEARDOWN(self);
}

static long ns_bind(int fd, __u32 task, __u32 target, __u32 kind,
		    const char *path)
{
	struct nsm_ns_bind_args a = { .size = sizeof(a), .task = task,
				      .target = target, .kind = kind,
				      .path = (uintptr_t)path };

	return nsm_ioc(fd, NSM_IOC_NS_BIND, &a);
}

static long ns_open_path(int fd, __u32 task, const char *path)
{
	struct nsm_ns_open_args a = { .size = sizeof(a), .task = task,
				      .path = (uintptr_t)path };

	return nsm_ioc(fd, NSM_IOC_NS_OPEN, &a);
}

static __u64 handle_ns_id(int nsfd)
{
	struct nsm_ns_info i;

	return nsm_ns_info(nsfd, &i) ? 0 : i.ns_id;
}

/* ip netns add: the namespace outlives its task while it is mounted */
TEST_F(nsfs, bound_namespace_outlives_its_tasks)
{
	long c, t, h, nets;
	__u64 id;

	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/x"));
	c = nsm_clone(self->fd, INIT, CLONE_NEWNET);
	ASSERT_LT(0, c);
	id = nsm_ns_id(self->fd, c, NSM_NS_NET);
	nets = nsm_world_count(self->fd, NSM_OBJ_NET_NS);
	ASSERT_EQ(2, nets);
	ASSERT_EQ(0, ns_bind(self->fd, INIT, c, NSM_NS_NET, "/x"));
	ASSERT_EQ(0, nsm_exit(self->fd, c));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_NET_NS));

	t = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, t);
	h = ns_open_path(self->fd, t, "/x");
	ASSERT_LE(0, h);
	EXPECT_EQ(id, handle_ns_id(h));
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->fd, t, h, CLONE_NEWUTS));
	EXPECT_EQ(0, nsm_setns_fd(self->fd, t, h, CLONE_NEWNET));
	EXPECT_EQ(id, nsm_ns_id(self->fd, t, NSM_NS_NET));
	close(h);

	/* umount frees the mount; the task still holds the namespace */
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/x", 0));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_NET_NS));
	EXPECT_EQ(-EINVAL, ns_open_path(self->fd, t, "/x"));
	EXPECT_EQ(0, nsm_exit(self->fd, t));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NET_NS));
}

/* the reference goes when the last mount of the file goes */
TEST_F(nsfs, umount_drops_the_reference)
{
	long c;

	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/b"));
	c = nsm_clone(self->fd, INIT, CLONE_NEWUTS);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, ns_bind(self->fd, INIT, c, NSM_NS_UTS, "/a"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/a", "/b"));
	ASSERT_EQ(0, nsm_exit(self->fd, c));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/a", 0));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/b", 0));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
}

/* a bound mount namespace lives on; the world's close frees it all */
TEST_F(nsfs, bound_mount_namespace_freed_at_close)
{
	long c;

	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/m"));
	c = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, c, "/inside"));
	ASSERT_EQ(0, ns_bind(self->fd, INIT, c, NSM_NS_MNT, "/m"));
	ASSERT_EQ(0, nsm_exit(self->fd, c));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MNT_NS));
	/* copy_mnt_ns() leaves the file out of the copy */
	c = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, c);
	EXPECT_EQ(nsm_nr_mounts(self->fd, INIT) - 1,
		  nsm_nr_mounts(self->fd, c));
}

/* mnt_ns_loop(): only a newer mount namespace may be bound */
TEST_F(nsfs, mnt_ns_loop_einval)
{
	long c;

	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/m"));
	c = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, c);
	EXPECT_EQ(-EINVAL, ns_bind(self->fd, INIT, INIT, NSM_NS_MNT, "/m"));
	EXPECT_EQ(-EINVAL, ns_bind(self->fd, c, INIT, NSM_NS_MNT, "/m"));
	EXPECT_EQ(-EINVAL, ns_bind(self->fd, c, c, NSM_NS_MNT, "/m"));
	EXPECT_EQ(0, ns_bind(self->fd, INIT, c, NSM_NS_MNT, "/m"));
	/* a bind of the bound file by path is checked the same way (init's
	 * namespace is older than c's: allowed); c does not see the mount */
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/m2"));
	EXPECT_EQ(0, nsm_bind(self->fd, INIT, "/m", "/m2"));
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT) - nsm_nr_mounts(self->fd, c));
}

/* the line the kernel writes: root KIND:[INUM], fs type and source nsfs */
TEST_F(nsfs, mountinfo_line)
{
	char want[128], *mi;
	long c;

	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/n"));
	c = nsm_clone(self->fd, INIT, CLONE_NEWNET);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, ns_bind(self->fd, INIT, c, NSM_NS_NET, "/n"));
	snprintf(want, sizeof(want), " net:[%llu] /n rw - nsfs nsfs rw\n",
		 (unsigned long long)nsm_ns_id(self->fd, c, NSM_NS_NET));
	mi = nsm_mountinfo(self->fd, INIT);
	ASSERT_NE(NULL, mi);
	EXPECT_NE(NULL, strstr(mi, want)) TH_LOG("%s", mi);
	free(mi);
}

TEST_F(nsfs, bind_errnos)
{
	long before, c, u;

	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/f"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d"));
	before = nsm_world_objects(self->fd);
	/* the first, failed, bind leaves no nsfs mount behind */
	EXPECT_EQ(-ENOTDIR, ns_bind(self->fd, INIT, INIT, NSM_NS_NET, "/d"));
	EXPECT_EQ(before, nsm_world_objects(self->fd));
	EXPECT_EQ(-ENOENT, ns_bind(self->fd, INIT, INIT, NSM_NS_NET, "/no"));
	EXPECT_EQ(-ESRCH, ns_bind(self->fd, 999, INIT, NSM_NS_NET, "/f"));
	EXPECT_EQ(-ESRCH, ns_bind(self->fd, INIT, 999, NSM_NS_NET, "/f"));
	EXPECT_EQ(-EINVAL, ns_bind(self->fd, INIT, INIT, NSM_NS_KIND_MAX,
				   "/f"));
	EXPECT_EQ(-EFAULT, ns_bind(self->fd, INIT, INIT, NSM_NS_NET, NULL));
	EXPECT_EQ(before, nsm_world_objects(self->fd));
	/* pid_for_children before the new pid namespace has a task */
	c = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, nsm_unshare(self->fd, c, CLONE_NEWPID));
	EXPECT_EQ(-ENOENT, ns_bind(self->fd, INIT, c, NSM_NS_PID_FOR_CHILDREN,
				   "/f"));
	/* may_mount() */
	u = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, u);
	ASSERT_EQ(0, nsm_setuid(self->fd, u, 1000));
	EXPECT_EQ(-EPERM, ns_bind(self->fd, u, INIT, NSM_NS_NET, "/f"));
}

TEST_F(nsfs, bind_arg_errors)
{
	struct nsm_ns_bind_args a = { .size = sizeof(a), .task = INIT,
				      .target = INIT, .kind = NSM_NS_NET,
				      .path = (uintptr_t)"/f",
				      .flags = 1 };
	char *page = malloc(NSM_PATH_MAX + 1);

	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/f"));
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_NS_BIND, &a));
	a.flags = 0;
	a.__reserved = 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_NS_BIND, &a));
	a.__reserved = 0;
	a.size = NSM_NS_BIND_ARGS_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_NS_BIND, &a));
	ASSERT_NE(NULL, page);
	memset(page, 'a', NSM_PATH_MAX + 1);
	a.size = sizeof(a);
	a.path = (uintptr_t)page;
	EXPECT_EQ(-ENAMETOOLONG, nsm_ioc(self->fd, NSM_IOC_NS_BIND, &a));
	free(page);
}

TEST_F(nsfs, open_path_errnos)
{
	struct nsm_ns_open_args a = { .size = sizeof(a), .task = INIT,
				      .path = (uintptr_t)"/f" };
	long h;

	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/f"));
	EXPECT_EQ(-EINVAL, ns_open_path(self->fd, INIT, "/f"));
	EXPECT_EQ(-EINVAL, ns_open_path(self->fd, INIT, "/"));
	EXPECT_EQ(-ENOENT, ns_open_path(self->fd, INIT, "/nope"));
	EXPECT_EQ(-ENOTDIR, ns_open_path(self->fd, INIT, "/f/x"));
	EXPECT_EQ(-EFAULT, ns_open_path(self->fd, INIT, (char *)8));
	EXPECT_EQ(-ESRCH, ns_open_path(self->fd, 999, "/f"));
	a.kind = NSM_NS_NET;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_NS_OPEN, &a));
	a.kind = 0;
	a.__reserved = 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_NS_OPEN, &a));
	ASSERT_EQ(0, ns_bind(self->fd, INIT, INIT, NSM_NS_IPC, "/f"));
	h = ns_open_path(self->fd, INIT, "/f");
	ASSERT_LE(0, h);
	EXPECT_EQ(nsm_ns_id(self->fd, INIT, NSM_NS_IPC), handle_ns_id(h));
	close(h);
	/* the version-0 struct has no path: a handle on the task's ns */
	a.size = NSM_NS_OPEN_ARGS_SIZE_VER0;
	a.kind = NSM_NS_UTS;
	a.__reserved = 0;
	h = nsm_ioc(self->fd, NSM_IOC_NS_OPEN, &a);
	ASSERT_LE(0, h);
	EXPECT_EQ(nsm_ns_id(self->fd, INIT, NSM_NS_UTS), handle_ns_id(h));
	close(h);
}

TEST_HARNESS_MAIN
