// SPDX-License-Identifier: GPL-2.0
/*
 * fsmount_test: NSM_IOC_FSOPEN, NSM_IOC_FSCONFIG, NSM_IOC_FSMOUNT and
 * NSM_IOC_FSPICK, the fs-context half of the new mount API (fs/fsopen.c,
 * fsmount() of fs/namespace.c) on a model task: each errno in the system
 * calls' order, the phases of a context (EBUSY in the wrong one, a failed
 * reconfiguration that fails the context), the profile's
 * FSCONFIG_CMD_CREATE_EXCL, the detached mount fsmount makes and its
 * dissolution, allocation failures that leave nothing behind, and the
 * counters of every object back where they were.
 */
#include <fcntl.h>
#include <string.h>
#include <linux/mount.h>
#include "kselftest_harness.h"
#include "nsm_helpers.h"

#define INIT	NSM_INIT_TASK

#ifndef FSCONFIG_CMD_CREATE_EXCL
#define FSCONFIG_CMD_CREATE_EXCL	8
#endif

FIXTURE(fsapi) {
	int fd;
	int mon;
	struct nsm_counters before;
};

FIXTURE_SETUP(fsapi)
{
	NSM_WORLD_SETUP(self);
}

FIXTURE_TEARDOWN(fsapi)
{
	NSM_WORLD_TEARDOWN(self);
}

static long fsopen_(int fd, __u32 task, const char *name, unsigned int flags)
{
	struct nsm_fsopen_args a = {
		.size = sizeof(a), .task = task,
		.fs_name = (uintptr_t)name, .flags = flags,
	};

	return nsm_ioc(fd, NSM_IOC_FSOPEN, &a);
}

static long fsconfig_(int fd, __u32 task, int ctx, unsigned int cmd,
		      const char *key, const char *val, int aux)
{
	struct nsm_fsconfig_args a = {
		.size = sizeof(a), .task = task, .fd = ctx, .cmd = cmd,
		.key = (uintptr_t)key, .value = (uintptr_t)val, .aux = aux,
	};

	return nsm_ioc(fd, NSM_IOC_FSCONFIG, &a);
}

#define set_flag(fd, ctx, k)	fsconfig_(fd, INIT, ctx, FSCONFIG_SET_FLAG, \
					  k, NULL, 0)
#define set_string(fd, ctx, k, v) fsconfig_(fd, INIT, ctx,		\
					    FSCONFIG_SET_STRING, k, v, 0)
#define command(fd, ctx, c)	fsconfig_(fd, INIT, ctx, c, NULL, NULL, 0)

static long fsmount_(int fd, __u32 task, int ctx, unsigned int flags,
		     unsigned int attrs)
{
	struct nsm_fsmount_args a = {
		.size = sizeof(a), .task = task, .fs_fd = ctx,
		.flags = flags, .attr_flags = attrs,
	};

	return nsm_ioc(fd, NSM_IOC_FSMOUNT, &a);
}

static long fspick_(int fd, __u32 task, int dfd, const char *path,
		    unsigned int flags)
{
	struct nsm_fspick_args a = {
		.size = sizeof(a), .task = task, .dfd = dfd,
		.path = (uintptr_t)path, .flags = flags,
	};

	return nsm_ioc(fd, NSM_IOC_FSPICK, &a);
}

static long count(int fd, enum nsm_obj_type type)
{
	return nsm_world_count(fd, type);
}

/* a context that has created its superblock */
static long created(int fd)
{
	long ctx = fsopen_(fd, INIT, "tmpfs", FSOPEN_CLOEXEC);

	if (ctx >= 0 && command(fd, ctx, FSCONFIG_CMD_CREATE)) {
		close(ctx);
		return -1;
	}
	return ctx;
}

