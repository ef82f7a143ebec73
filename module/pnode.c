// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: mount propagation, after fs/pnode.c.
 *
 * A shared mount is in a peer group (mnt_share, one mnt_group_id): what is
 * mounted or unmounted under one peer happens under all of them.  A slave
 * (mnt_master, on its master's mnt_slave_list) receives those events but
 * sends none back.  A slave can itself be shared, and its peer group then
 * passes on what it receives.  The walks below visit that propagation
 * tree in the kernel's order, because the order decides which copy of a
 * new mount becomes the master of which.
 *
 * The kernel keeps propagate_mnt()'s state in static variables under
 * namespace_sem; the model has one lock per world, so the state travels in
 * a struct on the stack instead.
 */
#include <linux/fs.h>
#include <linux/mount.h>
#include <uapi/linux/mount.h>
#include <kunit/visibility.h>

#include "nsmodel.h"
#include "mount.h"
#include "trace.h"

/* models: next_peer() */
static inline struct nsm_mount *next_peer(struct nsm_mount *p)
{
	return list_entry(p->mnt_share.next, struct nsm_mount, mnt_share);
}

/* models: first_slave() */
static inline struct nsm_mount *first_slave(struct nsm_mount *p)
{
	return list_entry(p->mnt_slave_list.next, struct nsm_mount, mnt_slave);
}

/* models: last_slave() */
static inline struct nsm_mount *last_slave(struct nsm_mount *p)
{
	return list_entry(p->mnt_slave_list.prev, struct nsm_mount, mnt_slave);
}

/* models: next_slave() */
static inline struct nsm_mount *next_slave(struct nsm_mount *p)
{
	return list_entry(p->mnt_slave.next, struct nsm_mount, mnt_slave);
}

/* models: get_peer_under_root() */
static struct nsm_mount *get_peer_under_root(struct nsm_mount *mnt,
					     struct nsm_mnt_namespace *ns,
					     const struct nsm_path *root)
{
	struct nsm_mount *m = mnt;

	do {
		/* the namespace test is the cheap one */
		if (m->mnt_ns == ns &&
		    nsm_is_path_reachable(m, m->mnt_root, root))
			return m;
		m = next_peer(m);
	} while (m != mnt);

	return NULL;
}

/**
 * nsm_get_dominating_id - the nearest master group visible from @root
 * @mnt: a slave mount
 * @root: the reader's root
 *
 * models: get_dominating_id(): mountinfo's propagate_from:N is the id of
 * the closest peer group up the master chain that has a member in the
 * same namespace under the reader's root.  0 if none.
 */
int nsm_get_dominating_id(struct nsm_mount *mnt, const struct nsm_path *root)
{
	struct nsm_mount *m;

	for (m = mnt->mnt_master; m; m = m->mnt_master) {
		struct nsm_mount *d = get_peer_under_root(m, mnt->mnt_ns, root);

		if (d)
			return d->mnt_group_id;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_get_dominating_id);

/* models: do_make_slave() */
static int do_make_slave(struct nsm_mount *mnt)
{
	struct nsm_mount *master, *slave_mnt;

	if (list_empty(&mnt->mnt_share)) {
		if (NSM_IS_MNT_SHARED(mnt)) {
			nsm_mnt_release_group_id(mnt);
			NSM_CLEAR_MNT_SHARED(mnt);
		}
		master = mnt->mnt_master;
		if (!master) {
			struct list_head *p = &mnt->mnt_slave_list;

			while (!list_empty(p)) {
				slave_mnt = list_first_entry(p, struct nsm_mount,
							     mnt_slave);
				list_del_init(&slave_mnt->mnt_slave);
				slave_mnt->mnt_master = NULL;
			}
			return 0;
		}
	} else {
		struct nsm_mount *m;
		/*
		 * Become the slave of a peer with the same root dentry if
		 * there is one, else of any peer.
		 */
		for (m = master = next_peer(mnt); m != mnt; m = next_peer(m)) {
			if (m->mnt_root == mnt->mnt_root) {
				master = m;
				break;
			}
		}
		list_del_init(&mnt->mnt_share);
		mnt->mnt_group_id = 0;
		NSM_CLEAR_MNT_SHARED(mnt);
	}
	list_for_each_entry(slave_mnt, &mnt->mnt_slave_list, mnt_slave)
		slave_mnt->mnt_master = master;
	list_move(&mnt->mnt_slave, &master->mnt_slave_list);
	list_splice(&mnt->mnt_slave_list, master->mnt_slave_list.prev);
	INIT_LIST_HEAD(&mnt->mnt_slave_list);
	mnt->mnt_master = master;
	return 0;
}

/**
 * nsm_change_mnt_propagation - make one mount shared, slave, private or
 * unbindable
 * @mnt: the mount
 * @type: MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE
 *
 * models: change_mnt_propagation(), the transitions of the state table
 * in sharedsubtree.rst section 5a.  A shared mount must already have a
 * group id (invent_group_ids()).
 */
void nsm_change_mnt_propagation(struct nsm_mount *mnt, int type)
{
	if (type == MS_SHARED) {
		nsm_set_mnt_shared(mnt);
		return;
	}
	do_make_slave(mnt);
	if (type != MS_SLAVE) {
		list_del_init(&mnt->mnt_slave);
		mnt->mnt_master = NULL;
		if (type == MS_UNBINDABLE)
			mnt->mnt_flags |= MNT_UNBINDABLE;
		else
			mnt->mnt_flags &= ~MNT_UNBINDABLE;
	}
}
EXPORT_SYMBOL_IF_KUNIT(nsm_change_mnt_propagation);

/*
 * models: propagation_next(): the next mount of the propagation tree of
 * @origin, peers and slaves in the kernel's order.  Peer groups form
 * contiguous runs of slave lists, which get_source() logic relies on.
 */
static struct nsm_mount *propagation_next(struct nsm_mount *m,
					  struct nsm_mount *origin)
{
	/* slaves of this mount first */
	if (!NSM_IS_MNT_NEW(m) && !list_empty(&m->mnt_slave_list))
		return first_slave(m);

	while (1) {
		struct nsm_mount *master = m->mnt_master;

		if (master == origin->mnt_master) {
			struct nsm_mount *next = next_peer(m);

			return (next == origin) ? NULL : next;
		} else if (m->mnt_slave.next != &master->mnt_slave_list) {
			return next_slave(m);
		}

		/* back at the master */
		m = master;
	}
}

/* models: skip_propagation_subtree() */
static struct nsm_mount *skip_propagation_subtree(struct nsm_mount *m,
						  struct nsm_mount *origin)
{
	/* so that propagation_next() will not return the slaves of m */
	if (!NSM_IS_MNT_NEW(m) && !list_empty(&m->mnt_slave_list))
		m = last_slave(m);

	return m;
}

/* models: next_group(): the first mount of the next slave peer group */
static struct nsm_mount *next_group(struct nsm_mount *m,
				    struct nsm_mount *origin)
{
	while (1) {
		while (1) {
			struct nsm_mount *next;

			if (!NSM_IS_MNT_NEW(m) && !list_empty(&m->mnt_slave_list))
				return first_slave(m);
			next = next_peer(m);
			if (m->mnt_group_id == origin->mnt_group_id) {
				if (next == origin)
					return NULL;
			} else if (m->mnt_slave.next != &next->mnt_slave) {
				break;
			}
			m = next;
		}
		/* m is the last peer */
		while (1) {
			struct nsm_mount *master = m->mnt_master;

			if (m->mnt_slave.next != &master->mnt_slave_list)
				return next_slave(m);
			m = next_peer(master);
			if (master->mnt_group_id == origin->mnt_group_id)
				break;
			if (master->mnt_slave.next == &m->mnt_slave)
				break;
			m = master;
		}
		if (m == origin)
			return NULL;
	}
}

/* propagate_mnt()'s state: static variables in the kernel */
struct nsm_propagation {
	struct nsm_mount *last_dest, *first_source, *last_source;
	struct nsm_mount *dest_master;
	struct nsm_dentry *mp;
	struct hlist_head *list;
};

/* models: peers() */
static inline bool peers(struct nsm_mount *m1, struct nsm_mount *m2)
{
	return m1->mnt_group_id == m2->mnt_group_id && m1->mnt_group_id;
}

/**
 * nsm_propagation_would_overmount - would @from's propagation cover @to?
 * @from: the mount a new mount goes on
 * @to: a mount that would receive a copy
 * @mp: the mountpoint on @from
 *
 * models: propagation_would_overmount() (6.5 and later, for
 * MOVE_MOUNT_BENEATH): a copy propagated from a shared @from to @to, a
 * peer of @from or a slave of one, lands on @to's root when that root is
 * @mp, and so covers @to.  Mounts of anonymous namespaces receive nothing.
 */
bool nsm_propagation_would_overmount(struct nsm_mount *from,
				     struct nsm_mount *to,
				     struct nsm_dentry *mp)
{
	struct nsm_mount *m;

	if (!NSM_IS_MNT_SHARED(from))
		return false;
	if (NSM_IS_MNT_NEW(to))
		return false;
	if (to->mnt_root != mp)
		return false;
	for (m = to; m; m = m->mnt_master)
		if (peers(from, m))
			return true;
	return false;
}

/*
 * models: propagate_one(): put a copy of the source tree on @m.  The copy
 * is made from the copy given to the nearest mount up the propagation
 * tree, so that it becomes that copy's peer (same peer group as the
 * destination) or its slave (a slave group), as masters and slaves of the
 * destination are.
 */
static int propagate_one(struct nsm_propagation *pg, struct nsm_mount *m)
{
	struct nsm_mount *child;
	int type;

	/* skip the ones this propagate_mnt() added */
	if (NSM_IS_MNT_NEW(m))
		return 0;
	/* skip it if it does not see the mountpoint */
	if (!nsm_is_subdir(pg->mp, m->mnt_root))
		return 0;
	if (peers(m, pg->last_dest)) {
		type = CL_MAKE_SHARED;
	} else {
		struct nsm_mount *n, *p;
		bool done;

		for (n = m; ; n = p) {
			p = n->mnt_master;
			if (p == pg->dest_master || NSM_IS_MNT_MARKED(p))
				break;
		}
		do {
			struct nsm_mount *parent = pg->last_source->mnt_parent;

			if (peers(pg->last_source, pg->first_source))
				break;
			done = parent->mnt_master == p;
			if (done && peers(n, parent))
				break;
			pg->last_source = pg->last_source->mnt_master;
		} while (!done);

		type = CL_SLAVE;
		/* the start of a peer group among the slaves? */
		if (NSM_IS_MNT_SHARED(m))
			type |= CL_MAKE_SHARED;
	}

	child = nsm_copy_tree(pg->last_source, pg->last_source->mnt_root, type);
	if (IS_ERR(child))
		return PTR_ERR(child);
	trace_nsm_propagate(m->world->id, pg->last_source->mnt_id, m->mnt_id,
			    child->mnt_id, type);
	nsm_mnt_set_mountpoint(m, pg->mp, child);
	if (m->mnt_master != pg->dest_master)
		NSM_SET_MNT_MARK(m->mnt_master);
	pg->last_dest = m;
	pg->last_source = child;
	hlist_add_head(&child->mnt_hash, pg->list);
	return nsm_count_mounts(m->mnt_ns, child);
}

/**
 * nsm_propagate_mnt - copy a new mount to every mount @dest_mnt propagates to
 * @dest_mnt: where @source_mnt is being mounted
 * @dest_mp: the mountpoint in it
 * @source_mnt: the new mount (tree)
 * @tree_list: receives the copies, linked by mnt_hash, each set on its
 *             mountpoint but not yet committed
 *
 * models: propagate_mnt(): every peer of @dest_mnt, then every slave peer
 * group in next_group() order.  Each copy is charged to its destination
 * namespace (count_mounts()), so ENOSPC can come from any of them.
 */
int nsm_propagate_mnt(struct nsm_mount *dest_mnt, struct nsm_dentry *dest_mp,
		      struct nsm_mount *source_mnt,
		      struct hlist_head *tree_list)
{
	struct nsm_propagation pg = {
		.last_dest = dest_mnt,
		.first_source = source_mnt,
		.last_source = source_mnt,
		.mp = dest_mp,
		.list = tree_list,
		.dest_master = dest_mnt->mnt_master,
	};
	struct nsm_mount *m, *n;
	int ret = 0;

	/*
	 * all peers of dest_mnt, except dest_mnt itself; a killed caller
	 * stops between two copies, and attach_recursive_mnt() unwinds
	 */
	for (n = next_peer(dest_mnt); n != dest_mnt; n = next_peer(n)) {
		ret = nsm_resched_killable() ?: propagate_one(&pg, n);
		if (ret)
			goto out;
	}

	/* all slave groups */
	for (m = next_group(dest_mnt, dest_mnt); m;
	     m = next_group(m, dest_mnt)) {
		/* everything in that slave group */
		n = m;
		do {
			ret = nsm_resched_killable() ?: propagate_one(&pg, n);
			if (ret)
				goto out;
			n = next_peer(n);
		} while (n != m);
	}
out:
	hlist_for_each_entry(n, tree_list, mnt_hash) {
		m = n->mnt_parent;
		if (m->mnt_master != dest_mnt->mnt_master)
			NSM_CLEAR_MNT_MARK(m->mnt_master);
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_propagate_mnt);

/* models: do_refcount_check(): more references than @count? */
static inline int do_refcount_check(struct nsm_mount *mnt, int count)
{
	return mnt->mnt_count > count;
}

/* models: receives_from() of 6.12: does @m get propagation from @parent? */
static bool receives_from(struct nsm_mount *m, struct nsm_mount *parent)
{
	if (m == parent)
		return false;
	for (; m; m = m->mnt_master)
		if (m == parent || peers(m, parent))
			return true;
	return false;
}

/*
 * models: next_candidate() of 6.12: if @m also receives from the victim's
 * parent, the mount at the victim's mountpoint in @m is the next umount
 * candidate of the chain.
 */
static struct nsm_mount *next_candidate(struct nsm_mount *m,
					struct nsm_mount *victim)
{
	if (!receives_from(m, victim->mnt_parent))
		return NULL;
	return nsm_lookup_mnt(m, victim->mnt_mountpoint);
}

/*
 * models: chain_busy() of 6.12: would the umount pull out a mount of the
 * chain of candidates starting at @c that has references beyond its own
 * (its tree's, and one per child going with it)?  A candidate stays if
 * it has a child outside the chain, or if the next candidate is not its
 * overmount while a candidate further down stays.
 */
static bool chain_busy(struct nsm_mount *c, struct nsm_mount *victim)
{
	struct nsm_mount *m, *n, *next, *deepest = NULL;
	bool above;

	/* the deepest candidate with a child outside the chain */
	for (m = c; m; m = next) {
		next = next_candidate(m, victim);
		list_for_each_entry(n, &m->mnt_mounts, mnt_child) {
			if (n != next && n != victim) {
				deepest = m;
				break;
			}
		}
	}

	above = deepest != NULL;
	for (m = c; m; m = next) {
		bool goes = true;
		int count = 1;

		next = next_candidate(m, victim);
		list_for_each_entry(n, &m->mnt_mounts, mnt_child) {
			if (n != next && n->mnt_mountpoint != m->mnt_root &&
			    n != victim) {
				goes = false;
				break;
			}
			count++;
		}
		if (goes && next && next->mnt_mountpoint != m->mnt_root &&
		    above && m != deepest)
			goes = false;
		if (m == deepest)
			above = false;
		if (goes && do_refcount_check(m, count))
			return true;
	}
	return false;
}

/* models: find_topper(): the one mount covering all of @mnt, if any */
static struct nsm_mount *find_topper(struct nsm_mount *mnt)
{
	struct nsm_mount *child;

	if (!list_is_singular(&mnt->mnt_mounts))
		return NULL;

	child = list_first_entry(&mnt->mnt_mounts, struct nsm_mount, mnt_child);
	if (child->mnt_mountpoint != mnt->mnt_root)
		return NULL;

	return child;
}

/**
 * nsm_propagate_mount_busy - would unmounting @mnt fail with EBUSY?
 * @mnt: the mount
 * @refcnt: the references it may have (its tree's and the caller's)
 *
 * models: propagate_mount_busy(): @mnt is busy if it has children or
 * extra references; so is a copy the umount would propagate to and pull
 * out.  6.1 looks at each copy alone (a childless one, or one with exactly
 * one mount covering it, which may hold one more reference); 6.12 and
 * later look at each chain of candidates stacked at the mountpoint
 * (chain_busy()), as the world's profile says (NSM_FEAT_UMOUNT_CHAIN_BUSY).
 */
int nsm_propagate_mount_busy(struct nsm_mount *mnt, int refcnt)
{
	struct nsm_mount *parent = mnt->mnt_parent;
	bool chain_busy_semantics = nsm_feat(mnt->world,
					     NSM_FEAT_UMOUNT_CHAIN_BUSY);
	struct nsm_mount *m, *child;

	if (mnt == parent)
		return do_refcount_check(mnt, refcnt);

	/* the cheap test on mnt itself first */
	if (!list_empty(&mnt->mnt_mounts) || do_refcount_check(mnt, refcnt))
		return 1;

	for (m = propagation_next(parent, parent); m;
	     m = propagation_next(m, parent)) {
		struct nsm_dentry *mp = mnt->mnt_mountpoint;
		struct nsm_mount *topper;
		int count = 1;

		child = nsm_lookup_mnt(m, mp);
		if (!child)
			continue;
		if (chain_busy_semantics) {
			/* each chain once, from its top */
			if (nsm_mnt_has_parent(m) && m->mnt_mountpoint == mp &&
			    receives_from(m->mnt_parent, parent))
				continue;
			if (chain_busy(child, mnt))
				return 1;
			continue;
		}

		/* one mount covering the child entirely may pin it */
		topper = find_topper(child);
		if (topper)
			count += 1;
		else if (!list_empty(&child->mnt_mounts))
			continue;

		if (do_refcount_check(child, count))
			return 1;
	}
	return 0;
}

/**
 * nsm_propagate_mount_unlock - unlock the copies of @mnt being unmounted
 * @mnt: the mount being unmounted
 *
 * models: propagate_mount_unlock(): when a mount goes, its locked copies
 * elsewhere may go with it - they hide nothing the original does not.
 */
void nsm_propagate_mount_unlock(struct nsm_mount *mnt)
{
	struct nsm_mount *parent = mnt->mnt_parent;
	struct nsm_mount *m, *child;

	if (WARN_ON_ONCE(parent == mnt))
		return;

	for (m = propagation_next(parent, parent); m;
	     m = propagation_next(m, parent)) {
		child = nsm_lookup_mnt(m, mnt->mnt_mountpoint);
		if (child)
			child->mnt_flags &= ~MNT_LOCKED;
	}
}

/* models: umount_one() */
static void umount_one(struct nsm_mount *mnt, struct list_head *to_umount)
{
	NSM_CLEAR_MNT_MARK(mnt);
	mnt->mnt_flags |= MNT_UMOUNT;
	list_del_init(&mnt->mnt_child);
	list_del_init(&mnt->mnt_umounting);
	list_move_tail(&mnt->mnt_list, to_umount);
}

/* models: __propagate_umount() */
static bool __propagate_umount(struct nsm_mount *mnt,
			       struct list_head *to_umount,
			       struct list_head *to_restore)
{
	bool progress = false;
	struct nsm_mount *child;

	/* nothing changes if it is already gone or known childless */
	if (mnt->mnt_flags & (MNT_UMOUNT | MNT_MARKED))
		goto out;

	/* is a topper the only child not speculatively unmounted? */
	list_for_each_entry(child, &mnt->mnt_mounts, mnt_child) {
		if (child->mnt_mountpoint == mnt->mnt_root)
			continue;
		if (!list_empty(&child->mnt_umounting) &&
		    NSM_IS_MNT_MARKED(child))
			continue;
		/* found a mounted child */
		goto children;
	}

	/* mark it as one that can go unless locked */
	NSM_SET_MNT_MARK(mnt);
	progress = true;

	/* childless and not locked: unmount it */
	if (!NSM_IS_MNT_LOCKED(mnt)) {
		umount_one(mnt, to_umount);
	} else {
children:
		list_move_tail(&mnt->mnt_umounting, to_restore);
	}
out:
	return progress;
}

/* models: umount_list() */
static void umount_list(struct list_head *to_umount,
			struct list_head *to_restore)
{
	struct nsm_mount *mnt, *child, *tmp;

	list_for_each_entry(mnt, to_umount, mnt_list) {
		cond_resched();
		list_for_each_entry_safe(child, tmp, &mnt->mnt_mounts,
					 mnt_child) {
			/* topper? */
			if (child->mnt_mountpoint == mnt->mnt_root)
				list_move_tail(&child->mnt_umounting,
					       to_restore);
			else
				umount_one(child, to_umount);
		}
	}
}

/* models: restore_mounts() */
static void restore_mounts(struct list_head *to_restore)
{
	/* put the survivors back in a clean state */
	while (!list_empty(to_restore)) {
		struct nsm_mount *mnt, *parent;
		struct nsm_dentry *mp;

		mnt = list_first_entry(to_restore, struct nsm_mount,
				       mnt_umounting);
		NSM_CLEAR_MNT_MARK(mnt);
		list_del_init(&mnt->mnt_umounting);

		/* reparent it above what is being unmounted */
		mp = mnt->mnt_mp;
		parent = mnt->mnt_parent;
		while (parent->mnt_flags & MNT_UMOUNT) {
			mp = parent->mnt_mp;
			parent = parent->mnt_parent;
		}
		if (parent != mnt->mnt_parent)
			nsm_mnt_change_mountpoint(parent, mp, mnt);
		cond_resched();
	}
}

/* models: cleanup_umount_visitations() */
static void cleanup_umount_visitations(struct list_head *visited)
{
	while (!list_empty(visited)) {
		struct nsm_mount *mnt =
			list_first_entry(visited, struct nsm_mount,
					 mnt_umounting);
		list_del_init(&mnt->mnt_umounting);
	}
}

/**
 * nsm_propagate_umount - add to @list the copies the umount propagates to
 * @list: the mounts being unmounted, linked by mnt_list
 *
 * models: propagate_umount() of 6.1: for each mount on @list, the mount
 * at the same mountpoint under every mount its parent propagates to goes
 * too, if it has no children of its own (a topper is moved down instead)
 * and is not locked.
 */
int nsm_propagate_umount(struct list_head *list)
{
	struct nsm_mount *mnt;
	LIST_HEAD(to_restore);
	LIST_HEAD(to_umount);
	LIST_HEAD(visited);

	/* find the candidates */
	list_for_each_entry_reverse(mnt, list, mnt_list) {
		struct nsm_mount *parent = mnt->mnt_parent;
		struct nsm_mount *m;

		/* its peer group and their slaves were visited already */
		if (!list_empty(&mnt->mnt_umounting))
			continue;

		list_add_tail(&mnt->mnt_umounting, &visited);
		for (m = propagation_next(parent, parent); m;
		     m = propagation_next(m, parent)) {
			struct nsm_mount *child =
				nsm_lookup_mnt(m, mnt->mnt_mountpoint);

			if (!child)
				continue;

			if (!list_empty(&child->mnt_umounting)) {
				/* this subtree of the propagation tree was
				 * visited already
				 */
				m = skip_propagation_subtree(m, parent);
				continue;
			} else if (child->mnt_flags & MNT_UMOUNT) {
				/* partly unmounted and not yet visited */
				list_add_tail(&child->mnt_umounting, &visited);
				continue;
			}

			/* an umount cannot fail: it only yields */
			cond_resched();
			/* check the child and its parents while that helps */
			while (__propagate_umount(child, &to_umount,
						  &to_restore)) {
				/* is the parent a candidate? */
				child = child->mnt_parent;
				if (list_empty(&child->mnt_umounting))
					break;
			}
		}
	}

	umount_list(&to_umount, &to_restore);
	restore_mounts(&to_restore);
	cleanup_umount_visitations(&visited);
	list_splice_tail(&to_umount, list);

	return 0;
}
