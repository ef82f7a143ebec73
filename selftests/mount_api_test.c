// SPDX-License-Identifier: GPL-2.0
/*
 * mount_api_test: NSM_IOC_OPEN_TREE and NSM_IOC_MOVE_MOUNT, open_tree(2)
 * and move_mount(2) of fs/namespace.c on a model task: the mount handle
 * fds, detached trees in anonymous mount namespaces and their dissolution
 * by the last close, attaching and moving, MOVE_MOUNT_SET_GROUP, each
 * errno in the system calls' order (the *at() path rules included), the
 * reserved fields, EFAULT that leaves nothing behind, allocation failures
 * that leave nothing behind, and the counters of every object back where
 * they were; NSM_IOC_MOUNTINFO of the tree behind a handle.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <linux/mount.h>
#include "kselftest_harness.h"
#include "nsm_helpers.h"

#define INIT	NSM_INIT_TASK
#define nsm_touch(fd, t, p)	nsm_path_op(fd, NSM_IOC_TOUCH, t, p, 0)

#ifndef MOVE_MOUNT_BENEATH
#define MOVE_MOUNT_BENEATH	0x00000200
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE		0x8000
#endif

FIXTURE(mntapi) {
	int fd;
	int mon;
	struct nsm_counters before;
};

FIXTURE_SETUP(mntapi)
{
	NSM_WORLD_SETUP(self);
}

FIXTURE_TEARDOWN(mntapi)
{
	NSM_WORLD_TEARDOWN(self);
}

static long open_tree_at(int fd, __u32 task, int dfd, const char *path,
			 unsigned int flags)
{
	struct nsm_open_tree_args a = {
		.size = sizeof(a), .task = task, .dfd = dfd,
		.path = (uintptr_t)path, .flags = flags,
	};

	return nsm_ioc(fd, NSM_IOC_OPEN_TREE, &a);
}

#define open_tree(fd, t, p, f)	open_tree_at(fd, t, AT_FDCWD, p, f)

static long move_mount(int fd, __u32 task, int from_dfd, const char *from,
		       int to_dfd, const char *to, unsigned int flags)
{
	struct nsm_move_mount_args a = {
		.size = sizeof(a), .task = task,
		.from_dfd = from_dfd, .from_path = (uintptr_t)from,
		.to_dfd = to_dfd, .to_path = (uintptr_t)to, .flags = flags,
	};

	return nsm_ioc(fd, NSM_IOC_MOVE_MOUNT, &a);
}

/* attach the tree of handle @h at @to */
static long attach(int fd, __u32 task, int h, const char *to)
{
	return move_mount(fd, task, h, "", AT_FDCWD, to,
			  MOVE_MOUNT_F_EMPTY_PATH);
}

/* /s (tmpfs) with /s/a (tmpfs) in it, and an empty /t */
static int make_tree(int fd)
{
	long r;

	r = nsm_tmpfs_at(fd, INIT, "/s");
	if (!r)
		r = nsm_tmpfs_at(fd, INIT, "/s/a");
	if (!r)
		r = nsm_mkdir(fd, INIT, "/t");
	return r;
}

static long count(int fd, enum nsm_obj_type type)
{
	return nsm_world_count(fd, type);
}

static bool running_6_5_or_later(void)
{
	struct nsm_version v = { .size = sizeof(v) };
	int fd = nsm_open(), maj = 0, min = 0;

	if (fd < 0)
		return false;
	nsm_ioc(fd, NSM_IOC_VERSION, &v);
	close(fd);
	sscanf(v.release, "%d.%d", &maj, &min);
	return maj > 6 || (maj == 6 && min >= 5);
}