TEST_F(fsapi, fsopen_checks_in_order)
{
	char name[4097];

	EXPECT_EQ(-ESRCH, fsopen_(self->fd, 99, "tmpfs", 0));
	EXPECT_EQ(-EINVAL, fsopen_(self->fd, INIT, "tmpfs", 2));
	EXPECT_EQ(-EINVAL, fsopen_(self->fd, INIT, "nosuchfs", 2));
	EXPECT_EQ(-EFAULT, fsopen_(self->fd, INIT, NULL, 0));
	EXPECT_EQ(-ENODEV, fsopen_(self->fd, INIT, "nosuchfs", 0));
	/* strndup_user(PAGE_SIZE): a page without a NUL is EINVAL */
	memset(name, 't', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	EXPECT_EQ(-EINVAL, fsopen_(self->fd, INIT, name, 0));
	name[4095] = 0;
	EXPECT_EQ(-ENODEV, fsopen_(self->fd, INIT, name, 0));
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_FS_CONTEXT));
	/* may_mount() first, before the flags */
	ASSERT_EQ(2, nsm_clone(self->fd, INIT, 0));
	ASSERT_EQ(0, nsm_setuid(self->fd, 2, 1000));
	EXPECT_EQ(-EPERM, fsopen_(self->fd, 2, "tmpfs", 2));
	EXPECT_EQ(-EPERM, fspick_(self->fd, 2, AT_FDCWD, "/", 0));
	EXPECT_EQ(-EPERM, fsmount_(self->fd, 2, -1, 2, 0));
}

TEST_F(fsapi, fsconfig_checks_in_order)
{
	char key[257];
	long ctx;

	ctx = fsopen_(self->fd, INIT, "tmpfs", FSOPEN_CLOEXEC);
	ASSERT_LE(0, ctx);
	EXPECT_EQ(1, count(self->fd, NSM_OBJ_FS_CONTEXT));
	/* a negative fd before the command, the command before the fd */
	EXPECT_EQ(-EINVAL, fsconfig_(self->fd, INIT, -1, 99, NULL, NULL, 0));
	EXPECT_EQ(-EOPNOTSUPP, fsconfig_(self->fd, INIT, 1000, 99, NULL,
					 NULL, 0));
	EXPECT_EQ(-EINVAL, fsconfig_(self->fd, INIT, 1000, FSCONFIG_SET_FLAG,
				     "ro", "x", 0));
	EXPECT_EQ(-EINVAL, fsconfig_(self->fd, INIT, 1000,
				     FSCONFIG_SET_STRING, "size", NULL, 0));
	EXPECT_EQ(-EINVAL, fsconfig_(self->fd, INIT, 1000,
				     FSCONFIG_CMD_CREATE, "x", NULL, 0));
	EXPECT_EQ(-EINVAL, fsconfig_(self->fd, INIT, 1000,
				     FSCONFIG_SET_BINARY, "k", "v", 0));
	EXPECT_EQ(-EBADF, set_flag(self->fd, 1000, "ro"));
	/* a file that is no context: the world fd itself */
	EXPECT_EQ(-EINVAL, set_flag(self->fd, self->fd, "ro"));
	/* keys and values: strndup_user(256) */
	memset(key, 'k', sizeof(key) - 1);
	key[256] = 0;
	EXPECT_EQ(-EINVAL, set_flag(self->fd, ctx, key));
	EXPECT_EQ(-EINVAL, set_string(self->fd, ctx, "size", key));
	EXPECT_EQ(-EFAULT, set_string(self->fd, ctx, "size",
				      (const char *)8));
	/* the parameters */
	EXPECT_EQ(-EINVAL, set_flag(self->fd, ctx, key + 1));
	EXPECT_EQ(-EINVAL, set_flag(self->fd, ctx, "nosuid"));
	EXPECT_EQ(-EINVAL, set_flag(self->fd, ctx, "size"));
	EXPECT_EQ(-EINVAL, set_string(self->fd, ctx, "inode64", "1"));
	EXPECT_EQ(-EINVAL, set_flag(self->fd, ctx, "source"));
	EXPECT_EQ(0, set_string(self->fd, ctx, "source", "a"));
	EXPECT_EQ(-EINVAL, set_string(self->fd, ctx, "source", "b"));
	EXPECT_EQ(0, set_string(self->fd, ctx, "ro", "anything"));
	EXPECT_EQ(0, set_string(self->fd, ctx, "size", "1m"));
	/* value types the model has no files or blobs for */
	EXPECT_EQ(-EOPNOTSUPP, fsconfig_(self->fd, INIT, ctx,
					 FSCONFIG_SET_BINARY, "ro", "x", 1));
	EXPECT_EQ(-EOPNOTSUPP, fsconfig_(self->fd, INIT, ctx,
					 FSCONFIG_SET_FD, "ro", NULL, 0));
	{
		struct nsm_fsconfig_args a = {
			.size = sizeof(a), .task = INIT, .fd = ctx,
			.cmd = FSCONFIG_CMD_CREATE, .__reserved = 1,
		};

		EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_FSCONFIG, &a));
	}
	close(ctx);
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_FS_CONTEXT));
}

