// SPDX-License-Identifier: GPL-2.0
/*
 * mount_setattr_test: NSM_IOC_MOUNT_SETATTR, mount_setattr(2) in the
 * model - the struct and flag checks and their order (EINVAL, E2BIG,
 * EPERM, EFAULT, then build_mount_kattr()'s EINVALs before the lookup),
 * the attributes and how mountinfo shows them, the atime rules,
 * propagation, AT_RECURSIVE, the locked flags (EPERM) and the
 * all-or-nothing rule, MOUNT_ATTR_IDMAP's checks, and a failed
 * allocation.  Every test checks that the world frees everything.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"
#include "mountinfo_parse.h"

#define INIT	NSM_INIT_TASK

#ifndef AT_RECURSIVE
#define AT_RECURSIVE		0x8000
#endif
#ifndef MOUNT_ATTR_SIZE_VER0
#define MOUNT_ATTR_SIZE_VER0	32
#endif

FIXTURE(msa) {
	int mon, fd;
	struct nsm_counters before;
	struct mi_table *t;
};

FIXTURE_SETUP(msa)
{
	NSM_WORLD_SETUP(self);
	self->t = mi_new();
	ASSERT_NE(NULL, self->t);
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
}

FIXTURE_TEARDOWN(msa)
{
	mi_free(self->t);
	NSM_WORLD_TEARDOWN(self);
}

static long setattr_raw(int fd, __u32 task, int dfd, const char *path,
			__u32 flags, const void *uattr, __u64 usize)
{
	struct nsm_mount_setattr_args a = {
		.size = sizeof(a), .task = task, .dfd = dfd, .flags = flags,
		.path = (uintptr_t)path, .uattr = (uintptr_t)uattr,
		.usize = usize,
	};

	return nsm_ioc(fd, NSM_IOC_MOUNT_SETATTR, &a);
}

static long setattr(int fd, __u32 task, const char *path, __u32 flags,
		    __u64 set, __u64 clr, __u64 prop)
{
	struct mount_attr attr = {
		.attr_set = set, .attr_clr = clr, .propagation = prop,
	};

	return setattr_raw(fd, task, AT_FDCWD, path, flags, &attr,
			   sizeof(attr));
}

static const char *opts_of(int fd, __u32 task, struct mi_table *t,
			   const char *mp)
{
	if (mi_read(fd, task, t))
		return "(mountinfo failed)";
	return mi_get(t, mp)->opts;
}

static const char *tags_of(int fd, __u32 task, struct mi_table *t,
			   const char *mp)
{
	if (mi_read(fd, task, t))
		return "(mountinfo failed)";
	return mi_get(t, mp)->tags;
}

TEST_F(msa, struct_and_flag_checks_in_the_kernels_order)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	char big[8192] = { 0 };
	long user;

	/* unknown AT_* flags first, before the size */
	EXPECT_EQ(-EINVAL, setattr_raw(self->fd, INIT, AT_FDCWD, "/a",
				       AT_REMOVEDIR, &attr, 1 << 20));
	/* larger than a page: E2BIG; smaller than VER0: EINVAL */
	EXPECT_EQ(-E2BIG, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				      big, 4097));
	EXPECT_EQ(-EINVAL, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				       &attr, MOUNT_ATTR_SIZE_VER0 - 1));
	EXPECT_EQ(-EINVAL, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				       &attr, 0));
	/* may_mount() before the struct is read: EPERM beats EFAULT */
	user = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, user);
	ASSERT_EQ(0, nsm_setuid(self->fd, user, 1000));
	EXPECT_EQ(-EPERM, setattr_raw(self->fd, user, AT_FDCWD, "/a", 0,
				      NULL, sizeof(attr)));
	EXPECT_EQ(-EFAULT, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				       NULL, sizeof(attr)));
	/* bytes beyond the known struct: zero is fine, anything else E2BIG */
	memcpy(big, &attr, sizeof(attr));
	EXPECT_EQ(0, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0, big,
				 4096));
	EXPECT_STREQ("ro,relatime", opts_of(self->fd, INIT, self->t, "/a"));
	big[100] = 1;
	((struct mount_attr *)big)->attr_set = 0;
	((struct mount_attr *)big)->attr_clr = MOUNT_ATTR_RDONLY;
	EXPECT_EQ(-E2BIG, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0, big,
				      4096));
	EXPECT_STREQ("ro,relatime", opts_of(self->fd, INIT, self->t, "/a"));
	/* unknown task */
	EXPECT_EQ(-ESRCH, setattr(self->fd, 999, "/a", 0, MOUNT_ATTR_NOEXEC,
				  0, 0));
	/* the ioctl's own struct: reserved room past it must be zero */
	{
		struct {
			struct nsm_mount_setattr_args a;
			__u64 extra;
		} x = { .a = { .size = sizeof(x), .task = INIT,
			       .dfd = AT_FDCWD, .path = (uintptr_t)"/a",
			       .uattr = (uintptr_t)&attr,
			       .usize = sizeof(attr) },
			.extra = 1 };

		EXPECT_EQ(-E2BIG, nsm_ioc(self->fd, NSM_IOC_MOUNT_SETATTR, &x));
		x.extra = 0;
		EXPECT_EQ(0, nsm_ioc(self->fd, NSM_IOC_MOUNT_SETATTR, &x));
	}
}

