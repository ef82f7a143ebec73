// SPDX-License-Identifier: GPL-2.0
/*
 * caps_test: credentials, capabilities and user namespaces
 * (security/commoncap.c cap_capable() and cap_emulate_setxuid(),
 * kernel/sys.c setresuid(), kernel/user_namespace.c create_user_ns(),
 * kernel/sys.c sethostname()).
 */
#include "kselftest_harness.h"
#include "core_helpers.h"

#define FULL_CAPS	((1ULL << 41) - 1)

/* A child of init that has become uid @uid. */
static long user_task(int fd, __u32 uid)
{
	long t = nsm_clone(fd, INIT, 0);

	if (t > 0 && nsm_setuid(fd, t, uid) < 0)
		return -1;
	return t;
}

TEST_F(core, setuid_drops_capabilities)
{
	long t = nsm_clone(self->fd, INIT, 0);
	struct nsm_task_info i;

	ASSERT_LT(0, t);
	ASSERT_EQ(0, nsm_setuid(self->fd, t, 1000));
	i = ti(self->fd, t);
	EXPECT_EQ(1000, i.uid);
	EXPECT_EQ(0, i.cap_effective);
	/* the same uid again is a no-op, needing nothing */
	EXPECT_EQ(0, nsm_setuid(self->fd, t, 1000));
	/* no CAP_SETUID any more: no way back, and no other uid */
	EXPECT_EQ(-EPERM, nsm_setuid(self->fd, t, 0));
	EXPECT_EQ(-EPERM, nsm_setuid(self->fd, t, 1001));
	/* -1 leaves everything as it is */
	EXPECT_EQ(0, nsm_setuid(self->fd, t, (__u32)-1));
	EXPECT_EQ(1000, ti(self->fd, t).uid);
	/* init keeps its capabilities (creds are per task) */
	EXPECT_EQ(FULL_CAPS, ti(self->fd, INIT).cap_effective);
	EXPECT_EQ(-ESRCH, nsm_setuid(self->fd, 4242, 0));
}

TEST_F(core, sethostname_rules)
{
	long u = user_task(self->fd, 1000), c;
	char name[80];

	ASSERT_LT(0, u);
	c = nsm_clone(self->fd, INIT, CLONE_NEWUTS);
	ASSERT_LT(0, c);
	EXPECT_EQ(0, nsm_sethostname(self->fd, c, "box"));
	EXPECT_STREQ("box", ti(self->fd, c).hostname);
	EXPECT_STREQ("nsmodel", ti(self->fd, INIT).hostname);
	/* 64 bytes fit, 65 do not */
	memset(name, 'x', sizeof(name));
	name[64] = 0;
	EXPECT_EQ(0, nsm_sethostname(self->fd, c, name));
	EXPECT_STREQ(name, ti(self->fd, c).hostname);
	name[64] = 'x';
	name[65] = 0;
	EXPECT_EQ(-EINVAL, nsm_sethostname(self->fd, c, name));
	/* EPERM is checked before the length */
	EXPECT_EQ(-EPERM, nsm_sethostname(self->fd, u, name));
	EXPECT_EQ(-EPERM, nsm_sethostname(self->fd, u, "nope"));
	/* a shorter name clears the rest */
	EXPECT_EQ(0, nsm_sethostname(self->fd, c, "ab"));
	EXPECT_STREQ("ab", ti(self->fd, c).hostname);
	EXPECT_EQ(0, nsm_sethostname(self->fd, c, ""));
	EXPECT_STREQ("", ti(self->fd, c).hostname);
}

/* An unprivileged task may make a user namespace and be root in it. */
TEST_F(core, unprivileged_newuser)
{
	long u = user_task(self->fd, 1000), c, g;
	struct nsm_task_info i;

	ASSERT_LT(0, u);
	c = nsm_clone(self->fd, u, CLONE_NEWUSER);
	ASSERT_LT(0, c);
	i = ti(self->fd, c);
	EXPECT_EQ(0, i.uid);			/* "0 1000 1" was written */
	EXPECT_EQ(FULL_CAPS, i.cap_effective);	/* in its own namespace */
	EXPECT_NE(ti(self->fd, u).ns_id[NSM_NS_USER], i.ns_id[NSM_NS_USER]);
	/* its capabilities are worth nothing over the world's namespaces */
	EXPECT_EQ(-EPERM, nsm_sethostname(self->fd, c, "nope"));
	/* but it may make namespaces owned by its user namespace */
	g = nsm_clone(self->fd, c, CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC |
		      CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME);
	ASSERT_LT(0, g);
	EXPECT_EQ(0, nsm_sethostname(self->fd, g, "inner"));
	/* only uid 0 is mapped in it */
	EXPECT_EQ(-EINVAL, nsm_setuid(self->fd, c, 5));
	EXPECT_EQ(0, nsm_setuid(self->fd, c, 0));
}

