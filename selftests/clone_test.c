// SPDX-License-Identifier: GPL-2.0
/*
 * clone_test: clone and unshare flags, their errnos, and the sharing and
 * refcount arithmetic of the nsproxy (kernel/fork.c copy_process() and
 * ksys_unshare(), kernel/nsproxy.c copy_namespaces()).
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "core_helpers.h"

TEST_F(core, init_task)
{
	struct nsm_task_info i = ti(self->fd, INIT);

	ASSERT_EQ(INIT, i.task);
	EXPECT_EQ(0, i.parent);
	EXPECT_EQ(0, i.uid);
	EXPECT_EQ((1ULL << 41) - 1, i.cap_effective);
	/* init's and the world's, as the kernel's idle task holds init_nsproxy */
	EXPECT_EQ(2, i.nsproxy_count);
	EXPECT_EQ(1, i.fs_users);
	EXPECT_EQ(1, i.cred_count);
	EXPECT_EQ(0, i.level);
	EXPECT_EQ(1, i.nspid[0]);
	EXPECT_STREQ("nsmodel", i.hostname);
	EXPECT_NE(0, i.ns_id[NSM_NS_USER]);
	EXPECT_NE(0, i.ns_id[NSM_NS_UTS]);
	EXPECT_NE(0, i.ns_id[NSM_NS_PID]);
	/* init is pid 1 of its pid namespace, so pid_for_children shows */
	EXPECT_EQ(i.ns_id[NSM_NS_PID], i.ns_id[NSM_NS_PID_FOR_CHILDREN]);
	EXPECT_EQ(i.ns_id[NSM_NS_TIME], i.ns_id[NSM_NS_TIME_FOR_CHILDREN]);
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_TASK));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NSPROXY));
}

/* The fast path: no CLONE_NEW* flag shares the nsproxy (one reference). */
TEST_F(core, thousand_forks_share_one_nsproxy)
{
	struct nsm_task_info init = ti(self->fd, INIT), c;
	int n, k;

	for (n = 0; n < 1000; n++)
		ASSERT_LT(0, nsm_clone(self->fd, INIT, 0));
	init = ti(self->fd, INIT);
	EXPECT_EQ(1002, init.nsproxy_count);	/* the tasks' and the world's */
	EXPECT_EQ(1001, nsm_world_count(self->fd, NSM_OBJ_TASK));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NSPROXY));
	/* each child has its own fs_struct and cred */
	EXPECT_EQ(1001, nsm_world_count(self->fd, NSM_OBJ_FS_STRUCT));
	EXPECT_EQ(1001, nsm_world_count(self->fd, NSM_OBJ_CRED));
	c = ti(self->fd, 500);
	EXPECT_EQ(init.nsproxy_id, c.nsproxy_id);
	EXPECT_EQ(INIT, c.parent);
	for (k = 0; k < NSM_NS_KIND_MAX; k++) {
		EXPECT_EQ(init.ns_id[k], c.ns_id[k]);
		/* one nsproxy holds the namespaces, whatever the task count */
		EXPECT_EQ(init.ns_count[k], c.ns_count[k]);
	}
	EXPECT_EQ(0, nsm_exit(self->fd, 500));
	EXPECT_EQ(1001, ti(self->fd, INIT).nsproxy_count);
}