TEST_F(msa, nothing_asked_succeeds_without_a_lookup)
{
	struct mount_attr attr = { .userns_fd = 12345 };

	EXPECT_EQ(0, setattr_raw(self->fd, INIT, AT_FDCWD, "/nonexistent",
				 0, &attr, sizeof(attr)));
	EXPECT_EQ(0, setattr_raw(self->fd, INIT, AT_FDCWD, NULL, 0, &attr,
				 sizeof(attr)));
	EXPECT_EQ(0, setattr_raw(self->fd, INIT, 77, "rel", AT_RECURSIVE,
				 &attr, sizeof(attr)));
}

TEST_F(msa, attribute_checks_come_before_the_lookup)
{
	static const struct {
		__u64 set, clr, prop;
	} bad[] = {
		{ 0, 0, MS_REC | MS_SHARED },		/* not a type */
		{ 0, 0, MS_SHARED | MS_SLAVE },		/* two types */
		{ 0, 0, MS_RDONLY },
		{ 1ULL << 32, 0, 0 },			/* unknown bits */
		{ 0, 0x40000000, 0 },
		{ MOUNT_ATTR_NOATIME, 0, 0 },		/* atime without clr */
		{ MOUNT_ATTR_STRICTATIME, 0, 0 },
		{ 0, MOUNT_ATTR_NOATIME, 0 },		/* part of __ATIME */
		{ MOUNT_ATTR_NOATIME | MOUNT_ATTR_STRICTATIME,
		  MOUNT_ATTR__ATIME, 0 },		/* not a value */
		{ 0, MOUNT_ATTR_IDMAP, 0 },		/* clearing IDMAP */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, setattr(self->fd, INIT, "/nonexistent", 0,
					   bad[i].set, bad[i].clr, bad[i].prop))
			TH_LOG("case %u", i);
	}
	/* the propagation type is checked before the attributes */
	EXPECT_EQ(-EINVAL, setattr(self->fd, INIT, "/a", 0, 1ULL << 40, 0,
				   MS_SHARED | MS_PRIVATE));
	EXPECT_STREQ("rw,relatime", opts_of(self->fd, INIT, self->t, "/a"));
	EXPECT_STREQ("", tags_of(self->fd, INIT, self->t, "/a"));
}

