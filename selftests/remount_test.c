// SPDX-License-Identifier: GPL-2.0
/*
 * remount_test: MS_REMOUNT through NSM_IOC_MOUNT - the per-mount flags
 * path_mount() makes of the MS_* flags and how mountinfo shows them
 * (show_mnt_opts()), the atime rules of a remount, do_reconfigure_mnt()
 * (MS_BIND|MS_REMOUNT: one mount) against do_remount() (the superblock),
 * the flags a copy into a less privileged user namespace locks
 * (lock_mnt_tree(), can_change_locked_flags(): EPERM), and the EINVAL
 * cases.  A failed remount changes nothing; every test checks that the
 * world frees everything it made.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sched.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"
#include "mountinfo_parse.h"

#define INIT	NSM_INIT_TASK

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW	256
#endif

FIXTURE(rmt) {
	int mon, fd;
	struct nsm_counters before;
	struct mi_table *t;
};

FIXTURE_SETUP(rmt)
{
	NSM_WORLD_SETUP(self);
	self->t = mi_new();
	ASSERT_NE(NULL, self->t);
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
}

FIXTURE_TEARDOWN(rmt)
{
	mi_free(self->t);
	NSM_WORLD_TEARDOWN(self);
}

static long remount(int fd, __u32 task, const char *path, __u64 flags)
{
	return nsm_mount(fd, task, NULL, path, NULL, MS_REMOUNT | flags, NULL);
}

/* the per-mount options of @task's mount at @mp ("" if none) */
static const char *opts_of(int fd, __u32 task, struct mi_table *t,
			   const char *mp)
{
	if (mi_read(fd, task, t))
		return "(mountinfo failed)";
	return mi_get(t, mp)->opts;
}

/* the superblock's ro or rw, the first word of the super options */
static const char *super_ro(int fd, __u32 task, struct mi_table *t,
			    const char *mp)
{
	if (mi_read(fd, task, t))
		return "(mountinfo failed)";
	return strncmp(mi_get(t, mp)->super, "ro", 2) ? "rw" : "ro";
}

TEST_F(rmt, flags_set_and_reported_in_kernel_order)
{
	static const struct {
		__u64 ms;
		const char *opts;
	} cases[] = {
		{ 0, "rw,relatime" },
		{ MS_RDONLY, "ro,relatime" },
		{ MS_NOSYMFOLLOW | MS_NOEXEC | MS_NODEV | MS_NOSUID,
		  "rw,nosuid,nodev,noexec,relatime,nosymfollow" },
		{ MS_NOATIME | MS_NODIRATIME, "rw,noatime,nodiratime" },
		/* MS_RELATIME sets nothing: noatime wins */
		{ MS_RELATIME | MS_NOATIME, "rw,noatime" },
		{ MS_STRICTATIME, "rw" },
		{ MS_STRICTATIME | MS_NOATIME | MS_NODIRATIME, "rw,nodiratime" },
		{ MS_RDONLY | MS_NODIRATIME, "ro,nodiratime,relatime" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* a new mount with the flags: mountinfo's order is fixed */
		char path[32];

		snprintf(path, sizeof(path), "/n%u", i);
		ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, path));
		ASSERT_EQ(0, nsm_mount(self->fd, INIT, "none", path, "tmpfs",
				       cases[i].ms, NULL));
		EXPECT_STREQ(cases[i].opts,
			     opts_of(self->fd, INIT, self->t, path))
			TH_LOG("case %u", i);
		/* MS_BIND|MS_REMOUNT with the same flags gives the same */
		ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND |
				     cases[i].ms | (cases[i].ms &
				     (MS_NOATIME | MS_NODIRATIME |
				      MS_STRICTATIME) ? 0 : MS_RELATIME)));
		EXPECT_STREQ(cases[i].opts,
			     opts_of(self->fd, INIT, self->t, "/a"))
			TH_LOG("case %u", i);
	}
}

TEST_F(rmt, remount_keeps_atime_flags_unless_given)
{
	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND | MS_NOATIME));
	EXPECT_STREQ("rw,noatime", opts_of(self->fd, INIT, self->t, "/a"));
	/* no atime flag given: noatime stays, on both kinds of remount */
	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND | MS_RDONLY));
	EXPECT_STREQ("ro,noatime", opts_of(self->fd, INIT, self->t, "/a"));
	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_NOSUID));
	EXPECT_STREQ("rw,nosuid,noatime",
		     opts_of(self->fd, INIT, self->t, "/a"));
	/* nodiratime alone: the mask is replaced, relatime by default */
	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND | MS_NODIRATIME));
	EXPECT_STREQ("rw,nodiratime,relatime",
		     opts_of(self->fd, INIT, self->t, "/a"));
	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND | MS_STRICTATIME));
	EXPECT_STREQ("rw", opts_of(self->fd, INIT, self->t, "/a"));
}