/* One CLONE_NEWUTS child: a new nsproxy, every other kind shared. */
TEST_F(core, newuts_child_gets_new_nsproxy_sharing_the_rest)
{
	struct nsm_task_info before = ti(self->fd, INIT), after, c;
	long child;
	int j;

	child = nsm_clone(self->fd, INIT, CLONE_NEWUTS);
	ASSERT_LT(0, child);
	after = ti(self->fd, INIT);
	c = ti(self->fd, child);

	EXPECT_NE(before.nsproxy_id, c.nsproxy_id);
	EXPECT_EQ(1, c.nsproxy_count);
	EXPECT_EQ(2, after.nsproxy_count);	/* init's and the world's */
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_NSPROXY));
	EXPECT_NE(before.ns_id[NSM_NS_UTS], c.ns_id[NSM_NS_UTS]);
	EXPECT_EQ(1, c.ns_count[NSM_NS_UTS]);
	EXPECT_EQ(before.ns_count[NSM_NS_UTS], after.ns_count[NSM_NS_UTS]);
	EXPECT_STREQ("nsmodel", c.hostname);	/* a copy of the parent's */

	for (j = 0; j < (int)(sizeof(nsproxy_kinds) / sizeof(int)); j++) {
		int k = nsproxy_kinds[j];

		if (k == NSM_NS_UTS)
			continue;
		EXPECT_EQ(before.ns_id[k], c.ns_id[k]) TH_LOG("%s",
							     kind_name(k));
		/*
		 * +1 for the new nsproxy; +2 where one namespace fills two
		 * slots (time and time_for_children) or where the child's
		 * pid pins its active pid namespace too.
		 */
		EXPECT_EQ(before.ns_count[k] +
			  (k == NSM_NS_TIME || k == NSM_NS_TIME_FOR_CHILDREN ||
			   k == NSM_NS_PID_FOR_CHILDREN ? 2 : 1),
			  c.ns_count[k]) TH_LOG("%s", kind_name(k));
	}
	/* the user namespace lives in the cred, the pid one in the pid */
	EXPECT_EQ(before.ns_id[NSM_NS_USER], c.ns_id[NSM_NS_USER]);
	EXPECT_EQ(before.ns_id[NSM_NS_PID], c.ns_id[NSM_NS_PID]);

	EXPECT_EQ(0, nsm_exit(self->fd, child));
	after = ti(self->fd, INIT);
	for (j = 0; j < NSM_NS_KIND_MAX; j++)
		EXPECT_EQ(before.ns_count[j], after.ns_count[j]);
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NSPROXY));
}

TEST_F(core, clone_flag_errnos)
{
	__u64 objs[NSM_OBJ_SLOTS], now[NSM_OBJ_SLOTS];

	world_counts(self->fd, objs);
	/* a shared root cannot be in two mount or user namespaces */
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT, CLONE_NEWNS | CLONE_FS));
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT,
				     CLONE_NEWUSER | CLONE_FS));
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT, CLONE_NEWNS | CLONE_FS |
				     CLONE_NEWUTS));
	/* semaphore undo lists cannot span IPC namespaces */
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT,
				     CLONE_NEWIPC | CLONE_SYSVSEM));
	/* flags the model does not take, and bits no kernel knows */
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT, CLONE_VM));
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT, CLONE_THREAD));
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT, 0x11));	/* CSIGNAL */
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT, 1ULL << 40));
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, INIT, 1ULL << 63));
	/* unknown parents */
	EXPECT_EQ(-ESRCH, nsm_clone(self->fd, 0, 0));
	EXPECT_EQ(-ESRCH, nsm_clone(self->fd, 12345, 0));
	EXPECT_EQ(-ESRCH, nsm_clone(self->fd, 0xffffffff, 0));
	world_counts(self->fd, now);
	EXPECT_EQ(-1, counts_differ(objs, now));
	/* CLONE_SYSVSEM alone, and CLONE_NEWTIME (0x80) are fine */
	EXPECT_LT(0, nsm_clone(self->fd, INIT, CLONE_SYSVSEM));
	EXPECT_LT(0, nsm_clone(self->fd, INIT, CLONE_NEWTIME));
}

TEST_F(core, reserved_fields_must_be_zero)
{
	struct nsm_clone_args a = { .size = sizeof(a), .parent = INIT,
				    .__reserved = 1 };

	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_CLONE, &a));
}

/* Without CAP_SYS_ADMIN: EPERM, checked before the SYSVSEM rule. */
TEST_F(core, unprivileged_new_namespaces_eperm)
{
	long t = nsm_clone(self->fd, INIT, 0);

	ASSERT_LT(0, t);
	ASSERT_EQ(0, nsm_setuid(self->fd, t, 1000));
	EXPECT_EQ(0, ti(self->fd, t).cap_effective);
	EXPECT_EQ(-EPERM, nsm_clone(self->fd, t, CLONE_NEWUTS));
	EXPECT_EQ(-EPERM, nsm_clone(self->fd, t, CLONE_NEWPID));
	EXPECT_EQ(-EPERM, nsm_clone(self->fd, t, CLONE_NEWTIME));
	EXPECT_EQ(-EPERM, nsm_clone(self->fd, t,
				    CLONE_NEWIPC | CLONE_SYSVSEM));
	EXPECT_EQ(-EPERM, nsm_unshare(self->fd, t, CLONE_NEWNET));
	/* the flag checks of copy_process() come first */
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, t, CLONE_NEWNS | CLONE_FS));
	/* a fork needs nothing */
	EXPECT_LT(0, nsm_clone(self->fd, t, 0));
}

