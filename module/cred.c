// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: task credentials and capability checks.
 *
 * Models kernel/cred.c (prepare_creds, commit_creds, copy_creds),
 * security/commoncap.c (cap_capable, cap_emulate_setxuid) and the
 * setresuid() of kernel/sys.c.  A model cred carries global "kuid"s, the
 * capability sets and the user namespace that those capabilities are
 * relative to; it holds one reference on that user namespace.
 *
 * Unlike the kernel, a model task has one cred (no separate real_cred:
 * nothing in the model overrides credentials temporarily), so a task's
 * cred has usage 1 unless a setns in progress holds it.
 */
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/sched/coredump.h>

#include "nsmodel.h"

/**
 * nsm_get_cred - take a reference on a cred
 * @cred: the cred
 *
 * models: get_cred()
 */
struct nsm_cred *nsm_get_cred(const struct nsm_cred *cred)
{
	struct nsm_cred *c = (struct nsm_cred *)cred;

	refcount_inc(&c->usage);
	return c;
}

/**
 * nsm_put_cred - drop a reference on a cred, freeing it with the last one
 * @cred: the cred, or NULL
 *
 * models: put_cred() and __put_cred(); freeing drops the user namespace.
 */
void nsm_put_cred(const struct nsm_cred *cred)
{
	struct nsm_cred *c = (struct nsm_cred *)cred;

	if (!c || !refcount_dec_and_test(&c->usage))
		return;
	nsm_put_user_ns(c->user_ns);
	nsm_free(c->world, NSM_OBJ_CRED, c, sizeof(*c));
}

/**
 * nsm_prepare_creds - make a private, modifiable copy of a cred
 * @old: the cred to copy
 *
 * models: prepare_creds().  The copy has usage 1 and its own reference on
 * the user namespace.  Returns NULL on allocation failure.
 */
struct nsm_cred *nsm_prepare_creds(const struct nsm_cred *old)
{
	struct nsm_cred *new;

	new = nsm_alloc(old->world, NSM_OBJ_CRED, sizeof(*new));
	if (!new)
		return NULL;
	*new = *old;
	refcount_set(&new->usage, 1);
	nsm_get_user_ns(new->user_ns);
	return new;
}

/*
 * models: cred_cap_issubset(): are @subset's capabilities within @set's?
 * In one namespace, compare the permitted sets; else @subset's namespace
 * must lie below one that @set's namespace is the parent of and @set's
 * euid owns.
 */
static bool nsm_cred_cap_issubset(const struct nsm_cred *set,
				  const struct nsm_cred *subset)
{
	struct nsm_user_namespace *ns = subset->user_ns;

	if (set->user_ns == ns)
		return !(subset->cap_permitted & ~set->cap_permitted);
	for (; ns->parent; ns = ns->parent) {
		if (ns->parent == set->user_ns && ns->owner == set->euid)
			return true;
	}
	return false;
}

/**
 * nsm_commit_creds - install new credentials on a task
 * @task: the task (the model's "current")
 * @new: credentials from nsm_prepare_creds(); the caller's reference moves
 *       to the task
 *
 * models: commit_creds(): a task whose effective or fs ids change, or
 * whose capabilities grow beyond the old ones, is no longer dumpable
 * (ptrace_may_access() then asks more of whoever inspects it).
 */
void nsm_commit_creds(struct nsm_task *task, struct nsm_cred *new)
{
	const struct nsm_cred *old = task->cred;

	if (old->euid != new->euid || old->egid != new->egid ||
	    old->fsuid != new->fsuid || !nsm_cred_cap_issubset(old, new))
		task->dumpable = NSM_SUID_DUMPABLE;
	task->cred = new;
	nsm_put_cred(old);
}

/**
 * nsm_abort_creds - throw away credentials that were never committed
 * @new: credentials from nsm_prepare_creds()
 *
 * models: abort_creds()
 */
void nsm_abort_creds(struct nsm_cred *new)
{
	nsm_put_cred(new);
}

/**
 * nsm_ns_capable - does a cred hold a capability over a user namespace?
 * @cred: the subject's credentials
 * @ns: the user namespace that owns the object acted on
 * @cap: CAP_*
 *
 * models: ns_capable() reduced to cap_capable(), the only LSM the model
 * has.  Walk from @ns towards the root: in the subject's own namespace its
 * effective set decides; a namespace at or above the subject's level is
 * out of reach; and the owner (by euid) of a namespace whose parent is the
 * subject's namespace has every capability in it and in its descendants.
 */
