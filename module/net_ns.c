// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: network namespaces.
 *
 * Models net/core/net_namespace.c.  The model has no devices, sockets or
 * pernet state: a network namespace has an identity and an owner only.
 */
#include <linux/err.h>

#include "nsmodel.h"

static struct nsm_net *to_net(struct nsm_ns_common *ns)
{
	return container_of(ns, struct nsm_net, ns);
}

static struct nsm_net *nsm_get_net(struct nsm_net *ns)
{
	refcount_inc(&ns->ns.count);
	return ns;
}

/**
 * nsm_put_net - drop a reference on a network namespace
 * @ns: the namespace
 *
 * models: put_net(); freeing drops the owning user namespace.
 */
void nsm_put_net(struct nsm_net *ns)
{
	struct nsm_world *w = ns->ns.world;

	if (!refcount_dec_and_test(&ns->ns.count))
		return;
	nsm_ns_free_inum(&ns->ns);
	nsm_put_user_ns(ns->user_ns);
	nsm_free(w, NSM_OBJ_NET_NS, ns, sizeof(*ns));
}

/* the allocation half of the kernel's create function */
static struct nsm_net *nsm_create_net(struct nsm_world *w,
		struct nsm_user_namespace *user_ns)
{
	struct nsm_net *ns;
	int err;

	if (w->nr_namespaces >= nsm_max_namespaces)
		return ERR_PTR(-ENOSPC);
	ns = nsm_alloc(w, NSM_OBJ_NET_NS, sizeof(*ns));
	if (!ns)
		return ERR_PTR(-ENOMEM);
	err = nsm_ns_alloc_inum(w, &ns->ns, &nsm_netns_operations);
	if (err) {
		nsm_free(w, NSM_OBJ_NET_NS, ns, sizeof(*ns));
		return ERR_PTR(err);
	}
	ns->user_ns = nsm_get_user_ns(user_ns);
	return ns;
}

/**
 * nsm_create_init_net - the world's initial namespace of this kind
 * @w: the world
 * @user_ns: the world's initial user namespace, its owner
 *
 * models: init_net
 */
struct nsm_net *nsm_create_init_net(struct nsm_world *w,
		struct nsm_user_namespace *user_ns)
{
	return nsm_create_net(w, user_ns);
}

/**
 * nsm_copy_net_ns - share or create a network namespace for clone or unshare
 * @flags: clone or unshare flags
 * @user_ns: the user namespace that will own a new namespace
 * @old_ns: the current namespace
 *
 * models: copy_net_ns() and net_alloc(): the namespace
 * limit (ENOSPC, as ucounts), the allocation, then the inode number.
 * Returns a referenced namespace or ERR_PTR.
 */
struct nsm_net *nsm_copy_net_ns(u64 flags,
				 struct nsm_user_namespace *user_ns,
				 struct nsm_net *old_ns)
{
	struct nsm_world *w = old_ns->ns.world;

	if (!(flags & CLONE_NEWNET))
		return nsm_get_net(old_ns);
	return nsm_create_net(w, user_ns);
}

static struct nsm_ns_common *nsm_netns_get(struct nsm_task *task)
{
	return &nsm_get_net(task->nsproxy->net_ns)->ns;
}

static void nsm_netns_put(struct nsm_ns_common *ns)
{
	nsm_put_net(to_net(ns));
}

/*
 * models: netns_install(): CAP_SYS_ADMIN over the target's owner and in the
 * caller's (new) user namespace.
 */
static int nsm_netns_install(struct nsm_nsset *nsset, struct nsm_ns_common *new)
{
	struct nsm_nsproxy *nsproxy = nsset->nsproxy;
	const struct nsm_cred *me = nsset->task->cred;
	struct nsm_net *ns = to_net(new);

	if (!nsm_ns_capable(me, ns->user_ns, CAP_SYS_ADMIN) ||
	    !nsm_ns_capable(me, nsset->cred->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	nsm_get_net(ns);
	nsm_put_net(nsproxy->net_ns);
	nsproxy->net_ns = ns;
	return 0;
}

static struct nsm_user_namespace *nsm_netns_owner(struct nsm_ns_common *ns)
{
	return to_net(ns)->user_ns;
}

/* models: netns_operations */
const struct nsm_proc_ns_operations nsm_netns_operations = {
	.name		= "net",
	.type		= CLONE_NEWNET,
	.kind		= NSM_NS_NET,
	.get		= nsm_netns_get,
	.put		= nsm_netns_put,
	.install	= nsm_netns_install,
	.owner		= nsm_netns_owner,
};
