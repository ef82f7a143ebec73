// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: IPC namespaces.
 *
 * Models ipc/namespace.c.  The model keeps no IPC objects: an IPC
 * namespace has an identity and an owner only, and the SysV semaphore
 * undo lists that CLONE_SYSVSEM shares are not modelled.
 */
#include <linux/err.h>

#include "nsmodel.h"

static struct nsm_ipc_namespace *to_ipc_ns(struct nsm_ns_common *ns)
{
	return container_of(ns, struct nsm_ipc_namespace, ns);
}

static struct nsm_ipc_namespace *nsm_get_ipc_ns(struct nsm_ipc_namespace *ns)
{
	refcount_inc(&ns->ns.count);
	return ns;
}

/**
 * nsm_put_ipc_ns - drop a reference on an IPC namespace
 * @ns: the namespace
 *
 * models: put_ipc_ns(); freeing drops the owning user namespace.
 */
void nsm_put_ipc_ns(struct nsm_ipc_namespace *ns)
{
	struct nsm_world *w = ns->ns.world;

	if (!refcount_dec_and_test(&ns->ns.count))
		return;
	nsm_ns_free_inum(&ns->ns);
	nsm_put_user_ns(ns->user_ns);
	nsm_free(w, NSM_OBJ_IPC_NS, ns, sizeof(*ns));
}

/* the allocation half of the kernel's create function */
static struct nsm_ipc_namespace *nsm_create_ipc_ns(struct nsm_world *w,
		struct nsm_user_namespace *user_ns)
{
	struct nsm_ipc_namespace *ns;
	int err;

	if (w->nr_namespaces >= nsm_max_namespaces)
		return ERR_PTR(-ENOSPC);
	ns = nsm_alloc(w, NSM_OBJ_IPC_NS, sizeof(*ns));
	if (!ns)
		return ERR_PTR(-ENOMEM);
	err = nsm_ns_alloc_inum(w, &ns->ns, &nsm_ipcns_operations);
	if (err) {
		nsm_free(w, NSM_OBJ_IPC_NS, ns, sizeof(*ns));
		return ERR_PTR(err);
	}
	ns->user_ns = nsm_get_user_ns(user_ns);
	return ns;
}

/**
 * nsm_create_init_ipc_ns - the world's initial namespace of this kind
 * @w: the world
 * @user_ns: the world's initial user namespace, its owner
 *
 * models: init_ipc_ns
 */
struct nsm_ipc_namespace *nsm_create_init_ipc_ns(struct nsm_world *w,
		struct nsm_user_namespace *user_ns)
{
	return nsm_create_ipc_ns(w, user_ns);
}

/**
 * nsm_copy_ipcs - share or create an IPC namespace for clone or unshare
 * @flags: clone or unshare flags
 * @user_ns: the user namespace that will own a new namespace
 * @old_ns: the current namespace
 *
 * models: copy_ipcs() and create_ipc_ns(): the namespace
 * limit (ENOSPC, as ucounts), the allocation, then the inode number.
 * Returns a referenced namespace or ERR_PTR.
 */
struct nsm_ipc_namespace *nsm_copy_ipcs(u64 flags,
				 struct nsm_user_namespace *user_ns,
				 struct nsm_ipc_namespace *old_ns)
{
	struct nsm_world *w = old_ns->ns.world;

	if (!(flags & CLONE_NEWIPC))
		return nsm_get_ipc_ns(old_ns);
	return nsm_create_ipc_ns(w, user_ns);
}

static struct nsm_ns_common *nsm_ipcns_get(struct nsm_task *task)
{
	return &nsm_get_ipc_ns(task->nsproxy->ipc_ns)->ns;
}

static void nsm_ipcns_put(struct nsm_ns_common *ns)
{
	nsm_put_ipc_ns(to_ipc_ns(ns));
}

/*
 * models: ipcns_install(): CAP_SYS_ADMIN over the target's owner and in the
 * caller's (new) user namespace.
 */
static int nsm_ipcns_install(struct nsm_nsset *nsset, struct nsm_ns_common *new)
{
	struct nsm_nsproxy *nsproxy = nsset->nsproxy;
	const struct nsm_cred *me = nsset->task->cred;
	struct nsm_ipc_namespace *ns = to_ipc_ns(new);

	if (!nsm_ns_capable(me, ns->user_ns, CAP_SYS_ADMIN) ||
	    !nsm_ns_capable(me, nsset->cred->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	nsm_get_ipc_ns(ns);
	nsm_put_ipc_ns(nsproxy->ipc_ns);
	nsproxy->ipc_ns = ns;
	return 0;
}

static struct nsm_user_namespace *nsm_ipcns_owner(struct nsm_ns_common *ns)
{
	return to_ipc_ns(ns)->user_ns;
}

/* models: ipcns_operations */
const struct nsm_proc_ns_operations nsm_ipcns_operations = {
	.name		= "ipc",
	.type		= CLONE_NEWIPC,
	.kind		= NSM_NS_IPC,
	.get		= nsm_ipcns_get,
	.put		= nsm_ipcns_put,
	.install	= nsm_ipcns_install,
	.owner		= nsm_ipcns_owner,
};