TEST_F(core, clone_fs_shares_fs_struct)
{
	long a, b;

	a = nsm_clone(self->fd, INIT, CLONE_FS);
	ASSERT_LT(0, a);
	EXPECT_EQ(2, ti(self->fd, INIT).fs_users);
	EXPECT_EQ(2, ti(self->fd, a).fs_users);
	b = nsm_clone(self->fd, a, CLONE_FS);
	ASSERT_LT(0, b);
	EXPECT_EQ(3, ti(self->fd, INIT).fs_users);
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_FS_STRUCT));
	EXPECT_EQ(0, nsm_exit(self->fd, a));
	EXPECT_EQ(2, ti(self->fd, b).fs_users);
	/* the orphan goes to the pid namespace's init */
	EXPECT_EQ(INIT, ti(self->fd, b).parent);
	/* unshare(CLONE_FS) gives b its own copy */
	EXPECT_EQ(0, nsm_unshare(self->fd, b, CLONE_FS));
	EXPECT_EQ(1, ti(self->fd, b).fs_users);
	EXPECT_EQ(1, ti(self->fd, INIT).fs_users);
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_FS_STRUCT));
	/* with one user there is nothing to unshare */
	EXPECT_EQ(0, nsm_unshare(self->fd, b, CLONE_FS));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_FS_STRUCT));
}

TEST_F(core, unshare_flag_rules)
{
	long a = nsm_clone(self->fd, INIT, CLONE_FS);
	struct nsm_task_info i;

	ASSERT_LT(0, a);
	EXPECT_EQ(-EINVAL, nsm_unshare(self->fd, a, 1ULL << 40));
	EXPECT_EQ(-EINVAL, nsm_unshare(self->fd, a, 0x11));
	EXPECT_EQ(-ESRCH, nsm_unshare(self->fd, 999, CLONE_NEWUTS));
	/* unshare(0) and the single-threaded no-ops succeed, change nothing */
	i = ti(self->fd, a);
	EXPECT_EQ(0, nsm_unshare(self->fd, a, 0));
	EXPECT_EQ(0, nsm_unshare(self->fd, a, CLONE_THREAD | CLONE_VM |
				 CLONE_SIGHAND | CLONE_FILES |
				 CLONE_SYSVSEM));
	EXPECT_EQ(i.nsproxy_id, ti(self->fd, a).nsproxy_id);
	EXPECT_EQ(2, ti(self->fd, a).fs_users);
	/* NEWUSER implies FS: the shared fs_struct is unshared first */
	EXPECT_EQ(0, nsm_unshare(self->fd, a, CLONE_NEWUSER));
	i = ti(self->fd, a);
	EXPECT_EQ(1, i.fs_users);
	EXPECT_EQ(1, ti(self->fd, INIT).fs_users);
	EXPECT_NE(ti(self->fd, INIT).ns_id[NSM_NS_USER], i.ns_id[NSM_NS_USER]);
	/* a user namespace alone needs no new nsproxy */
	EXPECT_EQ(ti(self->fd, INIT).nsproxy_id, i.nsproxy_id);
	EXPECT_EQ(0, i.uid);
	EXPECT_EQ((1ULL << 41) - 1, i.cap_effective);
}

TEST_F(core, unshare_newns_implies_fs)
{
	long a = nsm_clone(self->fd, INIT, CLONE_FS);

	ASSERT_LT(0, a);
	EXPECT_EQ(0, nsm_unshare(self->fd, a, CLONE_NEWNS));
	EXPECT_EQ(1, ti(self->fd, a).fs_users);
	EXPECT_EQ(1, ti(self->fd, INIT).fs_users);
	EXPECT_NE(ti(self->fd, INIT).ns_id[NSM_NS_MNT],
		  ti(self->fd, a).ns_id[NSM_NS_MNT]);
}

