// SPDX-License-Identifier: GPL-2.0
/*
 * getcwd_test: NSM_IOC_GETCWD, the getcwd syscall of fs/d_path.c on a
 * model task: the cwd named from the task's root across mounts, and
 * "(unreachable)" when that root cannot reach it (a chroot elsewhere, a
 * lazily unmounted mount); the cwd moved by copy_mnt_ns, shared through
 * CLONE_FS, reset by setns; its errnos in the syscall's order.
 */
#include <sys/mman.h>
#include "kselftest_harness.h"
#include "nsm_helpers.h"

#define INIT	NSM_INIT_TASK

FIXTURE(cwd) {
	int fd;
	int mon;
	struct nsm_counters before;
	char buf[8192];
};

FIXTURE_SETUP(cwd)
{
	NSM_WORLD_SETUP(self);
}

FIXTURE_TEARDOWN(cwd)
{
	NSM_WORLD_TEARDOWN(self);
}

/*
 * @task's cwd as a string, checking that the ioctl's value is its length
 * with the NUL; on failure the errno's name, so a wrong answer prints.
 */
static const char *cwd_of(int fd, __u32 task, char *buf, size_t len)
{
	long ret;

	memset(buf, 'x', len);
	ret = nsm_getcwd(fd, task, buf, len);
	if (ret < 0) {
		snprintf(buf, len, "error %ld (%s)", -ret, strerror(-ret));
		return buf;
	}
	if (ret == 0 || buf[ret - 1] || strlen(buf) != (size_t)ret - 1)
		snprintf(buf, len, "bad length %ld", ret);
	return buf;
}

#define CWD(t)	cwd_of(self->fd, t, self->buf, sizeof(self->buf))

TEST_F(cwd, init_is_at_root)
{
	EXPECT_EQ(2, nsm_getcwd(self->fd, INIT, self->buf, sizeof(self->buf)));
	EXPECT_STREQ("/", self->buf);
}

TEST_F(cwd, chdir_absolute_and_relative)
{
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b/c"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/a/b"));
	EXPECT_STREQ("/a/b", CWD(INIT));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "c/../c/."));
	EXPECT_STREQ("/a/b/c", CWD(INIT));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "../.."));
	EXPECT_STREQ("/a", CWD(INIT));
	/* ".." at the root stays there */
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "../../.."));
	EXPECT_STREQ("/", CWD(INIT));
}

TEST_F(cwd, across_mounts_and_binds)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/m"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/m/n"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/m/n/d"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/m/n/d"));
	EXPECT_STREQ("/m/n/d", CWD(INIT));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/m/n"));
	EXPECT_STREQ("/m/n", CWD(INIT));
	/* a bind of a subdirectory is named by where it is mounted */
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/m/src/sub/x"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/m/src/sub", "/b"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/b/x"));
	EXPECT_STREQ("/b/x", CWD(INIT));
}

/* a cwd under a mount that now covers its directory keeps its name */
TEST_F(cwd, covered_cwd)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/m"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/m/under"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/m/under"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/m"));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/m/under", NULL));
	EXPECT_STREQ("/m/under", CWD(INIT));
}

/* pass two of copy_mnt_ns: same name, on the copy of the mount */
TEST_F(cwd, copy_mnt_ns_moves_cwd)
{
	struct nsm_task_info pi, ci;
	long c;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/m"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/m/d"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/m/d"));
	c = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, c);
	EXPECT_STREQ("/m/d", CWD(c));
	ASSERT_EQ(0, nsm_task_info(self->fd, INIT, &pi));
	ASSERT_EQ(0, nsm_task_info(self->fd, c, &ci));
	EXPECT_NE(pi.pwd_mnt_id, ci.pwd_mnt_id);
	/* and unshare(CLONE_NEWNS) of a task chrooted at /m */
	ASSERT_EQ(0, nsm_chroot(self->fd, c, "/m"));
	EXPECT_STREQ("/d", CWD(c));
	ASSERT_EQ(0, nsm_unshare(self->fd, c, CLONE_NEWNS));
	EXPECT_STREQ("/d", CWD(c));
}

/* a cwd on a lazily unmounted mount hangs in a detached tree */
TEST_F(cwd, lazy_umount_unreachable)
{
	long t;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/m"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/m/d/e"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/m/n"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/m/n/x"));
	t = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, t);
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/m/d/e"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/m/n/x"));
	EXPECT_EQ(-EBUSY, nsm_umount(self->fd, INIT, "/m", 0));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/m", MNT_DETACH));
	EXPECT_STREQ("(unreachable)/d/e", CWD(t));
	/* /m/n was disconnected from /m: its name starts at its own root */
	EXPECT_STREQ("(unreachable)/x", CWD(INIT));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, ".."));
	EXPECT_STREQ("(unreachable)/", CWD(INIT));
	/* the detached tree stays so across unshare(CLONE_NEWNS) */
	ASSERT_EQ(0, nsm_unshare(self->fd, t, CLONE_NEWNS));
	EXPECT_STREQ("(unreachable)/d/e", CWD(t));
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/"));
	EXPECT_STREQ("/", CWD(t));
}

