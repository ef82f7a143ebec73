// SPDX-License-Identifier: GPL-2.0
/*
 * lifetime_test: namespace handles (the model's /proc/PID/ns files,
 * fs/nsfs.c) and the lifetime of namespaces: who holds them, when they are
 * freed, and that a world leaves nothing behind.
 */
#include "kselftest_harness.h"
#include "core_helpers.h"

TEST_F(core, handle_keeps_namespace_alive)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWUTS | CLONE_NEWUSER);
	struct nsm_ns_info ni;
	__u64 id;
	int h;

	ASSERT_LT(0, a);
	id = ti(self->fd, a).ns_id[NSM_NS_UTS];
	h = nsm_ns_open(self->fd, a, NSM_NS_UTS);
	ASSERT_LE(0, h);
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NS_HANDLE));
	EXPECT_EQ(2, ti(self->fd, a).ns_count[NSM_NS_UTS]);
	ASSERT_EQ(0, nsm_exit(self->fd, a));
	/* no task is left in it: only the handle keeps it */
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	/* and through it, its owner (a's user namespace) */
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_USER_NS));
	ASSERT_EQ(0, nsm_ns_info(h, &ni));
	EXPECT_EQ(NSM_NS_UTS, ni.kind);
	EXPECT_EQ(id, ni.ns_id);
	EXPECT_EQ(1, ni.count);
	EXPECT_NE(0, ni.owner_id);
	EXPECT_NE(ti(self->fd, INIT).ns_id[NSM_NS_USER], ni.owner_id);
	close(h);
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_USER_NS));
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_NS_HANDLE));
}

/* A handle outlives the world fd; the namespace goes when it closes. */
TEST_F(core, handle_outlives_world)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWNET | CLONE_NEWUSER);
	struct nsm_counters c;
	struct nsm_ns_info ni;
	__u64 world_id;
	int h;

	ASSERT_LT(0, a);
	h = nsm_ns_open(self->fd, a, NSM_NS_NET);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, nsm_ns_info(h, &ni));
	world_id = ni.world_id;
	close(self->fd);
	self->fd = -1;
	/* the world is gone but for the namespace, its owners, the handle */
	ASSERT_EQ(0, nsm_ns_info(h, &ni));
	EXPECT_EQ(world_id, ni.world_id);
	EXPECT_EQ(1, ni.count);
	ASSERT_EQ(0, nsm_counters(self->mon, &c));
	EXPECT_EQ(1, c.global[NSM_OBJ_NET_NS] - self->before.global[NSM_OBJ_NET_NS]);
	EXPECT_EQ(2, c.global[NSM_OBJ_USER_NS] - self->before.global[NSM_OBJ_USER_NS]);
	EXPECT_EQ(0, c.global[NSM_OBJ_TASK] - self->before.global[NSM_OBJ_TASK]);
	EXPECT_EQ(1, c.global[NSM_OBJ_WORLD] - self->before.global[NSM_OBJ_WORLD]);
	close(h);
	/* the teardown checks that everything went */
}

/* A user namespace handle pins the whole chain of parents. */
TEST_F(core, user_ns_handle_pins_parents)
{
	long t = INIT, c;
	struct nsm_ns_info ni;
	int level, h;

	for (level = 1; level <= 5; level++) {
		c = nsm_clone(self->fd, t, CLONE_NEWUSER);
		ASSERT_LT(0, c);
		t = c;
	}
	h = nsm_ns_open(self->fd, t, NSM_NS_USER);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, nsm_ns_info(h, &ni));
	EXPECT_EQ(NSM_NS_USER, ni.kind);
	EXPECT_EQ(5, ni.level);
	EXPECT_EQ(ni.owner_id, ni.parent_id);	/* owned by its parent */
	EXPECT_EQ(ti(self->fd, t).ns_id[NSM_NS_USER], ni.ns_id);
	EXPECT_EQ(6, nsm_world_count(self->fd, NSM_OBJ_USER_NS));
	ASSERT_EQ(0, nsm_exit(self->fd, INIT));	/* everybody dies */
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_TASK));
	EXPECT_EQ(6, nsm_world_count(self->fd, NSM_OBJ_USER_NS));
	close(h);
	/* nothing is left but the initial namespaces the world holds */
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_USER_NS));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NSPROXY));
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_CRED));
}

/* A pid namespace handle: parent and level; it pins its parent. */
TEST_F(core, pid_ns_handle)
{
	long a = nsm_clone(self->fd, INIT, CLONE_NEWPID), b;
	struct nsm_ns_info ni;
	int h, hc;

	ASSERT_LT(0, a);
	b = nsm_clone(self->fd, a, CLONE_NEWPID);
	ASSERT_LT(0, b);
	h = nsm_ns_open(self->fd, b, NSM_NS_PID);
	ASSERT_LE(0, h);
	ASSERT_EQ(0, nsm_ns_info(h, &ni));
	EXPECT_EQ(2, ni.level);
	EXPECT_EQ(ti(self->fd, a).ns_id[NSM_NS_PID], ni.parent_id);
	/* pid_for_children holds a pid namespace: its kind says pid */
	hc = nsm_ns_open(self->fd, a, NSM_NS_PID_FOR_CHILDREN);
	ASSERT_LE(0, hc);
	ASSERT_EQ(0, nsm_ns_info(hc, &ni));
	EXPECT_EQ(NSM_NS_PID, ni.kind);
	EXPECT_EQ(ti(self->fd, a).ns_id[NSM_NS_PID], ni.ns_id);
	ASSERT_EQ(0, nsm_exit(self->fd, a));	/* kills b too */
	EXPECT_EQ(0, ti(self->fd, b).task);
	EXPECT_EQ(3, nsm_world_count(self->fd, NSM_OBJ_PID_NS));
	close(hc);
	EXPECT_EQ(3, nsm_world_count(self->fd, NSM_OBJ_PID_NS));
	close(h);
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_PID_NS));
}