/* unshare(CLONE_NEWPID) changes only pid_for_children. */
TEST_F(core, unshare_newpid_is_for_children)
{
	long a = nsm_clone(self->fd, INIT, 0), c;
	struct nsm_task_info i, ci;

	ASSERT_LT(0, a);
	i = ti(self->fd, a);
	ASSERT_EQ(0, nsm_unshare(self->fd, a, CLONE_NEWPID));
	ci = ti(self->fd, a);
	EXPECT_EQ(i.ns_id[NSM_NS_PID], ci.ns_id[NSM_NS_PID]);
	EXPECT_EQ(i.level, ci.level);
	/* no init yet: /proc/PID/ns/pid_for_children cannot be read */
	EXPECT_EQ(0, ci.ns_id[NSM_NS_PID_FOR_CHILDREN]);
	EXPECT_EQ(-ENOENT, nsm_ns_open(self->fd, a, NSM_NS_PID_FOR_CHILDREN));
	/* again, before a fork: EINVAL (copy_pid_ns()) */
	EXPECT_EQ(-EINVAL, nsm_unshare(self->fd, a, CLONE_NEWPID));
	EXPECT_EQ(-EINVAL, nsm_clone(self->fd, a, CLONE_NEWPID));

	c = nsm_clone(self->fd, a, 0);
	ASSERT_LT(0, c);
	ci = ti(self->fd, c);
	EXPECT_EQ(1, ci.level);
	EXPECT_EQ(1, ci.nspid[1]);
	i = ti(self->fd, a);
	EXPECT_NE(0, i.ns_id[NSM_NS_PID_FOR_CHILDREN]);
	EXPECT_EQ(i.ns_id[NSM_NS_PID_FOR_CHILDREN], ci.ns_id[NSM_NS_PID]);
	EXPECT_NE(i.ns_id[NSM_NS_PID], ci.ns_id[NSM_NS_PID]);
	/* a still lives in the old one and still cannot make another */
	EXPECT_EQ(-EINVAL, nsm_unshare(self->fd, a, CLONE_NEWPID));
	/* but c can, being in the namespace its children go to */
	EXPECT_EQ(0, nsm_unshare(self->fd, c, CLONE_NEWPID));
}

/*
 * unshare(CLONE_NEWTIME) changes only time_for_children; the next fork,
 * even without flags, leaves the fast path and puts the child in it.
 */
TEST_F(core, time_namespace_for_children)
{
	long a = nsm_clone(self->fd, INIT, 0), c, d;
	struct nsm_task_info i, ai, ci;

	ASSERT_LT(0, a);
	i = ti(self->fd, a);
	ASSERT_EQ(0, nsm_unshare(self->fd, a, CLONE_NEWTIME));
	ai = ti(self->fd, a);
	EXPECT_EQ(i.ns_id[NSM_NS_TIME], ai.ns_id[NSM_NS_TIME]);
	EXPECT_NE(i.ns_id[NSM_NS_TIME], ai.ns_id[NSM_NS_TIME_FOR_CHILDREN]);
	EXPECT_NE(i.nsproxy_id, ai.nsproxy_id);

	c = nsm_clone(self->fd, a, 0);
	ASSERT_LT(0, c);
	ci = ti(self->fd, c);
	EXPECT_NE(ai.nsproxy_id, ci.nsproxy_id);	/* not the fast path */
	EXPECT_EQ(ai.ns_id[NSM_NS_TIME_FOR_CHILDREN], ci.ns_id[NSM_NS_TIME]);
	EXPECT_EQ(ci.ns_id[NSM_NS_TIME], ci.ns_id[NSM_NS_TIME_FOR_CHILDREN]);
	EXPECT_EQ(ai.ns_id[NSM_NS_UTS], ci.ns_id[NSM_NS_UTS]);
	/* c's own children are back on the fast path */
	d = nsm_clone(self->fd, c, 0);
	ASSERT_LT(0, d);
	EXPECT_EQ(ci.nsproxy_id, ti(self->fd, d).nsproxy_id);
	EXPECT_EQ(2, ti(self->fd, c).nsproxy_count);

	/* clone(CLONE_NEWTIME): the child lives in the new one at once */
	c = nsm_clone(self->fd, INIT, CLONE_NEWTIME);
	ASSERT_LT(0, c);
	ci = ti(self->fd, c);
	EXPECT_NE(i.ns_id[NSM_NS_TIME], ci.ns_id[NSM_NS_TIME]);
	EXPECT_EQ(ci.ns_id[NSM_NS_TIME], ci.ns_id[NSM_NS_TIME_FOR_CHILDREN]);
	EXPECT_EQ(2, ci.ns_count[NSM_NS_TIME]);
}

TEST_F(core, exit_drops_references)
{
	long a, b;

	a = nsm_clone(self->fd, INIT, CLONE_NEWUTS | CLONE_NEWNET);
	ASSERT_LT(0, a);
	b = nsm_clone(self->fd, a, 0);
	ASSERT_LT(0, b);
	EXPECT_EQ(2, ti(self->fd, a).nsproxy_count);
	EXPECT_EQ(0, nsm_exit(self->fd, a));
	EXPECT_EQ(-ESRCH, nsm_exit(self->fd, a));
	EXPECT_EQ(0, ti(self->fd, a).task);
	EXPECT_EQ(1, ti(self->fd, b).nsproxy_count);
	EXPECT_EQ(INIT, ti(self->fd, b).parent);
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	EXPECT_EQ(0, nsm_exit(self->fd, b));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NET_NS));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_TASK));
}

