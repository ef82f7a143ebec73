// SPDX-License-Identifier: GPL-2.0
/*
 * mount_test: the model VFS and the mount operations of one task, with the
 * kernel's checks and errnos - mkdir/stat/chdir/chroot and the path walk,
 * mount (tmpfs), bind and rbind, move, umount (lazy, busy, expire), the
 * propagation types, remount, the mount count limit, and mountinfo's
 * format.  Every test checks that the world frees everything it made.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sched.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"
#include "mountinfo_parse.h"

#define INIT	NSM_INIT_TASK

/* a mount point path longer than PATH_MAX still gets its line */
static void long_name(char *buf, char c)
{
	memset(buf, c, 250);
	buf[250] = '\0';
}

static int set_mount_max(unsigned int v)
{
	FILE *f = fopen("/sys/module/nsmodel/parameters/mount_max", "w");

	if (!f)
		return -1;
	fprintf(f, "%u\n", v);
	return fclose(f);
}

FIXTURE(mnt) {
	int mon, fd;
	struct nsm_counters before;
	struct mi_table *t;
};

FIXTURE_SETUP(mnt)
{
	NSM_WORLD_SETUP(self);
	self->t = mi_new();
	ASSERT_NE(NULL, self->t);
}

FIXTURE_TEARDOWN(mnt)
{
	mi_free(self->t);
	set_mount_max(100000);
	NSM_WORLD_TEARDOWN(self);
}

TEST_F(mnt, initial_table_is_one_private_tmpfs_root)
{
	regex_t re;

	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	ASSERT_EQ(1, self->t->nr) TH_LOG("%s", self->t->text);
	ASSERT_EQ(0, regcomp(&re, "^([0-9]+) ([0-9]+) 0:[0-9]+ / / rw,relatime "
			     "- tmpfs tmpfs rw,mode=755(,inode64)?\n$", REG_EXTENDED));
	EXPECT_EQ(0, regexec(&re, self->t->text, 0, NULL, 0))
		TH_LOG("%s", self->t->text);
	regfree(&re);
	/*
	 * "/" sits on the namespace's root, a locked rootfs outside every
	 * task's root and so never listed, as on a real system
	 */
	EXPECT_NE(self->t->e[0].id, self->t->e[0].parent);
	EXPECT_EQ(NULL, mi_by_id(self->t, self->t->e[0].parent));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_SUPER));
	/* and ".." cannot climb there */
	EXPECT_EQ(0, nsm_chdir(self->fd, INIT, "/.."));
	EXPECT_EQ(self->t->e[0].id, mi_mnt_id(self->fd, INIT, "."));
}

TEST_F(mnt, mkdir_creates_parents_and_stat_finds_them)
{
	struct nsm_path_args a, b;

	ASSERT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/a/b/c", NULL));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b/c"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b/c"));	/* -p */
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "/a/b/c", &a));
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "a//b/./c/", &b));
	EXPECT_EQ(a.ino, b.ino);
	EXPECT_EQ(0, a.is_root);
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "/a/b/c/../../..", &b));
	EXPECT_EQ(1, b.is_root);
	/* ".." at the root stays at the root */
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "/../../a/b/c", &b));
	EXPECT_EQ(a.ino, b.ino);
	EXPECT_EQ(5, nsm_world_count(self->fd, NSM_OBJ_DENTRY));	/* + rootfs */
}

TEST_F(mnt, path_errnos)
{
	char name[300], *huge;

	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "", NULL));
	EXPECT_EQ(-ENOENT, nsm_chdir(self->fd, INIT, "/nope"));
	memset(name, 'x', 256);
	name[0] = '/';
	name[256] = '\0';		/* a 255-byte component is fine */
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, name));
	name[256] = 'x';
	name[257] = '\0';		/* 256 is not */
	EXPECT_EQ(-ENAMETOOLONG, nsm_mkdir(self->fd, INIT, name));
	huge = malloc(NSM_PATH_MAX + 1);
	ASSERT_NE(NULL, huge);
	memset(huge, 'a', NSM_PATH_MAX);
	huge[NSM_PATH_MAX] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, nsm_mkdir(self->fd, INIT, huge));
	free(huge);
	EXPECT_EQ(-EFAULT, nsm_mkdir(self->fd, INIT, (char *)8));
	EXPECT_EQ(-EFAULT, nsm_mkdir(self->fd, INIT, NULL));
	EXPECT_EQ(-ESRCH, nsm_mkdir(self->fd, 999, "/a"));
	EXPECT_EQ(-ESRCH, nsm_tmpfs(self->fd, 999, "/"));
	EXPECT_EQ(-EINVAL, nsm_path_op(self->fd, NSM_IOC_MKDIR, INIT, "/a", 1));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, INIT, "/", 0x100));
}

