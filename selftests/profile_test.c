// SPDX-License-Identifier: GPL-2.0
/*
 * profile_test: NSM_IOC_PROFILE, the kernel version a world follows.
 *
 * A world starts with the running kernel's profile; it may take another
 * one until its first operation (EBUSY after), never an unknown one
 * (EINVAL); and two worlds of one module, with two profiles, answer the
 * same calls as their two kernels do (6.12 and 6.18; 6.1 and the seed's
 * 2.4.19).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/nsmodel.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"

static long get_profile(int fd, struct nsm_profile_args *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	return nsm_ioc(fd, NSM_IOC_PROFILE, a);
}

static long set_profile(int fd, __u32 id, struct nsm_profile_args *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->flags = NSM_PROFILE_SET;
	a->profile = id;
	return nsm_ioc(fd, NSM_IOC_PROFILE, a);
}

/* The profile the running kernel should get, from uname -r. */
static __u32 expected_auto(void)
{
	unsigned int major = 0, minor = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return NSM_PROFILE_6_1;
	if (major > 6 || (major == 6 && minor >= 18))
		return NSM_PROFILE_6_18;
	if (major == 6 && minor >= 12)
		return NSM_PROFILE_6_12;
	return NSM_PROFILE_6_1;
}

TEST(new_world_follows_the_running_kernel)
{
	struct nsm_profile_args a, b;
	int fd = nsm_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_profile(fd, &a));
	EXPECT_EQ(expected_auto(), a.profile);
	EXPECT_NE(NULL, memchr(a.name, 0, sizeof(a.name)));
	/* auto resolves to the same profile, with the same fields */
	ASSERT_EQ(0, set_profile(fd, NSM_PROFILE_AUTO, &b));
	EXPECT_EQ(a.profile, b.profile);
	EXPECT_EQ(a.version, b.version);
	EXPECT_EQ(a.features, b.features);
	EXPECT_STREQ(a.name, b.name);
	TH_LOG("default profile %s, features 0x%llx", a.name,
	       (unsigned long long)a.features);
	close(fd);
}

#define SEED_FEATS (NSM_FEAT_SEED_CLONE | NSM_FEAT_SEED_SYSCALLS | \
		    NSM_FEAT_SEED_MOUNT)

TEST(each_profile_reports_itself)
{
	static const struct {
		__u32 id;
		const char *name;
		__u32 version;
		__u64 has, lacks;
	} want[] = {
		{ NSM_PROFILE_6_1, "6.1", 0x060100, 0,
		  NSM_FEAT_MNT_RBTREE | NSM_FEAT_CLONE_DROPS_UNBINDABLE |
		  SEED_FEATS },
		{ NSM_PROFILE_6_12, "6.12", 0x060c00,
		  NSM_FEAT_MNT_RBTREE | NSM_FEAT_UMOUNT_CHAIN_BUSY |
		  NSM_FEAT_MNTNS_INSTALL_CURRENT_FS,
		  NSM_FEAT_CLONE_DROPS_UNBINDABLE | SEED_FEATS },
		{ NSM_PROFILE_6_18, "6.18", 0x061200,
		  NSM_FEAT_MNT_RBTREE | NSM_FEAT_CLONE_DROPS_UNBINDABLE,
		  NSM_FEAT_MNTNS_INSTALL_CURRENT_FS | SEED_FEATS },
		{ NSM_PROFILE_2_4_19, "2.4.19", 0x020413, SEED_FEATS,
		  NSM_FEAT_MNT_RBTREE | NSM_FEAT_LOCK_MOUNT_ENOENT |
		  NSM_FEAT_MNTNS_INSTALL_CURRENT_FS |
		  NSM_FEAT_CLONE_DROPS_UNBINDABLE |
		  NSM_FEAT_MOVE_MOUNT_BENEATH },
	};
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct nsm_profile_args a;
		int fd = nsm_open();

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, set_profile(fd, want[i].id, &a));
		EXPECT_EQ(want[i].id, a.profile);
		EXPECT_EQ(want[i].version, a.version);
		EXPECT_STREQ(want[i].name, a.name);
		EXPECT_EQ(want[i].has, a.features & want[i].has);
		EXPECT_EQ(0, a.features & want[i].lacks);
		/* and a get says the same */
		ASSERT_EQ(0, get_profile(fd, &a));
		EXPECT_EQ(want[i].id, a.profile);
		close(fd);
	}
}

