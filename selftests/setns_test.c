// SPDX-License-Identifier: GPL-2.0
/*
 * setns_test: setns() on namespace handles and on a task with a mask of
 * kinds (kernel/nsproxy.c setns(), prepare_nsset(), validate_nsset(),
 * commit_nsset(), and each kind's *_install()).
 */
#include "kselftest_harness.h"
#include "core_helpers.h"

TEST_F(core, setns_uts_by_handle)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWUTS), b;
	struct nsm_task_info bi;
	int h;

	ASSERT_LT(0, a);
	ASSERT_EQ(0, nsm_sethostname(self->fd, a, "alpha"));
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	h = nsm_ns_open(self->fd, a, NSM_NS_UTS);
	ASSERT_LE(0, h);
	/* the handle's kind must match a non-zero nstype */
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->fd, b, h, CLONE_NEWNET));
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->fd, b, h,
					CLONE_NEWUTS | CLONE_NEWNET));
	/* init, b and the world: unchanged */
	EXPECT_EQ(3, ti(self->fd, INIT).nsproxy_count);
	EXPECT_EQ(0, nsm_setns_fd(self->fd, b, h, 0));
	bi = ti(self->fd, b);
	EXPECT_STREQ("alpha", bi.hostname);
	EXPECT_EQ(ti(self->fd, a).ns_id[NSM_NS_UTS], bi.ns_id[NSM_NS_UTS]);
	/* b got a private nsproxy sharing everything else */
	EXPECT_NE(ti(self->fd, INIT).nsproxy_id, bi.nsproxy_id);
	EXPECT_EQ(2, ti(self->fd, INIT).nsproxy_count);
	EXPECT_EQ(ti(self->fd, INIT).ns_id[NSM_NS_NET], bi.ns_id[NSM_NS_NET]);
	/* a, b and the handle hold it */
	EXPECT_EQ(3, bi.ns_count[NSM_NS_UTS]);
	EXPECT_EQ(0, nsm_setns_fd(self->fd, b, h, CLONE_NEWUTS));
	close(h);
	EXPECT_EQ(2, ti(self->fd, b).ns_count[NSM_NS_UTS]);
}

TEST_F(core, setns_bad_fds)
{
	int other = nsm_open(), h, devnull;

	ASSERT_LE(0, other);
	/* a handle from another world */
	h = nsm_ns_open(other, INIT, NSM_NS_UTS);
	ASSERT_LE(0, h);
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->fd, INIT, h, 0));
	close(h);
	/* a file that is no handle: the world fd itself, /dev/null */
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->fd, INIT, self->fd, 0));
	devnull = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, devnull);
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->fd, INIT, devnull, 0));
	close(devnull);
	/* not an open fd */
	EXPECT_EQ(-EBADF, nsm_setns_fd(self->fd, INIT, 999, 0));
	EXPECT_EQ(-EBADF, nsm_setns_fd(self->fd, INIT, -2, 0));
	/* unknown caller */
	EXPECT_EQ(-ESRCH, nsm_setns_task(self->fd, 77, INIT, CLONE_NEWUTS));
	close(other);
}

TEST_F(core, setns_task_mask_rules)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWUTS | CLONE_NEWNET), b;
	struct nsm_task_info ai, bi;

	ASSERT_LT(0, a);
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, b, a, 0));
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, b, a, CLONE_FS));
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, b, a,
					  CLONE_NEWUTS | CLONE_VM));
	EXPECT_EQ(-ESRCH, nsm_setns_task(self->fd, b, 999, CLONE_NEWUTS));
	EXPECT_EQ(0, nsm_setns_task(self->fd, b, a,
				    CLONE_NEWUTS | CLONE_NEWNET));
	ai = ti(self->fd, a);
	bi = ti(self->fd, b);
	EXPECT_EQ(ai.ns_id[NSM_NS_UTS], bi.ns_id[NSM_NS_UTS]);
	EXPECT_EQ(ai.ns_id[NSM_NS_NET], bi.ns_id[NSM_NS_NET]);
	EXPECT_NE(ai.nsproxy_id, bi.nsproxy_id);
	/* entering one's own namespaces is allowed (not user) */
	EXPECT_EQ(0, nsm_setns_task(self->fd, b, b, CLONE_NEWUTS |
				    CLONE_NEWIPC | CLONE_NEWNET |
				    CLONE_NEWCGROUP | CLONE_NEWTIME |
				    CLONE_NEWPID));
}

