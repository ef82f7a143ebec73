// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: time namespaces.
 *
 * Models kernel/time/namespace.c.  Like a pid namespace, a new time
 * namespace is first only "for children": clone(CLONE_NEWTIME) puts the
 * child in it at once (timens_on_fork()), while unshare(CLONE_NEWTIME)
 * changes only nsproxy->time_ns_for_children, and the caller's next child
 * is the first task to live in it.  The clock offsets themselves are not
 * modelled; frozen_offsets records that a task has entered the namespace,
 * after which the kernel refuses to change its offsets.
 */
#include <linux/err.h>

#include "nsmodel.h"

static struct nsm_time_namespace *to_time_ns(struct nsm_ns_common *ns)
{
	return container_of(ns, struct nsm_time_namespace, ns);
}

struct nsm_time_namespace *nsm_get_time_ns(struct nsm_time_namespace *ns)
{
	refcount_inc(&ns->ns.count);
	return ns;
}

/**
 * nsm_put_time_ns - drop a reference on a time namespace
 * @ns: the namespace
 *
 * models: put_time_ns() and free_time_ns(); freeing drops the owner.
 */
void nsm_put_time_ns(struct nsm_time_namespace *ns)
{
	struct nsm_world *w = ns->ns.world;

	if (!refcount_dec_and_test(&ns->ns.count))
		return;
	nsm_ns_free_inum(&ns->ns);
	nsm_put_user_ns(ns->user_ns);
	nsm_free(w, NSM_OBJ_TIME_NS, ns, sizeof(*ns));
}

/*
 * models: clone_time_ns(): the namespace limit (ENOSPC, as ucounts), the
 * allocation (the kernel also allocates the vvar page here), then the
 * inode number.  Offsets would be copied from the old namespace.
 */
static struct nsm_time_namespace *nsm_clone_time_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns)
{
	struct nsm_time_namespace *ns;
	int err;

	if (w->nr_namespaces >= nsm_max_namespaces)
		return ERR_PTR(-ENOSPC);
	ns = nsm_alloc(w, NSM_OBJ_TIME_NS, sizeof(*ns));
	if (!ns)
		return ERR_PTR(-ENOMEM);
	err = nsm_ns_alloc_inum(w, &ns->ns, &nsm_timens_operations);
	if (err) {
		nsm_free(w, NSM_OBJ_TIME_NS, ns, sizeof(*ns));
		return ERR_PTR(err);
	}
	ns->user_ns = nsm_get_user_ns(user_ns);
	ns->frozen_offsets = false;
	return ns;
}

/**
 * nsm_create_init_time_ns - the world's initial time namespace
 * @w: the world
 * @user_ns: its owner
 *
 * models: init_time_ns, whose offsets are zero and frozen.
 */
struct nsm_time_namespace *nsm_create_init_time_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns)
{
	struct nsm_time_namespace *ns = nsm_clone_time_ns(w, user_ns);

	if (!IS_ERR(ns))
		ns->frozen_offsets = true;
	return ns;
}

/**
 * nsm_copy_time_ns - share or create the time namespace for children
 * @flags: clone or unshare flags
 * @user_ns: the user namespace that will own a new namespace
 * @old_ns: the current time_ns_for_children
 *
 * models: copy_time_ns()
 */
struct nsm_time_namespace *nsm_copy_time_ns(u64 flags,
					struct nsm_user_namespace *user_ns,
					struct nsm_time_namespace *old_ns)
{
	if (!(flags & CLONE_NEWTIME))
		return nsm_get_time_ns(old_ns);
	return nsm_clone_time_ns(old_ns->ns.world, user_ns);
}

/**
 * nsm_timens_commit - a task starts living in a time namespace
 * @tsk: the task
 * @ns: its new time namespace
 *
 * models: timens_commit(): the first task to enter freezes the offsets
 * (timens_set_vvar_page()); the vDSO switch has nothing to model.
 */
void nsm_timens_commit(struct nsm_task *tsk, struct nsm_time_namespace *ns)
{
	ns->frozen_offsets = true;
}

/**
 * nsm_timens_on_fork - a new task enters its parent's time_ns_for_children
 * @nsproxy: the new task's (already private) nsproxy
 * @tsk: the new task
 *
 * models: timens_on_fork()
 */
void nsm_timens_on_fork(struct nsm_nsproxy *nsproxy, struct nsm_task *tsk)
{
	struct nsm_time_namespace *ns = nsproxy->time_ns_for_children;

	if (nsproxy->time_ns == ns)
		return;
	nsm_get_time_ns(ns);
	nsm_put_time_ns(nsproxy->time_ns);
	nsproxy->time_ns = ns;
	nsm_timens_commit(tsk, ns);
}

static struct nsm_ns_common *nsm_timens_get(struct nsm_task *task)
{
	return &nsm_get_time_ns(task->nsproxy->time_ns)->ns;
}

static struct nsm_ns_common *nsm_timens_for_children_get(struct nsm_task *task)
{
	return &nsm_get_time_ns(task->nsproxy->time_ns_for_children)->ns;
}

static void nsm_timens_put(struct nsm_ns_common *ns)
{
	nsm_put_time_ns(to_time_ns(ns));
}

/*
 * models: timens_install(): CAP_SYS_ADMIN over the target's owner and in
 * the caller's (new) user namespace; the caller and its future children
 * both move.  The EUSERS of a multi-threaded caller cannot happen here.
 * The switch itself is committed by commit_nsset() (timens_commit()).
 */
static int nsm_timens_install(struct nsm_nsset *nsset, struct nsm_ns_common *new)
{
	struct nsm_nsproxy *nsproxy = nsset->nsproxy;
	const struct nsm_cred *me = nsset->task->cred;
	struct nsm_time_namespace *ns = to_time_ns(new);

	if (!nsm_ns_capable(me, ns->user_ns, CAP_SYS_ADMIN) ||
	    !nsm_ns_capable(me, nsset->cred->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	nsm_get_time_ns(ns);
	nsm_put_time_ns(nsproxy->time_ns);
	nsproxy->time_ns = ns;

	nsm_get_time_ns(ns);
	nsm_put_time_ns(nsproxy->time_ns_for_children);
	nsproxy->time_ns_for_children = ns;
	return 0;
}

static struct nsm_user_namespace *nsm_timens_owner(struct nsm_ns_common *ns)
{
	return to_time_ns(ns)->user_ns;
}

/* models: timens_operations */
const struct nsm_proc_ns_operations nsm_timens_operations = {
	.name		= "time",
	.type		= CLONE_NEWTIME,
	.kind		= NSM_NS_TIME,
	.get		= nsm_timens_get,
	.put		= nsm_timens_put,
	.install	= nsm_timens_install,
	.owner		= nsm_timens_owner,
};

/* models: timens_for_children_operations */
const struct nsm_proc_ns_operations nsm_timens_for_children_operations = {
	.name		= "time_for_children",
	.type		= CLONE_NEWTIME,
	.kind		= NSM_NS_TIME_FOR_CHILDREN,
	.get		= nsm_timens_for_children_get,
	.put		= nsm_timens_put,
	.install	= nsm_timens_install,
	.owner		= nsm_timens_owner,
};