TEST_F(core, task_ids_are_not_reused_at_once)
{
	long a = nsm_clone(self->fd, INIT, 0), b;

	ASSERT_LT(0, a);
	ASSERT_EQ(0, nsm_exit(self->fd, a));
	b = nsm_clone(self->fd, INIT, 0);
	EXPECT_LT(a, b);
}

/* The init of the world's pid namespace takes everyone with it. */
TEST_F(core, init_exit_ends_the_world)
{
	int n;

	for (n = 0; n < 10; n++)
		ASSERT_LT(0, nsm_clone(self->fd, INIT, n % 2 ? CLONE_NEWUTS : 0));
	EXPECT_EQ(0, nsm_exit(self->fd, INIT));
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_TASK));
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_CRED));
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_FS_STRUCT));
	/*
	 * Only the initial namespaces are left, with the initial mount
	 * tree: the world holds them until it closes, as init_nsproxy
	 * holds the kernel's (the teardown checks that they go then).
	 */
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NSPROXY));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_USER_NS));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	EXPECT_EQ(-ESRCH, nsm_clone(self->fd, INIT, 0));
}

TEST_F(core, task_limit_enospc)
{
	long old = set_param("max_tasks", 5);
	int n;

	ASSERT_LE(0, old);
	for (n = 0; n < 4; n++)
		EXPECT_LT(0, nsm_clone(self->fd, INIT, 0));
	EXPECT_EQ(-ENOSPC, nsm_clone(self->fd, INIT, 0));
	EXPECT_EQ(5, nsm_world_count(self->fd, NSM_OBJ_TASK));
	set_param("max_tasks", old);
	EXPECT_LT(0, nsm_clone(self->fd, INIT, 0));
}

TEST_F(core, namespace_limit_enospc)
{
	long nr = nsm_world_count(self->fd, NSM_OBJ_UTS_NS) +
		  nsm_world_count(self->fd, NSM_OBJ_IPC_NS) +
		  nsm_world_count(self->fd, NSM_OBJ_NET_NS) +
		  nsm_world_count(self->fd, NSM_OBJ_PID_NS) +
		  nsm_world_count(self->fd, NSM_OBJ_CGROUP_NS) +
		  nsm_world_count(self->fd, NSM_OBJ_TIME_NS) +
		  nsm_world_count(self->fd, NSM_OBJ_USER_NS) +
		  nsm_world_count(self->fd, NSM_OBJ_MNT_NS);
	__u64 objs[NSM_OBJ_SLOTS], now[NSM_OBJ_SLOTS];
	long old = set_param("max_namespaces", nr + 1);

	ASSERT_LE(0, old);
	EXPECT_LT(0, nsm_clone(self->fd, INIT, CLONE_NEWUTS));
	world_counts(self->fd, objs);
	EXPECT_EQ(-ENOSPC, nsm_clone(self->fd, INIT, CLONE_NEWUTS));
	EXPECT_EQ(-ENOSPC, nsm_clone(self->fd, INIT, CLONE_NEWUSER));
	EXPECT_EQ(-ENOSPC, nsm_unshare(self->fd, INIT, CLONE_NEWNET));
	world_counts(self->fd, now);
	EXPECT_EQ(-1, counts_differ(objs, now));
	set_param("max_namespaces", old);
	EXPECT_LT(0, nsm_clone(self->fd, INIT, CLONE_NEWUTS));
}

/* Clones from many threads on one world, and on several worlds. */
static void *forker(void *arg)
{
	int fd = *(int *)arg, n;

	for (n = 0; n < 200; n++) {
		long c = nsm_clone(fd, INIT, n % 3 ? 0 : CLONE_NEWUTS);

		if (c > 0 && n % 2)
			nsm_exit(fd, c);
	}
	return NULL;
}

TEST_F(core, concurrent_clones)
{
	pthread_t th[4];
	int fd2 = nsm_open(), i;
	int fds[4] = { self->fd, self->fd, fd2, fd2 };

	ASSERT_LE(0, fd2);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, forker, &fds[i]));
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(201, nsm_world_count(self->fd, NSM_OBJ_TASK));
	/* init's nsproxy has the world's reference too */
	EXPECT_EQ(201, ti(self->fd, INIT).nsproxy_count - 1 +
		       nsm_world_count(self->fd, NSM_OBJ_NSPROXY) - 1);
	close(fd2);
}

TEST_HARNESS_MAIN
