// SPDX-License-Identifier: GPL-2.0
/*
 * copy_mnt_ns_test: clone and unshare with CLONE_NEWNS copy the mount
 * tree in two passes.  Copies in the same user namespace are peers of
 * their originals; across a user namespace shared mounts become slaves and
 * every copy is locked.  The task's root and cwd move onto the copies.
 * A big tree copies and frees cleanly, and a failure at any allocation
 * of the copy changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"
#include "mountinfo_parse.h"

#define INIT	NSM_INIT_TASK

FIXTURE(cp) {
	int mon, fd;
	struct nsm_counters before;
	struct mi_table *t, *u;
};

FIXTURE_SETUP(cp)
{
	NSM_WORLD_SETUP(self);
	self->t = mi_new();
	self->u = mi_new();
	ASSERT_NE(NULL, self->t);
	ASSERT_NE(NULL, self->u);
}

FIXTURE_TEARDOWN(cp)
{
	mi_free(self->t);
	mi_free(self->u);
	NSM_WORLD_TEARDOWN(self);
}

/*
 * The tree of the examples: / private, /sh shared, /sh/in (propagated
 * peer), /sl a slave of /sh's group, /pr private, /un unbindable.
 */
static int build_tree(int fd)
{
	if (nsm_tmpfs_at(fd, INIT, "/sh") || nsm_mkdir(fd, INIT, "/sl") ||
	    nsm_tmpfs_at(fd, INIT, "/pr") || nsm_tmpfs_at(fd, INIT, "/un") ||
	    nsm_make(fd, INIT, "/sh", MS_SHARED) ||
	    nsm_bind(fd, INIT, "/sh", "/sl") ||
	    nsm_make(fd, INIT, "/sl", MS_SLAVE) ||
	    nsm_tmpfs_at(fd, INIT, "/sh/in") ||
	    nsm_make(fd, INIT, "/un", MS_UNBINDABLE))
		return -1;
	return 0;
}

TEST_F(cp, without_clone_newns_the_namespace_is_shared)
{
	long child = nsm_clone(self->fd, INIT, 0);

	ASSERT_LT(0, child);
	EXPECT_EQ(nsm_ns_id(self->fd, INIT, NSM_NS_MNT),
		  nsm_ns_id(self->fd, child, NSM_NS_MNT));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(0, nsm_tmpfs_at(self->fd, child, "/x"));
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(cp, same_user_ns_copies_are_peers)
{
	struct mi_entry *o, *n;
	long child;
	int i;

	ASSERT_EQ(0, build_tree(self->fd));
	child = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, child);
	EXPECT_NE(nsm_ns_id(self->fd, INIT, NSM_NS_MNT),
		  nsm_ns_id(self->fd, child, NSM_NS_MNT));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	ASSERT_EQ(0, mi_read(self->fd, child, self->u));
	ASSERT_EQ(self->t->nr, self->u->nr);
	/* each namespace also has its (unlisted) rootfs */
	EXPECT_EQ(2 * (self->t->nr + 1),
		  nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	for (i = 0; i < self->t->nr; i++) {
		o = &self->t->e[i];
		n = mi_find(self->u, o->mp);
		ASSERT_NE(NULL, n) TH_LOG("%s missing", o->mp);
		EXPECT_NE(o->id, n->id);
		/* same shared:N, master:N, unbindable: 5g of the rst */
		EXPECT_STREQ(o->tags, n->tags);
		EXPECT_STREQ(o->opts, n->opts);
		EXPECT_STREQ(o->root, n->root);
		EXPECT_EQ(o->minor, n->minor);
	}
	/* the copy of a shared mount is its peer: mounts propagate */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, child, "/sh/from-child"));
	EXPECT_NE(mi_mnt_id(self->fd, INIT, "/sh"),
		  mi_mnt_id(self->fd, INIT, "/sh/from-child"));
	/* and reach the original's slave, too */
	EXPECT_NE(mi_mnt_id(self->fd, INIT, "/sl"),
		  mi_mnt_id(self->fd, INIT, "/sl/from-child"));
	/* private ones do not */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, child, "/pr/x"));
	EXPECT_EQ(mi_mnt_id(self->fd, INIT, "/pr"),
		  mi_mnt_id(self->fd, INIT, "/pr/x"));
	ASSERT_EQ(0, nsm_exit(self->fd, child));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_MNT_NS));
}