TEST_F(rmt, bind_remount_changes_one_mount_sb_remount_all)
{
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/a", "/b"));

	/* one mount: /b read-only, /a and the superblock writable */
	ASSERT_EQ(0, remount(self->fd, INIT, "/b", MS_BIND | MS_RDONLY));
	EXPECT_EQ(-EROFS, nsm_mkdir(self->fd, INIT, "/b/x"));
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/x"));
	EXPECT_STREQ("rw,relatime", opts_of(self->fd, INIT, self->t, "/a"));
	EXPECT_STREQ("rw", super_ro(self->fd, INIT, self->t, "/b"));
	ASSERT_EQ(0, remount(self->fd, INIT, "/b", MS_BIND));
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, "/b/y"));

	/* the superblock: every mount of it refuses writes */
	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_RDONLY));
	EXPECT_EQ(-EROFS, nsm_mkdir(self->fd, INIT, "/b/z"));
	EXPECT_STREQ("rw,relatime", opts_of(self->fd, INIT, self->t, "/b"));
	EXPECT_STREQ("ro", super_ro(self->fd, INIT, self->t, "/b"));
	EXPECT_STREQ("ro,relatime", opts_of(self->fd, INIT, self->t, "/a"));
	/* a mount made rw does not make the superblock rw */
	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND));
	EXPECT_EQ(-EROFS, nsm_mkdir(self->fd, INIT, "/a/z"));
	/* remounting the superblock through the other mount does */
	ASSERT_EQ(0, remount(self->fd, INIT, "/b", 0));
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/z"));
	EXPECT_STREQ("rw", super_ro(self->fd, INIT, self->t, "/a"));
}

TEST_F(rmt, locked_flags_cannot_be_cleared)
{
	static const __u64 locked = MS_RDONLY | MS_NOSUID | MS_NODEV |
				    MS_NOEXEC;
	static const __u64 each[] = {
		MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC,
	};
	char before[MI_STR];
	long child;
	unsigned int i;

	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND | locked |
			     MS_NOSYMFOLLOW));
	child = nsm_clone(self->fd, INIT, CLONE_NEWUSER | CLONE_NEWNS);
	ASSERT_LT(0, child);
	snprintf(before, sizeof(before), "%s",
		 opts_of(self->fd, child, self->t, "/a"));
	EXPECT_STREQ("ro,nosuid,nodev,noexec,relatime,nosymfollow", before);

	for (i = 0; i < ARRAY_SIZE(each); i++) {
		EXPECT_EQ(-EPERM, remount(self->fd, child, "/a", MS_BIND |
					  (locked & ~each[i])));
		EXPECT_STREQ(before, opts_of(self->fd, child, self->t, "/a"))
			TH_LOG("a failed remount changed the mount");
	}
	/* the atime flags are locked whatever they are */
	EXPECT_EQ(-EPERM, remount(self->fd, child, "/a", MS_BIND | locked |
				  MS_NOATIME));
	EXPECT_EQ(-EPERM, remount(self->fd, child, "/a", MS_BIND | locked |
				  MS_STRICTATIME));
	EXPECT_EQ(-EPERM, remount(self->fd, child, "/a", MS_BIND | locked |
				  MS_NODIRATIME));
	/* superblock remount: the lock is checked before the capability */
	EXPECT_EQ(-EPERM, remount(self->fd, child, "/a", 0));
	EXPECT_STREQ(before, opts_of(self->fd, child, self->t, "/a"));
	/* keeping them all, nosymfollow dropped (never locked): allowed */
	EXPECT_EQ(0, remount(self->fd, child, "/a", MS_BIND | locked |
			     MS_RELATIME));
	EXPECT_STREQ("ro,nosuid,nodev,noexec,relatime",
		     opts_of(self->fd, child, self->t, "/a"));
	/* and the parent's mount is its own */
	EXPECT_STREQ(before, opts_of(self->fd, INIT, self->t, "/a"));
	EXPECT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND));
	EXPECT_STREQ("rw,relatime", opts_of(self->fd, INIT, self->t, "/a"));
}

