// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: user namespaces.
 *
 * Models kernel/user_namespace.c.  A user namespace is owned by the euid of
 * its creator and pins its parent; it is held by the creds that live in it,
 * by the namespaces it owns and by its children.  The model writes the
 * uid and gid maps "0 <creator's id> 1" as soon as a namespace is made, as
 * the scenario runner does for a real process ("unshare -r"), so the
 * creator is root inside.  Left out: ucounts per user (the world's
 * namespace limit stands in), setgroups, keyrings, sysctls.
 */
#include <linux/err.h>

#include "nsmodel.h"

/* models: map_id_down() on a single-extent map; NSM_INVALID_UID if unmapped */
static u32 nsm_map_id_down(const struct nsm_uid_gid_map *map, u32 id)
{
	u32 i;

	for (i = 0; i < map->nr_extents; i++) {
		const struct nsm_uid_gid_extent *e = &map->extent[i];

		if (id >= e->first && (u64)id < (u64)e->first + e->count)
			return e->lower_first + (id - e->first);
	}
	return NSM_INVALID_UID;
}

/* models: map_id_up() */
static u32 nsm_map_id_up(const struct nsm_uid_gid_map *map, u32 id)
{
	u32 i;

	for (i = 0; i < map->nr_extents; i++) {
		const struct nsm_uid_gid_extent *e = &map->extent[i];

		if (id >= e->lower_first &&
		    (u64)id < (u64)e->lower_first + e->count)
			return e->first + (id - e->lower_first);
	}
	return NSM_INVALID_UID;
}

/**
 * nsm_make_kuid - map a uid of a user namespace to a global kuid
 * @ns: the namespace the uid is relative to
 * @uid: the uid
 *
 * models: make_kuid().  Returns NSM_INVALID_UID when @uid is not mapped.
 */
u32 nsm_make_kuid(struct nsm_user_namespace *ns, u32 uid)
{
	return nsm_map_id_down(&ns->uid_map, uid);
}

/**
 * nsm_from_kuid - how a user namespace sees a kuid
 * @ns: the viewing namespace
 * @kuid: the global id
 *
 * models: from_kuid_munged(): an unmapped id shows as the overflow uid
 * 65534, as in /proc/PID/status.
 */
u32 nsm_from_kuid(struct nsm_user_namespace *ns, u32 kuid)
{
	u32 uid = nsm_map_id_up(&ns->uid_map, kuid);

	return uid == NSM_INVALID_UID ? NSM_OVERFLOWUID : uid;
}

/* models: kuid_has_mapping(), kgid_has_mapping() */
static bool nsm_kid_has_mapping(const struct nsm_uid_gid_map *map, u32 kid)
{
	return nsm_map_id_up(map, kid) != NSM_INVALID_UID;
}

/**
 * nsm_in_userns - is @child @ancestor or one of its descendants?
 * @ancestor: the candidate ancestor
 * @child: the namespace to check
 *
 * models: in_userns()
 */
bool nsm_in_userns(const struct nsm_user_namespace *ancestor,
		   const struct nsm_user_namespace *child)
{
	const struct nsm_user_namespace *ns;

	for (ns = child; ns->level > ancestor->level; ns = ns->parent)
		;
	return ns == ancestor;
}

/**
 * nsm_current_in_userns - is the cred's user namespace inside @target?
 * @cred: the subject's credentials
 * @target: the candidate ancestor
 *
 * models: current_in_userns()
 */
bool nsm_current_in_userns(const struct nsm_cred *cred,
			   const struct nsm_user_namespace *target)
{
	return nsm_in_userns(target, cred->user_ns);
}

struct nsm_user_namespace *nsm_get_user_ns(struct nsm_user_namespace *ns)
{
	if (ns)
		refcount_inc(&ns->ns.count);
	return ns;
}