TEST_F(cp, across_user_ns_shared_becomes_slave_and_locked)
{
	struct mi_entry *o, *n;
	long child;

	ASSERT_EQ(0, build_tree(self->fd));
	child = nsm_clone(self->fd, INIT, CLONE_NEWNS | CLONE_NEWUSER);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	ASSERT_EQ(0, mi_read(self->fd, child, self->u));
	ASSERT_EQ(self->t->nr, self->u->nr);
	o = mi_find(self->t, "/sh");
	n = mi_find(self->u, "/sh");
	EXPECT_EQ(0, n->shared);
	EXPECT_EQ(o->shared, n->master);
	n = mi_find(self->u, "/sl");
	EXPECT_EQ(0, n->shared);
	EXPECT_EQ(o->shared, n->master);	/* stays the same master's slave */
	EXPECT_STREQ("", mi_get(self->u, "/pr")->tags);
	EXPECT_STREQ("unbindable", mi_get(self->u, "/un")->tags);

	/* locked: neither unmounted nor moved nor uncovered */
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, child, "/pr", 0));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, child, "/pr", MNT_DETACH));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, child, "/sh/in", 0));
	ASSERT_EQ(0, nsm_mkdir(self->fd, child, "/dst"));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, child, "/pr", "/dst", NULL,
				     MS_MOVE, NULL));
	/* a bind of a tree with locked children is refused too */
	EXPECT_EQ(-EINVAL, nsm_bind(self->fd, child, "/sh", "/dst"));
	/* the flags are locked: MNT_LOCK_ATIME */
	EXPECT_EQ(-EPERM, nsm_mount(self->fd, child, NULL, "/pr", NULL,
				    MS_REMOUNT | MS_BIND | MS_NOATIME, NULL));
	/* the child may still mount, as root of its user ns */
	EXPECT_EQ(0, nsm_tmpfs_at(self->fd, child, "/dst"));
	EXPECT_EQ(0, nsm_umount(self->fd, child, "/dst", 0));

	/* a mount propagated in later is not locked */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/sh/later"));
	ASSERT_EQ(0, mi_read(self->fd, child, self->u));
	n = mi_find(self->u, "/sh/later");
	ASSERT_NE(NULL, n) TH_LOG("%s", self->u->text);
	EXPECT_NE(0, n->master);
	EXPECT_EQ(0, nsm_umount(self->fd, child, "/sh/later", 0));
	/* and the umount does not travel back up the master */
	EXPECT_NE(mi_mnt_id(self->fd, INIT, "/sh"),
		  mi_mnt_id(self->fd, INIT, "/sh/later"));
	/* the original may be unmounted in its own namespace */
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/sh/later", 0));
}

