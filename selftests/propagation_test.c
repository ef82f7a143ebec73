// SPDX-License-Identifier: GPL-2.0
/*
 * propagation_test: the examples of Documentation/filesystems/
 * sharedsubtree.rst run on the model - shared and slave mounts, the bind
 * and move state tables, rbind pruning unbindable mounts, the
 * exponential growth of repeated rbinds and its unbindable fix, umount
 * propagation, and mountinfo's propagate_from.
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

FIXTURE(prop) {
	int mon, fd;
	struct nsm_counters before;
	struct mi_table *t;
};

FIXTURE_SETUP(prop)
{
	NSM_WORLD_SETUP(self);
	self->t = mi_new();
	ASSERT_NE(NULL, self->t);
}

FIXTURE_TEARDOWN(prop)
{
	mi_free(self->t);
	NSM_WORLD_TEARDOWN(self);
}

static long mkdirs(int fd, const char *a, const char *b)
{
	long ret = nsm_mkdir(fd, INIT, a);

	return ret ? ret : (b ? nsm_mkdir(fd, INIT, b) : 0);
}

/* 2a: a shared mount replicated; mounts under either show in both */
TEST_F(prop, shared_example)
{
	struct mi_entry *m, *t;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/mnt"));
	ASSERT_EQ(0, mkdirs(self->fd, "/tmp", "/mnt/a"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/mnt", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/mnt", "/tmp"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/mnt/a"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	ASSERT_NE(NULL, mi_find(self->t, "/tmp/a"));
	m = mi_find(self->t, "/mnt");
	t = mi_find(self->t, "/tmp");
	EXPECT_EQ(m->shared, t->shared);
	EXPECT_EQ(mi_get(self->t, "/mnt/a")->shared,
		  mi_get(self->t, "/tmp/a")->shared);
	EXPECT_NE(0, mi_get(self->t, "/tmp/a")->shared);
	/* and back the other way */
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/tmp/b"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/tmp/b"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_NE(NULL, mi_find(self->t, "/mnt/b"));
	EXPECT_EQ(7, self->t->nr);
}

/* 2b: the slave example */
TEST_F(prop, slave_example)
{
	struct mi_entry *m, *t;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/mnt"));
	ASSERT_EQ(0, mkdirs(self->fd, "/tmp", "/mnt/a"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/mnt/b"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/mnt", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/mnt", "/tmp"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/tmp", MS_SLAVE));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/mnt/a"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/tmp/b"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_NE(NULL, mi_find(self->t, "/tmp/a"));
	EXPECT_EQ(NULL, mi_find(self->t, "/mnt/b"));
	m = mi_find(self->t, "/mnt");
	t = mi_find(self->t, "/tmp");
	EXPECT_EQ(0, t->shared);
	EXPECT_EQ(m->shared, t->master);
	/* the copy at /tmp/a is a slave of /mnt/a */
	EXPECT_EQ(mi_get(self->t, "/mnt/a")->shared,
		  mi_get(self->t, "/tmp/a")->master);
	EXPECT_EQ(0, mi_get(self->t, "/tmp/a")->shared);
	/* umount propagates from master to slave too */
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/mnt/a", 0));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(NULL, mi_find(self->t, "/tmp/a"));
	EXPECT_EQ(4, self->t->nr);
}

/* 5b: the bind table */
TEST_F(prop, bind_table)
{
	struct mi_entry *e;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/sh"));	/* shared dest */
	ASSERT_EQ(0, mkdirs(self->fd, "/sh/x", "/sh/y"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/peer"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/sh", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/sh", "/peer"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/priv"));	/* private source */
	ASSERT_EQ(0, mkdirs(self->fd, "/d1", "/d2"));

	/* private onto shared: shared (+), propagated to the dest's peers */
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/priv", "/sh/x"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	e = mi_find(self->t, "/sh/x");
	ASSERT_NE(NULL, e);
	EXPECT_NE(0, e->shared);
	ASSERT_NE(NULL, mi_find(self->t, "/peer/x"));
	EXPECT_EQ(e->shared, mi_get(self->t, "/peer/x")->shared);
	EXPECT_STREQ("", mi_get(self->t, "/priv")->tags);

	/* shared onto non-shared: in the source's peer group (+) */
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/sh", "/d1"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(mi_get(self->t, "/sh")->shared,
		  mi_get(self->t, "/d1")->shared);

	/* private onto non-shared: private */
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/priv", "/d2"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_STREQ("", mi_get(self->t, "/d2")->tags);

	/* slave onto non-shared: a slave of the same master (*) */
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/d2", MS_SLAVE));	/* no-op */
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/d1", MS_SLAVE));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/d3"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/d1", "/d3"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(mi_get(self->t, "/sh")->shared,
		  mi_get(self->t, "/d3")->master);
	EXPECT_EQ(0, mi_get(self->t, "/d3")->shared);

	/* slave onto shared: shared and slave (+++) */
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/d1", "/sh/y"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	e = mi_find(self->t, "/sh/y");
	EXPECT_NE(0, e->shared);
	EXPECT_EQ(mi_get(self->t, "/sh")->shared, e->master);
	EXPECT_NE(NULL, mi_find(self->t, "/peer/y"));
}