TEST_F(mntapi, clone_makes_a_detached_tree_that_close_dissolves)
{
	long mounts = count(self->fd, NSM_OBJ_MOUNT);
	long mnt_ns = count(self->fd, NSM_OBJ_MNT_NS);
	long h;

	ASSERT_EQ(0, make_tree(self->fd));
	mounts += 2;
	ASSERT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE | AT_RECURSIVE);
	ASSERT_LE(0, h);
	/* two copies, one anonymous namespace, one handle */
	EXPECT_EQ(mounts + 2, count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(mnt_ns + 1, count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(1, count(self->fd, NSM_OBJ_MNT_HANDLE));
	/* the task's view is unchanged: /, /s, /s/a */
	EXPECT_EQ(3, nsm_nr_mounts(self->fd, INIT));
	close(h);
	EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(mnt_ns, count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_MNT_HANDLE));
}

TEST_F(mntapi, non_recursive_clone_copies_one_mount)
{
	long mounts, h;

	ASSERT_EQ(0, make_tree(self->fd));
	mounts = count(self->fd, NSM_OBJ_MOUNT);
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE);
	ASSERT_LE(0, h);
	EXPECT_EQ(mounts + 1, count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(0, attach(self->fd, INIT, h, "/t"));
	EXPECT_EQ(4, nsm_nr_mounts(self->fd, INIT));
	close(h);
	EXPECT_EQ(4, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(mntapi, attach_frees_the_anonymous_namespace)
{
	long mnt_ns = count(self->fd, NSM_OBJ_MNT_NS);
	long h;

	ASSERT_EQ(0, make_tree(self->fd));
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE | AT_RECURSIVE);
	ASSERT_LE(0, h);
	EXPECT_EQ(mnt_ns + 1, count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(0, attach(self->fd, INIT, h, "/t"));
	EXPECT_EQ(mnt_ns, count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(5, nsm_nr_mounts(self->fd, INIT));
	/* attached, the handle's mount is moved by a second move_mount */
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/u"));
	EXPECT_EQ(0, attach(self->fd, INIT, h, "/u"));
	EXPECT_EQ(5, nsm_nr_mounts(self->fd, INIT));
	close(h);
	EXPECT_EQ(5, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/u", MNT_DETACH));
	EXPECT_EQ(3, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(mntapi, handle_outlives_the_world_fd)
{
	long h;

	ASSERT_EQ(0, make_tree(self->fd));
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE | AT_RECURSIVE);
	ASSERT_LE(0, h);
	close(self->fd);
	self->fd = -1;
	/* the detached tree and its world live on until the handle goes */
	close(h);
}

TEST_F(mntapi, path_handle_pins_its_mount)
{
	long h;

	ASSERT_EQ(0, make_tree(self->fd));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/s/a", 0));
	h = open_tree(self->fd, INIT, "/s", 0);
	ASSERT_LE(0, h);
	EXPECT_EQ(1, count(self->fd, NSM_OBJ_MNT_HANDLE));
	EXPECT_EQ(-EBUSY, nsm_umount(self->fd, INIT, "/s", 0));
	/* a handle on the attached mount moves it */
	EXPECT_EQ(0, attach(self->fd, INIT, h, "/t"));
	EXPECT_EQ(-EBUSY, nsm_umount(self->fd, INIT, "/t", 0));
	close(h);
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/t", 0));
}

TEST_F(mntapi, open_tree_errnos_in_order)
{
	long mounts, h;

	ASSERT_EQ(0, make_tree(self->fd));
	mounts = count(self->fd, NSM_OBJ_MOUNT);
	EXPECT_EQ(-ESRCH, open_tree(self->fd, 99, "/s", 0));
	EXPECT_EQ(-EINVAL, open_tree(self->fd, INIT, "/s", 0x40000000));
	EXPECT_EQ(-EINVAL, open_tree(self->fd, INIT, "/nope", AT_RECURSIVE));
	EXPECT_EQ(-ENOENT, open_tree(self->fd, INIT, "/nope",
				     OPEN_TREE_CLONE));
	EXPECT_EQ(-ENOENT, open_tree(self->fd, INIT, "", OPEN_TREE_CLONE));
	EXPECT_EQ(-EFAULT, open_tree(self->fd, INIT, NULL, 0));
	/* a relative path from a dfd that is no handle */
	EXPECT_EQ(-EBADF, open_tree_at(self->fd, INIT, 1000, "s", 0));
	EXPECT_EQ(-EBADF, open_tree_at(self->fd, INIT, self->fd, "s", 0));
	/* an absolute one ignores the dfd */
	h = open_tree_at(self->fd, INIT, 1000, "/s", 0);
	EXPECT_LE(0, h);
	close(h);
	/* unbindable: EINVAL for a clone, fine for an O_PATH handle */
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/s/a", MS_UNBINDABLE));
	EXPECT_EQ(-EINVAL, open_tree(self->fd, INIT, "/s/a",
				     OPEN_TREE_CLONE));
	EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_MNT_HANDLE));
	h = open_tree(self->fd, INIT, "/s/a", 0);
	EXPECT_LE(0, h);
	close(h);
	/* the recursive clone of /s leaves the unbindable /s/a out */
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE | AT_RECURSIVE);
	EXPECT_LE(0, h);
	EXPECT_EQ(mounts + 1, count(self->fd, NSM_OBJ_MOUNT));
	close(h);
	EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
}

TEST_F(mntapi, clone_needs_cap_sys_admin)
{
	long u, h;

	ASSERT_EQ(0, make_tree(self->fd));
	u = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, u);
	ASSERT_EQ(0, nsm_setuid(self->fd, u, 1000));
	EXPECT_EQ(-EPERM, open_tree(self->fd, u, "/nope", OPEN_TREE_CLONE));
	h = open_tree(self->fd, u, "/s", 0);
	EXPECT_LE(0, h);
	EXPECT_EQ(-EPERM, move_mount(self->fd, u, h, "", AT_FDCWD, "/t",
				     MOVE_MOUNT_F_EMPTY_PATH));
	close(h);
}

TEST_F(mntapi, dfd_relative_paths)
{
	long h, r;

	ASSERT_EQ(0, make_tree(self->fd));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/s/a/d"));
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE | AT_RECURSIVE);
	ASSERT_LE(0, h);
	/* a path inside the detached tree, from its handle */
	r = open_tree_at(self->fd, INIT, h, "a/d", 0);
	EXPECT_LE(0, r);
	close(r);
	/* AT_EMPTY_PATH: the handle itself */
	EXPECT_EQ(-ENOENT, open_tree_at(self->fd, INIT, h, "", 0));
	r = open_tree_at(self->fd, INIT, h, "", AT_EMPTY_PATH);
	EXPECT_LE(0, r);
	/* 6.1 and 6.12 clone only from the caller's namespace */
	EXPECT_EQ(-EINVAL, open_tree_at(self->fd, INIT, h, "",
					AT_EMPTY_PATH | OPEN_TREE_CLONE));
	/* a submount of a detached tree is not its root: EINVAL */
	EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, h, "a", AT_FDCWD, "/t",
				      0));
	/* without the flag an empty name is ENOENT */
	EXPECT_EQ(-ENOENT, move_mount(self->fd, INIT, h, "", AT_FDCWD, "/t",
				      0));
	/*
	 * An O_PATH handle on the tree's root does not keep the tree: the
	 * clone's handle dissolves it, and the mount it shows is in no
	 * namespace any more.
	 */
	close(h);
	EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, r, "", AT_FDCWD, "/t",
				      MOVE_MOUNT_F_EMPTY_PATH));
	close(r);
}