TEST_F(cp, root_and_cwd_move_onto_the_copies)
{
	struct nsm_task_info before, after;
	struct nsm_path_args a;
	long child;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/jail"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/jail/in"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/jail/in/work/deep"));
	child = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, nsm_chroot(self->fd, child, "/jail"));
	ASSERT_EQ(0, nsm_chdir(self->fd, child, "/in/work"));
	ASSERT_EQ(0, nsm_task_info(self->fd, child, &before));
	ASSERT_EQ(0, nsm_unshare(self->fd, child, CLONE_NEWNS));
	ASSERT_EQ(0, nsm_task_info(self->fd, child, &after));
	/* onto copies, not the originals */
	EXPECT_NE(before.root_mnt_id, after.root_mnt_id);
	EXPECT_NE(before.pwd_mnt_id, after.pwd_mnt_id);
	EXPECT_NE(after.root_mnt_id, after.pwd_mnt_id);
	/* relative paths keep working, on the copies */
	ASSERT_EQ(0, nsm_stat(self->fd, child, "deep", &a));
	EXPECT_EQ(after.pwd_mnt_id, a.mnt_id);
	ASSERT_EQ(0, nsm_stat(self->fd, child, "../..", &a));
	EXPECT_EQ(after.root_mnt_id, a.mnt_id);
	EXPECT_EQ(1, a.is_root);
	ASSERT_EQ(0, nsm_stat(self->fd, child, "/in", &a));
	EXPECT_EQ(after.pwd_mnt_id, a.mnt_id);
	/* the chroot still hides the rest */
	ASSERT_EQ(0, mi_read(self->fd, child, self->u));
	EXPECT_EQ(2, self->u->nr) TH_LOG("%s", self->u->text);
	EXPECT_EQ(after.root_mnt_id, mi_get(self->u, "/")->id);
	EXPECT_EQ(after.pwd_mnt_id, mi_get(self->u, "/in")->id);
	/* the originals are no longer pinned by it: they unmount */
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/jail/in", 0));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/jail", 0));
	EXPECT_EQ(0, nsm_stat(self->fd, child, "deep", NULL));
}

TEST_F(cp, the_copy_is_independent)
{
	long child;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	child = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/a", 0));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, child));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, child, "/b"));
	/* same superblock, so the directory is there, but not the mount */
	EXPECT_EQ(mi_mnt_id(self->fd, INIT, "/"),
		  mi_mnt_id(self->fd, INIT, "/b"));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
	/* a namespace's mounts go with its last task */
	ASSERT_EQ(0, nsm_exit(self->fd, child));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
}

/* minutes on a debug kernel under TCG: the harness's 30 s is too short */
TEST_F_TIMEOUT(cp, ten_thousand_mounts_copy_and_free, 900)
{
	char path[64];
	long child, objs;
	int i;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/t"));
	for (i = 0; i < 9999; i++) {
		snprintf(path, sizeof(path), "/m/%d", i);
		ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, path));
		ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/t", path));
	}
	ASSERT_EQ(10002, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	objs = nsm_world_objects(self->fd);
	child = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, child);
	EXPECT_EQ(20004, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(10001, nsm_nr_mounts(self->fd, child));
	ASSERT_EQ(0, nsm_exit(self->fd, child));
	EXPECT_EQ(10002, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(objs, nsm_world_objects(self->fd));
}

/* fail each allocation of unshare(CLONE_NEWNS) in turn: nothing changes */
TEST_F_TIMEOUT(cp, fault_injection_at_every_allocation_of_the_copy, 300)
{
	long child, objs, n;
	char *before, *now;
	__u64 ns;
	int ret;

	ASSERT_EQ(0, build_tree(self->fd));
	child = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, nsm_chdir(self->fd, child, "/sh/in"));
	before = nsm_mountinfo(self->fd, child);
	ASSERT_NE(NULL, before);
	ns = nsm_ns_id(self->fd, child, NSM_NS_MNT);
	objs = nsm_world_objects(self->fd);
	for (n = 1; n < 1000; n++) {
		ASSERT_LE(0, nsm_fault(self->fd, n));
		ret = nsm_unshare(self->fd, child, CLONE_NEWNS);
		nsm_fault(self->fd, 0);
		if (!ret)
			break;
		ASSERT_EQ(-ENOMEM, ret) TH_LOG("allocation %ld", n);
		ASSERT_EQ(objs, nsm_world_objects(self->fd))
			TH_LOG("allocation %ld", n);
		ASSERT_EQ(ns, nsm_ns_id(self->fd, child, NSM_NS_MNT));
		now = nsm_mountinfo(self->fd, child);
		ASSERT_NE(NULL, now);
		ASSERT_STREQ(before, now);
		free(now);
	}
	/* at least: the namespace, and a mount, id and name per mount */
	EXPECT_LT(20, n);
	EXPECT_NE(ns, nsm_ns_id(self->fd, child, NSM_NS_MNT));
	EXPECT_EQ(0, nsm_stat(self->fd, child, ".", NULL));
	free(before);
}