/* 5d: the move table - a private mount moved under a shared one */
TEST_F(prop, move_private_under_shared_makes_it_shared)
{
	struct mi_entry *e;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/sh"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/sh/x"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/peer"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/sh", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/sh", "/peer"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/m"));
	ASSERT_EQ(0, nsm_mount(self->fd, INIT, "/m", "/sh/x", NULL, MS_MOVE,
			       NULL));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_EQ(NULL, mi_find(self->t, "/m"));
	e = mi_find(self->t, "/sh/x");
	ASSERT_NE(NULL, e);
	EXPECT_NE(0, e->shared);
	ASSERT_NE(NULL, mi_find(self->t, "/peer/x"));
	EXPECT_EQ(e->shared, mi_get(self->t, "/peer/x")->shared);
	/* moved: same mount, same id */
	EXPECT_EQ(5, self->t->nr);
}

/* 2d and 5c: rbind leaves unbindable subtrees out */
TEST_F(prop, rbind_prunes_unbindable_subtrees)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/keep"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/u"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/u/deep"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/a/z"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/a/u", MS_UNBINDABLE));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/r"));
	ASSERT_EQ(0, nsm_rbind(self->fd, INIT, "/a", "/r"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_NE(NULL, mi_find(self->t, "/r"));
	EXPECT_NE(NULL, mi_find(self->t, "/r/keep"));
	EXPECT_NE(NULL, mi_find(self->t, "/r/z"));
	EXPECT_EQ(NULL, mi_find(self->t, "/r/u"));
	EXPECT_EQ(NULL, mi_find(self->t, "/r/u/deep"));
	EXPECT_EQ(9, self->t->nr);
	/* the directory is there, uncovered */
	EXPECT_EQ(mi_mnt_id(self->fd, INIT, "/r"),
		  mi_mnt_id(self->fd, INIT, "/r/u"));
}

/*
 * 7 Q3: repeated rbinds of a shared tree into itself grow exponentially;
 * the kernel (6.1 and later) makes 2, 6 and 42 mounts of the tree.
 */
TEST_F(prop, repeated_rbind_grows_exponentially)
{
	static const int expect[] = { 2, 6, 42 };
	char path[32];
	int i;

	ASSERT_EQ(0, mkdirs(self->fd, "/tmp", "/usr"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/", MS_SHARED));
	for (i = 1; i <= 3; i++) {
		snprintf(path, sizeof(path), "/tmp/m%d", i);
		ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, path));
		ASSERT_EQ(0, nsm_rbind(self->fd, INIT, "/", path));
		EXPECT_EQ(expect[i - 1], nsm_nr_mounts(self->fd, INIT));
	}
}

/* ...and an unbindable /tmp keeps it linear */
TEST_F(prop, unbindable_fixes_the_growth)
{
	char path[32];
	int i;

	ASSERT_EQ(0, mkdirs(self->fd, "/tmp", "/usr"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/tmp", "/tmp"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/", MS_SHARED | MS_REC));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/tmp", MS_UNBINDABLE));
	for (i = 1; i <= 3; i++) {
		snprintf(path, sizeof(path), "/tmp/m%d", i);
		ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, path));
		ASSERT_EQ(0, nsm_rbind(self->fd, INIT, "/", path));
		EXPECT_EQ(2 + i, nsm_nr_mounts(self->fd, INIT));
	}
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	EXPECT_STREQ("unbindable", mi_get(self->t, "/tmp")->tags);
	EXPECT_STREQ("/tmp", mi_get(self->t, "/tmp")->root);
	EXPECT_EQ(mi_get(self->t, "/")->shared,
		  mi_get(self->t, "/tmp/m3")->shared);
}