TEST_F(core, handle_of_every_kind)
{
	long a = nsm_clone(self->fd, INIT, NSM_ALL_NEW_FLAGS);
	struct nsm_task_info i;
	struct nsm_ns_info ni;
	int k, h;

	ASSERT_LT(0, a);
	i = ti(self->fd, a);
	for (k = 0; k < NSM_NS_KIND_MAX; k++) {
		h = nsm_ns_open(self->fd, a, k);
		ASSERT_LE(0, h) TH_LOG("%s: %d", kind_name(k), h);
		ASSERT_EQ(0, nsm_ns_info(h, &ni));
		EXPECT_EQ(i.ns_id[k], ni.ns_id) TH_LOG("%s", kind_name(k));
		/* the handle's reference shows */
		EXPECT_EQ(i.ns_count[k] + 1, ni.count) TH_LOG("%s",
							     kind_name(k));
		if (k != NSM_NS_USER)
			EXPECT_EQ(i.ns_id[NSM_NS_USER], ni.owner_id)
				TH_LOG("%s", kind_name(k));
		close(h);
	}
	EXPECT_EQ(-EINVAL, nsm_ns_open(self->fd, a, NSM_NS_KIND_MAX));
	EXPECT_EQ(-EINVAL, nsm_ns_open(self->fd, a, 1000));
	EXPECT_EQ(-ESRCH, nsm_ns_open(self->fd, 999, NSM_NS_UTS));
}

TEST_F(core, handle_ioctl_rules)
{
	struct nsm_ns_info ni = { .size = 8 };
	int h = nsm_ns_open(self->fd, INIT, NSM_NS_UTS);

	ASSERT_LE(0, h);
	EXPECT_EQ(-EINVAL, nsm_ioc(h, NSM_IOC_NS_INFO, &ni));
	EXPECT_EQ(-ENOTTY, nsm_ioc(h, NSM_IOC_COUNTERS, &ni));
	EXPECT_EQ(-EFAULT, nsm_ioc(h, NSM_IOC_NS_INFO, NULL));
	/* world ioctls are not for handles, nor handle ioctls for worlds */
	ni.size = sizeof(ni);
	EXPECT_EQ(-ENOTTY, nsm_ioc(self->fd, NSM_IOC_NS_INFO, &ni));
	close(h);
}

/* Many handles, many namespaces, closed in any order: nothing leaks. */
TEST_F(core, many_handles)
{
	int h[64], n;

	for (n = 0; n < 64; n++) {
		long a = nsm_clone(self->fd, INIT, n % 2 ? CLONE_NEWUTS :
				   CLONE_NEWUSER | CLONE_NEWIPC);

		ASSERT_LT(0, a);
		h[n] = nsm_ns_open(self->fd, a, n % 3 ? NSM_NS_UTS :
				   NSM_NS_USER);
		ASSERT_LE(0, h[n]);
		if (n % 4)
			ASSERT_EQ(0, nsm_exit(self->fd, a));
	}
	EXPECT_EQ(64, nsm_world_count(self->fd, NSM_OBJ_NS_HANDLE));
	for (n = 0; n < 64; n += 2)
		close(h[n]);
	close(self->fd);
	self->fd = -1;
	for (n = 1; n < 64; n += 2)
		close(h[n]);
}

/*
 * The initial namespaces live as long as the world, as the kernel's
 * (init_nsproxy) do: init leaving every one of them frees none, a handle
 * opened before takes init back into its first uts namespace, and the
 * fixture's teardown checks that they go when the world closes.
 */
TEST_F(core, initial_namespaces_outlive_their_last_task)
{
	struct nsm_task_info before = ti(self->fd, INIT), after;
	int h = nsm_ns_open(self->fd, INIT, NSM_NS_UTS);
	struct nsm_ns_info ni;

	ASSERT_LE(0, h);
	ASSERT_EQ(0, nsm_unshare(self->fd, INIT, CLONE_NEWNS | CLONE_NEWUTS |
				 CLONE_NEWIPC | CLONE_NEWNET |
				 CLONE_NEWCGROUP));
	after = ti(self->fd, INIT);
	EXPECT_NE(before.ns_id[NSM_NS_MNT], after.ns_id[NSM_NS_MNT]);
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_NSPROXY));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_IPC_NS));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_NET_NS));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_CGROUP_NS));
	/* the initial mount tree (hidden root and "/") and its copy */
	EXPECT_EQ(4, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
	/* the world's nsproxy and the handle hold the first uts namespace */
	ASSERT_EQ(0, nsm_ns_info(h, &ni));
	EXPECT_EQ(before.ns_id[NSM_NS_UTS], ni.ns_id);
	EXPECT_EQ(2, ni.count);
	ASSERT_EQ(0, nsm_setns_fd(self->fd, INIT, h, CLONE_NEWUTS));
	close(h);
	EXPECT_EQ(before.ns_id[NSM_NS_UTS], ti(self->fd, INIT).ns_id[NSM_NS_UTS]);
	/* the unshared uts namespace had only init: it is gone */
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_UTS_NS));
	/* init's exit leaves the initial namespaces to the world */
	ASSERT_EQ(0, nsm_exit(self->fd, INIT));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_NSPROXY));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_MNT_NS));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_MOUNT));
}

TEST_HARNESS_MAIN