TEST_F(msa, lookup_errors)
{
	static char longname[NSM_PATH_MAX + 1];

	memset(longname, 'x', NSM_PATH_MAX);
	longname[0] = '/';
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/sub"));
	EXPECT_EQ(-ENOENT, setattr(self->fd, INIT, "/nonexistent", 0,
				   MOUNT_ATTR_NOEXEC, 0, 0));
	EXPECT_EQ(-EFAULT, setattr(self->fd, INIT, NULL, 0,
				   MOUNT_ATTR_NOEXEC, 0, 0));
	EXPECT_EQ(-ENAMETOOLONG, setattr(self->fd, INIT, longname, 0,
					 MOUNT_ATTR_NOEXEC, 0, 0));
	/* an empty path is ENOENT without AT_EMPTY_PATH, the cwd with it */
	EXPECT_EQ(-ENOENT, setattr(self->fd, INIT, "", 0,
				   MOUNT_ATTR_NOEXEC, 0, 0));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/a"));
	EXPECT_EQ(0, setattr(self->fd, INIT, "", AT_EMPTY_PATH,
			     MOUNT_ATTR_NOEXEC, 0, 0));
	EXPECT_STREQ("rw,noexec,relatime",
		     opts_of(self->fd, INIT, self->t, "/a"));
	/*
	 * relative names from the cwd; a dfd that is not open, or is open
	 * but no mount handle (the world fd), is EBADF
	 */
	EXPECT_EQ(0, setattr(self->fd, INIT, ".", 0, 0, MOUNT_ATTR_NOEXEC,
			     0));
	EXPECT_EQ(-EBADF, setattr_raw(self->fd, INIT, 1000, ".", 0,
				      &(struct mount_attr){ .attr_set = 1 },
				      MOUNT_ATTR_SIZE_VER0));
	EXPECT_EQ(-EBADF, setattr_raw(self->fd, INIT, self->fd, "",
				      AT_EMPTY_PATH,
				      &(struct mount_attr){ .attr_set = 1 },
				      MOUNT_ATTR_SIZE_VER0));
	/* an absolute name does not look at dfd */
	EXPECT_EQ(0, setattr_raw(self->fd, INIT, 1000, "/a", 0,
				 &(struct mount_attr){ .attr_set = 1 },
				 MOUNT_ATTR_SIZE_VER0));
	EXPECT_STREQ("ro,relatime", opts_of(self->fd, INIT, self->t, "/a"));
	/* not the root of a mount */
	EXPECT_EQ(-EINVAL, setattr(self->fd, INIT, "/a/sub", 0, 0,
				   MOUNT_ATTR_RDONLY, 0));
	EXPECT_EQ(-EINVAL, setattr(self->fd, INIT, "/a/sub", 0, 0, 0,
				   MS_SHARED));
	EXPECT_STREQ("ro,relatime", opts_of(self->fd, INIT, self->t, "/a"));
}

