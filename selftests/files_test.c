// SPDX-License-Identifier: GPL-2.0
/*
 * files_test: regular files in the model VFS - NSM_IOC_TOUCH (open with
 * O_CREAT), NSM_IOC_UNLINK and NSM_IOC_RMDIR (fs/namei.c), their errnos
 * in the kernel's order, the ABI's argument errors, the st_mode that
 * NSM_IOC_STAT reports, and removal of a mountpoint: EBUSY in the
 * caller's namespace, detach_mounts() in the others.  Every test ends
 * with the module's counters back where they were (unlinked dentries
 * included).
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include "kselftest_harness.h"
#include "nsm_helpers.h"

#define INIT	NSM_INIT_TASK

#define nsm_touch(fd, t, p)	nsm_path_op(fd, NSM_IOC_TOUCH, t, p, 0)
#define nsm_unlink(fd, t, p)	nsm_path_op(fd, NSM_IOC_UNLINK, t, p, 0)
#define nsm_rmdir(fd, t, p)	nsm_path_op(fd, NSM_IOC_RMDIR, t, p, 0)

FIXTURE(files) {
	int fd;
	int mon;
	struct nsm_counters before;
};

FIXTURE_SETUP(files)
{
	NSM_WORLD_SETUP(self);
}

FIXTURE_TEARDOWN(files)
{
	NSM_WORLD_TEARDOWN(self);
}

static unsigned int mode_of(int fd, __u32 task, const char *path)
{
	struct nsm_path_args a;

	if (nsm_stat(fd, task, path, &a))
		return 0;
	return a.mode;
}

TEST_F(files, touch_creates_a_regular_file)
{
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d"));
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/d/f"));
	EXPECT_TRUE(S_ISREG(mode_of(self->fd, INIT, "/d/f")));
	EXPECT_EQ(S_IFREG | 0644, mode_of(self->fd, INIT, "/d/f"));
	EXPECT_TRUE(S_ISDIR(mode_of(self->fd, INIT, "/d")));
	/* an existing file opens again; a directory does not */
	EXPECT_EQ(0, nsm_touch(self->fd, INIT, "/d/f"));
	EXPECT_EQ(-EISDIR, nsm_touch(self->fd, INIT, "/d"));
	EXPECT_EQ(-EISDIR, nsm_touch(self->fd, INIT, "/d/g/"));
	EXPECT_EQ(-EISDIR, nsm_touch(self->fd, INIT, "/"));
	EXPECT_EQ(-ENOTDIR, nsm_touch(self->fd, INIT, "/d/f/x"));
	EXPECT_EQ(-ENOENT, nsm_touch(self->fd, INIT, "/no/x"));
	EXPECT_EQ(-EEXIST, nsm_mkdir(self->fd, INIT, "/d/f"));
	EXPECT_EQ(-ENOTDIR, nsm_mkdir(self->fd, INIT, "/d/f/x"));
	EXPECT_EQ(-ENOTDIR, nsm_chdir(self->fd, INIT, "/d/f"));
	EXPECT_EQ(-ENOTDIR, nsm_chroot(self->fd, INIT, "/d/f"));
	EXPECT_EQ(-ENOTDIR, nsm_stat(self->fd, INIT, "/d/f/", NULL));
}