TEST_F(fsapi, phases)
{
	long supers = count(self->fd, NSM_OBJ_SUPER);
	long ctx, m;

	ctx = fsopen_(self->fd, INIT, "tmpfs", FSOPEN_CLOEXEC);
	ASSERT_LE(0, ctx);
	EXPECT_EQ(-EBUSY, command(self->fd, ctx, FSCONFIG_CMD_RECONFIGURE));
	/* no superblock yet: EINVAL before the phase's EBUSY */
	EXPECT_EQ(-EINVAL, fsmount_(self->fd, INIT, ctx, 0, 0));
	EXPECT_EQ(0, command(self->fd, ctx, FSCONFIG_CMD_CREATE));
	EXPECT_EQ(supers + 1, count(self->fd, NSM_OBJ_SUPER));
	EXPECT_EQ(-EBUSY, command(self->fd, ctx, FSCONFIG_CMD_CREATE));
	EXPECT_EQ(-EBUSY, set_flag(self->fd, ctx, "ro"));
	m = fsmount_(self->fd, INIT, ctx, FSMOUNT_CLOEXEC, 0);
	ASSERT_LE(0, m);
	EXPECT_EQ(-EBUSY, fsmount_(self->fd, INIT, ctx, 0, 0));
	/* mounted: the next fsconfig reconfigures */
	EXPECT_EQ(0, set_string(self->fd, ctx, "nr_inodes", "1"));
	EXPECT_EQ(-EBUSY, command(self->fd, ctx, FSCONFIG_CMD_CREATE));
	/* one inode (the root) is in use: fine; none is unlimited */
	EXPECT_EQ(0, command(self->fd, ctx, FSCONFIG_CMD_RECONFIGURE));
	EXPECT_EQ(0, set_flag(self->fd, ctx, "dirsync"));
	/* dirsync is outside MS_RMT_MASK: the context fails */
	EXPECT_EQ(-EINVAL, command(self->fd, ctx, FSCONFIG_CMD_RECONFIGURE));
	EXPECT_EQ(-EBUSY, set_flag(self->fd, ctx, "ro"));
	EXPECT_EQ(-EBUSY, command(self->fd, ctx, FSCONFIG_CMD_RECONFIGURE));
	/* the context keeps the superblock after its mount dissolved */
	close(m);
	EXPECT_EQ(supers + 1, count(self->fd, NSM_OBJ_SUPER));
	close(ctx);
	EXPECT_EQ(supers, count(self->fd, NSM_OBJ_SUPER));
}

TEST_F(fsapi, create_eperm_keeps_the_phase)
{
	long ctx;

	ctx = fsopen_(self->fd, INIT, "tmpfs", FSOPEN_CLOEXEC);
	ASSERT_LE(0, ctx);
	ASSERT_EQ(2, nsm_clone(self->fd, INIT, 0));
	ASSERT_EQ(0, nsm_setuid(self->fd, 2, 1000));
	EXPECT_EQ(-EPERM, fsconfig_(self->fd, 2, ctx, FSCONFIG_CMD_CREATE,
				    NULL, NULL, 0));
	EXPECT_EQ(0, command(self->fd, ctx, FSCONFIG_CMD_CREATE));
	close(ctx);
}