TEST_F(cwd, chroot_elsewhere_unreachable)
{
	long t = nsm_clone(self->fd, INIT, 0);

	ASSERT_LT(0, t);
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/r/in"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/x/y"));
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/x/y"));
	ASSERT_EQ(0, nsm_chroot(self->fd, t, "/r"));
	/* the climb ends at the namespace's root, keeping what it named */
	EXPECT_STREQ("(unreachable)/x/y", CWD(t));
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/"));
	EXPECT_STREQ("/", CWD(INIT));
	EXPECT_STREQ("/", CWD(t));
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "in"));
	EXPECT_STREQ("/in", CWD(t));
	/* a cwd at the real root, chrooted elsewhere: nothing to keep */
	ASSERT_EQ(0, nsm_chroot(self->fd, INIT, "/r/in"));
	EXPECT_STREQ("(unreachable)/", CWD(INIT));
	/* a chroot at a mount's subdirectory, cwd above it on that mount */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, t, "/in/m"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, t, "/in/m/a/b"));
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/in/m/a"));
	ASSERT_EQ(0, nsm_chroot(self->fd, t, "/in/m/a/b"));
	/* the climb leaves the mount and ends at the real root */
	EXPECT_STREQ("(unreachable)/r/in/m/a", CWD(t));
}

TEST_F(cwd, clone_fs_shares_cwd)
{
	long t, u;

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	t = nsm_clone(self->fd, INIT, CLONE_FS);
	ASSERT_LT(0, t);
	u = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, u);
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/a"));
	EXPECT_STREQ("/a", CWD(INIT));
	EXPECT_STREQ("/", CWD(u));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/b"));
	EXPECT_STREQ("/b", CWD(t));
	/* unshare(CLONE_FS) gives t its own copy: chdirs part from there */
	ASSERT_EQ(0, nsm_unshare(self->fd, t, CLONE_FS));
	EXPECT_STREQ("/b", CWD(t));
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/a"));
	EXPECT_STREQ("/a", CWD(t));
	EXPECT_STREQ("/b", CWD(INIT));
}

/* setns(CLONE_NEWNS) puts root and cwd at the top of the ns root stack */
TEST_F(cwd, setns_mnt_resets_cwd)
{
	long o, t;

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/here"));
	o = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, o);
	t = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, t);
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/a/here"));
	ASSERT_EQ(0, nsm_chroot(self->fd, t, "/a"));
	EXPECT_STREQ("/here", CWD(t));
	/* a mount stacked on o's root: t lands on it */
	ASSERT_EQ(0, nsm_tmpfs(self->fd, o, "/"));
	ASSERT_EQ(0, nsm_setns_task(self->fd, t, o, CLONE_NEWNS));
	EXPECT_STREQ("/", CWD(t));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, t, "a", NULL));
	ASSERT_EQ(0, nsm_mkdir(self->fd, t, "top"));
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "top"));
	EXPECT_STREQ("/top", CWD(t));
	/* o itself still stands under the stack */
	EXPECT_STREQ("/", CWD(o));
	EXPECT_EQ(0, nsm_stat(self->fd, o, "a/here", NULL));
}

/* ERANGE exactly when the path and its NUL do not fit; @buf untouched */
TEST_F(cwd, erange_at_the_boundary)
{
	char small[8];

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/abc/de"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/abc/de"));
	memset(small, '#', sizeof(small));
	EXPECT_EQ(8, nsm_getcwd(self->fd, INIT, small, 8));
	EXPECT_STREQ("/abc/de", small);
	memset(small, '#', sizeof(small));
	EXPECT_EQ(-ERANGE, nsm_getcwd(self->fd, INIT, small, 7));
	EXPECT_EQ('#', small[0]);
	EXPECT_EQ(-ERANGE, nsm_getcwd(self->fd, INIT, small, 1));
	EXPECT_EQ(-ERANGE, nsm_getcwd(self->fd, INIT, small, 0));
	/* the "(unreachable)" prefix counts too */
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/r"));
	ASSERT_EQ(0, nsm_chroot(self->fd, INIT, "/r"));
	EXPECT_EQ(21, nsm_getcwd(self->fd, INIT, self->buf, 21));
	EXPECT_STREQ("(unreachable)/abc/de", self->buf);
	EXPECT_EQ(-ERANGE, nsm_getcwd(self->fd, INIT, self->buf, 20));
}