TEST_F(mntapi, move_mount_errnos_in_order)
{
	long h;

	ASSERT_EQ(0, make_tree(self->fd));
	EXPECT_EQ(-ESRCH, move_mount(self->fd, 99, AT_FDCWD, "/s", AT_FDCWD,
				     "/t", 0));
	EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, AT_FDCWD, "/s",
				      AT_FDCWD, "/t", 0x80000000));
	if (!running_6_5_or_later())
		EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, AT_FDCWD, "/s",
					      AT_FDCWD, "/t",
					      MOVE_MOUNT_BENEATH));
	EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, AT_FDCWD, "/s",
				      AT_FDCWD, "/t", MOVE_MOUNT_BENEATH |
				      MOVE_MOUNT_SET_GROUP));
	/* the source is looked up before the target is read */
	EXPECT_EQ(-ENOENT, move_mount(self->fd, INIT, AT_FDCWD, "/x",
				      AT_FDCWD, NULL, 0));
	EXPECT_EQ(-EFAULT, move_mount(self->fd, INIT, AT_FDCWD, "/s",
				      AT_FDCWD, NULL, 0));
	EXPECT_EQ(-ENOENT, move_mount(self->fd, INIT, AT_FDCWD, "/s",
				      AT_FDCWD, "/x", 0));
	EXPECT_EQ(-EBADF, move_mount(self->fd, INIT, -1, "", AT_FDCWD, "/t",
				     MOVE_MOUNT_F_EMPTY_PATH));
	/* not a mount's root */
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/s/d"));
	EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, AT_FDCWD, "/s/d",
				      AT_FDCWD, "/t", 0));
	/* into itself */
	EXPECT_EQ(-ELOOP, move_mount(self->fd, INIT, AT_FDCWD, "/s",
				     AT_FDCWD, "/s/d", 0));
	/* a handle on a file onto a directory */
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/f"));
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/g"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/f", "/g"));
	h = open_tree(self->fd, INIT, "/g", OPEN_TREE_CLONE);
	ASSERT_LE(0, h);
	EXPECT_EQ(-EINVAL, attach(self->fd, INIT, h, "/t"));
	/* failed calls left the tree detached: one anonymous namespace */
	EXPECT_EQ(0, attach(self->fd, INIT, h, "/f"));
	close(h);
}