bool nsm_ns_capable(const struct nsm_cred *cred,
		    struct nsm_user_namespace *ns, int cap)
{
	for (;;) {
		if (ns == cred->user_ns)
			return cred->cap_effective & BIT_ULL(cap);
		if (ns->level <= cred->user_ns->level)
			return false;
		if (ns->parent == cred->user_ns && ns->owner == cred->euid)
			return true;
		ns = ns->parent;
	}
}

/* models: cap_emulate_setxuid(), without SECURE_KEEP_CAPS (never set) */
static void nsm_cap_emulate_setxuid(struct nsm_cred *new,
				    const struct nsm_cred *old)
{
	u32 root_uid = nsm_make_kuid(old->user_ns, 0);

	/* Losing every root id drops the permitted and effective sets. */
	if ((old->uid == root_uid || old->euid == root_uid ||
	     old->suid == root_uid) &&
	    new->uid != root_uid && new->euid != root_uid &&
	    new->suid != root_uid) {
		new->cap_permitted = 0;
		new->cap_effective = 0;
	}
	if (old->euid == root_uid && new->euid != root_uid)
		new->cap_effective = 0;
	if (old->euid != root_uid && new->euid == root_uid)
		new->cap_effective = new->cap_permitted;
}

/*
 * models: __sys_setresuid(uid, uid, uid).  (u32)-1 leaves an id unchanged,
 * as in the system call.  Left out: RLIMIT_NPROC accounting (set_user())
 * and the setuid LSM policy of ns_capable_setid().
 */
static int nsm_sys_setresuid(struct nsm_task *task, u32 ruid, u32 euid,
			     u32 suid)
{
	struct nsm_user_namespace *ns = task->cred->user_ns;
	const struct nsm_cred *old = task->cred;
	u32 kruid, keuid, ksuid;
	bool ruid_new, euid_new, suid_new;
	struct nsm_cred *new;

	kruid = nsm_make_kuid(ns, ruid);
	keuid = nsm_make_kuid(ns, euid);
	ksuid = nsm_make_kuid(ns, suid);

	/* An id not mapped in the caller's user namespace is invalid. */
	if (ruid != (u32)-1 && kruid == NSM_INVALID_UID)
		return -EINVAL;
	if (euid != (u32)-1 && keuid == NSM_INVALID_UID)
		return -EINVAL;
	if (suid != (u32)-1 && ksuid == NSM_INVALID_UID)
		return -EINVAL;

	/* Nothing to change: succeed without checking any privilege. */
	if ((ruid == (u32)-1 || kruid == old->uid) &&
	    (euid == (u32)-1 || (keuid == old->euid && keuid == old->fsuid)) &&
	    (suid == (u32)-1 || ksuid == old->suid))
		return 0;

	/* Moving to an id the task does not already hold needs CAP_SETUID. */
	ruid_new = ruid != (u32)-1 && kruid != old->uid &&
		   kruid != old->euid && kruid != old->suid;
	euid_new = euid != (u32)-1 && keuid != old->uid &&
		   keuid != old->euid && keuid != old->suid;
	suid_new = suid != (u32)-1 && ksuid != old->uid &&
		   ksuid != old->euid && ksuid != old->suid;
	if ((ruid_new || euid_new || suid_new) &&
	    !nsm_ns_capable(old, old->user_ns, CAP_SETUID))
		return -EPERM;

	new = nsm_prepare_creds(old);
	if (!new)
		return -ENOMEM;
	if (ruid != (u32)-1)
		new->uid = kruid;
	if (euid != (u32)-1)
		new->euid = keuid;
	if (suid != (u32)-1)
		new->suid = ksuid;
	new->fsuid = new->euid;
	nsm_cap_emulate_setxuid(new, old);
	nsm_commit_creds(task, new);
	return 0;
}

/**
 * nsm_ioctl_setuid - NSM_IOC_SETUID: setresuid(uid, uid, uid) from a task
 * @w: the world, locked
 * @args: task and uid (as seen in the task's user namespace)
 *
 * A task that gives up every root id loses all its capabilities, as a
 * real non-root task does.
 */
long nsm_ioctl_setuid(struct nsm_world *w, struct nsm_task_args *args)
{
	struct nsm_task *task = nsm_find_task(w, args->task);

	if (!task)
		return -ESRCH;
	if (args->__reserved)
		return -EINVAL;
	return nsm_sys_setresuid(task, args->uid, args->uid, args->uid);
}