TEST_F(cp, setns_into_a_mount_namespace)
{
	struct nsm_task_info i;
	long child, other, nsfd;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	child = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, child, "/only-in-child"));
	other = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, other);
	ASSERT_EQ(0, nsm_chdir(self->fd, other, "/a"));
	nsfd = nsm_ns_open(self->fd, child, NSM_NS_MNT);
	ASSERT_LE(0, nsfd);
	ASSERT_EQ(0, nsm_setns_fd(self->fd, other, (int)nsfd, CLONE_NEWNS));
	EXPECT_EQ(nsm_ns_id(self->fd, child, NSM_NS_MNT),
		  nsm_ns_id(self->fd, other, NSM_NS_MNT));
	ASSERT_EQ(0, nsm_task_info(self->fd, other, &i));
	EXPECT_EQ(i.root_mnt_id, i.pwd_mnt_id);
	EXPECT_EQ(0, nsm_stat(self->fd, other, "only-in-child", NULL));
	/* an fs_struct shared with another task: EINVAL */
	other = nsm_clone(self->fd, INIT, CLONE_FS);
	ASSERT_LT(0, other);
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->fd, other, (int)nsfd,
					CLONE_NEWNS));
	/* no CAP_SYS_ADMIN: EPERM */
	other = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, other);
	ASSERT_EQ(0, nsm_setuid(self->fd, other, 1000));
	EXPECT_EQ(-EPERM, nsm_setns_fd(self->fd, other, (int)nsfd,
				       CLONE_NEWNS));
	close((int)nsfd);
}