TEST_F(mnt, tmpfs_mount_shows_in_mountinfo)
{
	struct nsm_path_args root, a;
	struct mi_entry *e;

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, "my src", "/a", "tmpfs",
			       MS_NOSUID | MS_NODEV, "mode=755"));
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "/", &root));
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "/a", &a));
	EXPECT_NE(root.mnt_id, a.mnt_id);
	EXPECT_NE(root.dev, a.dev);
	EXPECT_EQ(1, a.is_root);
	EXPECT_EQ(1, a.ino);	/* tmpfs' root inode */

	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	ASSERT_EQ(2, self->t->nr);
	e = mi_find(self->t, "/a");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(root.mnt_id, e->parent);
	EXPECT_EQ(a.mnt_id, e->id);
	EXPECT_EQ(0, e->major);
	EXPECT_STREQ("/", e->root);
	EXPECT_STREQ("rw,nosuid,nodev,relatime", e->opts);
	EXPECT_STREQ("tmpfs", e->fstype);
	EXPECT_STREQ("my\\040src", e->source);
	EXPECT_STREQ(mi_expect("rw,mode=755,inode64"), e->super);
	EXPECT_STREQ("", e->tags);
	EXPECT_EQ(3, nsm_world_count(self->fd, NSM_OBJ_SUPER));
}

/* The super options field (after the source) of the last line for @mp. */
static int real_super_opts(const char *mp, char *out, size_t len)
{
	char line[1024], *p;
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct mi_entry e;

		if (mi_parse_line(line, &e) || strcmp(e.mp, mp))
			continue;
		p = e.super;
		snprintf(out, len, "%s", p);
		found = 0;
	}
	fclose(f);
	return found;
}

/*
 * tmpfs options, side by side with the real kernel this test runs on: the
 * same data string is mounted for real (in a private mount namespace of
 * the test process) and in the model; the errno and the super options
 * that mountinfo shows must be the same.
 */
TEST_F(mnt, tmpfs_options_as_the_kernel_shows_them)
{
	static const char *const opts[] = {
		"size=1m,nr_inodes=100,mode=700,uid=5,gid=6",
		"size=10%,huge=within_size,inode32",
		"sync,dirsync,lazytime", "noswap", "size=1x", "bogus",
		"mpol=default,nr_blocks=10", "ro", "huge=always", "mode=1777",
		"nr_inodes=1k", "size=0", "huge=bogus", "uid=4294967295",
		"mode", "inode64=1", "rw,ro,rw",
	};
	char dir[64], real[256];
	unsigned int i;

	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		SKIP(return, "no private mount namespace: %s", strerror(errno));
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		int kret = 0;
		long mret;

		snprintf(dir, sizeof(dir), "/tmp/nsm-opt-%u", i);
		mkdir(dir, 0755);
		if (mount("o", dir, "tmpfs", 0, opts[i]))
			kret = -errno;
		ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, dir));
		mret = nsm_mount(self->fd, INIT, "o", dir, "tmpfs", 0, opts[i]);
		EXPECT_EQ(kret, mret) TH_LOG("%s", opts[i]);
		if (kret || mret)
			continue;
		ASSERT_EQ(0, real_super_opts(dir, real, sizeof(real)));
		ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
		EXPECT_STREQ(real, mi_get(self->t, dir)->super)
			TH_LOG("%s", opts[i]);
		umount(dir);
	}
}