/**
 * nsm_put_user_ns - drop a reference on a user namespace
 * @ns: the namespace, or NULL
 *
 * models: put_user_ns() and free_user_ns(): freeing a namespace drops the
 * reference it holds on its parent, which may free the parent in turn
 * (a loop here, as the kernel's worker does, so that 33 levels do not
 * recurse).
 */
void nsm_put_user_ns(struct nsm_user_namespace *ns)
{
	while (ns && refcount_dec_and_test(&ns->ns.count)) {
		struct nsm_user_namespace *parent = ns->parent;
		struct nsm_world *w = ns->ns.world;

		if (w->init_user_ns == ns)
			w->init_user_ns = NULL;
		nsm_ns_free_inum(&ns->ns);
		nsm_free(w, NSM_OBJ_USER_NS, ns, sizeof(*ns));
		ns = parent;
	}
}

/*
 * models: set_cred_user_ns(): a cred entering a new user namespace starts
 * with every capability in it, which are worth nothing outside it.
 */
static void nsm_set_cred_user_ns(struct nsm_cred *cred,
				 struct nsm_user_namespace *user_ns)
{
	cred->cap_inheritable = 0;
	cred->cap_permitted = NSM_CAP_FULL_SET;
	cred->cap_effective = NSM_CAP_FULL_SET;
	cred->cap_bset = NSM_CAP_FULL_SET;
	cred->user_ns = user_ns;
}

/* The map the runner writes for a NEWUSER child: "0 <creator's id> 1". */
static void nsm_write_root_map(struct nsm_uid_gid_map *map, u32 lower)
{
	map->nr_extents = 1;
	map->extent[0].first = 0;
	map->extent[0].lower_first = lower;
	map->extent[0].count = 1;
}

/**
 * nsm_create_user_ns - create a user namespace for a new cred
 * @me: the task doing clone() or unshare()
 * @new: its new, not yet committed cred; on success it moves into the new
 *       namespace (whose parent keeps the cred's old reference)
 *
 * models: create_user_ns(), with its checks in its order: nesting deeper
 * than 32 below the parent's level (ENOSPC), the namespace limit (ENOSPC,
 * as ucounts), a chrooted caller (EPERM), a creator without a mapping in
 * the parent (EPERM).  Returns 0 or -errno; @new is unchanged on error.
 */
