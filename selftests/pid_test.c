// SPDX-License-Identifier: GPL-2.0
/*
 * pid_test: pid numbers at every level (NSpid), their cyclic allocation,
 * pid namespace nesting, and the death of a pid namespace's init
 * (kernel/pid.c alloc_pid(), kernel/pid_namespace.c, kernel/exit.c).
 */
#include "kselftest_harness.h"
#include "core_helpers.h"

TEST_F(core, nspid_numbering)
{
	long a, b, c, d;
	struct nsm_task_info i;

	a = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, a);
	i = ti(self->fd, a);
	EXPECT_EQ(0, i.level);
	EXPECT_EQ(2, i.nspid[0]);

	b = nsm_clone(self->fd, a, CLONE_NEWPID);
	ASSERT_LT(0, b);
	i = ti(self->fd, b);
	EXPECT_EQ(1, i.level);
	EXPECT_EQ(3, i.nspid[0]);
	EXPECT_EQ(1, i.nspid[1]);		/* NSpid: 3 1 */
	EXPECT_EQ(0, i.nspid[2]);

	c = nsm_clone(self->fd, b, 0);
	ASSERT_LT(0, c);
	i = ti(self->fd, c);
	EXPECT_EQ(4, i.nspid[0]);
	EXPECT_EQ(2, i.nspid[1]);		/* NSpid: 4 2 */

	d = nsm_clone(self->fd, c, CLONE_NEWPID);
	ASSERT_LT(0, d);
	i = ti(self->fd, d);
	EXPECT_EQ(2, i.level);
	EXPECT_EQ(5, i.nspid[0]);
	EXPECT_EQ(3, i.nspid[1]);
	EXPECT_EQ(1, i.nspid[2]);		/* NSpid: 5 3 1 */

	/* a sibling namespace counts from 1 on its own */
	d = nsm_clone(self->fd, INIT, CLONE_NEWPID);
	ASSERT_LT(0, d);
	i = ti(self->fd, d);
	EXPECT_EQ(6, i.nspid[0]);
	EXPECT_EQ(1, i.nspid[1]);
}

/* Numbers are handed out cyclically: a freed number is not reused. */
TEST_F(core, pid_numbers_are_cyclic)
{
	long a = nsm_clone(self->fd, INIT, 0), b;

	ASSERT_LT(0, a);
	EXPECT_EQ(2, ti(self->fd, a).nspid[0]);
	ASSERT_EQ(0, nsm_exit(self->fd, a));
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	EXPECT_EQ(3, ti(self->fd, b).nspid[0]);
}

/* create_pid_namespace(): level 32 is the deepest; then ENOSPC. */
TEST_F(core, pid_ns_nesting_limit)
{
	long t = INIT, c;
	int level;
	__u64 objs[NSM_OBJ_SLOTS], now[NSM_OBJ_SLOTS];

	for (level = 1; level <= 32; level++) {
		c = nsm_clone(self->fd, t, CLONE_NEWPID);
		ASSERT_LT(0, c) TH_LOG("level %d: %ld", level, c);
		t = c;
	}
	EXPECT_EQ(32, ti(self->fd, t).level);
	EXPECT_EQ(1, ti(self->fd, t).nspid[32]);
	world_counts(self->fd, objs);
	EXPECT_EQ(-ENOSPC, nsm_clone(self->fd, t, CLONE_NEWPID));
	EXPECT_EQ(-ENOSPC, nsm_unshare(self->fd, t, CLONE_NEWPID));
	world_counts(self->fd, now);
	EXPECT_EQ(-1, counts_differ(objs, now));
	/* a plain child at level 32 has 33 numbers */
	c = nsm_clone(self->fd, t, 0);
	ASSERT_LT(0, c);
	EXPECT_EQ(2, ti(self->fd, c).nspid[32]);
}