/* Several kinds at once: all or nothing. */
TEST_F(core, setns_all_or_nothing)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWUTS | CLONE_NEWPID), b;
	struct nsm_task_info before, after;
	__u64 objs[NSM_OBJ_SLOTS], now[NSM_OBJ_SLOTS];
	int k;

	ASSERT_LT(0, a);
	b = nsm_clone(self->fd, a, 0);		/* in a's pid namespace */
	ASSERT_LT(0, b);
	world_counts(self->fd, objs);
	/*
	 * b may enter INIT's uts namespace but not its pid namespace (an
	 * ancestor of b's): the uts part must not happen either.
	 */
	before = ti(self->fd, b);
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, b, INIT,
					  CLONE_NEWUTS | CLONE_NEWPID));
	after = ti(self->fd, b);
	EXPECT_EQ(before.nsproxy_id, after.nsproxy_id);
	for (k = 0; k < NSM_NS_KIND_MAX; k++) {
		EXPECT_EQ(before.ns_id[k], after.ns_id[k]);
		EXPECT_EQ(before.ns_count[k], after.ns_count[k]);
	}
	world_counts(self->fd, now);
	EXPECT_EQ(-1, counts_differ(objs, now));
	EXPECT_STREQ("nsmodel", after.hostname);
}

TEST_F(core, setns_pid_descendant_only)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWPID), s, b;
	struct nsm_task_info ii, ai;

	ASSERT_LT(0, a);
	s = nsm_clone(self->fd, INIT, CLONE_NEWPID);	/* a sibling ns */
	ASSERT_LT(0, s);
	b = nsm_clone(self->fd, a, 0);
	ASSERT_LT(0, b);
	ai = ti(self->fd, a);
	/* a descendant: only pid_for_children changes */
	ASSERT_EQ(0, nsm_setns_task(self->fd, INIT, a, CLONE_NEWPID));
	ii = ti(self->fd, INIT);
	EXPECT_EQ(ai.ns_id[NSM_NS_PID], ii.ns_id[NSM_NS_PID_FOR_CHILDREN]);
	EXPECT_NE(ai.ns_id[NSM_NS_PID], ii.ns_id[NSM_NS_PID]);
	EXPECT_EQ(0, ii.level);
	/* the next child of init is born in a's namespace */
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	EXPECT_EQ(1, ti(self->fd, b).level);
	EXPECT_EQ(ai.ns_id[NSM_NS_PID], ti(self->fd, b).ns_id[NSM_NS_PID]);
	/* back to its own: allowed */
	EXPECT_EQ(0, nsm_setns_task(self->fd, INIT, INIT, CLONE_NEWPID));
	/* an ancestor, or a sibling: EINVAL */
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, a, INIT, CLONE_NEWPID));
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, a, s, CLONE_NEWPID));
}