TEST_F(mntapi, set_group)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a", MS_SHARED));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/x"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/a", "/b"));
	/* shared already */
	EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, AT_FDCWD, "/a",
				      AT_FDCWD, "/b", MOVE_MOUNT_SET_GROUP));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/b", MS_PRIVATE));
	EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, AT_FDCWD, "/a/x",
				      AT_FDCWD, "/b", MOVE_MOUNT_SET_GROUP));
	EXPECT_EQ(-EINVAL, move_mount(self->fd, INIT, AT_FDCWD, "/b",
				      AT_FDCWD, "/a", MOVE_MOUNT_SET_GROUP));
	EXPECT_EQ(0, move_mount(self->fd, INIT, AT_FDCWD, "/a", AT_FDCWD,
				"/b", MOVE_MOUNT_SET_GROUP));
	/* a mount under /a now propagates to /b */
	EXPECT_EQ(0, nsm_tmpfs(self->fd, INIT, "/a/x"));
	EXPECT_EQ(5, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(mntapi, reserved_fields_and_sizes)
{
	struct nsm_open_tree_args o = {
		.size = sizeof(o), .task = INIT, .dfd = AT_FDCWD,
		.path = (uintptr_t)"/", .__reserved = 1,
	};
	struct nsm_move_mount_args m = {
		.size = sizeof(m), .task = INIT, .from_dfd = AT_FDCWD,
		.to_dfd = AT_FDCWD, .from_path = (uintptr_t)"/s",
		.to_path = (uintptr_t)"/t", .__reserved = 1,
	};

	ASSERT_EQ(32, NSM_OPEN_TREE_ARGS_SIZE_VER0);
	ASSERT_EQ(40, NSM_MOVE_MOUNT_ARGS_SIZE_VER0);
	ASSERT_EQ(0, make_tree(self->fd));
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_OPEN_TREE, &o));
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_MOVE_MOUNT, &m));
	o.__reserved = 0;
	o.size = NSM_OPEN_TREE_ARGS_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_OPEN_TREE, &o));
	m.__reserved = 0;
	m.size = NSM_MOVE_MOUNT_ARGS_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_MOVE_MOUNT, &m));
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_MNT_HANDLE));
}