TEST_F(msa, attributes_set_and_cleared)
{
	static const struct {
		__u64 set, clr;
		const char *opts;
	} steps[] = {
		{ MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0,
		  "ro,nosuid,relatime" },
		{ MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, MOUNT_ATTR_RDONLY,
		  "rw,nosuid,nodev,noexec,relatime" },
		{ MOUNT_ATTR_NOSYMFOLLOW | MOUNT_ATTR_NODIRATIME, 0,
		  "rw,nosuid,nodev,noexec,nodiratime,relatime,nosymfollow" },
		{ MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME,
		  "rw,nosuid,nodev,noexec,noatime,nodiratime,nosymfollow" },
		{ MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME,
		  "rw,nosuid,nodev,noexec,nodiratime,nosymfollow" },
		{ MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME,
		  "rw,nosuid,nodev,noexec,relatime,nosymfollow" },
		/* set and clear the same bit: cleared, then raised */
		{ MOUNT_ATTR_RDONLY, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
		  MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSYMFOLLOW,
		  "ro,relatime" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		EXPECT_EQ(0, setattr(self->fd, INIT, "/a", 0, steps[i].set,
				     steps[i].clr, 0));
		EXPECT_STREQ(steps[i].opts,
			     opts_of(self->fd, INIT, self->t, "/a"))
			TH_LOG("step %u", i);
	}
	/* a read-only mount refuses new directories */
	EXPECT_EQ(-EROFS, nsm_mkdir(self->fd, INIT, "/a/new"));
}

TEST_F(msa, recursive_or_one_mount)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b/c"));
	EXPECT_EQ(0, setattr(self->fd, INIT, "/a", 0, MOUNT_ATTR_NOSUID, 0,
			     MS_SHARED));
	EXPECT_STREQ("rw,nosuid,relatime",
		     opts_of(self->fd, INIT, self->t, "/a"));
	EXPECT_STREQ("rw,relatime", mi_get(self->t, "/a/b")->opts);
	EXPECT_NE(0, mi_get(self->t, "/a")->shared);
	EXPECT_EQ(0, mi_get(self->t, "/a/b")->shared);

	EXPECT_EQ(0, setattr(self->fd, INIT, "/a", AT_RECURSIVE,
			     MOUNT_ATTR_NODEV, MOUNT_ATTR_NOSUID, MS_SHARED));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_STREQ("rw,nodev,relatime", mi_get(self->t, "/a")->opts);
	EXPECT_STREQ("rw,nodev,relatime", mi_get(self->t, "/a/b")->opts);
	EXPECT_STREQ("rw,nodev,relatime", mi_get(self->t, "/a/b/c")->opts);
	EXPECT_NE(0, mi_get(self->t, "/a/b")->shared);
	EXPECT_NE(0, mi_get(self->t, "/a/b/c")->shared);
	EXPECT_NE(mi_get(self->t, "/a/b")->shared,
		  mi_get(self->t, "/a/b/c")->shared);

	/* propagation alone, one type at a time */
	EXPECT_EQ(0, setattr(self->fd, INIT, "/a/b", AT_RECURSIVE, 0, 0,
			     MS_PRIVATE));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(0, mi_get(self->t, "/a/b")->shared);
	EXPECT_EQ(0, mi_get(self->t, "/a/b/c")->shared);
	EXPECT_NE(0, mi_get(self->t, "/a")->shared);
	EXPECT_EQ(0, setattr(self->fd, INIT, "/a/b/c", 0, 0, 0,
			     MS_UNBINDABLE));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_NE(0, mi_get(self->t, "/a/b/c")->unbindable);
	EXPECT_EQ(-EINVAL, nsm_bind(self->fd, INIT, "/a/b/c", "/a/b"));
}

TEST_F(msa, slave_of_a_shared_mount)
{
	long child;

	ASSERT_EQ(0, setattr(self->fd, INIT, "/a", 0, 0, 0, MS_SHARED));
	child = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, child);
	EXPECT_EQ(0, setattr(self->fd, child, "/a", 0, 0, 0, MS_SLAVE));
	ASSERT_EQ(0, mi_read(self->fd, child, self->t));
	EXPECT_EQ(0, mi_get(self->t, "/a")->shared);
	EXPECT_NE(0, mi_get(self->t, "/a")->master);
	/* the master's new mounts reach the slave */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/m"));
	EXPECT_STREQ("rw,relatime", opts_of(self->fd, child, self->t, "/a/m"));
}

TEST_F(msa, only_mounted_mounts_of_the_callers_namespace)
{
	long t;

	/* a cwd in a lazily unmounted mount: not mounted any more */
	t = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, t);
	ASSERT_EQ(0, nsm_chdir(self->fd, t, "/a"));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/a", MNT_DETACH));
	EXPECT_EQ(-EINVAL, setattr(self->fd, t, ".", 0, MOUNT_ATTR_RDONLY, 0,
				   0));
	EXPECT_EQ(-EINVAL, setattr(self->fd, t, ".", 0, 0, 0, MS_SHARED));
	EXPECT_EQ(0, nsm_exit(self->fd, t));
}