TEST_F(mnt, mount_errnos)
{
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a"));
	EXPECT_EQ(-ENOENT, nsm_tmpfs(self->fd, INIT, "/nope"));
	EXPECT_EQ(-ENODEV, nsm_mount(self->fd, INIT, "x", "/a", "ext4", 0,
				     NULL));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "x", "/a", NULL, 0,
				     NULL));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "x", "/a", "tmpfs", 0,
				     "bogus=1"));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "x", "/a", "tmpfs",
				     MS_NOUSER, NULL));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "x", "/a", "tmpfs",
				     1ULL << 40, NULL));
	EXPECT_EQ(-EFAULT, nsm_mount(self->fd, INIT, "x", "/a", (char *)8,
				     0, NULL));
	EXPECT_EQ(-EFAULT, nsm_mount(self->fd, INIT, "x", NULL, "tmpfs", 0,
				     NULL));
	/* bind needs a source */
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "", "/a", NULL, MS_BIND,
				     NULL));
	EXPECT_EQ(-ENOENT, nsm_bind(self->fd, INIT, "/nope", "/a"));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(mnt, read_only_mounts_and_superblocks)
{
	struct mi_entry *e;

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/ro"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/sbro"));
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, "none", "/ro", "tmpfs",
			       MS_RDONLY, NULL));
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, "none", "/sbro", "tmpfs", 0,
			       "ro"));
	EXPECT_EQ(-EROFS, nsm_mkdir(self->fd, INIT, "/ro/x"));
	EXPECT_EQ(-EROFS, nsm_mkdir(self->fd, INIT, "/sbro/x"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	e = mi_find(self->t, "/ro");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("ro,relatime", e->opts);
	EXPECT_STREQ(mi_expect("ro,inode64"), e->super);
	e = mi_find(self->t, "/sbro");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("rw,relatime", e->opts);
	EXPECT_STREQ(mi_expect("ro,inode64"), e->super);

	/* remount,bind changes the mount only; remount the superblock too */
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, NULL, "/sbro", NULL,
			       MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOEXEC,
			       NULL));
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, NULL, "/ro", NULL,
			       MS_REMOUNT, "rw"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	e = mi_find(self->t, "/sbro");
	EXPECT_STREQ("ro,noexec,relatime", e->opts);
	EXPECT_STREQ(mi_expect("ro,inode64"), e->super);
	e = mi_find(self->t, "/ro");
	EXPECT_STREQ("rw,relatime", e->opts);
	EXPECT_STREQ(mi_expect("rw,inode64"), e->super);
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, "/ro/x"));
	/* remount of something that is not a mount root */
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, NULL, "/ro/x", NULL,
				     MS_REMOUNT | MS_BIND, NULL));
}

TEST_F(mnt, stacked_mounts_cover_each_other)
{
	long first, second;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/in-first"));
	first = mi_mnt_id(self->fd, INIT, "/a");
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/a"));
	second = mi_mnt_id(self->fd, INIT, "/a");
	ASSERT_NE(first, second);
	/* the new mount went on top of the first one's root */
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/a/in-first", NULL));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(2, mi_count(self->t, "/a"));
	EXPECT_EQ(first, mi_by_id(self->t, second)->parent);
	/* umount uncovers */
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/a", 0));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/a/in-first", NULL));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/a", 0));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_SUPER));
}

TEST_F(mnt, dotdot_climbs_out_of_mounts)
{
	struct nsm_path_args a;
	long root = mi_mnt_id(self->fd, INIT, "/");

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/x"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b/c"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/a/b/c"));
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "..", &a));
	EXPECT_EQ(1, a.is_root);
	EXPECT_NE(root, a.mnt_id);
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "../..", &a));
	EXPECT_EQ(root, a.mnt_id);
	EXPECT_EQ(0, a.is_root);
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "../../../x", NULL));
	EXPECT_EQ(0, nsm_chdir(self->fd, INIT, "/"));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/a/b", 0));
}

TEST_F(mnt, umount_errnos)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b"));
	/* not the root of a mount */
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, INIT, "/a/b", 0));
	EXPECT_EQ(-ENOENT, nsm_umount(self->fd, INIT, "/nope", 0));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, INIT, "/a",
				      MNT_EXPIRE | MNT_DETACH));
	/* busy: a child mount */
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/a/b"));
	EXPECT_EQ(-EBUSY, nsm_umount(self->fd, INIT, "/a", 0));
	/* busy: a task's cwd */
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/a/b"));
	EXPECT_EQ(-EBUSY, nsm_umount(self->fd, INIT, "/a/b", 0));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/"));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/a/b", 0));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/a", 0));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, INIT, "/a", 0));
}