TEST_F(fsapi, fsmount_checks_in_order)
{
	long ctx = created(self->fd), h;

	ASSERT_LE(0, ctx);
	EXPECT_EQ(-ESRCH, fsmount_(self->fd, 99, ctx, 0, 0));
	EXPECT_EQ(-EINVAL, fsmount_(self->fd, INIT, -1, 2, 0));
	EXPECT_EQ(-EINVAL, fsmount_(self->fd, INIT, -1, 0,
				    MOUNT_ATTR_IDMAP));
	EXPECT_EQ(-EINVAL, fsmount_(self->fd, INIT, -1, 0, 0x40));
	EXPECT_EQ(-EINVAL, fsmount_(self->fd, INIT, -1, 0,
				    MOUNT_ATTR_NOATIME |
				    MOUNT_ATTR_STRICTATIME));
	EXPECT_EQ(-EBADF, fsmount_(self->fd, INIT, -1, 0, 0));
	EXPECT_EQ(-EINVAL, fsmount_(self->fd, INIT, self->fd, 0, 0));
	/* a mount handle is no context either */
	h = fsmount_(self->fd, INIT, ctx, 0, MOUNT_ATTR_RDONLY);
	ASSERT_LE(0, h);
	EXPECT_EQ(-EINVAL, fsmount_(self->fd, INIT, h, 0, 0));
	close(h);
	close(ctx);
}