TEST_F(mntapi, efault_on_the_fd_leaves_nothing)
{
	long page = sysconf(_SC_PAGESIZE), mounts, mnt_ns;
	struct nsm_open_tree_args *a;
	char *map;

	ASSERT_EQ(0, make_tree(self->fd));
	mounts = count(self->fd, NSM_OBJ_MOUNT);
	mnt_ns = count(self->fd, NSM_OBJ_MNT_NS);
	/* the struct readable but read-only: the fd cannot be written back */
	map = mmap(NULL, page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	a = (void *)map;
	a->size = sizeof(*a);
	a->task = INIT;
	a->dfd = AT_FDCWD;
	a->path = (uintptr_t)"/s";
	a->flags = OPEN_TREE_CLONE | AT_RECURSIVE;
	ASSERT_EQ(0, mprotect(map, page, PROT_READ));
	EXPECT_EQ(-EFAULT, nsm_ioc(self->fd, NSM_IOC_OPEN_TREE, a));
	munmap(map, page);
	EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(mnt_ns, count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_MNT_HANDLE));
}

TEST_F(mntapi, allocation_failures_leave_nothing)
{
	long mounts, mnt_ns, ret = -ENOMEM, h, r = -ENOMEM;
	int nth;

	ASSERT_EQ(0, make_tree(self->fd));
	mounts = count(self->fd, NSM_OBJ_MOUNT);
	mnt_ns = count(self->fd, NSM_OBJ_MNT_NS);
	for (nth = 1; nth < 100 && ret == -ENOMEM; nth++) {
		nsm_fault(self->fd, nth);
		ret = open_tree(self->fd, INIT, "/s",
				OPEN_TREE_CLONE | AT_RECURSIVE);
		nsm_fault(self->fd, 0);
		if (ret != -ENOMEM)
			break;
		EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
		EXPECT_EQ(mnt_ns, count(self->fd, NSM_OBJ_MNT_NS));
		EXPECT_EQ(0, count(self->fd, NSM_OBJ_MNT_HANDLE));
	}
	ASSERT_LE(0, ret);
	EXPECT_LT(2, nth);
	/* attaching: every failure leaves the tree detached */
	h = ret;
	for (nth = 1; nth < 100 && r == -ENOMEM; nth++) {
		nsm_fault(self->fd, nth);
		r = attach(self->fd, INIT, h, "/t");
		nsm_fault(self->fd, 0);
		if (r == -ENOMEM)
			EXPECT_EQ(3, nsm_nr_mounts(self->fd, INIT));
	}
	EXPECT_EQ(0, r);
	EXPECT_EQ(5, nsm_nr_mounts(self->fd, INIT));
	close(h);
}

/* the mount point (5th field) of each line of @text, space separated */
static void mount_points(const char *text, char *out, size_t len)
{
	char point[256];
	size_t n = 0;

	out[0] = 0;
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l += !!l) {
		if (sscanf(l, "%*d %*d %*s %*s %255s", point) != 1)
			break;
		n += snprintf(out + n, len - n, "%s%s", n ? " " : "", point);
		if (n >= len)
			break;
	}
}