int nsm_create_user_ns(struct nsm_task *me, struct nsm_cred *new)
{
	struct nsm_user_namespace *ns, *parent_ns = new->user_ns;
	struct nsm_world *w = new->world;
	u32 owner = new->euid;
	u32 group = new->egid;
	int ret;

	/* the kernel's test, which allows a child at level 33 */
	if (parent_ns->level > NSM_MAX_LEVEL)
		return -ENOSPC;
	if (w->nr_namespaces >= nsm_max_namespaces)
		return -ENOSPC;

	/*
	 * A chrooted task must not escape its root by becoming root of a new
	 * namespace and mounting its way out.
	 */
	if (nsm_current_chrooted(me))
		return -EPERM;

	/* The creator must be nameable in the parent namespace. */
	if (!nsm_kid_has_mapping(&parent_ns->uid_map, owner) ||
	    !nsm_kid_has_mapping(&parent_ns->gid_map, group))
		return -EPERM;

	ns = nsm_alloc(w, NSM_OBJ_USER_NS, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ret = nsm_ns_alloc_inum(w, &ns->ns, &nsm_userns_operations);
	if (ret) {
		nsm_free(w, NSM_OBJ_USER_NS, ns, sizeof(*ns));
		return ret;
	}
	/* The cred's reference on the parent becomes the child's. */
	ns->parent = parent_ns;
	ns->level = parent_ns->level + 1;
	ns->owner = owner;
	ns->group = group;
	nsm_write_root_map(&ns->uid_map, owner);
	nsm_write_root_map(&ns->gid_map, group);

	nsm_set_cred_user_ns(new, ns);
	return 0;
}

/**
 * nsm_unshare_userns - the user namespace step of unshare()
 * @me: the calling task
 * @unshare_flags: the (implied-flag expanded) unshare flags
 * @new_cred: set to a new cred in a new user namespace with CLONE_NEWUSER
 *
 * models: unshare_userns()
 */
int nsm_unshare_userns(struct nsm_task *me, u64 unshare_flags,
		       struct nsm_cred **new_cred)
{
	struct nsm_cred *cred;
	int err;

	if (!(unshare_flags & CLONE_NEWUSER))
		return 0;

	cred = nsm_prepare_creds(me->cred);
	if (!cred)
		return -ENOMEM;
	err = nsm_create_user_ns(me, cred);
	if (err)
		nsm_put_cred(cred);
	else
		*new_cred = cred;
	return err;
}

/**
 * nsm_create_init_user_ns - the world's initial user namespace
 * @w: the world
 *
 * models: init_user_ns, whose maps are the identity over all 2^32-1 ids.
 */
struct nsm_user_namespace *nsm_create_init_user_ns(struct nsm_world *w)
{
	struct nsm_user_namespace *ns;
	int ret;

	ns = nsm_alloc(w, NSM_OBJ_USER_NS, sizeof(*ns));
	if (!ns)
		return ERR_PTR(-ENOMEM);
	ret = nsm_ns_alloc_inum(w, &ns->ns, &nsm_userns_operations);
	if (ret) {
		nsm_free(w, NSM_OBJ_USER_NS, ns, sizeof(*ns));
		return ERR_PTR(ret);
	}
	ns->uid_map.nr_extents = 1;
	ns->uid_map.extent[0].count = U32_MAX;
	ns->gid_map = ns->uid_map;
	w->init_user_ns = ns;
	return ns;
}

static struct nsm_ns_common *nsm_userns_get(struct nsm_task *task)
{
	return &nsm_get_user_ns(task->cred->user_ns)->ns;
}

static void nsm_userns_put(struct nsm_ns_common *ns)
{
	nsm_put_user_ns(container_of(ns, struct nsm_user_namespace, ns));
}

/*
 * models: userns_install(): no regaining capabilities by re-entering one's
 * own namespace (EINVAL), a shared fs_struct may not change user
 * namespace (EINVAL), and the caller needs CAP_SYS_ADMIN in the target.
 * The thread-group check is moot: model tasks are single-threaded.
 */
static int nsm_userns_install(struct nsm_nsset *nsset, struct nsm_ns_common *ns)
{
	struct nsm_user_namespace *user_ns =
		container_of(ns, struct nsm_user_namespace, ns);
	struct nsm_task *me = nsset->task;
	struct nsm_cred *cred;

	if (user_ns == me->cred->user_ns)
		return -EINVAL;
	if (me->fs->users != 1)
		return -EINVAL;
	if (!nsm_ns_capable(me->cred, user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	/* nsset_cred(): the private cred prepare_nsset() made */
	if (!(nsset->flags & CLONE_NEWUSER))
		return -EINVAL;
	cred = (struct nsm_cred *)nsset->cred;
	nsm_put_user_ns(cred->user_ns);
	nsm_set_cred_user_ns(cred, nsm_get_user_ns(user_ns));
	return 0;
}

/* models: userns_owner(): a user namespace is owned by its parent */
static struct nsm_user_namespace *nsm_userns_owner(struct nsm_ns_common *ns)
{
	return container_of(ns, struct nsm_user_namespace, ns)->parent;
}

static struct nsm_ns_common *nsm_userns_get_parent(struct nsm_ns_common *ns)
{
	struct nsm_user_namespace *parent = nsm_userns_owner(ns);

	return parent ? &parent->ns : NULL;
}

/* models: userns_operations */
const struct nsm_proc_ns_operations nsm_userns_operations = {
	.name		= "user",
	.type		= CLONE_NEWUSER,
	.kind		= NSM_NS_USER,
	.get		= nsm_userns_get,
	.put		= nsm_userns_put,
	.install	= nsm_userns_install,
	.owner		= nsm_userns_owner,
	.get_parent	= nsm_userns_get_parent,
};