TEST_F(mnt, umount_expire_needs_two_tries)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	EXPECT_EQ(-EAGAIN, nsm_umount(self->fd, INIT, "/a", MNT_EXPIRE));
	EXPECT_EQ(0, nsm_umount(self->fd, INIT, "/a", MNT_EXPIRE));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(mnt, lazy_umount_keeps_a_busy_tree_alive)
{
	struct nsm_path_args a;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b/c"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b/c"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/a/b/c"));
	EXPECT_EQ(-EBUSY, nsm_umount(self->fd, INIT, "/a", 0));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/a", MNT_DETACH));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/a/b", NULL));
	/* the cwd still works, on the detached mount */
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, ".", &a));
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, "d"));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "d/..", NULL));
	/* the cwd's mount survives, its parent does not (+ rootfs and /) */
	EXPECT_EQ(3, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/"));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_SUPER));
}

/*
 * A cwd left in a lazily detached tree: the tree is in no namespace, so
 * check_mnt() refuses binds from it and changes to it (EINVAL); a new
 * mount on it is EINVAL on 6.1 (do_add_mount()) and ENOENT on 6.12
 * (do_lock_mount() checks is_mounted() first).
 */
TEST_F(mnt, mounts_on_a_detached_tree)
{
	struct utsname u;
	long expect;

	ASSERT_EQ(0, uname(&u));
	expect = strncmp(u.release, "6.1.", 4) ? -ENOENT : -EINVAL;
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/m"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/m/x"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/n"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/m"));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/m", MNT_DETACH));
	EXPECT_EQ(expect, nsm_tmpfs(self->fd, INIT, "x"));
	EXPECT_EQ(expect, nsm_bind(self->fd, INIT, "/n", "x"));
	EXPECT_EQ(-EINVAL, nsm_bind(self->fd, INIT, "x", "/n"));
	EXPECT_EQ(-EINVAL, nsm_make(self->fd, INIT, "x", MS_SHARED));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, INIT, ".", 0));
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, "y"));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(mnt, umount_of_ones_root_remounts_it_read_only)
{
	struct mi_entry *e;

	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/", 0));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	e = mi_find(self->t, "/");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("rw,relatime", e->opts);
	EXPECT_STREQ(mi_expect("ro,mode=755,inode64"), e->super);
	EXPECT_EQ(-EROFS, nsm_mkdir(self->fd, INIT, "/x"));
}

/*
 * umount -l / detaches the whole tree; the task keeps working in it, its
 * namespace lists nothing, and a copy of that namespace is refused (the
 * model forgets a namespace root that is gone; see nsm_umount_tree()).
 */
TEST_F(mnt, lazy_umount_of_the_root)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/", MNT_DETACH));
	EXPECT_EQ(0, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/a", NULL));
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	EXPECT_EQ(-EINVAL, nsm_umount(self->fd, INIT, "/a", 0));
	EXPECT_EQ(-EINVAL, nsm_tmpfs(self->fd, INIT, "/b") == -ENOENT ?
		  -EINVAL : nsm_tmpfs(self->fd, INIT, "/b"));
	/* /a went with it; "/" is pinned by the task, rootfs by its namespace */
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
}

TEST_F(mnt, bind_shows_the_subtree_root)
{
	struct mi_entry *e;
	struct nsm_path_args a, b;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/src"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/src/sub dir/x"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/dst"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/src/sub dir", "/dst"));
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "/src/sub dir/x", &a));
	ASSERT_EQ(0, nsm_stat(self->fd, INIT, "/dst/x", &b));
	EXPECT_EQ(a.ino, b.ino);
	EXPECT_EQ(a.dev, b.dev);
	EXPECT_NE(a.mnt_id, b.mnt_id);
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	e = mi_find(self->t, "/dst");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ("/sub\\040dir", e->root);
	EXPECT_STREQ("none", e->source);
	/* a directory made through one mount is seen through the other */
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/dst/y"));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/src/sub dir/y", NULL));
	EXPECT_EQ(1, e->major == mi_get(self->t, "/src")->major &&
		     e->minor == mi_get(self->t, "/src")->minor);
}