TEST_F(cp, unprivileged_tasks_get_eperm)
{
	long child;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	child = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, nsm_setuid(self->fd, child, 1000));
	EXPECT_EQ(-EPERM, nsm_tmpfs(self->fd, child, "/b"));
	EXPECT_EQ(-EPERM, nsm_bind(self->fd, child, "/a", "/b"));
	EXPECT_EQ(-EPERM, nsm_umount(self->fd, child, "/a", 0));
	EXPECT_EQ(-EPERM, nsm_make(self->fd, child, "/a", MS_SHARED));
	EXPECT_EQ(-EPERM, nsm_chroot(self->fd, child, "/a"));
	EXPECT_EQ(-ENOENT, nsm_tmpfs(self->fd, child, "/nope"));
	/* directories: the world's root is 0755 and root's, /a is 01777 */
	EXPECT_EQ(-EACCES, nsm_mkdir(self->fd, child, "/newdir"));
	EXPECT_EQ(0, nsm_mkdir(self->fd, child, "/a/mine"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/p"));
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, "none", "/p", "tmpfs", 0,
			       "mode=700"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/p/x"));
	EXPECT_EQ(-EACCES, nsm_stat(self->fd, child, "/p/x", NULL));
	EXPECT_EQ(-EACCES, nsm_chdir(self->fd, child, "/p"));
	EXPECT_EQ(0, nsm_stat(self->fd, child, "/p", NULL));
	/* a user namespace of its own does not give power over this one */
	ASSERT_EQ(0, nsm_unshare(self->fd, child, CLONE_NEWUSER));
	EXPECT_EQ(-EPERM, nsm_tmpfs(self->fd, child, "/b"));
	EXPECT_EQ(0, nsm_chroot(self->fd, child, "/a"));
	/* but with a mount namespace of its own it may mount */
	ASSERT_EQ(0, nsm_unshare(self->fd, child, CLONE_NEWNS));
	EXPECT_EQ(0, nsm_tmpfs_at(self->fd, child, "/x"));
	ASSERT_EQ(0, mi_read(self->fd, child, self->u));
	EXPECT_STREQ(mi_expect("rw,uid=1000,inode64"),
		     mi_get(self->u, "/x")->super) TH_LOG("%s", self->u->text);
}

/*
 * The mountinfo of a task before and after unshare(CLONE_NEWNS), in the
 * same user namespace and in a new one, on the tree of build_tree(): the
 * full text, ids and all, as a fresh world numbers them.
 */
TEST_F(cp, mountinfo_before_and_after_unshare)
{
	/* 0 is the namespace's rootfs, under "/" and never listed */
	static const char before[] =
		"1 0 0:2 / / rw,relatime - tmpfs tmpfs rw,mode=755,inode64\n"
		"2 1 0:3 / /sh rw,relatime shared:1 - tmpfs none rw,inode64\n"
		"3 1 0:4 / /pr rw,relatime - tmpfs none rw,inode64\n"
		"4 1 0:5 / /un rw,relatime unbindable - tmpfs none rw,inode64\n"
		"5 1 0:3 / /sl rw,relatime master:1 - tmpfs none rw,inode64\n"
		"6 2 0:6 / /sh/in rw,relatime shared:2 - tmpfs none rw,inode64\n"
		"7 5 0:6 / /sl/in rw,relatime master:2 - tmpfs none rw,inode64\n";
	/* copies (8 is rootfs') in copy_tree() order; peers of the originals */
	static const char same_userns[] =
		"9 8 0:2 / / rw,relatime - tmpfs tmpfs rw,mode=755,inode64\n"
		"10 9 0:3 / /sh rw,relatime shared:1 - tmpfs none rw,inode64\n"
		"11 10 0:6 / /sh/in rw,relatime shared:2 - tmpfs none rw,inode64\n"
		"12 9 0:4 / /pr rw,relatime - tmpfs none rw,inode64\n"
		"13 9 0:5 / /un rw,relatime unbindable - tmpfs none rw,inode64\n"
		"14 9 0:3 / /sl rw,relatime master:1 - tmpfs none rw,inode64\n"
		"15 14 0:6 / /sl/in rw,relatime master:2 - tmpfs none rw,inode64\n";
	/* across a user namespace: shared copies become slaves */
	static const char new_userns[] =
		"17 16 0:2 / / rw,relatime - tmpfs tmpfs rw,mode=755,inode64\n"
		"18 17 0:3 / /sh rw,relatime master:1 - tmpfs none rw,inode64\n"
		"19 18 0:6 / /sh/in rw,relatime master:2 - tmpfs none rw,inode64\n"
		"20 17 0:4 / /pr rw,relatime - tmpfs none rw,inode64\n"
		"21 17 0:5 / /un rw,relatime unbindable - tmpfs none rw,inode64\n"
		"22 17 0:3 / /sl rw,relatime master:1 - tmpfs none rw,inode64\n"
		"23 22 0:6 / /sl/in rw,relatime master:2 - tmpfs none rw,inode64\n";
	long same, other;
	char *s;

	ASSERT_EQ(0, build_tree(self->fd));
	same = nsm_clone(self->fd, INIT, 0);
	other = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, same);
	ASSERT_LT(0, other);
	s = nsm_mountinfo(self->fd, same);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ(mi_expect(before), s);
	free(s);
	ASSERT_EQ(0, nsm_unshare(self->fd, same, CLONE_NEWNS));
	s = nsm_mountinfo(self->fd, same);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ(mi_expect(same_userns), s);
	free(s);
	ASSERT_EQ(0, nsm_unshare(self->fd, other, CLONE_NEWUSER | CLONE_NEWNS));
	s = nsm_mountinfo(self->fd, other);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ(mi_expect(new_userns), s);
	free(s);
	/* the original namespace is unchanged */
	s = nsm_mountinfo(self->fd, INIT);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ(mi_expect(before), s);
	free(s);
}

TEST_HARNESS_MAIN