TEST_F(mntapi, mountinfo_of_a_handle_lists_its_tree)
{
	char points[256], *t;
	long h, p, sub;
	int id, parent;

	ASSERT_EQ(0, make_tree(self->fd));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s/a/deep"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/s/x/y"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s/x/y/z"));
	/* a detached copy: its root at "/", the rest below it */
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE | AT_RECURSIVE);
	ASSERT_LE(0, h);
	t = nsm_handle_tree(self->fd, INIT, h);
	ASSERT_NE(NULL, t);
	mount_points(t, points, sizeof(points));
	EXPECT_STREQ("/ /a /a/deep /x/y/z", points);
	/* the copy's root is its own parent: a detached tree's root */
	ASSERT_EQ(2, sscanf(t, "%d %d", &id, &parent));
	EXPECT_EQ(id, parent);
	free(t);
	/* a handle on a directory below a mount root: the mount, at "/" */
	sub = open_tree(self->fd, INIT, "/s/x", 0);
	ASSERT_LE(0, sub);
	t = nsm_handle_tree(self->fd, INIT, sub);
	ASSERT_NE(NULL, t);
	mount_points(t, points, sizeof(points));
	EXPECT_STREQ("/ /y/z", points);
	free(t);
	/* attached, the handle's tree is the attached mounts below it */
	ASSERT_EQ(0, attach(self->fd, INIT, h, "/t"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/t/new"));
	t = nsm_handle_tree(self->fd, INIT, h);
	ASSERT_NE(NULL, t);
	mount_points(t, points, sizeof(points));
	EXPECT_STREQ("/ /a /a/deep /x/y/z /new", points);
	free(t);
	/* an O_PATH-like handle; the task's own table is unchanged */
	p = open_tree(self->fd, INIT, "/s/a", 0);
	ASSERT_LE(0, p);
	t = nsm_handle_tree(self->fd, INIT, p);
	ASSERT_NE(NULL, t);
	mount_points(t, points, sizeof(points));
	EXPECT_STREQ("/ /deep", points);
	free(t);
	EXPECT_EQ(10, nsm_nr_mounts(self->fd, INIT));
	close(p);
	close(sub);
	close(h);
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_MOUNTINFO));
}

TEST_F(mntapi, mountinfo_of_a_handle_errnos)
{
	struct nsm_mountinfo_args a = {
		.size = sizeof(a), .task = INIT, .flags = NSM_MOUNTINFO_HANDLE,
	};
	int other = nsm_open();
	long h, oh;

	ASSERT_EQ(24, NSM_MOUNTINFO_ARGS_SIZE_VER1);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, make_tree(self->fd));
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE);
	ASSERT_LE(0, h);
	/* no handle: -1, the world fd itself, a handle of another world */
	a.handle = -1;
	EXPECT_EQ(-EBADF, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	a.handle = self->fd;
	EXPECT_EQ(-EBADF, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	oh = open_tree(other, INIT, "/", 0);
	ASSERT_LE(0, oh);
	a.handle = oh;
	EXPECT_EQ(-EBADF, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	/* unknown flags, a handle without the flag, __reserved */
	a.handle = h;
	a.flags = 2;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	a.flags = 0;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	a.flags = NSM_MOUNTINFO_HANDLE;
	a.__reserved = 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	/* version 0 has no @handle: it reads as 0, no handle of the world */
	a.__reserved = 0;
	a.size = NSM_MOUNTINFO_ARGS_SIZE_VER0;
	EXPECT_EQ(-EBADF, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	/* the task is still checked first */
	a.size = sizeof(a);
	a.task = 99;
	EXPECT_EQ(-ESRCH, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	close(oh);
	close(other);
	close(h);
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_MOUNTINFO));
}

TEST_F(mntapi, mountinfo_of_a_handle_allocation_failures)
{
	long mounts, h;
	char *t = NULL;
	int nth;

	ASSERT_EQ(0, make_tree(self->fd));
	h = open_tree(self->fd, INIT, "/s", OPEN_TREE_CLONE | AT_RECURSIVE);
	ASSERT_LE(0, h);
	mounts = count(self->fd, NSM_OBJ_MOUNT);
	for (nth = 1; nth < 100 && !t; nth++) {
		nsm_fault(self->fd, nth);
		t = nsm_handle_tree(self->fd, INIT, h);
		nsm_fault(self->fd, 0);
		if (!t) {
			EXPECT_EQ(ENOMEM, errno);
			EXPECT_EQ(0, count(self->fd, NSM_OBJ_MOUNTINFO));
		}
	}
	ASSERT_NE(NULL, t);
	EXPECT_LT(1, nth);
	free(t);
	EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
	close(h);
}

TEST_HARNESS_MAIN