TEST_F(mnt, bind_of_unbindable_is_einval)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/u"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/u", MS_UNBINDABLE));
	EXPECT_EQ(-EINVAL, nsm_bind(self->fd, INIT, "/u", "/d"));
	EXPECT_EQ(-EINVAL, nsm_rbind(self->fd, INIT, "/u", "/d"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(1, mi_get(self->t, "/u")->unbindable);
}

TEST_F(mnt, rbind_copies_submounts_bind_does_not)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b/c"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/r"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/n"));
	ASSERT_EQ(0, nsm_rbind(self->fd, INIT, "/a", "/r"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/a", "/n"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_NE(NULL, mi_find(self->t, "/r/b"));
	EXPECT_NE(NULL, mi_find(self->t, "/r/b/c"));
	EXPECT_EQ(NULL, mi_find(self->t, "/n/b"));
	EXPECT_EQ(8, self->t->nr);
	/* the rbind copy is listed in walk order after its root */
	EXPECT_EQ(mi_get(self->t, "/r")->id, mi_get(self->t, "/r/b")->parent);
}

TEST_F(mnt, move_and_its_errnos)
{
	long id;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/in"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	id = mi_mnt_id(self->fd, INIT, "/a");
	/* not a mount root */
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "/a/in", "/b", NULL,
				     MS_MOVE, NULL));
	/* into itself */
	EXPECT_EQ(-ELOOP, nsm_mount(self->fd, INIT, "/a", "/a/in", NULL,
				    MS_MOVE, NULL));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "", "/b", NULL, MS_MOVE,
				     NULL));
	EXPECT_EQ(-ENOENT, nsm_mount(self->fd, INIT, "/nope", "/b", NULL,
				     MS_MOVE, NULL));
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, "/a", "/b", NULL, MS_MOVE,
			       NULL));
	EXPECT_EQ(id, mi_mnt_id(self->fd, INIT, "/b"));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/b/in", NULL));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/a/in", NULL));
	/* "/" does not move into itself */
	EXPECT_EQ(-ELOOP, nsm_mount(self->fd, INIT, "/", "/b/in", NULL,
				    MS_MOVE, NULL));
}

TEST_F(mnt, move_out_of_a_shared_parent_is_einval)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/p"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/p/c"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/p", MS_SHARED));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "/p/c", "/d", NULL,
				     MS_MOVE, NULL));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/p", MS_PRIVATE));
	EXPECT_EQ(0, nsm_mount(self->fd, INIT, "/p/c", "/d", NULL, MS_MOVE,
			       NULL));
}

TEST_F(mnt, move_unbindable_under_shared_is_einval)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/u"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/s/x"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/s", MS_SHARED));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/u", MS_UNBINDABLE));
	EXPECT_EQ(-EINVAL, nsm_mount(self->fd, INIT, "/u", "/s/x", NULL,
				     MS_MOVE, NULL));
}

TEST_F(mnt, change_type_table)
{
	struct mi_entry *a, *b;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/x"));
	EXPECT_EQ(-EINVAL, nsm_make(self->fd, INIT, "/a/x", MS_SHARED));
	EXPECT_EQ(-EINVAL, nsm_make(self->fd, INIT, "/a",
				    MS_SHARED | MS_PRIVATE));
	EXPECT_EQ(-EINVAL, nsm_make(self->fd, INIT, "/a",
				    MS_SHARED | MS_NOSUID));

	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a", MS_SHARED));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	a = mi_find(self->t, "/a");
	b = mi_find(self->t, "/a/b");
	EXPECT_EQ(1, a->shared);	/* the lowest free peer group id */
	EXPECT_EQ(0, b->shared);

	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a", MS_SHARED | MS_REC));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(1, mi_get(self->t, "/a")->shared);
	EXPECT_EQ(2, mi_get(self->t, "/a/b")->shared);

	/* a lone shared mount made slave becomes private */
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a/b", MS_SLAVE));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_STREQ("", mi_get(self->t, "/a/b")->tags);

	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a", MS_PRIVATE | MS_REC));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_STREQ("", mi_get(self->t, "/a")->tags);
	/* peer group 1 is free again, and reused */
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a/b", MS_SHARED));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(1, mi_get(self->t, "/a/b")->shared);

	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a", MS_UNBINDABLE | MS_REC));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_STREQ("unbindable", mi_get(self->t, "/a")->tags);
	EXPECT_STREQ("unbindable", mi_get(self->t, "/a/b")->tags);
}