TEST_F(msa, locked_flags_are_eperm_and_nothing_changes)
{
	char before[MI_STR];
	long child;

	ASSERT_EQ(0, setattr(self->fd, INIT, "/a", 0, MOUNT_ATTR_RDONLY |
			     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			     MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSYMFOLLOW, 0, 0));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/t"));
	child = nsm_clone(self->fd, INIT, CLONE_NEWUSER | CLONE_NEWNS);
	ASSERT_LT(0, child);
	snprintf(before, sizeof(before), "%s",
		 opts_of(self->fd, child, self->t, "/a"));

	EXPECT_EQ(-EPERM, setattr(self->fd, child, "/a", 0, 0,
				  MOUNT_ATTR_RDONLY, 0));
	EXPECT_EQ(-EPERM, setattr(self->fd, child, "/a", 0, 0,
				  MOUNT_ATTR_NOSUID, 0));
	EXPECT_EQ(-EPERM, setattr(self->fd, child, "/a", 0, 0,
				  MOUNT_ATTR_NODEV, 0));
	EXPECT_EQ(-EPERM, setattr(self->fd, child, "/a", 0, 0,
				  MOUNT_ATTR_NOEXEC, 0));
	/* any change of the atime flags, even to what they are */
	EXPECT_EQ(-EPERM, setattr(self->fd, child, "/a", 0,
				  MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME, 0));
	EXPECT_EQ(-EPERM, setattr(self->fd, child, "/a", 0,
				  MOUNT_ATTR_NODIRATIME, 0, 0));
	EXPECT_EQ(0, setattr(self->fd, child, "/a", 0, MOUNT_ATTR_RELATIME,
			     MOUNT_ATTR__ATIME, 0));
	EXPECT_STREQ(before, opts_of(self->fd, child, self->t, "/a"));
	/* nosymfollow is never locked; raising flags is always allowed */
	EXPECT_EQ(0, setattr(self->fd, child, "/a", 0, 0,
			     MOUNT_ATTR_NOSYMFOLLOW, 0));
	EXPECT_EQ(0, setattr(self->fd, child, "/a", 0, MOUNT_ATTR_NOSYMFOLLOW,
			     0, 0));
	EXPECT_STREQ(before, opts_of(self->fd, child, self->t, "/a"));

	/*
	 * All or nothing: the child's own tmpfs on /t, the locked mount
	 * bound below it.  Clearing ro on the tree fails on the second
	 * mount, and the first keeps what it had; a failed MS_SHARED
	 * gives its new peer group ids back.
	 */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, child, "/t"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, child, "/t/sub"));
	ASSERT_EQ(0, nsm_bind(self->fd, child, "/a", "/t/sub"));
	EXPECT_EQ(-EPERM, setattr(self->fd, child, "/t", AT_RECURSIVE,
				  MOUNT_ATTR_NOEXEC, MOUNT_ATTR_RDONLY,
				  MS_SHARED));
	ASSERT_EQ(0, mi_read(self->fd, child, self->t));
	EXPECT_STREQ("rw,relatime", mi_get(self->t, "/t")->opts);
	EXPECT_EQ(0, mi_get(self->t, "/t")->shared);
	EXPECT_EQ(0, mi_get(self->t, "/t/sub")->shared);
	/* without AT_RECURSIVE only /t is checked and changed */
	EXPECT_EQ(0, setattr(self->fd, child, "/t", 0, MOUNT_ATTR_NOEXEC,
			     MOUNT_ATTR_RDONLY, MS_SHARED));
	ASSERT_EQ(0, mi_read(self->fd, child, self->t));
	EXPECT_STREQ("rw,noexec,relatime", mi_get(self->t, "/t")->opts);
	EXPECT_NE(0, mi_get(self->t, "/t")->shared);
	EXPECT_EQ(0, mi_get(self->t, "/t/sub")->shared);
	/* raising a flag over the whole tree is allowed */
	EXPECT_EQ(0, setattr(self->fd, child, "/t", AT_RECURSIVE,
			     MOUNT_ATTR_RDONLY, 0, MS_SHARED));
	ASSERT_EQ(0, mi_read(self->fd, child, self->t));
	EXPECT_STREQ("ro,noexec,relatime", mi_get(self->t, "/t")->opts);
	EXPECT_NE(0, mi_get(self->t, "/t/sub")->shared);
}