/* 5f: umount propagates to the most recent mount on each peer */
TEST_F(prop, umount_propagation_example)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/B1"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/B1/b"));
	ASSERT_EQ(0, mkdirs(self->fd, "/B2", "/B3"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/B1", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/B1", "/B2"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/B1", "/B3"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/B1/b"));	/* A1 A2 A3 */
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/B1/b/inA"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/B1/b"));	/* C1 C2 C3 */
	EXPECT_EQ(10, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/B3/b/inA", NULL));

	/* C2 gets a child of its own: it stays when C1 goes */
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/B2/b", MS_PRIVATE));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/B2/b/child"));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/B1/b", 0));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/B1/b/inA", NULL));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/B3/b/inA", NULL));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/B2/b/inA", NULL));
	EXPECT_EQ(9, nsm_nr_mounts(self->fd, INIT));

	/* a busy C1 fails entirely */
	ASSERT_EQ(0, nsm_tmpfs(self->fd, INIT, "/B1/b"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/B1/b/sub"));
	EXPECT_EQ(-EBUSY, nsm_umount(self->fd, INIT, "/B1/b", 0));
}

/* a lazy umount of a shared mount's child goes to every peer and slave */
TEST_F(prop, lazy_umount_propagates)
{
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/s/x"));
	ASSERT_EQ(0, mkdirs(self->fd, "/p", "/sl"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/s", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/s", "/p"));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/s", "/sl"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/sl", MS_SLAVE));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s/x"));
	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/s/x/y"));
	EXPECT_EQ(10, nsm_nr_mounts(self->fd, INIT));
	ASSERT_EQ(0, nsm_umount(self->fd, INIT, "/p/x", MNT_DETACH));
	EXPECT_EQ(4, nsm_nr_mounts(self->fd, INIT));
}

/* mountinfo's propagate_from: the nearest master group under the root */
TEST_F(prop, propagate_from_when_the_master_is_out_of_sight)
{
	struct mi_entry *c;

	ASSERT_EQ(0, nsm_tmpfs_at(self->fd, INIT, "/y/a"));
	ASSERT_EQ(0, mkdirs(self->fd, "/b", "/y/c"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/y/a", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/y/a", "/b"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/b", MS_SLAVE));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/b", MS_SHARED));
	ASSERT_EQ(0, nsm_bind(self->fd, INIT, "/b", "/y/c"));
	ASSERT_EQ(0, nsm_make(self->fd, INIT, "/y/c", MS_SLAVE));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	c = mi_find(self->t, "/y/c");
	EXPECT_EQ(mi_get(self->t, "/b")->shared, c->master);
	EXPECT_EQ(0, c->propagate_from);
	ASSERT_EQ(0, nsm_chroot(self->fd, INIT, "/y"));
	ASSERT_EQ(0, mi_read(self->fd, INIT, self->t));
	c = mi_find(self->t, "/c");
	ASSERT_NE(NULL, c) TH_LOG("%s", self->t->text);
	EXPECT_EQ(mi_get(self->t, "/a")->shared, c->propagate_from);
	EXPECT_NE(c->master, c->propagate_from);
}

TEST_HARNESS_MAIN