TEST_F(rmt, bind_of_locked_mount_keeps_the_locks)
{
	long child;

	ASSERT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND | MS_NOEXEC));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	child = nsm_clone(self->fd, INIT, CLONE_NEWUSER | CLONE_NEWNS);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, nsm_bind(self->fd, child, "/a", "/b"));
	EXPECT_EQ(-EPERM, remount(self->fd, child, "/b", MS_BIND));
	/* a flag added after the copy is not locked */
	EXPECT_EQ(0, remount(self->fd, child, "/b", MS_BIND | MS_NOEXEC |
			     MS_RDONLY));
	EXPECT_EQ(0, remount(self->fd, child, "/b", MS_BIND | MS_NOEXEC));
	EXPECT_STREQ("rw,noexec,relatime",
		     opts_of(self->fd, child, self->t, "/b"));
	/* its own tmpfs: nothing locked, and its superblock is its own */
	ASSERT_EQ(0, nsm_tmpfs(self->fd, child, "/b"));
	EXPECT_EQ(0, remount(self->fd, child, "/b", MS_RDONLY | MS_NOEXEC));
	EXPECT_EQ(0, remount(self->fd, child, "/b", MS_STRICTATIME));
	EXPECT_STREQ("rw", opts_of(self->fd, child, self->t, "/b"));
}

TEST_F(rmt, bad_requests_fail_and_change_nothing)
{
	char before[MI_STR];
	long task;

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/sub"));
	snprintf(before, sizeof(before), "%s",
		 opts_of(self->fd, INIT, self->t, "/a"));
	/* not the root of a mount */
	EXPECT_EQ(-EINVAL, remount(self->fd, INIT, "/a/sub", MS_RDONLY));
	EXPECT_EQ(-EINVAL, remount(self->fd, INIT, "/a/sub",
				   MS_BIND | MS_RDONLY));
	/* MS_NOUSER is refused before anything */
	EXPECT_EQ(-EINVAL, remount(self->fd, INIT, "/a", MS_NOUSER |
				   MS_RDONLY));
	/* flags beyond 32 bits */
	EXPECT_EQ(-EINVAL, remount(self->fd, INIT, "/a", (1ULL << 40) |
				   MS_RDONLY));
	/* a mount option tmpfs does not know, only without MS_BIND */
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, NULL, "/a", NULL,
				     MS_REMOUNT | MS_RDONLY, "bogus=1"));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, NULL, "/a", NULL,
				     MS_REMOUNT | MS_RDONLY, "mode=x"));
	EXPECT_STREQ(before, opts_of(self->fd, INIT, self->t, "/a"));
	EXPECT_STREQ("rw", super_ro(self->fd, INIT, self->t, "/a"));
	EXPECT_EQ(0, nsm_mount(self->fd, INIT, NULL, "/a", NULL,
			       MS_REMOUNT | MS_BIND | MS_RDONLY, "bogus=1"));
	EXPECT_EQ(0, remount(self->fd, INIT, "/a", MS_BIND));
	/* MS_REMOUNT comes before MS_MOVE in path_mount()'s order */
	EXPECT_EQ(0, nsm_mount(self->fd, INIT, "/a", "/a", NULL,
			       MS_REMOUNT | MS_MOVE | MS_NOEXEC, NULL));
	EXPECT_STREQ("rw,noexec,relatime",
		     opts_of(self->fd, INIT, self->t, "/a"));
	/* no such path, no such task */
	EXPECT_EQ(-ENOENT, remount(self->fd, INIT, "/nowhere", MS_BIND));
	EXPECT_EQ(-ESRCH, remount(self->fd, 9999, "/a", MS_BIND));

	/* a mount outside the task's namespace (check_mnt()) */
	task = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, task);
	ASSERT_EQ(0, nsm_chdir(self->fd, task, "/a"));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/a", MNT_DETACH));
	EXPECT_EQ(-EINVAL, remount(self->fd, task, ".", MS_BIND));
	EXPECT_EQ(-EINVAL, remount(self->fd, task, ".", 0));
	/* without CAP_SYS_ADMIN, may_mount() first */
	ASSERT_EQ(0, nsm_setuid(self->fd, task, 1000));
	EXPECT_EQ(-EPERM, remount(self->fd, task, "/", MS_BIND));
	/* the path is looked up before (do_mount(), then path_mount()) */
	EXPECT_EQ(-ENOENT, remount(self->fd, task, "/nowhere", MS_BIND));
}

TEST_HARNESS_MAIN
