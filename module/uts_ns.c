// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: UTS namespaces and sethostname().
 *
 * Models kernel/utsname.c and the sethostname() of kernel/sys.c.  A new
 * UTS namespace starts as a copy of its parent's names; the world's first
 * one is the running kernel's, with the nodename "nsmodel".
 */
#include <linux/err.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "nsmodel.h"

static struct nsm_uts_namespace *to_uts_ns(struct nsm_ns_common *ns)
{
	return container_of(ns, struct nsm_uts_namespace, ns);
}

static struct nsm_uts_namespace *nsm_get_uts_ns(struct nsm_uts_namespace *ns)
{
	refcount_inc(&ns->ns.count);
	return ns;
}

/**
 * nsm_put_uts_ns - drop a reference on a UTS namespace
 * @ns: the namespace
 *
 * models: put_uts_ns() and free_uts_ns(); freeing drops the owner.
 */
void nsm_put_uts_ns(struct nsm_uts_namespace *ns)
{
	struct nsm_world *w = ns->ns.world;

	if (!refcount_dec_and_test(&ns->ns.count))
		return;
	nsm_ns_free_inum(&ns->ns);
	nsm_put_user_ns(ns->user_ns);
	nsm_free(w, NSM_OBJ_UTS_NS, ns, sizeof(*ns));
}

/*
 * models: clone_uts_ns(): the namespace limit (ENOSPC, as ucounts), the
 * allocation, the inode number, then the names copied from @old_ns.
 */
static struct nsm_uts_namespace *
nsm_clone_uts_ns(struct nsm_world *w, struct nsm_user_namespace *user_ns,
		 const struct new_utsname *old_name)
{
	struct nsm_uts_namespace *ns;
	int err;

	if (w->nr_namespaces >= nsm_max_namespaces)
		return ERR_PTR(-ENOSPC);
	ns = nsm_alloc(w, NSM_OBJ_UTS_NS, sizeof(*ns));
	if (!ns)
		return ERR_PTR(-ENOMEM);
	err = nsm_ns_alloc_inum(w, &ns->ns, &nsm_utsns_operations);
	if (err) {
		nsm_free(w, NSM_OBJ_UTS_NS, ns, sizeof(*ns));
		return ERR_PTR(err);
	}
	ns->name = *old_name;
	ns->user_ns = nsm_get_user_ns(user_ns);
	return ns;
}

/**
 * nsm_copy_utsname - share or copy a UTS namespace for clone or unshare
 * @flags: clone or unshare flags
 * @user_ns: the user namespace that will own a new namespace
 * @old_ns: the current namespace
 *
 * models: copy_utsname().  Returns a referenced namespace or ERR_PTR.
 */
struct nsm_uts_namespace *nsm_copy_utsname(u64 flags,
					   struct nsm_user_namespace *user_ns,
					   struct nsm_uts_namespace *old_ns)
{
	if (!(flags & CLONE_NEWUTS))
		return nsm_get_uts_ns(old_ns);
	return nsm_clone_uts_ns(old_ns->ns.world, user_ns, &old_ns->name);
}

/**
 * nsm_create_init_uts_ns - the world's initial UTS namespace
 * @w: the world
 * @user_ns: the world's initial user namespace
 *
 * models: init_uts_ns; the names are the running kernel's, except the
 * nodename, which is "nsmodel" in every world.
 */
struct nsm_uts_namespace *nsm_create_init_uts_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns)
{
	struct nsm_uts_namespace *ns;

	ns = nsm_clone_uts_ns(w, user_ns, init_utsname());
	if (!IS_ERR(ns))
		strscpy_pad(ns->name.nodename, "nsmodel",
			    sizeof(ns->name.nodename));
	return ns;
}

/**
 * nsm_ioctl_sethostname - NSM_IOC_SETHOSTNAME: sethostname(name, len)
 * @w: the world, locked
 * @args: task, name pointer and length
 *
 * models: sethostname(): CAP_SYS_ADMIN over the owner of the task's UTS
 * namespace (EPERM) is checked before the length (EINVAL past 64), then
 * the bytes are copied (EFAULT); the name is not NUL-terminated in user
 * space and the rest of the field is cleared.
 */
long nsm_ioctl_sethostname(struct nsm_world *w, struct nsm_hostname_args *args)
{
	struct nsm_task *task = nsm_find_task(w, args->task);
	char tmp[__NEW_UTS_LEN];
	struct nsm_uts_namespace *ns;
	int ret;

	if (!task)
		return -ESRCH;
	if (args->__reserved)
		return -EINVAL;
	ns = task->nsproxy->uts_ns;
	if (!nsm_ns_capable(task->cred, ns->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	if (args->len > __NEW_UTS_LEN)
		return -EINVAL;
	ret = nsm_copy_user_bytes(w, tmp, args->name, args->len);
	if (ret)
		return ret;
	memcpy(ns->name.nodename, tmp, args->len);
	memset(ns->name.nodename + args->len, 0,
	       sizeof(ns->name.nodename) - args->len);
	return 0;
}

static struct nsm_ns_common *nsm_utsns_get(struct nsm_task *task)
{
	return &nsm_get_uts_ns(task->nsproxy->uts_ns)->ns;
}

static void nsm_utsns_put(struct nsm_ns_common *ns)
{
	nsm_put_uts_ns(to_uts_ns(ns));
}

/*
 * models: utsns_install(): CAP_SYS_ADMIN over the target's owner and in
 * the caller's own user namespace (as it will be after a user namespace
 * switch in the same setns).
 */
static int nsm_utsns_install(struct nsm_nsset *nsset, struct nsm_ns_common *new)
{
	struct nsm_nsproxy *nsproxy = nsset->nsproxy;
	struct nsm_uts_namespace *ns = to_uts_ns(new);

	if (!nsm_ns_capable(nsset->task->cred, ns->user_ns, CAP_SYS_ADMIN) ||
	    !nsm_ns_capable(nsset->task->cred, nsset->cred->user_ns,
			    CAP_SYS_ADMIN))
		return -EPERM;

	nsm_get_uts_ns(ns);
	nsm_put_uts_ns(nsproxy->uts_ns);
	nsproxy->uts_ns = ns;
	return 0;
}

static struct nsm_user_namespace *nsm_utsns_owner(struct nsm_ns_common *ns)
{
	return to_uts_ns(ns)->user_ns;
}

/* models: utsns_operations */
const struct nsm_proc_ns_operations nsm_utsns_operations = {
	.name		= "uts",
	.type		= CLONE_NEWUTS,
	.kind		= NSM_NS_UTS,
	.get		= nsm_utsns_get,
	.put		= nsm_utsns_put,
	.install	= nsm_utsns_install,
	.owner		= nsm_utsns_owner,
};