/* When a pid namespace's init exits, the namespace dies with it. */
TEST_F(core, pid_ns_init_exit_kills_the_namespace)
{
	long a, r, x, y, z, o;

	a = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, a);
	ASSERT_EQ(0, nsm_unshare(self->fd, a, CLONE_NEWPID));
	r = nsm_clone(self->fd, a, 0);		/* pid 1 there */
	ASSERT_LT(0, r);
	x = nsm_clone(self->fd, r, 0);
	ASSERT_LT(0, x);
	y = nsm_clone(self->fd, a, 0);		/* a's second child: pid 3 */
	ASSERT_LT(0, y);
	EXPECT_EQ(3, ti(self->fd, y).nspid[1]);
	z = nsm_clone(self->fd, x, CLONE_NEWPID);	/* nested */
	ASSERT_LT(0, z);
	o = nsm_clone(self->fd, INIT, 0);	/* outside */
	ASSERT_LT(0, o);

	ASSERT_EQ(0, nsm_exit(self->fd, r));
	EXPECT_EQ(0, ti(self->fd, x).task);
	EXPECT_EQ(0, ti(self->fd, y).task);
	EXPECT_EQ(0, ti(self->fd, z).task);
	EXPECT_EQ(o, ti(self->fd, o).task);
	EXPECT_EQ(a, ti(self->fd, a).task);
	EXPECT_EQ(3, nsm_world_count(self->fd, NSM_OBJ_TASK));
	/* the namespace takes no new task: ENOMEM, as the kernel says */
	EXPECT_EQ(-ENOMEM, nsm_clone(self->fd, a, 0));
	/* it can still be named through pid_for_children */
	EXPECT_NE(0, ti(self->fd, a).ns_id[NSM_NS_PID_FOR_CHILDREN]);
	/* and a may not make another before... it has no way to: EINVAL */
	EXPECT_EQ(-EINVAL, nsm_unshare(self->fd, a, CLONE_NEWPID));
}

/* An orphan is adopted by the init of its parent's pid namespace. */
TEST_F(core, orphans_go_to_the_namespace_init)
{
	long r, m, k;

	r = nsm_clone(self->fd, INIT, CLONE_NEWPID);
	ASSERT_LT(0, r);
	m = nsm_clone(self->fd, r, 0);
	ASSERT_LT(0, m);
	k = nsm_clone(self->fd, m, 0);
	ASSERT_LT(0, k);
	EXPECT_EQ(m, ti(self->fd, k).parent);
	ASSERT_EQ(0, nsm_exit(self->fd, m));
	EXPECT_EQ(r, ti(self->fd, k).parent);
	/* the init of the world adopts r's children only if r is gone... */
	ASSERT_EQ(0, nsm_exit(self->fd, r));
	EXPECT_EQ(0, ti(self->fd, k).task);	/* ...which kills them */
}

/* The world's pid namespace: init is pid 1, the child reaper. */
TEST_F(core, init_is_pid_one)
{
	struct nsm_task_info i = ti(self->fd, INIT);
	struct nsm_ns_info ni;
	int h;

	EXPECT_EQ(1, i.nspid[0]);
	EXPECT_EQ(0, i.level);
	h = nsm_ns_open(self->fd, INIT, NSM_NS_PID);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, nsm_ns_info(h, &ni));
	EXPECT_EQ(NSM_NS_PID, ni.kind);
	EXPECT_EQ(i.ns_id[NSM_NS_PID], ni.ns_id);
	EXPECT_EQ(0, ni.parent_id);
	EXPECT_EQ(0, ni.level);
	EXPECT_EQ(i.ns_id[NSM_NS_USER], ni.owner_id);
	close(h);
}

TEST_F(core, pid_ns_owner_must_be_below_parents_owner)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWUSER), b;

	ASSERT_LT(0, a);
	/* a's pid namespace (the world's) is owned above a: fine */
	b = nsm_clone(self->fd, a, CLONE_NEWPID);
	ASSERT_LT(0, b);
	EXPECT_EQ(1, ti(self->fd, b).level);
}

TEST_HARNESS_MAIN