TEST_F(fsapi, fsmount_makes_a_detached_mount_that_close_dissolves)
{
	long mounts = count(self->fd, NSM_OBJ_MOUNT);
	long mnt_ns = count(self->fd, NSM_OBJ_MNT_NS);
	long ctx = created(self->fd), h;
	struct nsm_move_mount_args a = {
		.size = sizeof(a), .task = INIT, .from_path = (uintptr_t)"",
		.to_dfd = AT_FDCWD, .to_path = (uintptr_t)"/m",
		.flags = MOVE_MOUNT_F_EMPTY_PATH,
	};

	ASSERT_LE(0, ctx);
	h = fsmount_(self->fd, INIT, ctx, FSMOUNT_CLOEXEC, 0);
	ASSERT_LE(0, h);
	EXPECT_EQ(mounts + 1, count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(mnt_ns + 1, count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(1, count(self->fd, NSM_OBJ_MNT_HANDLE));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
	close(h);
	EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(mnt_ns, count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(0, count(self->fd, NSM_OBJ_MNT_HANDLE));
	close(ctx);
	/* attached, it stays after the close */
	ctx = created(self->fd);
	ASSERT_LE(0, ctx);
	h = fsmount_(self->fd, INIT, ctx, FSMOUNT_CLOEXEC, 0);
	ASSERT_LE(0, h);
	close(ctx);
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/m"));
	a.from_dfd = h;
	EXPECT_EQ(0, nsm_ioc(self->fd, NSM_IOC_MOVE_MOUNT, &a));
	close(h);
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(mnt_ns, count(self->fd, NSM_OBJ_MNT_NS));
}

TEST_F(fsapi, fspick_checks_in_order)
{
	long ctx;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/s/d"));
	EXPECT_EQ(-ESRCH, fspick_(self->fd, 99, AT_FDCWD, "/s", 0));
	EXPECT_EQ(-EINVAL, fspick_(self->fd, INIT, AT_FDCWD, "/s", 0x10));
	EXPECT_EQ(-ENOENT, fspick_(self->fd, INIT, AT_FDCWD, "/x", 0));
	EXPECT_EQ(-ENOENT, fspick_(self->fd, INIT, AT_FDCWD, "", 0));
	EXPECT_EQ(-EBADF, fspick_(self->fd, INIT, 1000, "",
				  FSPICK_EMPTY_PATH));
	EXPECT_EQ(-EINVAL, fspick_(self->fd, INIT, AT_FDCWD, "/s/d", 0));
	ctx = fspick_(self->fd, INIT, AT_FDCWD, "/s", FSPICK_CLOEXEC);
	ASSERT_LE(0, ctx);
	EXPECT_EQ(-EBUSY, command(self->fd, ctx, FSCONFIG_CMD_CREATE));
	/* it has a superblock, but it is no creation awaiting a mount */
	EXPECT_EQ(-EBUSY, fsmount_(self->fd, INIT, ctx, 0, 0));
	EXPECT_EQ(0, set_flag(self->fd, ctx, "ro"));
	EXPECT_EQ(0, command(self->fd, ctx, FSCONFIG_CMD_RECONFIGURE));
	EXPECT_EQ(-EROFS, nsm_mkdir(self->fd, INIT, "/s/e"));
	close(ctx);
}

TEST_F(fsapi, create_excl_follows_the_profile)
{
	struct nsm_profile_args p = {
		.size = sizeof(p), .flags = NSM_PROFILE_SET,
		.profile = NSM_PROFILE_6_12,
	};
	long ctx;
	int w;

	ASSERT_EQ(0, nsm_ioc(self->fd, NSM_IOC_PROFILE, &p));
	p.profile = NSM_PROFILE_6_1;
	ctx = fsopen_(self->fd, INIT, "tmpfs", FSOPEN_CLOEXEC);
	ASSERT_LE(0, ctx);
	EXPECT_EQ(0, command(self->fd, ctx, FSCONFIG_CMD_CREATE_EXCL));
	close(ctx);
	w = nsm_open();
	ASSERT_LE(0, w);
	ASSERT_EQ(0, nsm_ioc(w, NSM_IOC_PROFILE, &p));
	ctx = fsopen_(w, INIT, "tmpfs", FSOPEN_CLOEXEC);
	ASSERT_LE(0, ctx);
	EXPECT_EQ(-EOPNOTSUPP, command(w, ctx, FSCONFIG_CMD_CREATE_EXCL));
	EXPECT_EQ(0, command(w, ctx, FSCONFIG_CMD_CREATE));
	close(ctx);
	close(w);
}

TEST_F(fsapi, allocation_failures_leave_nothing)
{
	long mounts = count(self->fd, NSM_OBJ_MOUNT);
	long supers = count(self->fd, NSM_OBJ_SUPER);
	long mnt_ns = count(self->fd, NSM_OBJ_MNT_NS);
	long ctx, r = -ENOMEM, h = -ENOMEM;
	int nth;

	for (nth = 1; nth < 100 && r == -ENOMEM; nth++) {
		nsm_fault(self->fd, nth);
		r = fsopen_(self->fd, INIT, "tmpfs", FSOPEN_CLOEXEC);
		nsm_fault(self->fd, 0);
		if (r == -ENOMEM)
			EXPECT_EQ(0, count(self->fd, NSM_OBJ_FS_CONTEXT));
	}
	ASSERT_LE(0, r);
	ctx = r;
	for (nth = 1, r = -ENOMEM; nth < 100 && r == -ENOMEM; nth++) {
		nsm_fault(self->fd, nth);
		r = command(self->fd, ctx, FSCONFIG_CMD_CREATE);
		nsm_fault(self->fd, 0);
		if (r == -ENOMEM) {
			EXPECT_EQ(supers, count(self->fd, NSM_OBJ_SUPER));
			/* a create that failed in get_tree fails the context */
			EXPECT_EQ(-EBUSY, command(self->fd, ctx,
						  FSCONFIG_CMD_CREATE));
			close(ctx);
			ctx = fsopen_(self->fd, INIT, "tmpfs", FSOPEN_CLOEXEC);
			ASSERT_LE(0, ctx);
		}
	}
	ASSERT_EQ(0, r);
	for (nth = 1; nth < 100 && h == -ENOMEM; nth++) {
		nsm_fault(self->fd, nth);
		h = fsmount_(self->fd, INIT, ctx, FSMOUNT_CLOEXEC, 0);
		nsm_fault(self->fd, 0);
		if (h == -ENOMEM) {
			EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
			EXPECT_EQ(mnt_ns, count(self->fd, NSM_OBJ_MNT_NS));
			EXPECT_EQ(0, count(self->fd, NSM_OBJ_MNT_HANDLE));
			/* only a failed vfs_create_mount() keeps the phase */
			close(ctx);
			ctx = created(self->fd);
			ASSERT_LE(0, ctx);
		}
	}
	ASSERT_LE(0, h);
	EXPECT_LT(1, nth);
	close(h);
	close(ctx);
	EXPECT_EQ(mounts, count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(supers, count(self->fd, NSM_OBJ_SUPER));
}

TEST_HARNESS_MAIN