TEST(unknown_profile_or_flag_is_einval)
{
	struct nsm_profile_args a, before;
	int fd = nsm_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_profile(fd, &before));
	EXPECT_EQ(-EINVAL, set_profile(fd, NSM_PROFILE_MAX, &a));
	EXPECT_EQ(-EINVAL, set_profile(fd, 0xffffffff, &a));
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = 2;
	EXPECT_EQ(-EINVAL, nsm_ioc(fd, NSM_IOC_PROFILE, &a));
	a.flags = NSM_PROFILE_SET | 2;
	a.profile = NSM_PROFILE_6_1;
	EXPECT_EQ(-EINVAL, nsm_ioc(fd, NSM_IOC_PROFILE, &a));
	/* nothing changed, and the world can still take a profile */
	ASSERT_EQ(0, get_profile(fd, &a));
	EXPECT_EQ(before.profile, a.profile);
	EXPECT_EQ(0, set_profile(fd, NSM_PROFILE_6_1, &a));
	/* a struct shorter than version 0 */
	memset(&a, 0, sizeof(a));
	a.size = NSM_PROFILE_ARGS_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(fd, NSM_IOC_PROFILE, &a));
	close(fd);
}

TEST(set_before_first_use_only)
{
	struct nsm_version v = { .size = sizeof(v) };
	struct nsm_counters c;
	struct nsm_profile_args a;
	int fd = nsm_open();

	ASSERT_LE(0, fd);
	/* asking about the module does not use the world */
	ASSERT_EQ(0, nsm_ioc(fd, NSM_IOC_VERSION, &v));
	ASSERT_EQ(0, nsm_counters(fd, &c));
	ASSERT_EQ(0, set_profile(fd, NSM_PROFILE_6_12, &a));
	ASSERT_EQ(0, set_profile(fd, NSM_PROFILE_6_1, &a));
	EXPECT_EQ(NSM_PROFILE_6_1, a.profile);
	/* a failed operation uses the world too */
	EXPECT_EQ(-ESRCH, nsm_mkdir(fd, 99, "/x"));
	EXPECT_EQ(-EBUSY, set_profile(fd, NSM_PROFILE_6_18, &a));
	EXPECT_EQ(-EBUSY, set_profile(fd, NSM_PROFILE_6_1, &a));
	ASSERT_EQ(0, get_profile(fd, &a));
	EXPECT_EQ(NSM_PROFILE_6_1, a.profile);
	close(fd);

	fd = nsm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, nsm_mkdir(fd, NSM_INIT_TASK, "/x"));
	EXPECT_EQ(-EBUSY, set_profile(fd, NSM_PROFILE_6_12, &a));
	close(fd);
}

/*
 * The mountinfo line of the mount at @point in @task's view: does it say
 * "unbindable"?  -1 if there is no such line.
 */
static int shows_unbindable(int fd, __u32 task, const char *point)
{
	char *text = nsm_mountinfo(fd, task), *line, *save = NULL, pat[64];
	int ret = -1;

	if (!text)
		return -1;
	snprintf(pat, sizeof(pat), " %s ", point);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sep = strstr(line, " - ");
		char *at = strstr(line, pat);

		if (!at || !sep || at > sep)
			continue;
		*sep = 0;
		ret = strstr(line, " unbindable") != NULL;
	}
	free(text);
	return ret;
}

