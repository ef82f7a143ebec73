// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: cgroup namespaces.
 *
 * Models kernel/cgroup/namespace.c.  The model has no cgroup hierarchy: a cgroup
 * namespace has an identity and an owner only (no root css_set).
 */
#include <linux/err.h>

#include "nsmodel.h"

static struct nsm_cgroup_namespace *to_cgroup_ns(struct nsm_ns_common *ns)
{
	return container_of(ns, struct nsm_cgroup_namespace, ns);
}

static struct nsm_cgroup_namespace *nsm_get_cgroup_ns(struct nsm_cgroup_namespace *ns)
{
	refcount_inc(&ns->ns.count);
	return ns;
}

/**
 * nsm_put_cgroup_ns - drop a reference on a cgroup namespace
 * @ns: the namespace
 *
 * models: put_cgroup_ns(); freeing drops the owning user namespace.
 */
void nsm_put_cgroup_ns(struct nsm_cgroup_namespace *ns)
{
	struct nsm_world *w = ns->ns.world;

	if (!refcount_dec_and_test(&ns->ns.count))
		return;
	nsm_ns_free_inum(&ns->ns);
	nsm_put_user_ns(ns->user_ns);
	nsm_free(w, NSM_OBJ_CGROUP_NS, ns, sizeof(*ns));
}

/* the allocation half of the kernel's create function */
static struct nsm_cgroup_namespace *nsm_create_cgroup_ns(struct nsm_world *w,
		struct nsm_user_namespace *user_ns)
{
	struct nsm_cgroup_namespace *ns;
	int err;

	if (w->nr_namespaces >= nsm_max_namespaces)
		return ERR_PTR(-ENOSPC);
	ns = nsm_alloc(w, NSM_OBJ_CGROUP_NS, sizeof(*ns));
	if (!ns)
		return ERR_PTR(-ENOMEM);
	err = nsm_ns_alloc_inum(w, &ns->ns, &nsm_cgroupns_operations);
	if (err) {
		nsm_free(w, NSM_OBJ_CGROUP_NS, ns, sizeof(*ns));
		return ERR_PTR(err);
	}
	ns->user_ns = nsm_get_user_ns(user_ns);
	return ns;
}

/**
 * nsm_create_init_cgroup_ns - the world's initial namespace of this kind
 * @w: the world
 * @user_ns: the world's initial user namespace, its owner
 *
 * models: init_cgroup_ns
 */
struct nsm_cgroup_namespace *nsm_create_init_cgroup_ns(struct nsm_world *w,
		struct nsm_user_namespace *user_ns)
{
	return nsm_create_cgroup_ns(w, user_ns);
}

/**
 * nsm_copy_cgroup_ns - share or create a cgroup namespace for clone or unshare
 * @flags: clone or unshare flags
 * @me: the task calling clone() or unshare()
 * @user_ns: the user namespace that will own a new namespace
 * @old_ns: the current namespace
 *
 * models: copy_cgroup_ns() and alloc_cgroup_ns(): CAP_SYS_ADMIN over the
 * new owner (EPERM; copy_namespaces() checked it already, but the kernel
 * checks again), the namespace limit (ENOSPC, as ucounts), the
 * allocation, then the inode number.
 * Returns a referenced namespace or ERR_PTR.
 */
struct nsm_cgroup_namespace *nsm_copy_cgroup_ns(u64 flags,
					struct nsm_task *me,
					struct nsm_user_namespace *user_ns,
					struct nsm_cgroup_namespace *old_ns)
{
	struct nsm_world *w = old_ns->ns.world;

	if (!(flags & CLONE_NEWCGROUP))
		return nsm_get_cgroup_ns(old_ns);
	if (!nsm_ns_capable(me->cred, user_ns, CAP_SYS_ADMIN))
		return ERR_PTR(-EPERM);
	return nsm_create_cgroup_ns(w, user_ns);
}

static struct nsm_ns_common *nsm_cgroupns_get(struct nsm_task *task)
{
	return &nsm_get_cgroup_ns(task->nsproxy->cgroup_ns)->ns;
}

static void nsm_cgroupns_put(struct nsm_ns_common *ns)
{
	nsm_put_cgroup_ns(to_cgroup_ns(ns));
}

/*
 * models: cgroupns_install(): CAP_SYS_ADMIN in the caller's (new) user
 * namespace and over the target's owner, in that order.
 */
static int nsm_cgroupns_install(struct nsm_nsset *nsset, struct nsm_ns_common *new)
{
	struct nsm_nsproxy *nsproxy = nsset->nsproxy;
	const struct nsm_cred *me = nsset->task->cred;
	struct nsm_cgroup_namespace *ns = to_cgroup_ns(new);

	if (!nsm_ns_capable(me, nsset->cred->user_ns, CAP_SYS_ADMIN) ||
	    !nsm_ns_capable(me, ns->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	/* Entering one's own cgroup namespace changes nothing. */
	if (ns == nsproxy->cgroup_ns)
		return 0;

	nsm_get_cgroup_ns(ns);
	nsm_put_cgroup_ns(nsproxy->cgroup_ns);
	nsproxy->cgroup_ns = ns;
	return 0;
}

static struct nsm_user_namespace *nsm_cgroupns_owner(struct nsm_ns_common *ns)
{
	return to_cgroup_ns(ns)->user_ns;
}

/* models: cgroupns_operations */
const struct nsm_proc_ns_operations nsm_cgroupns_operations = {
	.name		= "cgroup",
	.type		= CLONE_NEWCGROUP,
	.kind		= NSM_NS_CGROUP,
	.get		= nsm_cgroupns_get,
	.put		= nsm_cgroupns_put,
	.install	= nsm_cgroupns_install,
	.owner		= nsm_cgroupns_owner,
};