/*
 * With CLONE_NEWUSER in the same call the new user namespace is made
 * first and owns the rest, so an unprivileged task can do both at once.
 */
TEST_F(core, unprivileged_newuser_with_others_at_once)
{
	long u = user_task(self->fd, 1000), c;
	__u64 flags = NSM_ALL_NEW_FLAGS;
	struct nsm_task_info i;

	ASSERT_LT(0, u);
	c = nsm_clone(self->fd, u, flags);
	ASSERT_LT(0, c);
	i = ti(self->fd, c);
	EXPECT_EQ(1, i.level);
	EXPECT_EQ(1, i.nspid[1]);
	EXPECT_EQ(0, nsm_sethostname(self->fd, c, "mine"));
	/* the same through unshare */
	c = user_task(self->fd, 1000);
	ASSERT_LT(0, c);
	EXPECT_EQ(0, nsm_unshare(self->fd, c, flags));
	EXPECT_EQ(0, nsm_sethostname(self->fd, c, "mine"));
	EXPECT_EQ(0, ti(self->fd, c).uid);
	/* without NEWUSER, the same flags are refused */
	c = user_task(self->fd, 1000);
	ASSERT_LT(0, c);
	EXPECT_EQ(-EPERM, nsm_unshare(self->fd, c, flags & ~CLONE_NEWUSER));
	EXPECT_EQ(-EPERM, nsm_clone(self->fd, c, flags & ~CLONE_NEWUSER));
}

TEST_F(core, unprivileged_newuser_newns)
{
	long u = user_task(self->fd, 1000), c;

	ASSERT_LT(0, u);
	EXPECT_EQ(-EPERM, nsm_clone(self->fd, u, CLONE_NEWNS));
	c = nsm_clone(self->fd, u, CLONE_NEWUSER | CLONE_NEWNS);
	ASSERT_LT(0, c);
	EXPECT_NE(ti(self->fd, u).ns_id[NSM_NS_MNT],
		  ti(self->fd, c).ns_id[NSM_NS_MNT]);
	EXPECT_EQ(0, nsm_unshare(self->fd, u, CLONE_NEWUSER | CLONE_NEWNS));
}

/* The owner (by euid) of a child user namespace has all caps in it. */
TEST_F(core, owner_has_all_caps_in_child_userns)
{
	long u = user_task(self->fd, 1000), v, x, c;
	int h, hu;

	ASSERT_LT(0, u);
	c = nsm_clone(self->fd, u, CLONE_NEWUSER | CLONE_NEWUTS);
	ASSERT_LT(0, c);
	h = nsm_ns_open(self->fd, c, NSM_NS_UTS);
	ASSERT_LE(0, h);
	/* another uid-1000 task: owner of c's user namespace, so may enter */
	v = user_task(self->fd, 1000);
	ASSERT_LT(0, v);
	/* ... but CAP_SYS_ADMIN in its own user namespace is needed too */
	EXPECT_EQ(-EPERM, nsm_setns_fd(self->fd, v, h, CLONE_NEWUTS));
	/*
	 * Entering the user namespace first gives that.  Through handles: by
	 * task, ptrace_may_access() would refuse c, which is not dumpable
	 * since u's setuid (setns_task_ptrace_may_access).
	 */
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, v, c, CLONE_NEWUSER |
					 CLONE_NEWUTS));
	hu = nsm_ns_open(self->fd, c, NSM_NS_USER);
	ASSERT_LE(0, hu);
	EXPECT_EQ(0, nsm_setns_fd(self->fd, v, hu, CLONE_NEWUSER));
	EXPECT_EQ(0, nsm_setns_fd(self->fd, v, h, CLONE_NEWUTS));
	EXPECT_STREQ(ti(self->fd, c).hostname, ti(self->fd, v).hostname);
	EXPECT_EQ(FULL_CAPS, ti(self->fd, v).cap_effective);
	/* uid 1001 is nobody there */
	x = user_task(self->fd, 1001);
	ASSERT_LT(0, x);
	EXPECT_EQ(-EPERM, nsm_setns_fd(self->fd, x, hu, CLONE_NEWUSER));
	close(hu);
	close(h);
}