/* 6.12 copies an unbindable mount as unbindable, 6.18 as private */
TEST(two_worlds_two_kernels)
{
	static const struct {
		__u32 id;
		int unbindable;
	} p[] = { { NSM_PROFILE_6_12, 1 }, { NSM_PROFILE_6_18, 0 } };
	int fd[2], i;

	for (i = 0; i < 2; i++) {
		struct nsm_profile_args a;
		long child;

		fd[i] = nsm_open();
		ASSERT_LE(0, fd[i]);
		ASSERT_EQ(0, set_profile(fd[i], p[i].id, &a));
		ASSERT_EQ(0, nsm_tmpfs_at(fd[i], NSM_INIT_TASK, "/u"));
		ASSERT_EQ(0, nsm_make(fd[i], NSM_INIT_TASK, "/u",
				      MS_UNBINDABLE));
		EXPECT_EQ(1, shows_unbindable(fd[i], NSM_INIT_TASK, "/u"));
		child = nsm_clone(fd[i], NSM_INIT_TASK, CLONE_NEWNS);
		ASSERT_LT(0, child);
		EXPECT_EQ(p[i].unbindable,
			  shows_unbindable(fd[i], child, "/u"));
	}
	/* both worlds live side by side; each frees everything it made */
	for (i = 0; i < 2; i++) {
		EXPECT_LT(0, nsm_world_objects(fd[i]));
		close(fd[i]);
	}
}

/* The world of @fd's ioctl @cmd with an all-zero argument struct. */
static long zero_args(int fd, unsigned long cmd)
{
	__u64 args[8] = { 0 };
	__u32 size = sizeof(args);

	memcpy(args, &size, sizeof(size));
	return nsm_ioc(fd, cmd, args);
}

/*
 * The same calls in a 6.1 world and in a 2.4.19 one (the seed's
 * copy_namespace() and do_fork(), docs/copy-namespace-2.4.19.md): each
 * line is one call and what the two kernels answer.
 */
TEST(seed_beside_6_1)
{
	enum { NEWNS_FS, FORK_FLAGS, UNPRIV_NEWNS, UNSHARE, SETNS, NS_OPEN,
	       OPEN_TREE, MOVE_MOUNT, SETATTR, MAKE_SHARED, UNPRIV_UMOUNT,
	       UMOUNT_FLAGS, NR_CALLS };
	static const long want[2][NR_CALLS] = {
		/* 6.1 */
		{ -EINVAL, -EINVAL, -EPERM, 0, 0, 0, -ESRCH, -ESRCH, -ESRCH,
		  0, -EPERM, -EINVAL },
		/* 2.4.19 */
		{ -EINVAL, 0, -ENOMEM, -ENOSYS, -ENOSYS, -ENOENT, -ENOSYS,
		  -ENOSYS, -ENOSYS, -EINVAL, -EINVAL, 0 },
	};
	static const __u32 id[2] = { NSM_PROFILE_6_1, NSM_PROFILE_2_4_19 };
	int i;

	for (i = 0; i < 2; i++) {
		struct nsm_profile_args a;
		long got[NR_CALLS], user, child, objects, fork;
		int fd = nsm_open(), nsfd;

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, set_profile(fd, id[i], &a));
		ASSERT_EQ(0, nsm_tmpfs_at(fd, NSM_INIT_TASK, "/u"));
		ASSERT_EQ(0, nsm_mkdir(fd, NSM_INIT_TASK, "/u/dir"));
		user = nsm_clone(fd, NSM_INIT_TASK, 0);
		ASSERT_LT(0, user);
		ASSERT_EQ(0, nsm_setuid(fd, user, 1000));

		got[NEWNS_FS] = nsm_clone(fd, NSM_INIT_TASK,
					  CLONE_NEWNS | CLONE_FS);
		/* CLONE_NEWUSER with CLONE_FS: 2.4.19 knew neither rule */
		fork = nsm_clone(fd, NSM_INIT_TASK, CLONE_NEWUSER | CLONE_FS |
				 CLONE_NEWUTS);
		got[FORK_FLAGS] = fork < 0 ? fork : 0;
		if (fork > 0) {
			EXPECT_EQ(nsm_ns_id(fd, NSM_INIT_TASK, NSM_NS_USER),
				  nsm_ns_id(fd, fork, NSM_NS_USER));
			EXPECT_EQ(nsm_ns_id(fd, NSM_INIT_TASK, NSM_NS_UTS),
				  nsm_ns_id(fd, fork, NSM_NS_UTS));
		}
		/* a failed clone leaves nothing behind */
		objects = nsm_world_objects(fd);
		got[UNPRIV_NEWNS] = nsm_clone(fd, user, CLONE_NEWNS);
		EXPECT_EQ(objects, nsm_world_objects(fd));

		child = nsm_clone(fd, NSM_INIT_TASK, 0);
		ASSERT_LT(0, child);
		got[UNSHARE] = nsm_unshare(fd, child, CLONE_NEWUTS);
		got[SETNS] = nsm_setns_task(fd, child, NSM_INIT_TASK,
					    CLONE_NEWUTS);
		nsfd = nsm_ns_open(fd, child, NSM_NS_MNT);
		got[NS_OPEN] = nsfd < 0 ? nsfd : 0;
		if (nsfd >= 0)
			close(nsfd);
		/* the later system calls: ENOSYS before any argument check */
		got[OPEN_TREE] = zero_args(fd, NSM_IOC_OPEN_TREE);
		got[MOVE_MOUNT] = zero_args(fd, NSM_IOC_MOVE_MOUNT);
		got[SETATTR] = zero_args(fd, NSM_IOC_MOUNT_SETATTR);
		got[MAKE_SHARED] = nsm_make(fd, NSM_INIT_TASK, "/u",
					    MS_SHARED);
		got[UNPRIV_UMOUNT] = nsm_umount(fd, user, "/u/dir", 0);
		got[UMOUNT_FLAGS] = nsm_umount(fd, NSM_INIT_TASK, "/u",
					       MNT_DETACH | 0x100);
		EXPECT_EQ(0, memcmp(want[i], got, sizeof(got)));
		for (int k = 0; k < NR_CALLS; k++)
			if (want[i][k] != got[k])
				TH_LOG("profile %s, call %d: %ld, want %ld",
				       a.name, k, got[k], want[i][k]);
		close(fd);
	}
}