/* PATH_MAX with the NUL fits; one byte more is ENAMETOOLONG, not ERANGE */
TEST_F(cwd, enametoolong_past_path_max)
{
	char name[200];
	int i;

	/* 20 components of "/" + 199 chars: 4000 bytes */
	memset(name, 'n', sizeof(name));
	name[199] = '\0';
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, name));
		ASSERT_EQ(0, nsm_chdir(self->fd, INIT, name));
	}
	/* and "/" + 94 chars: 4095 bytes and the NUL */
	name[94] = '\0';
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, name));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, name));
	EXPECT_EQ(4096, nsm_getcwd(self->fd, INIT, self->buf,
				   sizeof(self->buf)));
	EXPECT_EQ(-ERANGE, nsm_getcwd(self->fd, INIT, self->buf, 4095));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, ".."));
	name[94] = 'n';
	name[95] = '\0';
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, name));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, name));
	EXPECT_EQ(-ENAMETOOLONG, nsm_getcwd(self->fd, INIT, self->buf,
					    sizeof(self->buf)));
	EXPECT_EQ(-ENAMETOOLONG, nsm_getcwd(self->fd, INIT, self->buf, 1));
}

TEST_F(cwd, bad_task)
{
	long t = nsm_clone(self->fd, INIT, 0);

	ASSERT_LT(0, t);
	EXPECT_EQ(-ESRCH, nsm_getcwd(self->fd, 999, self->buf, 100));
	EXPECT_EQ(-ESRCH, nsm_getcwd(self->fd, 0, self->buf, 100));
	ASSERT_EQ(0, nsm_exit(self->fd, t));
	EXPECT_EQ(-ESRCH, nsm_getcwd(self->fd, t, self->buf, 100));
}

TEST_F(cwd, bad_pointer)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map;

	EXPECT_EQ(-EFAULT, nsm_getcwd(self->fd, INIT, NULL, 100));
	/* too small is found before the copy, as the syscall does */
	EXPECT_EQ(-ERANGE, nsm_getcwd(self->fd, INIT, NULL, 1));
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/abc"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/abc"));
	/* the path runs over the end of the mapping */
	EXPECT_EQ(-EFAULT, nsm_getcwd(self->fd, INIT, map + page - 2, 100));
	EXPECT_EQ(5, nsm_getcwd(self->fd, INIT, map + page - 5, 5));
	EXPECT_STREQ("/abc", map + page - 5);
	ASSERT_EQ(0, mprotect(map, page, PROT_READ));
	EXPECT_EQ(-EFAULT, nsm_getcwd(self->fd, INIT, map, 100));
	munmap(map, page);
}

/* the extensible-struct rules of every world ioctl */
TEST_F(cwd, struct_size_rules)
{
	struct {
		struct nsm_getcwd_args a;
		__u64 tail[2];
	} big;
	struct nsm_getcwd_args a;

	memset(&a, 0, sizeof(a));
	a.task = INIT;
	a.buf = (uintptr_t)self->buf;
	a.len = sizeof(self->buf);
	a.size = NSM_GETCWD_ARGS_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_GETCWD, &a));
	a.size = 0;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_GETCWD, &a));
	a.size = NSM_GETCWD_ARGS_SIZE_VER0;
	EXPECT_EQ(2, nsm_ioc(self->fd, NSM_IOC_GETCWD, &a));
	a.__reserved = 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_GETCWD, &a));

	memset(&big, 0, sizeof(big));
	big.a.size = sizeof(big);
	big.a.task = INIT;
	big.a.buf = (uintptr_t)self->buf;
	big.a.len = sizeof(self->buf);
	EXPECT_EQ(2, nsm_ioc(self->fd, NSM_IOC_GETCWD, &big));
	EXPECT_STREQ("/", self->buf);
	big.tail[1] = 1;
	EXPECT_EQ(-E2BIG, nsm_ioc(self->fd, NSM_IOC_GETCWD, &big));
}

/* its one allocation (the PATH_MAX page) fails cleanly */
TEST_F(cwd, allocation_failure)
{
	nsm_fault(self->fd, 1);
	EXPECT_EQ(-ENOMEM, nsm_getcwd(self->fd, INIT, self->buf,
				      sizeof(self->buf)));
	nsm_fault(self->fd, 0);
	EXPECT_EQ(2, nsm_getcwd(self->fd, INIT, self->buf, sizeof(self->buf)));
	/* and it was the only one */
	nsm_fault(self->fd, 2);
	EXPECT_EQ(2, nsm_getcwd(self->fd, INIT, self->buf, sizeof(self->buf)));
	EXPECT_EQ(1, nsm_fault(self->fd, 0));
}

TEST_HARNESS_MAIN