TEST_F(files, unlink_and_rmdir_errnos)
{
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d/sub"));
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/d/f"));
	EXPECT_EQ(-EISDIR, nsm_unlink(self->fd, INIT, "/d"));
	EXPECT_EQ(-EISDIR, nsm_unlink(self->fd, INIT, "/d/.."));
	EXPECT_EQ(-ENOENT, nsm_unlink(self->fd, INIT, "/d/nope"));
	EXPECT_EQ(-ENOTDIR, nsm_unlink(self->fd, INIT, "/d/f/"));
	EXPECT_EQ(-ENOTDIR, nsm_rmdir(self->fd, INIT, "/d/f"));
	EXPECT_EQ(-ENOTEMPTY, nsm_rmdir(self->fd, INIT, "/d"));
	EXPECT_EQ(-EINVAL, nsm_rmdir(self->fd, INIT, "/d/."));
	EXPECT_EQ(-ENOTEMPTY, nsm_rmdir(self->fd, INIT, "/d/.."));
	EXPECT_EQ(-EBUSY, nsm_rmdir(self->fd, INIT, "/"));
	EXPECT_EQ(0, nsm_unlink(self->fd, INIT, "/d/f"));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/d/f", NULL));
	EXPECT_EQ(0, nsm_rmdir(self->fd, INIT, "/d/sub"));
	EXPECT_EQ(0, nsm_rmdir(self->fd, INIT, "/d"));
	EXPECT_EQ(-ENOENT, nsm_rmdir(self->fd, INIT, "/d"));
}

TEST_F(files, argument_errors)
{
	char *page, *map;
	long psz = sysconf(_SC_PAGESIZE);
	unsigned long cmds[] = { NSM_IOC_TOUCH, NSM_IOC_UNLINK, NSM_IOC_RMDIR };

	page = malloc(NSM_PATH_MAX + 1);
	ASSERT_NE(NULL, page);
	memset(page, 'a', NSM_PATH_MAX + 1);
	map = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + psz, psz));
	/* "/aaaa" running into the unmapped page, no NUL */
	memset(map, 'a', psz);
	map[psz - 10] = '/';

	for (int i = 0; i < 3; i++) {
		struct nsm_path_args a = { .size = sizeof(a), .task = INIT,
					   .path = (uintptr_t)"/x" };

		EXPECT_EQ(-EFAULT, nsm_path_op(self->fd, cmds[i], INIT, NULL, 0));
		EXPECT_EQ(-EFAULT, nsm_path_op(self->fd, cmds[i], INIT,
					       map + psz - 10, 0));
		EXPECT_EQ(-ENAMETOOLONG, nsm_path_op(self->fd, cmds[i], INIT,
						     page, 0));
		EXPECT_EQ(-EINVAL, nsm_path_op(self->fd, cmds[i], INIT, "/x",
					       1));
		EXPECT_EQ(-ESRCH, nsm_path_op(self->fd, cmds[i], 999, "/x", 0));
		EXPECT_EQ(-ENOENT, nsm_path_op(self->fd, cmds[i], INIT, "", 0));
		a.__reserved = 1;
		EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, cmds[i], &a));
		/* the version-0 size (no mode field) is still accepted */
		a.__reserved = 0;
		a.size = NSM_PATH_ARGS_SIZE_VER0;
		EXPECT_EQ(i == 0 ? 0 : -ENOENT, nsm_ioc(self->fd, cmds[i], &a))
			TH_LOG("cmd %d", i);
		if (i == 0)
			EXPECT_EQ(0, nsm_unlink(self->fd, INIT, "/x"));
		a.size = NSM_PATH_ARGS_SIZE_VER0 - 1;
		EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, cmds[i], &a));
	}
	/* a component longer than NAME_MAX */
	page[0] = '/';
	page[300] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, nsm_touch(self->fd, INIT, page));
	EXPECT_EQ(-ENAMETOOLONG, nsm_unlink(self->fd, INIT, page));
	EXPECT_EQ(-ENAMETOOLONG, nsm_rmdir(self->fd, INIT, page));
	munmap(map, psz);
	free(page);
}

TEST_F(files, permissions_and_sticky)
{
	long u;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s"));	/* 1777 */
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/s/roots"));
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/plain"));
	u = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, u);
	ASSERT_EQ(0, nsm_setuid(self->fd, u, 1000));
	EXPECT_EQ(0, nsm_touch(self->fd, u, "/s/mine"));
	EXPECT_EQ(-EPERM, nsm_unlink(self->fd, u, "/s/roots"));
	EXPECT_EQ(-EACCES, nsm_unlink(self->fd, u, "/plain"));
	EXPECT_EQ(-EACCES, nsm_touch(self->fd, u, "/plain"));
	EXPECT_EQ(-EACCES, nsm_touch(self->fd, u, "/new"));
	EXPECT_EQ(0, nsm_unlink(self->fd, u, "/s/mine"));
}