TEST_F(core, setns_user_rules)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWUSER), b, f;
	int h;

	ASSERT_LT(0, a);
	/* re-entering one's own user namespace: EINVAL */
	h = nsm_ns_open(self->fd, INIT, NSM_NS_USER);
	ASSERT_LE(0, h);
	EXPECT_EQ(-EINVAL, nsm_setns_fd(self->fd, INIT, h, CLONE_NEWUSER));
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, a, a, CLONE_NEWUSER));
	/* a shared fs_struct may not change user namespace: EINVAL */
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	f = nsm_clone(self->fd, b, CLONE_FS);
	ASSERT_LT(0, f);
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, b, a, CLONE_NEWUSER));
	ASSERT_EQ(0, nsm_exit(self->fd, f));
	EXPECT_EQ(0, nsm_setns_task(self->fd, b, a, CLONE_NEWUSER));
	EXPECT_EQ(ti(self->fd, a).ns_id[NSM_NS_USER],
		  ti(self->fd, b).ns_id[NSM_NS_USER]);
	/* b is uid 0 there, with every capability there */
	EXPECT_EQ(0, ti(self->fd, b).uid);
	EXPECT_EQ((1ULL << 41) - 1, ti(self->fd, b).cap_effective);
	/*
	 * The user namespace lives in the cred, not the nsproxy; but setns()
	 * always installs the private nsproxy prepare_nsset() made, so b has
	 * a new one holding the same namespaces.
	 */
	EXPECT_NE(ti(self->fd, INIT).nsproxy_id, ti(self->fd, b).nsproxy_id);
	EXPECT_EQ(ti(self->fd, INIT).ns_id[NSM_NS_UTS],
		  ti(self->fd, b).ns_id[NSM_NS_UTS]);
	/* and b cannot climb back to the world's user namespace */
	EXPECT_EQ(-EPERM, nsm_setns_fd(self->fd, b, h, 0));
	close(h);
}

/* setns of a time namespace moves the task itself and its children. */
TEST_F(core, setns_time)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWTIME), b;
	struct nsm_task_info bi;

	ASSERT_LT(0, a);
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	ASSERT_EQ(0, nsm_setns_task(self->fd, b, a, CLONE_NEWTIME));
	bi = ti(self->fd, b);
	EXPECT_EQ(ti(self->fd, a).ns_id[NSM_NS_TIME], bi.ns_id[NSM_NS_TIME]);
	EXPECT_EQ(bi.ns_id[NSM_NS_TIME], bi.ns_id[NSM_NS_TIME_FOR_CHILDREN]);
}

TEST_F(core, setns_unprivileged_eperm)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWUTS), u;

	ASSERT_LT(0, a);
	u = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, u);
	ASSERT_EQ(0, nsm_setuid(self->fd, u, 1000));
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, u, a, CLONE_NEWUTS));
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, u, a, CLONE_NEWNET));
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, u, a, CLONE_NEWPID));
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, u, a, CLONE_NEWCGROUP));
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, u, a, CLONE_NEWIPC));
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, u, a, CLONE_NEWTIME));
	EXPECT_STREQ("nsmodel", ti(self->fd, u).hostname);
}

/* A handle keeps working after every task has left its namespace. */
TEST_F(core, setns_into_abandoned_namespace)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWUTS), b;
	int h;

	ASSERT_LT(0, a);
	ASSERT_EQ(0, nsm_sethostname(self->fd, a, "ghost"));
	h = nsm_ns_open(self->fd, a, NSM_NS_UTS);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, nsm_exit(self->fd, a));
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	EXPECT_EQ(0, nsm_setns_fd(self->fd, b, h, CLONE_NEWUTS));
	EXPECT_STREQ("ghost", ti(self->fd, b).hostname);
	close(h);
}

TEST_F(core, setns_mnt_needs_unshared_fs)
{
	long a, b, f;
	a = nsm_clone(self->fd, INIT, CLONE_NEWNS);
	ASSERT_LT(0, a);
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	f = nsm_clone(self->fd, b, CLONE_FS);
	ASSERT_LT(0, f);
	EXPECT_EQ(-EINVAL, nsm_setns_task(self->fd, b, a, CLONE_NEWNS));
	ASSERT_EQ(0, nsm_exit(self->fd, f));
	EXPECT_EQ(0, nsm_setns_task(self->fd, b, a, CLONE_NEWNS));
	EXPECT_EQ(ti(self->fd, a).ns_id[NSM_NS_MNT],
		  ti(self->fd, b).ns_id[NSM_NS_MNT]);
	EXPECT_EQ(ti(self->fd, a).root_mnt_id, ti(self->fd, b).root_mnt_id);
	/* with more kinds at once (a private fs_struct copy is used) */
	EXPECT_EQ(0, nsm_setns_task(self->fd, INIT, a,
				    CLONE_NEWNS | CLONE_NEWUTS));
	EXPECT_EQ(ti(self->fd, a).root_mnt_id,
		  ti(self->fd, INIT).root_mnt_id);
}

TEST_HARNESS_MAIN
