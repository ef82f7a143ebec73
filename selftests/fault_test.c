// SPDX-License-Identifier: GPL-2.0
/*
 * fault_test: every allocation of clone, unshare and setns, failed on
 * purpose one at a time (NSM_IOC_FAULT, as fail-nth).  Each failing call
 * must return ENOMEM and leave the world exactly as it was: the same live
 * objects and the same reference counts.
 */
#include "kselftest_harness.h"
#include "core_helpers.h"

/* Everything a failed call must not have changed. */
struct state {
	__u64 objs[NSM_OBJ_SLOTS];
	struct nsm_task_info t[4];
};

static void snap(int fd, const __u32 *tasks, int n, struct state *s)
{
	int i;

	world_counts(fd, s->objs);
	for (i = 0; i < n; i++)
		s->t[i] = ti(fd, tasks[i]);
}

/* Returns a description of the first difference, or NULL. */
static const char *state_differs(const struct state *a, const struct state *b,
				 int n)
{
	static char why[128];
	int i, k;

	k = counts_differ(a->objs, b->objs);
	if (k >= 0) {
		snprintf(why, sizeof(why), "object type %d: %llu -> %llu", k,
			 (unsigned long long)a->objs[k],
			 (unsigned long long)b->objs[k]);
		return why;
	}
	for (i = 0; i < n; i++) {
		const struct nsm_task_info *x = &a->t[i], *y = &b->t[i];

		if (x->nsproxy_id != y->nsproxy_id ||
		    x->nsproxy_count != y->nsproxy_count ||
		    x->fs_users != y->fs_users ||
		    x->cred_count != y->cred_count || x->uid != y->uid ||
		    x->cap_effective != y->cap_effective ||
		    x->root_mnt_id != y->root_mnt_id ||
		    x->pwd_mnt_id != y->pwd_mnt_id) {
			snprintf(why, sizeof(why), "task %u changed", x->task);
			return why;
		}
		for (k = 0; k < NSM_NS_KIND_MAX; k++)
			if (x->ns_id[k] != y->ns_id[k] ||
			    x->ns_count[k] != y->ns_count[k]) {
				snprintf(why, sizeof(why),
					 "task %u ns %s: id %llu->%llu count %u->%u",
					 x->task, kind_name(k),
					 (unsigned long long)x->ns_id[k],
					 (unsigned long long)y->ns_id[k],
					 x->ns_count[k], y->ns_count[k]);
				return why;
			}
	}
	return NULL;
}

static __u64 all_new(int fd)
{
	return NSM_ALL_NEW_FLAGS;
}

TEST_F(core, clone_all_new_flags_every_allocation_fails)
{
	__u32 tasks[] = { INIT };
	struct state before, after;
	__u64 flags = all_new(self->fd);
	const char *why;
	long ret = -ENOMEM;
	int n;

	for (n = 1; n < 1000; n++) {
		snap(self->fd, tasks, 1, &before);
		nsm_fault(self->fd, n);
		ret = nsm_clone(self->fd, INIT, flags);
		nsm_fault(self->fd, 0);
		if (ret > 0)
			break;
		ASSERT_EQ(-ENOMEM, ret) TH_LOG("allocation %d", n);
		snap(self->fd, tasks, 1, &after);
		why = state_differs(&before, &after, 1);
		ASSERT_EQ(NULL, why) TH_LOG("allocation %d: %s", n, why);
	}
	ASSERT_LT(0, ret);
	TH_LOG("clone(all CLONE_NEW*) makes %d allocations", n - 1);
	EXPECT_LT(10, n);
	/* and the successful one left a working task */
	EXPECT_EQ(1, ti(self->fd, ret).nspid[1]);
}

/* The same from a nested task with a few mounts to copy and pids to give. */
TEST_F(core, nested_clone_all_new_flags_every_allocation_fails)
{
	struct state before, after;
	__u32 tasks[2];
	const char *why;
	long a, ret = -ENOMEM;
	int n;

	a = nsm_clone(self->fd, INIT, NSM_ALL_NEW_FLAGS);
	ASSERT_LT(0, a);
	ASSERT_EQ(0, nsm_mkdir(self->fd, a, "/m/x"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, a, "/n"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, a, "/m"));
	ASSERT_EQ(0, nsm_mkdir(self->fd, a, "/m/y"));
	ASSERT_EQ(0, nsm_tmpfs(self->fd, a, "/m/y"));
	ASSERT_EQ(0, nsm_rbind(self->fd, a, "/m", "/n"));
	ASSERT_EQ(0, nsm_chdir(self->fd, a, "/n/y"));
	tasks[0] = INIT;
	tasks[1] = a;
	for (n = 1; n < 1000; n++) {
		snap(self->fd, tasks, 2, &before);
		nsm_fault(self->fd, n);
		ret = nsm_clone(self->fd, a, NSM_ALL_NEW_FLAGS);
		nsm_fault(self->fd, 0);
		if (ret > 0)
			break;
		ASSERT_EQ(-ENOMEM, ret) TH_LOG("allocation %d", n);
		snap(self->fd, tasks, 2, &after);
		why = state_differs(&before, &after, 2);
		ASSERT_EQ(NULL, why) TH_LOG("allocation %d: %s", n, why);
	}
	ASSERT_LT(0, ret);
	TH_LOG("nested clone(all CLONE_NEW*) makes %d allocations", n - 1);
	EXPECT_EQ(2, ti(self->fd, ret).level);
	EXPECT_EQ(nsm_nr_mounts(self->fd, a), nsm_nr_mounts(self->fd, ret));
}