TEST_F(files, readonly_mount)
{
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/r"));
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, "r", "/r", "tmpfs", MS_RDONLY,
			       NULL));
	EXPECT_EQ(-EROFS, nsm_touch(self->fd, INIT, "/r/f"));
	EXPECT_EQ(-EROFS, nsm_unlink(self->fd, INIT, "/r/nope"));
	EXPECT_EQ(-EROFS, nsm_rmdir(self->fd, INIT, "/r/nope"));
	EXPECT_EQ(-EISDIR, nsm_touch(self->fd, INIT, "/r"));
}

/* file onto file binds; directory onto file and back are ENOTDIR */
TEST_F(files, file_mounts)
{
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_touch(self->fd, INIT, "/b"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d"));
	EXPECT_EQ(-ENOTDIR, nsm_bind(self->fd, INIT, "/d", "/a"));
	EXPECT_EQ(-ENOTDIR, nsm_bind(self->fd, INIT, "/a", "/d"));
	EXPECT_EQ(-ENOTDIR, nsm_tmpfs(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/a", "/b"));
	EXPECT_EQ(-EBUSY, nsm_unlink(self->fd, INIT, "/b"));
	/* the source is no mountpoint: it goes, the mount stays */
	EXPECT_EQ(0, nsm_unlink(self->fd, INIT, "/a"));
	EXPECT_TRUE(S_ISREG(mode_of(self->fd, INIT, "/b")));
	/* a removed name cannot be mounted on */
	EXPECT_EQ(-ENOENT, nsm_bind(self->fd, INIT, "/b", "/b"));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/b", 0));
	EXPECT_EQ(0, nsm_unlink(self->fd, INIT, "/b"));
}

/* removing a mountpoint of another namespace detaches its mounts there */
TEST_F(files, detach_mounts_in_other_namespace)
{
	long c, before;

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d"));
	c = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, c);
	ASSERT_EQ(0, nsm_tmpfs(self->fd, c, "/d"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, c, "/d/e"));
	before = nsm_nr_mounts(self->fd, c);
	EXPECT_EQ(-EBUSY, nsm_rmdir(self->fd, c, "/d"));
	EXPECT_EQ(0, nsm_rmdir(self->fd, INIT, "/d"));
	EXPECT_EQ(before - 2, nsm_nr_mounts(self->fd, c));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, c, "/d", NULL));
}

/* a removed cwd: getcwd says ENOENT, nothing is created in it */
TEST_F(files, removed_cwd)
{
	char buf[64];
	long t;

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d/e"));
	t = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, t);
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/d/e"));
	ASSERT_EQ(0, nsm_rmdir(self->fd, INIT, "/d/e"));
	EXPECT_EQ(-ENOENT, nsm_getcwd(self->fd, t, buf, sizeof(buf)));
	EXPECT_EQ(-ENOENT, nsm_touch(self->fd, t, "f"));
	EXPECT_EQ(-ENOENT, nsm_mkdir(self->fd, t, "f"));
	EXPECT_EQ(0, nsm_chdir(self->fd, t, ".."));
	EXPECT_EQ(3, nsm_getcwd(self->fd, t, buf, sizeof(buf)));
	EXPECT_STREQ("/d", buf);
}

/* a failed creation leaves nothing behind (fault injection) */
TEST_F(files, touch_enomem_leaves_nothing)
{
	long ret = -ENOMEM;

	for (int nth = 1; ret == -ENOMEM && nth < 50; nth++) {
		ASSERT_LE(0, nsm_fault(self->fd, nth));
		ret = nsm_touch(self->fd, INIT, "/f");
		nsm_fault(self->fd, 0);
		if (ret == -ENOMEM)
			EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/f", NULL));
	}
	EXPECT_EQ(0, ret);
}

TEST_HARNESS_MAIN