/* create_user_ns(): a child below level 33 is refused with ENOSPC. */
TEST_F(core, user_ns_nesting_limit)
{
	long t = INIT, c;
	int level;
	__u64 objs[NSM_OBJ_SLOTS], now[NSM_OBJ_SLOTS];

	for (level = 1; level <= 33; level++) {
		c = nsm_clone(self->fd, t, CLONE_NEWUSER);
		ASSERT_LT(0, c) TH_LOG("level %d: %ld", level, c);
		t = c;
	}
	world_counts(self->fd, objs);
	EXPECT_EQ(-ENOSPC, nsm_clone(self->fd, t, CLONE_NEWUSER));
	EXPECT_EQ(-ENOSPC, nsm_unshare(self->fd, t, CLONE_NEWUSER));
	world_counts(self->fd, now);
	EXPECT_EQ(-1, counts_differ(objs, now));
	/* everything else still works at that depth */
	EXPECT_LT(0, nsm_clone(self->fd, t, CLONE_NEWUTS));
	EXPECT_EQ(0, ti(self->fd, t).uid);
}

/* Capabilities over a child's user namespace flow down from above. */
TEST_F(core, root_has_caps_over_descendant_user_ns)
{
	long c = nsm_clone(self->fd, INIT, CLONE_NEWUSER), g;

	ASSERT_LT(0, c);
	g = nsm_clone(self->fd, c, CLONE_NEWUSER | CLONE_NEWUTS);
	ASSERT_LT(0, g);
	/* a root of a nested namespace may not enter the world's */
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, g, INIT, CLONE_NEWUTS));
	EXPECT_EQ(-EPERM, nsm_setns_task(self->fd, c, INIT, CLONE_NEWNET));
	/* but init may enter g's uts namespace (CAP_SYS_ADMIN from above) */
	EXPECT_EQ(0, nsm_setns_task(self->fd, INIT, g, CLONE_NEWUTS));
	/* and c may, as the owner's namespace is its own */
	EXPECT_EQ(0, nsm_setns_task(self->fd, c, g, CLONE_NEWUTS));
}

TEST_F(core, setuid_in_child_userns)
{
	long u = user_task(self->fd, 1000), c;

	ASSERT_LT(0, u);
	c = nsm_clone(self->fd, u, CLONE_NEWUSER);
	ASSERT_LT(0, c);
	/* uid 0 inside is kuid 1000: setuid(0) is a no-op */
	EXPECT_EQ(0, nsm_setuid(self->fd, c, 0));
	EXPECT_EQ(FULL_CAPS, ti(self->fd, c).cap_effective);
	EXPECT_EQ(-EINVAL, nsm_setuid(self->fd, c, 1000));
}

/* Root in the world (kuid 0) drops capabilities only by leaving uid 0. */
TEST_F(core, root_to_root_keeps_caps)
{
	long t = nsm_clone(self->fd, INIT, 0);

	ASSERT_LT(0, t);
	EXPECT_EQ(0, nsm_setuid(self->fd, t, 0));
	EXPECT_EQ(FULL_CAPS, ti(self->fd, t).cap_effective);
	EXPECT_EQ(0, nsm_setuid(self->fd, t, 65534));
	EXPECT_EQ(65534, ti(self->fd, t).uid);
	EXPECT_EQ(0, ti(self->fd, t).cap_effective);
}

/* A uid with no mapping in the task's user namespace shows as 65534. */
TEST_F(core, unmapped_uid_shows_as_overflow_uid)
{
	long u = user_task(self->fd, 1000), c, r;

	ASSERT_LT(0, u);
	c = nsm_clone(self->fd, u, CLONE_NEWUSER);	/* map: 0 1000 1 */
	ASSERT_LT(0, c);
	r = nsm_clone(self->fd, INIT, 0);		/* kuid 0 */
	ASSERT_LT(0, r);
	ASSERT_EQ(0, nsm_setns_task(self->fd, r, c, CLONE_NEWUSER));
	EXPECT_EQ(65534, ti(self->fd, r).uid);
	EXPECT_EQ(FULL_CAPS, ti(self->fd, r).cap_effective);
	/* setuid(0) there means kuid 1000; becoming root keeps the caps */
	EXPECT_EQ(0, nsm_setuid(self->fd, r, 0));
	EXPECT_EQ(0, ti(self->fd, r).uid);
	EXPECT_EQ(FULL_CAPS, ti(self->fd, r).cap_effective);
	/* its old kuid 0 has no name there: it cannot go back */
	EXPECT_EQ(-EINVAL, nsm_setuid(self->fd, r, 65534));
}

TEST_F(core, sethostname_bad_pointer)
{
	struct nsm_hostname_args a = { .size = sizeof(a), .task = INIT,
				       .name = 16, .len = 4 };

	EXPECT_EQ(-EFAULT, nsm_ioc(self->fd, NSM_IOC_SETHOSTNAME, &a));
	a.len = 0;
	EXPECT_EQ(0, nsm_ioc(self->fd, NSM_IOC_SETHOSTNAME, &a));
	EXPECT_STREQ("", ti(self->fd, INIT).hostname);
	a.__reserved = 1;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_SETHOSTNAME, &a));
}

TEST_HARNESS_MAIN