TEST_F(core, fork_every_allocation_fails)
{
	__u32 tasks[] = { INIT };
	struct state before, after;
	const char *why;
	long ret = -ENOMEM;
	int n;

	for (n = 1; n < 100; n++) {
		snap(self->fd, tasks, 1, &before);
		nsm_fault(self->fd, n);
		ret = nsm_clone(self->fd, INIT, n % 2 ? CLONE_FS : 0);
		nsm_fault(self->fd, 0);
		if (ret > 0)
			break;
		ASSERT_EQ(-ENOMEM, ret);
		snap(self->fd, tasks, 1, &after);
		why = state_differs(&before, &after, 1);
		ASSERT_EQ(NULL, why) TH_LOG("allocation %d: %s", n, why);
	}
	ASSERT_LT(0, ret);
}

TEST_F(core, unshare_all_new_flags_every_allocation_fails)
{
	struct state before, after;
	__u32 tasks[2];
	const char *why;
	long a, f, ret = -ENOMEM;
	int n;

	/* a shares its fs_struct, so unshare must copy it too */
	a = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, a);
	f = nsm_clone(self->fd, a, CLONE_FS);
	ASSERT_LT(0, f);
	tasks[0] = a;
	tasks[1] = f;
	for (n = 1; n < 1000; n++) {
		snap(self->fd, tasks, 2, &before);
		nsm_fault(self->fd, n);
		ret = nsm_unshare(self->fd, a, all_new(self->fd));
		nsm_fault(self->fd, 0);
		if (ret == 0)
			break;
		ASSERT_EQ(-ENOMEM, ret) TH_LOG("allocation %d", n);
		snap(self->fd, tasks, 2, &after);
		why = state_differs(&before, &after, 2);
		ASSERT_EQ(NULL, why) TH_LOG("allocation %d: %s", n, why);
	}
	ASSERT_EQ(0, ret);
	EXPECT_LT(5, n);
	EXPECT_EQ(1, ti(self->fd, a).fs_users);
	EXPECT_EQ(1, ti(self->fd, f).fs_users);
}

TEST_F(core, setns_all_kinds_every_allocation_fails)
{
	struct state before, after;
	__u64 mask = all_new(self->fd);
	__u32 tasks[2];
	const char *why;
	long a, b, ret = -ENOMEM;
	int n;

	a = nsm_clone(self->fd, INIT, mask);
	ASSERT_LT(0, a);
	b = nsm_clone(self->fd, INIT, 0);
	ASSERT_LT(0, b);
	tasks[0] = a;
	tasks[1] = b;
	for (n = 1; n < 1000; n++) {
		snap(self->fd, tasks, 2, &before);
		nsm_fault(self->fd, n);
		ret = nsm_setns_task(self->fd, b, a, mask);
		nsm_fault(self->fd, 0);
		if (ret == 0)
			break;
		ASSERT_EQ(-ENOMEM, ret) TH_LOG("allocation %d", n);
		snap(self->fd, tasks, 2, &after);
		why = state_differs(&before, &after, 2);
		ASSERT_EQ(NULL, why) TH_LOG("allocation %d: %s", n, why);
	}
	ASSERT_EQ(0, ret);
	EXPECT_LT(2, n);
	EXPECT_EQ(ti(self->fd, a).ns_id[NSM_NS_UTS],
		  ti(self->fd, b).ns_id[NSM_NS_UTS]);
	EXPECT_EQ(ti(self->fd, a).ns_id[NSM_NS_USER],
		  ti(self->fd, b).ns_id[NSM_NS_USER]);
}

TEST_F(core, setuid_and_handle_allocations_fail_cleanly)
{
	__u32 tasks[] = { INIT };
	struct state before, after;
	long t = nsm_clone(self->fd, INIT, 0);

	ASSERT_LT(0, t);
	snap(self->fd, tasks, 1, &before);
	nsm_fault(self->fd, 1);
	EXPECT_EQ(-ENOMEM, nsm_setuid(self->fd, t, 1000));
	nsm_fault(self->fd, 1);
	EXPECT_EQ(-ENOMEM, nsm_ns_open(self->fd, t, NSM_NS_UTS));
	nsm_fault(self->fd, 0);
	snap(self->fd, tasks, 1, &after);
	EXPECT_EQ(NULL, state_differs(&before, &after, 1));
	EXPECT_EQ(0, ti(self->fd, t).uid);
}

TEST_HARNESS_MAIN