TEST_F(mnt, slave_of_shared_and_shared_slave)
{
	struct mi_entry *a, *b;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/b"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/a", "/b"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	a = mi_find(self->t, "/a");
	b = mi_find(self->t, "/b");
	EXPECT_EQ(a->shared, b->shared);	/* peers */
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/b", MS_SLAVE));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	a = mi_find(self->t, "/a");
	b = mi_find(self->t, "/b");
	EXPECT_EQ(0, b->shared);
	EXPECT_EQ(a->shared, b->master);
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/b", MS_SHARED));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	b = mi_find(self->t, "/b");
	EXPECT_NE(0, b->shared);
	EXPECT_NE(a->shared, b->shared);
	EXPECT_EQ(a->shared, b->master);
	/* mounts under /a reach /b; not the other way round */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/x"));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/b/x", NULL));
	EXPECT_NE(mi_mnt_id(self->fd, INIT, "/b"),
		  mi_mnt_id(self->fd, INIT, "/b/x"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/b/y"));
	EXPECT_EQ(mi_mnt_id(self->fd, INIT, "/a"),
		  mi_mnt_id(self->fd, INIT, "/a/y"));
}

TEST_F(mnt, chroot_hides_what_is_outside)
{
	struct mi_entry *e;

	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/out"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/jail"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/jail/in"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/out"));
	ASSERT_EQ(0, nsm_chroot(self->fd, INIT, "/jail"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(2, self->t->nr) TH_LOG("%s", self->t->text);
	e = mi_find(self->t, "/");
	ASSERT_NE(NULL, e);
	e = mi_find(self->t, "/in");
	ASSERT_NE(NULL, e);
	/* ".." stops at the new root */
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/../in", NULL));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/../out", NULL));
	/* the cwd stayed outside: relative paths still reach it */
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "out", NULL));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/"));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "out", NULL));
}

TEST_F(mnt, mountinfo_fd_is_a_snapshot_and_counted)
{
	struct nsm_mountinfo_args a = { .size = sizeof(a), .task = INIT };
	char buf[4096];
	ssize_t n;
	int mfd;

	ASSERT_LE(0, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	mfd = a.fd;
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_MOUNTINFO));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/later"));
	n = read(mfd, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_EQ(NULL, strstr(buf, "/later"));
	EXPECT_EQ(0, read(mfd, buf, sizeof(buf)));
	EXPECT_EQ(-ESRCH, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO,
		  &(struct nsm_mountinfo_args){ .size = 16, .task = 77 }));
	/* the fd outlives the world fd */
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, lseek(mfd, 0, SEEK_SET));
	EXPECT_LT(0, read(mfd, buf, sizeof(buf)));
	close(mfd);
}

TEST_F(mnt, mount_max_gives_enospc)
{
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/c"));
	/* rootfs and "/" count: the namespace starts with two mounts */
	ASSERT_EQ(0, set_mount_max(4));
	EXPECT_EQ(0, nsm_tmpfs(self->fd, INIT, "/a"));
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/b"));
	EXPECT_EQ(0, nsm_tmpfs(self->fd, INIT, "/a/b"));
	EXPECT_EQ(-ENOSPC, nsm_tmpfs(self->fd, INIT, "/c"));
	/* rbind of a two-mount tree into a namespace of four */
	ASSERT_EQ(0, set_mount_max(5));
	EXPECT_EQ(-ENOSPC, nsm_rbind(self->fd, INIT, "/a", "/c"));
	EXPECT_EQ(0, nsm_bind(self->fd, INIT, "/a", "/c"));
	ASSERT_EQ(0, set_mount_max(100000));
	EXPECT_EQ(4, nsm_nr_mounts(self->fd, INIT));
}