TEST_F(msa, eperm_without_cap_sys_admin_over_the_namespace)
{
	long child, grand;

	child = nsm_clone(self->fd, INIT, CLONE_NEWUSER);
	ASSERT_LT(0, child);
	/* admin in its own user namespace, not over the world's mounts */
	EXPECT_EQ(-EPERM, setattr(self->fd, child, "/a", 0,
				  MOUNT_ATTR_NOEXEC, 0, 0));
	grand = nsm_clone(self->fd, child, CLONE_NEWNS);
	ASSERT_LT(0, grand);
	EXPECT_EQ(0, setattr(self->fd, grand, "/a", 0, MOUNT_ATTR_NOEXEC, 0,
			     0));
	EXPECT_STREQ("rw,relatime", opts_of(self->fd, INIT, self->t, "/a"));
}

TEST_F(msa, idmap_checks_then_einval)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	long child, other;
	int h_init, h_child, h_other, h_mnt;

	child = nsm_clone(self->fd, INIT, CLONE_NEWUSER | CLONE_NEWNS);
	ASSERT_LT(0, child);
	other = nsm_clone(self->fd, INIT, CLONE_NEWUSER);
	ASSERT_LT(0, other);
	h_init = nsm_ns_open(self->fd, INIT, NSM_NS_USER);
	h_child = nsm_ns_open(self->fd, child, NSM_NS_USER);
	h_other = nsm_ns_open(self->fd, other, NSM_NS_USER);
	h_mnt = nsm_ns_open(self->fd, child, NSM_NS_MNT);
	ASSERT_LE(0, h_init);
	ASSERT_LE(0, h_child);
	ASSERT_LE(0, h_other);
	ASSERT_LE(0, h_mnt);

	attr.userns_fd = (__u64)INT_MAX + 1;
	EXPECT_EQ(-EINVAL, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				       &attr, sizeof(attr)));
	attr.userns_fd = 1000;		/* not open */
	EXPECT_EQ(-EBADF, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				      &attr, sizeof(attr)));
	attr.userns_fd = self->fd;	/* a world, not a namespace */
	EXPECT_EQ(-EINVAL, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				       &attr, sizeof(attr)));
	attr.userns_fd = h_mnt;		/* not a user namespace */
	EXPECT_EQ(-EINVAL, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				       &attr, sizeof(attr)));
	attr.userns_fd = h_init;	/* the initial idmapping */
	EXPECT_EQ(-EPERM, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				      &attr, sizeof(attr)));
	attr.userns_fd = h_other;	/* child is not admin over it */
	EXPECT_EQ(-EPERM, setattr_raw(self->fd, child, AT_FDCWD, "/a", 0,
				      &attr, sizeof(attr)));
	/* the checks before the lookup: ENOENT only after them */
	EXPECT_EQ(-EPERM, setattr_raw(self->fd, child, AT_FDCWD, "/none", 0,
				      &attr, sizeof(attr)));
	/* all checks pass: no filesystem of the model can be idmapped */
	attr.userns_fd = h_child;
	EXPECT_EQ(-ENOENT, setattr_raw(self->fd, INIT, AT_FDCWD, "/none", 0,
				       &attr, sizeof(attr)));
	EXPECT_EQ(-EINVAL, setattr_raw(self->fd, INIT, AT_FDCWD, "/a", 0,
				       &attr, sizeof(attr)));
	/* a locked flag is checked first, mount by mount */
	attr.attr_clr = MOUNT_ATTR_NOEXEC;
	ASSERT_EQ(0, setattr(self->fd, INIT, "/a", 0, MOUNT_ATTR_NOEXEC, 0,
			     0));
	child = nsm_clone(self->fd, INIT, CLONE_NEWUSER | CLONE_NEWNS);
	ASSERT_LT(0, child);
	close(h_child);
	h_child = nsm_ns_open(self->fd, child, NSM_NS_USER);
	ASSERT_LE(0, h_child);
	attr.userns_fd = h_child;
	EXPECT_EQ(-EPERM, setattr_raw(self->fd, child, AT_FDCWD, "/a", 0,
				      &attr, sizeof(attr)));
	close(h_init);
	close(h_child);
	close(h_other);
	close(h_mnt);
}

