// SPDX-License-Identifier: GPL-2.0
/*
 * pivot_root_test: NSM_IOC_PIVOT_ROOT, the pivot_root syscall of
 * fs/namespace.c on a model task: the moves of the old and the new root,
 * chroot_fs_refs() over the world's tasks, the lock that passes from the
 * old root to the new one in a user namespace, every errno in the
 * syscall's order (EPERM before any copy, EFAULT and ENAMETOOLONG of each
 * string), the struct size rules, allocation failures that leave nothing
 * changed, and the counters back where they were when the world closes.
 */
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "nsm_helpers.h"

#define INIT	NSM_INIT_TASK

FIXTURE(pivot) {
	int fd;
	int mon;
	struct nsm_counters before;
};

FIXTURE_SETUP(pivot)
{
	NSM_WORLD_SETUP(self);
}

FIXTURE_TEARDOWN(pivot)
{
	NSM_WORLD_TEARDOWN(self);
}

static long nsm_pivot_root(int fd, __u32 task, const char *new_root,
			   const char *put_old)
{
	struct nsm_pivot_root_args a = {
		.size = sizeof(a), .task = task,
		.new_root = (uintptr_t)new_root, .put_old = (uintptr_t)put_old,
	};

	return nsm_ioc(fd, NSM_IOC_PIVOT_ROOT, &a);
}

/* the mount a path of @task lands on (0 on error) */
static __u32 mnt_of(int fd, __u32 task, const char *path)
{
	struct nsm_path_args a;

	return nsm_stat(fd, task, path, &a) ? 0 : a.mnt_id;
}

static __u32 root_mnt_of(int fd, __u32 task)
{
	struct nsm_task_info i;

	return nsm_task_info(fd, task, &i) ? 0 : i.root_mnt_id;
}

static __u32 pwd_mnt_of(int fd, __u32 task)
{
	struct nsm_task_info i;

	return nsm_task_info(fd, task, &i) ? 0 : i.pwd_mnt_id;
}

/* /new, a tmpfs with /new/old in it */
static int make_new_root(int fd, __u32 task)
{
	long ret = nsm_tmpfs_at(fd, task, "/new");

	return ret ? ret : nsm_mkdir(fd, task, "/new/old");
}

TEST_F(pivot, moves_old_root_to_put_old)
{
	__u32 old_root, new_root;

	old_root = root_mnt_of(self->fd, INIT);
	ASSERT_EQ(0, make_new_root(self->fd, INIT));
	new_root = mnt_of(self->fd, INIT, "/new");
	ASSERT_NE(old_root, new_root);
	ASSERT_EQ(2, nsm_nr_mounts(self->fd, INIT));

	ASSERT_EQ(0, nsm_pivot_root(self->fd, INIT, "/new", "/new/old"));
	EXPECT_EQ(new_root, root_mnt_of(self->fd, INIT));
	EXPECT_EQ(new_root, pwd_mnt_of(self->fd, INIT));
	EXPECT_EQ(old_root, mnt_of(self->fd, INIT, "/old"));
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT));

	/* the old root, unlocked and attached, goes with a lazy umount */
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/old", MNT_DETACH));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(new_root, mnt_of(self->fd, INIT, "/old"));
}

TEST_F(pivot, dot_dot_stacks_the_old_root_on_the_new)
{
	__u32 old_root = root_mnt_of(self->fd, INIT), new_root;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/rootfs"));
	new_root = mnt_of(self->fd, INIT, "/rootfs");
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/rootfs"));
	ASSERT_EQ(0, nsm_pivot_root(self->fd, INIT, ".", "."));
	EXPECT_EQ(new_root, root_mnt_of(self->fd, INIT));
	EXPECT_EQ(new_root, mnt_of(self->fd, INIT, "/"));
	/* ".." at the root steps onto what covers it: the old root */
	EXPECT_EQ(old_root, mnt_of(self->fd, INIT, "/.."));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/..", MNT_DETACH));
	EXPECT_EQ(new_root, mnt_of(self->fd, INIT, "/.."));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(pivot, chroot_fs_refs_moves_exact_matches_only)
{
	long same, below, other, fs_sib;
	__u32 old_root = root_mnt_of(self->fd, INIT), new_root;

	ASSERT_EQ(0, make_new_root(self->fd, INIT));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d"));
	new_root = mnt_of(self->fd, INIT, "/new");
	same = nsm_clone(self->fd, INIT, 0);
	below = nsm_clone(self->fd, INIT, 0);
	fs_sib = nsm_clone(self->fd, INIT, CLONE_FS);
	other = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, same);
	ASSERT_LT(0, below);
	ASSERT_LT(0, fs_sib);
	ASSERT_LT(0, other);
	ASSERT_EQ(0, nsm_chdir(self->fd, below, "/d"));

	ASSERT_EQ(0, nsm_pivot_root(self->fd, INIT, "/new", "/new/old"));
	EXPECT_EQ(new_root, root_mnt_of(self->fd, same));
	EXPECT_EQ(new_root, pwd_mnt_of(self->fd, same));
	EXPECT_EQ(new_root, root_mnt_of(self->fd, fs_sib));
	EXPECT_EQ(new_root, root_mnt_of(self->fd, below));
	/* a cwd below the old root stays on it */
	EXPECT_EQ(old_root, pwd_mnt_of(self->fd, below));
	/* another namespace's task is on copies */
	EXPECT_NE(new_root, root_mnt_of(self->fd, other));
	EXPECT_NE(old_root, root_mnt_of(self->fd, other));
	EXPECT_EQ(0, nsm_exit(self->fd, same));
	EXPECT_EQ(0, nsm_exit(self->fd, other));
}