TEST_F(mnt, mount_max_counts_propagated_copies)
{
	/* a shared /s with a peer at /p: each mount under /s costs two */
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/s/x"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/p"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/s", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/s", "/p"));
	ASSERT_EQ(0, set_mount_max(5));
	EXPECT_EQ(-ENOSPC, nsm_tmpfs(self->fd, INIT, "/s/x"));
	ASSERT_EQ(0, set_mount_max(6));
	EXPECT_EQ(0, nsm_tmpfs(self->fd, INIT, "/s/x"));
	ASSERT_EQ(0, set_mount_max(100000));
	EXPECT_EQ(5, nsm_nr_mounts(self->fd, INIT));
}

/*
 * Fault injection: fail the Nth allocation of a mount operation for N = 1,
 * 2, ... until it succeeds; each failure must leave the world unchanged.
 */
TEST_F_TIMEOUT(mnt, fault_injection_in_rbind_and_tmpfs_mount, 300)
{
	long objs, n;
	int ret;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/b"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a", MS_SHARED | MS_REC));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/a/c"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/r"));
	ASSERT_EQ(0, nsm_rbind(self->fd, INIT, "/a", "/r"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/r2"));
	objs = nsm_world_objects(self->fd);
	for (n = 1; n < 200; n++) {
		ASSERT_LE(0, nsm_fault(self->fd, n));
		ret = nsm_rbind(self->fd, INIT, "/a", "/a/c");
		nsm_fault(self->fd, 0);
		if (!ret)
			break;
		ASSERT_EQ(-ENOMEM, ret);
		ASSERT_EQ(objs, nsm_world_objects(self->fd));
		ASSERT_EQ(5, nsm_nr_mounts(self->fd, INIT));
	}
	EXPECT_LT(3, n);
	objs = nsm_world_objects(self->fd);
	for (n = 1; n < 200; n++) {
		ASSERT_LE(0, nsm_fault(self->fd, n));
		ret = nsm_tmpfs(self->fd, INIT, "/r2");
		nsm_fault(self->fd, 0);
		if (!ret)
			break;
		ASSERT_EQ(-ENOMEM, ret);
		ASSERT_EQ(objs, nsm_world_objects(self->fd));
	}
	EXPECT_LT(3, n);
}

TEST_F_TIMEOUT(mnt, many_mounts_and_teardown, 600)
{
	char path[64];
	int i;

	for (i = 0; i < 2000; i++) {
		snprintf(path, sizeof(path), "/d%d", i);
		ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, path));
	}
	EXPECT_EQ(2001, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(2002, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
}

TEST_F_TIMEOUT(mnt, mount_points_longer_than_path_max, 300)
{
	char name[251], *text, *p, *nl;
	int i, longest = 0;

	for (i = 0; i < 20; i++) {
		long_name(name, 'a' + i);
		ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, name));
		ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, name));
		ASSERT_EQ(0, nsm_chdir(self->fd, INIT, name));
	}
	text = nsm_mountinfo(self->fd, INIT);
	ASSERT_NE(NULL, text);
	for (p = text; (nl = strchr(p, '\n')); p = nl + 1)
		if (nl - p > longest)
			longest = (int)(nl - p);
	free(text);
	EXPECT_LT(20 * 251, longest);
	EXPECT_EQ(21, nsm_nr_mounts(self->fd, INIT));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/"));
}

TEST_F(mnt, fault_injection_in_mountinfo)
{
	struct nsm_mountinfo_args a = { .size = sizeof(a), .task = INIT };
	long objs, n, ret;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	objs = nsm_world_objects(self->fd);
	for (n = 1; n < 50; n++) {
		ASSERT_LE(0, nsm_fault(self->fd, n));
		ret = nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a);
		nsm_fault(self->fd, 0);
		if (ret >= 0)
			break;
		ASSERT_EQ(-ENOMEM, ret);
		ASSERT_EQ(objs, nsm_world_objects(self->fd));
	}
	ASSERT_LE(0, ret);
	EXPECT_LT(2, n);
	close(a.fd);
	EXPECT_EQ(objs, nsm_world_objects(self->fd));
}

TEST_HARNESS_MAIN