static long nsm_open_tree(int fd, __u32 task, const char *path,
			  unsigned int flags)
{
	struct nsm_open_tree_args a = {
		.size = sizeof(a), .task = task, .dfd = AT_FDCWD,
		.path = (uintptr_t)path, .flags = flags,
	};

	return nsm_ioc(fd, NSM_IOC_OPEN_TREE, &a);
}

static long setattr_fd(int fd, __u32 task, int dfd, __u32 flags, __u64 set,
		       __u64 prop)
{
	struct mount_attr attr = { .attr_set = set, .propagation = prop };

	return setattr_raw(fd, task, dfd, "", AT_EMPTY_PATH | flags, &attr,
			   sizeof(attr));
}

TEST_F(msa, mount_handles)
{
	long h, d, other;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b"));
	/* a handle on an attached mount: that mount */
	h = nsm_open_tree(self->fd, INIT, "/a", 0);
	ASSERT_LE(0, h);
	EXPECT_EQ(0, setattr_fd(self->fd, INIT, h, 0, MOUNT_ATTR_NOSUID, 0));
	EXPECT_STREQ("rw,nosuid,relatime",
		     opts_of(self->fd, INIT, self->t, "/a"));
	/* relative to the handle */
	EXPECT_EQ(0, setattr_raw(self->fd, INIT, h, "b", 0,
				 &(struct mount_attr){
					.attr_set = MOUNT_ATTR_NODEV },
				 MOUNT_ATTR_SIZE_VER0));
	EXPECT_STREQ("rw,nodev,relatime",
		     opts_of(self->fd, INIT, self->t, "/a/b"));
	/* not from another namespace, attached mounts are check_mnt()'s */
	other = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, other);
	EXPECT_EQ(-EINVAL, setattr_fd(self->fd, other, h, 0,
				      MOUNT_ATTR_NOEXEC, 0));
	EXPECT_EQ(-EINVAL, setattr_fd(self->fd, other, h, 0, 0, MS_SHARED));

	/*
	 * a detached tree (OPEN_TREE_CLONE, the root of an anonymous
	 * namespace) may be changed from any namespace, recursively
	 */
	d = nsm_open_tree(self->fd, INIT, "/a", OPEN_TREE_CLONE | AT_RECURSIVE);
	ASSERT_LE(0, d);
	EXPECT_EQ(0, setattr_fd(self->fd, other, d, AT_RECURSIVE,
				MOUNT_ATTR_RDONLY, MS_SHARED));
	EXPECT_EQ(0, setattr_fd(self->fd, INIT, d, 0, MOUNT_ATTR_NOEXEC, 0));
	/* the attached originals are untouched */
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_STREQ("rw,nosuid,relatime", mi_get(self->t, "/a")->opts);
	EXPECT_EQ(0, mi_get(self->t, "/a")->shared);
	close(d);
	close(h);
}

TEST_F(msa, failed_allocation_changes_nothing)
{
	long n, ret = -ENOMEM, failed = 0;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b"));
	for (n = 1; n < 100 && ret == -ENOMEM; n++) {
		ASSERT_LE(0, nsm_fault(self->fd, n));
		ret = setattr(self->fd, INIT, "/a", AT_RECURSIVE,
			      MOUNT_ATTR_NOEXEC, 0, MS_SHARED);
		nsm_fault(self->fd, 0);
		if (ret == -ENOMEM) {
			failed++;
			ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
			EXPECT_STREQ("rw,relatime",
				     mi_get(self->t, "/a")->opts);
			EXPECT_EQ(0, mi_get(self->t, "/a")->shared);
			EXPECT_EQ(0, mi_get(self->t, "/a/b")->shared);
		}
	}
	EXPECT_EQ(0, ret);
	EXPECT_LT(0, failed);
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_STREQ("rw,noexec,relatime", mi_get(self->t, "/a/b")->opts);
	EXPECT_NE(0, mi_get(self->t, "/a/b")->shared);
}

TEST_HARNESS_MAIN