TEST_F(pivot, errnos_in_the_syscalls_order)
{
	long u = nsm_clone(self->fd, INIT, 0);
	char *before, *after;

	ASSERT_LT(0, u);
	ASSERT_EQ(0, nsm_setuid(self->fd, u, 1000));
	ASSERT_EQ(0, make_new_root(self->fd, INIT));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/other"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/new/sub/old"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/plain"));
	before = nsm_mountinfo(self->fd, INIT);
	ASSERT_NE(NULL, before);

	/* may_mount() first, before the strings are even read */
	EXPECT_EQ(-EPERM, nsm_pivot_root(self->fd, u, NULL, NULL));
	EXPECT_EQ(-EPERM, nsm_pivot_root(self->fd, u, "/new", "/new/old"));
	EXPECT_EQ(-ESRCH, nsm_pivot_root(self->fd, 999, "/new", "/new/old"));
	EXPECT_EQ(-ENOENT, nsm_pivot_root(self->fd, INIT, "/x", "/new/old"));
	EXPECT_EQ(-ENOENT, nsm_pivot_root(self->fd, INIT, "/new", "/x"));
	EXPECT_EQ(-ENOENT, nsm_pivot_root(self->fd, INIT, "", "/new/old"));
	EXPECT_EQ(-EBUSY, nsm_pivot_root(self->fd, INIT, "/", "/new/old"));
	EXPECT_EQ(-EBUSY, nsm_pivot_root(self->fd, INIT, "/plain", "/plain"));
	EXPECT_EQ(-EBUSY, nsm_pivot_root(self->fd, INIT, "/new", "/plain"));
	EXPECT_EQ(-EINVAL, nsm_pivot_root(self->fd, INIT, "/new/sub",
					  "/new/sub/old"));
	EXPECT_EQ(-EINVAL, nsm_pivot_root(self->fd, INIT, "/new", "/other"));
	/* shared put_old mount, checked before EBUSY */
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/", MS_SHARED));
	EXPECT_EQ(-EINVAL, nsm_pivot_root(self->fd, INIT, "/", "/"));
	EXPECT_EQ(-EINVAL, nsm_pivot_root(self->fd, INIT, "/new", "/new/old"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/", MS_PRIVATE));

	after = nsm_mountinfo(self->fd, INIT);
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(before, after);
	free(before);
	free(after);
}

TEST_F(pivot, bad_pointers_and_long_strings)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map, *big;

	ASSERT_EQ(0, make_new_root(self->fd, INIT));
	EXPECT_EQ(-EFAULT, nsm_pivot_root(self->fd, INIT, NULL, "/new/old"));
	EXPECT_EQ(-EFAULT, nsm_pivot_root(self->fd, INIT, "/new", NULL));
	/* new_root is looked up before put_old is read */
	EXPECT_EQ(-ENOENT, nsm_pivot_root(self->fd, INIT, "/x", NULL));
	EXPECT_EQ(-EFAULT, nsm_pivot_root(self->fd, INIT, NULL, "/x"));

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	/* a string running into the unmapped page */
	memcpy(map + page - 4, "/new", 4);
	EXPECT_EQ(-EFAULT, nsm_pivot_root(self->fd, INIT, map + page - 4,
					  "/new/old"));
	EXPECT_EQ(-EFAULT, nsm_pivot_root(self->fd, INIT, "/new",
					  map + page - 4));
	munmap(map, page);

	big = malloc(NSM_PATH_MAX + 1);
	ASSERT_NE(NULL, big);
	memset(big, 'a', NSM_PATH_MAX);
	big[NSM_PATH_MAX] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, nsm_pivot_root(self->fd, INIT, big, "/"));
	EXPECT_EQ(-ENAMETOOLONG, nsm_pivot_root(self->fd, INIT, "/new", big));
	free(big);
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(pivot, struct_size_rules)
{
	struct {
		struct nsm_pivot_root_args a;
		__u64 tail[2];
	} big;
	struct nsm_pivot_root_args a;

	ASSERT_EQ(24, NSM_PIVOT_ROOT_ARGS_SIZE_VER0);
	ASSERT_EQ(0, make_new_root(self->fd, INIT));
	memset(&a, 0, sizeof(a));
	a.task = INIT;
	a.new_root = (uintptr_t)"/new";
	a.put_old = (uintptr_t)"/new/old";
	a.size = NSM_PIVOT_ROOT_ARGS_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_PIVOT_ROOT, &a));
	a.size = 0;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_PIVOT_ROOT, &a));
	EXPECT_EQ(-EFAULT, nsm_ioc(self->fd, NSM_IOC_PIVOT_ROOT, NULL));

	memset(&big, 0, sizeof(big));
	big.a = a;
	big.a.size = sizeof(big);
	big.tail[1] = 1;
	EXPECT_EQ(-E2BIG, nsm_ioc(self->fd, NSM_IOC_PIVOT_ROOT, &big));
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT));
	big.tail[1] = 0;
	EXPECT_EQ(0, nsm_ioc(self->fd, NSM_IOC_PIVOT_ROOT, &big));
	/* the old root is at /old now; pivot back onto it */
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/old/back"));
	a.size = NSM_PIVOT_ROOT_ARGS_SIZE_VER0;
	a.new_root = (uintptr_t)"/old";
	a.put_old = (uintptr_t)"/old/back";
	EXPECT_EQ(0, nsm_ioc(self->fd, NSM_IOC_PIVOT_ROOT, &a));
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/back", MNT_DETACH));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(pivot, lock_passes_to_the_new_root_in_a_userns)
{
	long c;
	__u32 new_root;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/old"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/rootfs"));
	c = nsm_clone(self->fd, INIT, CLONE_NEWUSER | CLONE_NEWNS);
	ASSERT_LT(0, c);
	/* copies are locked: not new_root, not unmountable */
	EXPECT_EQ(-EINVAL, nsm_pivot_root(self->fd, c, "/a", "/a/old"));
	EXPECT_EQ(-EINVAL, nsm_pivot_root(self->fd, c, "/", "/a/old"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, c, "/rootfs"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, c, "/rootfs/old"));
	new_root = mnt_of(self->fd, c, "/rootfs");
	ASSERT_EQ(0, nsm_pivot_root(self->fd, c, "/rootfs", "/rootfs/old"));
	EXPECT_EQ(new_root, root_mnt_of(self->fd, c));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, c, "/", MNT_DETACH));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, c, "/old/a", MNT_DETACH));
	EXPECT_EQ(0, nsm_umount(self->fd, c, "/old", MNT_DETACH));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, c));
	/* init's namespace is untouched */
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(0, nsm_exit(self->fd, c));
}

/* every allocation of the call fails cleanly, and changes nothing */
TEST_F(pivot, allocation_failures_leave_nothing_changed)
{
	char *before, *after;
	long ret = -ENOMEM;
	__u32 nth;

	ASSERT_EQ(0, make_new_root(self->fd, INIT));
	before = nsm_mountinfo(self->fd, INIT);
	ASSERT_NE(NULL, before);
	for (nth = 1; nth < 100 && ret == -ENOMEM; nth++) {
		nsm_fault(self->fd, nth);
		ret = nsm_pivot_root(self->fd, INIT, "/new", "/new/old");
		nsm_fault(self->fd, 0);
		if (ret != -ENOMEM)
			break;
		after = nsm_mountinfo(self->fd, INIT);
		ASSERT_NE(NULL, after);
		EXPECT_STREQ(before, after);
		free(after);
	}
	EXPECT_EQ(0, ret);
	/* the two strings are its only allocations */
	EXPECT_EQ(3, nth);
	free(before);
}

TEST_HARNESS_MAIN