/* 2.4.19: the child of clone(CLONE_NEWNS) has its root and cwd on copies */
TEST(seed_fixes_up_root_and_pwd)
{
	struct nsm_path_args dir, here;
	struct nsm_profile_args a;
	char cwd[64];
	long t, c;
	int fd = nsm_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_profile(fd, NSM_PROFILE_2_4_19, &a));
	ASSERT_EQ(0, nsm_tmpfs_at(fd, NSM_INIT_TASK, "/jail"));
	ASSERT_EQ(0, nsm_tmpfs_at(fd, NSM_INIT_TASK, "/jail/home"));
	ASSERT_EQ(0, nsm_mkdir(fd, NSM_INIT_TASK, "/jail/home/w"));
	t = nsm_clone(fd, NSM_INIT_TASK, 0);
	ASSERT_LT(0, t);
	ASSERT_EQ(0, nsm_chroot(fd, t, "/jail"));
	ASSERT_EQ(0, nsm_chdir(fd, t, "/home/w"));
	c = nsm_clone(fd, t, CLONE_NEWNS);
	ASSERT_LT(0, c);
	EXPECT_NE(nsm_ns_id(fd, t, NSM_NS_MNT), nsm_ns_id(fd, c, NSM_NS_MNT));
	ASSERT_LT(0, nsm_getcwd(fd, c, cwd, sizeof(cwd)));
	EXPECT_STREQ("/home/w", cwd);
	/* a relative mount by the child lands on its copy of /jail/home */
	ASSERT_EQ(0, nsm_tmpfs_at(fd, c, "here"));
	ASSERT_EQ(0, nsm_stat(fd, c, "/home/w", &dir));
	ASSERT_EQ(0, nsm_stat(fd, c, "/home/w/here", &here));
	EXPECT_NE(dir.mnt_id, here.mnt_id);
	/* and not on the parent's original, where its root and cwd stayed */
	ASSERT_EQ(0, nsm_stat(fd, t, "/home/w", &dir));
	ASSERT_EQ(0, nsm_stat(fd, t, "/home/w/here", &here));
	EXPECT_EQ(dir.mnt_id, here.mnt_id);
	EXPECT_EQ(nsm_nr_mounts(fd, t) + 1, nsm_nr_mounts(fd, c));
	close(fd);
}

TEST_HARNESS_MAIN
