// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: mounts and mount namespaces, after fs/namespace.c.
 *
 * The functions here carry the names of the kernel functions they model
 * (with the nsm_ prefix) and do the same things in the same order: a
 * reader should be able to put this file next to fs/namespace.c of 6.1
 * and follow both at once.
 *
 * What the model leaves out, on purpose:
 *  - struct mountpoint: the dentry stands for it and counts its users
 *    itself (the mount hash is modelled: see nsm_m_hash());
 *  - RCU, the seqlock, namespace_sem: world->lock serialises everything,
 *    and cleanup_mnt() runs at once instead of from task work;
 *  - symlinks, devices, file data: a dentry is a directory or an empty
 *    regular file (touch, unlink, rmdir in dcache.c), and an unlinked
 *    dentry is kept until its superblock dies instead of being refcounted;
 *  - filesystems other than a tmpfs-like one, and of the fs_context API
 *    more than the parameters (the generic flags of vfs_parse_sb_flag()
 *    and shmem's table: size, nr_blocks, nr_inodes, mode, uid, gid,
 *    huge, mpol=default only, inode32, inode64, 6.12's noswap; no quota
 *    options, as Debian builds 6.12 without CONFIG_TMPFS_QUOTA; anything
 *    else is EINVAL), shared by mount(2)'s data and fsconfig() (the fs
 *    context fds are fsopen.c's), and fsconfig()'s binary, path and fd
 *    values;
 *  - automount expiry lists, idmapped mounts (MOUNT_ATTR_IDMAP is
 *    checked and then refused with EINVAL: no filesystem of the model
 *    can be idmapped),
 *    security hooks (security_sb_pivotroot() included), fsnotify, the
 *    poll on mountinfo;
 *  - MNT_FORCE is accepted and permission-checked but umount_begin()
 *    does nothing: there is nothing to abort;
 *  - writers: nothing is ever open for writing, so making a mount or a
 *    superblock read-only (mnt_make_readonly(), the read-only side of
 *    reconfigure_super()) never fails with EBUSY; the per-mount flags
 *    (nosuid, nodev, noexec, the atime ones, nosymfollow) are kept,
 *    locked, checked and shown as the kernel does, but no file is there
 *    for them to act on;
 *  - UMOUNT_NOFOLLOW is accepted and does nothing: without symlinks
 *    there is no trailing one not to follow.  The rest of umount2()'s
 *    lookup is modelled: LOOKUP_MOUNTPOINT steps onto the mounts stacked
 *    on the last component, so "umount ." and "umount /" take off the
 *    mount on top of the cwd or root (NSM_LOOKUP_MOUNTPOINT).
 *
 * The world's initial mount namespace, as its other initial namespaces,
 * lives as long as the world (world->init_nsproxy), as init_nsproxy keeps
 * the kernel's: its mounts stay, and stay masters and peers of their
 * copies, after the last task has left it.
 *
 * Where kernel versions behave differently, the code follows the world's
 * profile (profile.c, nsm_feat()): the mountinfo order, lock_mount() on a
 * detached tree, the order umount_tree() gathers mounts in, the second
 * pass's skip, the fs_struct mntns_install() checks, tmpfs's options,
 * move_mount()'s MOVE_MOUNT_BENEATH and 6.18's private copy of an
 * unbindable mount (each a feature of the world's profile, profile.c).
 * The model keeps 6.1's propagate_umount() on all of them (6.12.y has a
 * rewritten one that agrees on every scenario tried).
 *
 * Namespace files bound onto files (nsfs.c) are mounts of the world's
 * nsfs superblock: mnt_ns_loop() guards their binding, copy_tree() leaves
 * mount namespace files out unless CL_COPY_MNT_NS_FILE (bind -r), so
 * copy_mnt_ns() and propagation never copy one, and copy_mnt_ns()'s
 * second pass steps over the originals it finds uncopied.
 *
 * Reference counts follow the kernel's, because they are what makes a
 * mount busy: a mount starts with one reference (the one its tree holds,
 * dropped by namespace_unlock() after it is unmounted), every child holds
 * one on its parent, and every path (a task's root or cwd, a lookup in
 * progress) holds one on its mount.  umount without MNT_DETACH refuses a
 * mount with more than "tree + the caller's lookup" references.
 */
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/capability.h>
#include <linux/ptrace.h>
#include <linux/log2.h>
#include <linux/ctype.h>
#include <linux/mm.h>
#include <uapi/linux/mount.h>
#include <kunit/visibility.h>

#include "nsmodel.h"
#include "mount.h"
#define CREATE_TRACE_POINTS
#include "trace.h"

/* models: mnt_ns_seq */
static atomic64_t nsm_mnt_ns_seq = ATOMIC64_INIT(1);

static inline struct nsm_mnt_namespace *to_mnt_ns(struct nsm_ns_common *ns)
{
	return container_of(ns, struct nsm_mnt_namespace, ns);
}

/* ---- ids ---- */

/* models: mnt_alloc_id(): lowest free id, from 0, as ida_alloc() */
static int nsm_mnt_alloc_id(struct nsm_mount *mnt)
{
	int res;

	if (nsm_should_fail(mnt->world))
		return -ENOMEM;
	res = ida_alloc(&mnt->world->mnt_ids, GFP_KERNEL_ACCOUNT);
	if (res < 0)
		return res;
	mnt->mnt_id = res;
	/*
	 * models: 6.12's mnt_id_ctr.  The kernel's counter is global; the
	 * model's only orders one world's listings, so it is the world's
	 * (under its lock): no module-wide cache line per mount.
	 */
	mnt->mnt_id_unique = ++mnt->world->mnt_id_ctr;
	return 0;
}

static void nsm_mnt_free_id(struct nsm_mount *mnt)
{
	ida_free(&mnt->world->mnt_ids, mnt->mnt_id);
}

/* models: mnt_alloc_group_id(): lowest free peer group id, from 1 */
static int nsm_mnt_alloc_group_id(struct nsm_mount *mnt)
{
	int res;

	if (nsm_should_fail(mnt->world))
		return -ENOMEM;
	res = ida_alloc_min(&mnt->world->group_ids, 1, GFP_KERNEL_ACCOUNT);
	if (res < 0)
		return res;
	mnt->mnt_group_id = res;
	return 0;
}

/* models: mnt_release_group_id() */
void nsm_mnt_release_group_id(struct nsm_mount *mnt)
{
	ida_free(&mnt->world->group_ids, mnt->mnt_group_id);
	mnt->mnt_group_id = 0;
}

/* ---- allocation and freeing ---- */

/*
 * Mounts come from a cache of their own, as the kernel's mnt_cache: a
 * struct nsm_mount from kmalloc() would take a 512-byte object.  The cache
 * is not hardware-cache aligned (the kernel's is): the model has no
 * per-cpu writers to keep apart, and the objects pack tighter.
 */
static struct kmem_cache *nsm_mnt_cache __ro_after_init;

int __init nsm_mnt_cache_init(void)
{
	nsm_mnt_cache = kmem_cache_create("nsm_mount", sizeof(struct nsm_mount),
					  0, SLAB_ACCOUNT, NULL);
	return nsm_mnt_cache ? 0 : -ENOMEM;
}

void nsm_mnt_cache_exit(void)
{
	kmem_cache_destroy(nsm_mnt_cache);
}

/*
 * The device name of a mount.  The kernel gives every mount, copies
 * included, its own copy of the string; the model's copies share their
 * original's (the string never changes), with a count of the mounts that
 * show it, so that copying a mount allocates only the mount.  Protected by
 * the world lock, as the mounts are.
 */
struct nsm_devname {
	unsigned int count;
	char name[];
};

static size_t nsm_devname_size(const char *name)
{
	return offsetof(struct nsm_devname, name) + strlen(name) + 1;
}

static const char *nsm_devname_new(struct nsm_world *w, const char *name)
{
	size_t size = nsm_devname_size(name);
	struct nsm_devname *d = nsm_alloc(w, NSM_OBJ_OTHER, size);

	if (!d)
		return NULL;
	d->count = 1;
	memcpy(d->name, name, size - offsetof(struct nsm_devname, name));
	return d->name;
}

static const char *nsm_devname_get(const char *name)
{
	container_of(name, struct nsm_devname, name[0])->count++;
	return name;
}

static void nsm_devname_put(struct nsm_world *w, const char *name)
{
	struct nsm_devname *d;

	if (!name)
		return;
	d = container_of(name, struct nsm_devname, name[0]);
	if (--d->count)
		return;
	nsm_free(w, NSM_OBJ_OTHER, d, nsm_devname_size(name));
}

/*
 * models: alloc_vfsmnt(): a new mount showing the device name @name, a
 * new string unless @share_name (then @name is another mount's, shared).
 */
static struct nsm_mount *nsm_alloc_vfsmnt(struct nsm_world *w,
					  const char *name, bool share_name)
{
	struct nsm_mount *mnt;

	mnt = nsm_cache_alloc(w, NSM_OBJ_MOUNT, nsm_mnt_cache);
	if (!mnt)
		return NULL;
	mnt->world = w;
	if (nsm_mnt_alloc_id(mnt))
		goto out_free_cache;
	if (name) {
		mnt->mnt_devname = share_name ? nsm_devname_get(name) :
						nsm_devname_new(w, name);
		if (!mnt->mnt_devname)
			goto out_free_id;
	}
	mnt->mnt_count = 1;
	INIT_HLIST_NODE(&mnt->mnt_hash);
	INIT_LIST_HEAD(&mnt->mnt_child);
	INIT_LIST_HEAD(&mnt->mnt_mounts);
	INIT_LIST_HEAD(&mnt->mnt_list);
	INIT_LIST_HEAD(&mnt->mnt_expire);
	INIT_LIST_HEAD(&mnt->mnt_share);
	INIT_LIST_HEAD(&mnt->mnt_slave_list);
	INIT_LIST_HEAD(&mnt->mnt_slave);
	INIT_LIST_HEAD(&mnt->mnt_instance);
	INIT_HLIST_NODE(&mnt->mnt_umount);
	INIT_LIST_HEAD(&mnt->mnt_umounting);
	return mnt;

out_free_id:
	nsm_mnt_free_id(mnt);
out_free_cache:
	nsm_cache_free(w, NSM_OBJ_MOUNT, nsm_mnt_cache, mnt);
	return NULL;
}

/* models: free_vfsmnt() */
static void nsm_free_vfsmnt(struct nsm_mount *mnt)
{
	struct nsm_world *w = mnt->world;

	nsm_devname_put(w, mnt->mnt_devname);
	nsm_cache_free(w, NSM_OBJ_MOUNT, nsm_mnt_cache, mnt);
}

/* ---- the mount tree ---- */

/*
 * The mount hash.  models: mount_hashtable and m_hash(): one chain per
 * hash of (parent mount, mountpoint dentry), newest first.  The kernel
 * sizes its table once at boot for the whole machine; a world starts with
 * a small inline table and doubles it when the chains grow past two
 * mounts on average, so that a world of 100,000 mounts stays as cheap to
 * search as a small one.  A failed growth only keeps the smaller table:
 * growth is never an error, and it does not count as a fault-injection
 * site.  The grown table is accounted in the world's bytes and given
 * back when the world shrinks again.
 */
static struct hlist_head *nsm_m_hash(struct nsm_world *w,
				     const struct nsm_mount *mnt,
				     const struct nsm_dentry *dentry)
{
	unsigned long key = (unsigned long)mnt ^ ((unsigned long)dentry >> 4);

	return &w->mount_hashtable[hash_long(key, w->mount_hash_bits)];
}

void nsm_mount_hash_init(struct nsm_world *w)
{
	unsigned int i;

	w->mount_hash_bits = NSM_MOUNT_HASH_MIN_BITS;
	w->mount_hashtable = w->mount_hash_inline;
	for (i = 0; i < ARRAY_SIZE(w->mount_hash_inline); i++)
		INIT_HLIST_HEAD(&w->mount_hash_inline[i]);
}

static void nsm_mount_hash_free(struct nsm_world *w, struct hlist_head *t,
				unsigned int bits)
{
	if (t == w->mount_hash_inline)
		return;
	nsm_account(w, NSM_OBJ_OTHER, 0, -(long)(sizeof(*t) << bits));
	kvfree(t);
}

void nsm_mount_hash_destroy(struct nsm_world *w)
{
	WARN_ON_ONCE(w->mount_hash_count);
	nsm_mount_hash_free(w, w->mount_hashtable, w->mount_hash_bits);
	w->mount_hashtable = w->mount_hash_inline;
}

/*
 * Move every chain into a table of 2^@bits buckets.  Mounts with the same
 * key stay in the same order (newest first), which is what lookups and
 * stacked mounts depend on: each old chain is walked head to tail and
 * appended behind the last entry it put into each new chain.
 */
static void nsm_mount_hash_resize(struct nsm_world *w, unsigned int bits)
{
	unsigned int old_bits = w->mount_hash_bits, i;
	struct hlist_head *old = w->mount_hashtable, *new;
	size_t size = sizeof(*new) << bits;

	if (bits == NSM_MOUNT_HASH_MIN_BITS) {
		new = w->mount_hash_inline;
	} else {
		new = kvmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!new)
			return;
		nsm_account(w, NSM_OBJ_OTHER, 0, size);
	}
	for (i = 0; i < (1U << bits); i++)
		INIT_HLIST_HEAD(&new[i]);
	w->mount_hashtable = new;
	w->mount_hash_bits = bits;
	for (i = 0; i < (1U << old_bits); i++) {
		struct nsm_mount *m;
		struct hlist_node *n;

		hlist_for_each_entry_safe(m, n, &old[i], mnt_hash) {
			struct hlist_head *head;
			struct nsm_mount *last = NULL, *p;

			hlist_del(&m->mnt_hash);
			head = nsm_m_hash(w, m->mnt_parent, m->mnt_mountpoint);
			hlist_for_each_entry(p, head, mnt_hash)
				last = p;
			if (last)
				hlist_add_behind(&m->mnt_hash, &last->mnt_hash);
			else
				hlist_add_head(&m->mnt_hash, head);
		}
	}
	nsm_mount_hash_free(w, old, old_bits);
}

/* Hash @mnt, attached on its mountpoint, in front of its equals. */
static void nsm_mount_hash_add(struct nsm_mount *mnt)
{
	struct nsm_world *w = mnt->world;

	if (++w->mount_hash_count > (2U << w->mount_hash_bits) &&
	    w->mount_hash_bits < NSM_MOUNT_HASH_MAX_BITS)
		nsm_mount_hash_resize(w, w->mount_hash_bits + 1);
	hlist_add_head(&mnt->mnt_hash,
		       nsm_m_hash(w, mnt->mnt_parent, mnt->mnt_mountpoint));
	mnt->mnt_hashed = true;
}

/*
 * Unlink @mnt's mnt_hash: from the mount hash, or from the tree_list of
 * propagation copies it may sit on instead (as in the kernel, unhashing a
 * mount also takes it off that list).
 */
static void nsm_mount_hash_del(struct nsm_mount *mnt)
{
	struct nsm_world *w = mnt->world;

	hlist_del_init(&mnt->mnt_hash);
	if (!mnt->mnt_hashed)
		return;
	mnt->mnt_hashed = false;
	w->mount_hash_count--;
	/*
	 * Shrink as soon as the smaller table would not grow again: the size
	 * is then a function of the count, so a failed call that hashed and
	 * unhashed mounts leaves the world's bytes as they were (the price:
	 * a rehash each time the count crosses a power of two)
	 */
	if (w->mount_hash_bits > NSM_MOUNT_HASH_MIN_BITS &&
	    w->mount_hash_count <= (2U << (w->mount_hash_bits - 1)))
		nsm_mount_hash_resize(w, w->mount_hash_bits - 1);
}

/**
 * nsm_lookup_mnt - the mount attached on @dentry of @mnt, if any
 * @mnt: the parent mount
 * @dentry: the mountpoint within it
 *
 * models: __lookup_mnt(): the most recently attached such mount first, as
 * the kernel's hash chain returns it.  Mounts that are set on a mountpoint
 * but not yet committed (propagation copies in flight) are not found.
 */
struct nsm_mount *nsm_lookup_mnt(struct nsm_mount *mnt,
				 struct nsm_dentry *dentry)
{
	struct nsm_mount *p;

	hlist_for_each_entry(p, nsm_m_hash(mnt->world, mnt, dentry), mnt_hash)
		if (p->mnt_parent == mnt && p->mnt_mountpoint == dentry)
			return p;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_lookup_mnt);

/* models: get_mountpoint() - the dentry is the model's struct mountpoint */
static struct nsm_dentry *nsm_get_mountpoint(struct nsm_dentry *dentry)
{
	dentry->d_mounted++;
	return dentry;
}

/* models: put_mountpoint() */
static void nsm_put_mountpoint(struct nsm_dentry *mp)
{
	if (mp) {
		WARN_ON_ONCE(!mp->d_mounted);
		mp->d_mounted--;
	}
}

/* models: check_mnt(): is @mnt in the task's own mount namespace? */
bool nsm_check_mnt(struct nsm_task *task, struct nsm_mount *mnt)
{
	return mnt->mnt_ns == task->nsproxy->mnt_ns;
}

/* models: touch_mnt_namespace() */
void nsm_touch_mnt_namespace(struct nsm_mnt_namespace *ns)
{
	if (ns)
		ns->event = ++ns->ns.world->event;
}

/* models: __touch_mnt_namespace() */
static void __nsm_touch_mnt_namespace(struct nsm_mnt_namespace *ns)
{
	if (ns && ns->event != ns->ns.world->event)
		ns->event = ns->ns.world->event;
}

/* models: unhash_mnt() */
static struct nsm_dentry *nsm_unhash_mnt(struct nsm_mount *mnt)
{
	struct nsm_dentry *mp;

	mnt->mnt_parent = mnt;
	mnt->mnt_mountpoint = mnt->mnt_root;
	list_del_init(&mnt->mnt_child);
	nsm_mount_hash_del(mnt);
	mp = mnt->mnt_mp;
	mnt->mnt_mp = NULL;
	return mp;
}

/* models: umount_mnt() */
static void nsm_umount_mnt(struct nsm_mount *mnt)
{
	nsm_put_mountpoint(nsm_unhash_mnt(mnt));
}

/**
 * nsm_mnt_set_mountpoint - make @child_mnt a child of @mnt at @mp
 * @mnt: the parent
 * @mp: the mountpoint dentry in @mnt
 * @child_mnt: the child, not yet visible to lookups
 *
 * models: mnt_set_mountpoint(); the child's reference on its parent is
 * taken here.
 */
void nsm_mnt_set_mountpoint(struct nsm_mount *mnt, struct nsm_dentry *mp,
			    struct nsm_mount *child_mnt)
{
	mp->d_mounted++;
	mnt->mnt_count++;
	child_mnt->mnt_mountpoint = mp;
	child_mnt->mnt_parent = mnt;
	child_mnt->mnt_mp = mp;
}

/* models: __attach_mnt(): make the mount visible to lookups */
static void __nsm_attach_mnt(struct nsm_mount *mnt, struct nsm_mount *parent)
{
	nsm_mount_hash_add(mnt);
	list_add_tail(&mnt->mnt_child, &parent->mnt_mounts);
}

/* models: attach_mnt() */
static void nsm_attach_mnt(struct nsm_mount *mnt, struct nsm_mount *parent,
			   struct nsm_dentry *mp)
{
	nsm_mnt_set_mountpoint(parent, mp, mnt);
	__nsm_attach_mnt(mnt, parent);
}

/**
 * nsm_mnt_change_mountpoint - move @mnt onto @mp of @parent
 * @parent: the new parent
 * @mp: the new mountpoint
 * @mnt: the mount to move
 *
 * models: mnt_change_mountpoint(), used to tuck a mount under a new
 * propagated one and to reparent mounts restored by umount propagation.
 */
void nsm_mnt_change_mountpoint(struct nsm_mount *parent,
			       struct nsm_dentry *mp, struct nsm_mount *mnt)
{
	struct nsm_dentry *old_mp = mnt->mnt_mp;
	struct nsm_mount *old_parent = mnt->mnt_parent;

	list_del_init(&mnt->mnt_child);
	nsm_mount_hash_del(mnt);

	nsm_attach_mnt(mnt, parent, mp);

	nsm_put_mountpoint(old_mp);
	old_parent->mnt_count--;
}

/*
 * models: mnt_set_mountpoint_beneath() (6.5 and later): @new_parent
 * takes the place of @top_mnt on its parent, and @top_mnt goes onto
 * @new_mp, the root of @new_parent.
 */
static void nsm_mnt_set_mountpoint_beneath(struct nsm_mount *new_parent,
					   struct nsm_mount *top_mnt,
					   struct nsm_dentry *new_mp)
{
	nsm_mnt_set_mountpoint(top_mnt->mnt_parent, top_mnt->mnt_mp,
			       new_parent);
	nsm_mnt_change_mountpoint(new_parent, new_mp, top_mnt);
}

/*
 * models: commit_tree(): the tree of @mnt (the mount and every mount on
 * its mnt_list) joins the parent's namespace, at the end of its list, and
 * the mounts reserved by count_mounts() become counted ones.
 */
static void nsm_commit_tree(struct nsm_mount *mnt)
{
	struct nsm_mount *parent = mnt->mnt_parent;
	struct nsm_mnt_namespace *n = parent->mnt_ns;
	struct nsm_mount *m;
	LIST_HEAD(head);

	WARN_ON_ONCE(parent == mnt);

	list_add_tail(&head, &mnt->mnt_list);
	list_for_each_entry(m, &head, mnt_list) {
		m->mnt_ns = n;
		trace_nsm_mount(mnt->world->id, m->mnt_id,
				m->mnt_parent->mnt_id, n->ns.inum,
				m->mnt_flags);
	}

	list_splice(&head, n->list.prev);

	n->mounts += n->pending_mounts;
	n->pending_mounts = 0;

	__nsm_attach_mnt(mnt, parent);
	nsm_touch_mnt_namespace(n);
}

/**
 * nsm_next_mnt - the next mount of the tree under @root, depth first
 * @p: the current mount
 * @root: the root of the walk
 *
 * models: next_mnt()
 */
struct nsm_mount *nsm_next_mnt(struct nsm_mount *p, struct nsm_mount *root)
{
	struct list_head *next = p->mnt_mounts.next;

	if (next == &p->mnt_mounts) {
		while (1) {
			if (p == root)
				return NULL;
			next = p->mnt_child.next;
			if (next != &p->mnt_parent->mnt_mounts)
				break;
			p = p->mnt_parent;
		}
	}
	return list_entry(next, struct nsm_mount, mnt_child);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_next_mnt);

/**
 * nsm_skip_mnt_tree - the last mount of the subtree of @p in walk order
 * @p: the subtree's root
 *
 * models: skip_mnt_tree(); next_mnt() of the result leaves the subtree.
 */
struct nsm_mount *nsm_skip_mnt_tree(struct nsm_mount *p)
{
	struct list_head *prev = p->mnt_mounts.prev;

	while (prev != &p->mnt_mounts) {
		p = list_entry(prev, struct nsm_mount, mnt_child);
		prev = p->mnt_mounts.prev;
	}
	return p;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_skip_mnt_tree);

/*
 * models: clone_mnt(): a new mount of the same superblock showing @root,
 * not attached anywhere; @flag (CL_*) says how it joins the propagation
 * of @old: as a peer, as a slave of it, or private.
 */
static struct nsm_mount *nsm_clone_mnt(struct nsm_mount *old,
				       struct nsm_dentry *root, int flag)
{
	struct nsm_super_block *sb = old->mnt_sb;
	struct nsm_mount *mnt;
	int err;

	mnt = nsm_alloc_vfsmnt(old->world, old->mnt_devname, true);
	if (!mnt)
		return ERR_PTR(-ENOMEM);

	if (flag & (CL_SLAVE | CL_PRIVATE | CL_SHARED_TO_SLAVE))
		mnt->mnt_group_id = 0; /* not a peer of the original */
	else
		mnt->mnt_group_id = old->mnt_group_id;

	if ((flag & CL_MAKE_SHARED) && !mnt->mnt_group_id) {
		err = nsm_mnt_alloc_group_id(mnt);
		if (err)
			goto out_free;
	}

	mnt->mnt_flags = old->mnt_flags;
	mnt->mnt_flags &= ~(MNT_WRITE_HOLD | MNT_MARKED | MNT_INTERNAL |
			    MNT_UMOUNT);
	/*
	 * 6.18 keeps "unbindable" with the propagation state, which a clone
	 * does not inherit: copy_mnt_ns()'s copy of one comes out private.
	 */
	if (nsm_feat(old->world, NSM_FEAT_CLONE_DROPS_UNBINDABLE))
		mnt->mnt_flags &= ~MNT_UNBINDABLE;

	sb->s_active++;
	mnt->mnt_sb = sb;
	mnt->mnt_root = root;
	mnt->mnt_mountpoint = mnt->mnt_root;
	mnt->mnt_parent = mnt;
	list_add_tail(&mnt->mnt_instance, &sb->s_mounts);
	/* dget(root): a namespace file lives while a mount shows it */
	if (root->d_ns)
		root->d_count++;

	if ((flag & CL_SLAVE) ||
	    ((flag & CL_SHARED_TO_SLAVE) && NSM_IS_MNT_SHARED(old))) {
		list_add(&mnt->mnt_slave, &old->mnt_slave_list);
		mnt->mnt_master = old;
		NSM_CLEAR_MNT_SHARED(mnt);
	} else if (!(flag & CL_PRIVATE)) {
		if ((flag & CL_MAKE_SHARED) || NSM_IS_MNT_SHARED(old))
			list_add(&mnt->mnt_share, &old->mnt_share);
		if (NSM_IS_MNT_SLAVE(old))
			list_add(&mnt->mnt_slave, &old->mnt_slave);
		mnt->mnt_master = old->mnt_master;
	} else {
		NSM_CLEAR_MNT_SHARED(mnt);
	}
	if (flag & CL_MAKE_SHARED)
		nsm_set_mnt_shared(mnt);

	/* the copy expires with the original, if that was on a list */
	if (flag & CL_EXPIRE) {
		if (!list_empty(&old->mnt_expire))
			list_add(&mnt->mnt_expire, &old->mnt_expire);
	}
	return mnt;

out_free:
	nsm_mnt_free_id(mnt);
	nsm_free_vfsmnt(mnt);
	return ERR_PTR(err);
}

/* models: cleanup_mnt(); children left stuck on it go on @doomed */
static bool nsm_mnt_drop(struct nsm_mount *mnt, struct hlist_head *doomed);

static void nsm_cleanup_mnt(struct nsm_mount *mnt, struct hlist_head *doomed)
{
	struct nsm_mount *p, *tmp;

	/*
	 * Children still connected to a dead mount (a lazy umount keeps
	 * locked ones connected) hold their own tree reference: drop it.
	 */
	list_for_each_entry_safe(p, tmp, &mnt->mnt_mounts, mnt_child) {
		nsm_put_mountpoint(nsm_unhash_mnt(p));
		nsm_mnt_drop(p, doomed);
	}
	if (mnt->mnt_root->d_ns)
		nsm_nsfs_dput(mnt->mnt_root);
	nsm_deactivate_super(mnt->mnt_sb);
	nsm_mnt_free_id(mnt);
	nsm_free_vfsmnt(mnt);
}

/*
 * models: the first half of mntput_no_expire(): drop one reference; a
 * mount still in a namespace never dies here, one outside does when its
 * last reference goes.  Returns true (and queues it on @doomed) then.
 */
static bool nsm_mnt_drop(struct nsm_mount *mnt, struct hlist_head *doomed)
{
	if (mnt->mnt_ns) {
		mnt->mnt_count--;
		return false;
	}
	mnt->mnt_count--;
	if (mnt->mnt_count) {
		WARN_ON(mnt->mnt_count < 0);
		return false;
	}
	if (mnt->mnt_flags & MNT_DOOMED)
		return false;
	mnt->mnt_flags |= MNT_DOOMED;
	list_del(&mnt->mnt_instance);
	hlist_add_head(&mnt->mnt_umount, doomed);
	return true;
}

/*
 * models: mntput_no_expire(); the kernel defers cleanup_mnt() to task
 * work, the model runs it here from a list so that a chain of dying
 * mounts never recurses.
 */
static void nsm_mntput_no_expire(struct nsm_mount *mnt)
{
	struct nsm_world *w = mnt->world;
	HLIST_HEAD(doomed);

	if (!nsm_mnt_drop(mnt, &doomed))
		return;
	while (!hlist_empty(&doomed)) {
		struct nsm_mount *m = hlist_entry(doomed.first,
						  struct nsm_mount, mnt_umount);

		hlist_del_init(&m->mnt_umount);
		nsm_cleanup_mnt(m, &doomed);
	}
	/* the namespaces that dead nsfs mounts pinned (nsfs_evict()) */
	nsm_nsfs_reap(w);
}

/* models: mntput() */
void nsm_mntput(struct nsm_mount *mnt)
{
	if (mnt) {
		mnt->mnt_expiry_mark = 0;
		nsm_mntput_no_expire(mnt);
	}
}

/* models: mntget() */
struct nsm_mount *nsm_mntget(struct nsm_mount *mnt)
{
	if (mnt)
		mnt->mnt_count++;
	return mnt;
}

/**
 * nsm_path_get - take a reference on a path
 * @path: the path
 *
 * models: path_get(); the mount's count goes up (dentries of the model
 * live as long as their superblock, which the mount pins).
 */
void nsm_path_get(const struct nsm_path *path)
{
	nsm_mntget(path->mnt);
}

/**
 * nsm_path_put - drop a reference on a path
 * @path: the path
 *
 * models: path_put(); the last reference on a mount already unmounted
 * (lazily detached, say) frees it.
 */
void nsm_path_put(const struct nsm_path *path)
{
	nsm_mntput(path->mnt);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_path_put);

/**
 * nsm_path_mnt_id - the mount id of a path, for views
 * @path: the path
 */
u32 nsm_path_mnt_id(const struct nsm_path *path)
{
	return path->mnt ? path->mnt->mnt_id : 0;
}

/*
 * models: namespace_unlock(): the mounts that umount_tree() disconnected
 * lose the reference their tree held on them, and die unless a path
 * still points into them.  The kernel frees each one from task_work
 * (cleanup_mnt()), and task_work_run() reschedules between them; this
 * loop does too, or freeing a tree of many thousand mounts stalls RCU
 * on a kernel without preemption (found by the soak's stress run).
 */
void nsm_namespace_unlock(struct nsm_world *w)
{
	while (!hlist_empty(&w->unmounted)) {
		struct nsm_mount *m = hlist_entry(w->unmounted.first,
						  struct nsm_mount, mnt_umount);

		hlist_del_init(&m->mnt_umount);
		nsm_mntput(m);
		cond_resched();
	}
}
EXPORT_SYMBOL_IF_KUNIT(nsm_namespace_unlock);

/* models: disconnect_mount() */
static bool nsm_disconnect_mount(struct nsm_mount *mnt,
				 enum nsm_umount_tree_flags how)
{
	/* only lazy umounts may leave mounts connected */
	if (how & NSM_UMOUNT_SYNC)
		return true;
	/* nothing to stay connected to */
	if (!nsm_mnt_has_parent(mnt))
		return true;
	/* unmounted mounts never stay connected to mounted ones */
	if (!(mnt->mnt_parent->mnt_flags & MNT_UMOUNT))
		return true;
	if (how & NSM_UMOUNT_CONNECTED)
		return false;
	/* a locked mount stays on what it hides */
	if (NSM_IS_MNT_LOCKED(mnt))
		return false;
	return true;
}

/**
 * nsm_umount_tree - unmount @mnt and everything below it
 * @mnt: the top of the tree
 * @how: NSM_UMOUNT_* as umount_tree_flags
 *
 * models: umount_tree(); with NSM_UMOUNT_PROPAGATE the copies that
 * propagation put on the parent's peers and slaves go too.  The mounts
 * leave their namespaces at once; the tree's references on them are
 * dropped by nsm_namespace_unlock().
 */
void nsm_umount_tree(struct nsm_mount *mnt, enum nsm_umount_tree_flags how)
{
	struct nsm_world *w = mnt->world;
	LIST_HEAD(tmp_list);
	struct nsm_mount *p;

	if (how & NSM_UMOUNT_PROPAGATE)
		nsm_propagate_mount_unlock(mnt);

	/* gather the mounts to umount */
	for (p = mnt; p; p = nsm_next_mnt(p, mnt)) {
		WARN_ON_ONCE(p->mnt_flags & MNT_UMOUNT);
		p->mnt_flags |= MNT_UMOUNT;
		if (nsm_feat(w, NSM_FEAT_MNT_RBTREE) && p->mnt_ns)
			list_move_tail(&p->mnt_list, &tmp_list);
		else
			list_move(&p->mnt_list, &tmp_list);
		cond_resched();
	}

	/* hide them from mnt_mounts */
	list_for_each_entry(p, &tmp_list, mnt_list)
		list_del_init(&p->mnt_child);

	/* add the propagated mounts */
	if (how & NSM_UMOUNT_PROPAGATE)
		nsm_propagate_umount(&tmp_list);

	while (!list_empty(&tmp_list)) {
		struct nsm_mnt_namespace *ns;
		bool disconnect;

		p = list_first_entry(&tmp_list, struct nsm_mount, mnt_list);
		list_del_init(&p->mnt_expire);
		list_del_init(&p->mnt_list);
		ns = p->mnt_ns;
		if (ns) {
			ns->mounts--;
			__nsm_touch_mnt_namespace(ns);
		}
		p->mnt_ns = NULL;
		if (how & NSM_UMOUNT_SYNC)
			p->mnt_flags |= MNT_SYNC_UMOUNT;

		disconnect = nsm_disconnect_mount(p, how);
		trace_nsm_umount(w->id, p->mnt_id, ns ? ns->ns.inum : 0, how,
				 disconnect);
		if (nsm_mnt_has_parent(p)) {
			p->mnt_parent->mnt_count--;
			if (!disconnect) {
				/* keep it on its parent */
				list_add_tail(&p->mnt_child,
					      &p->mnt_parent->mnt_mounts);
			} else {
				nsm_umount_mnt(p);
			}
		}
		nsm_change_mnt_propagation(p, MS_PRIVATE);
		if (disconnect)
			hlist_add_head(&p->mnt_umount, &w->unmounted);
		/* an umount cannot fail: it only yields */
		cond_resched();
	}
}
EXPORT_SYMBOL_IF_KUNIT(nsm_umount_tree);

/**
 * nsm_is_local_mountpoint - is @dentry a mountpoint in @task's namespace?
 * @task: the caller
 * @dentry: the dentry about to be unlinked or removed
 *
 * models: is_local_mountpoint(): unlink(2) and rmdir(2) refuse (EBUSY) a
 * dentry that something is mounted on in the caller's own mount
 * namespace; mounts on it in other namespaces do not stop them.
 */
bool nsm_is_local_mountpoint(struct nsm_task *task, struct nsm_dentry *dentry)
{
	struct nsm_mnt_namespace *ns = task->nsproxy->mnt_ns;
	struct nsm_mount *mnt;

	if (!dentry->d_mounted)
		return false;
	list_for_each_entry(mnt, &ns->list, mnt_list)
		if (mnt->mnt_mountpoint == dentry)
			return true;
	return false;
}

/*
 * The first mount whose mountpoint is @dentry, as the head of the kernel's
 * mp->m_list: the model keeps no such list, but such a mount is a child
 * of a mount of @dentry's superblock, and those are on sb->s_mounts.
 */
static struct nsm_mount *nsm_first_mount_on(struct nsm_dentry *dentry)
{
	struct nsm_mount *m, *child;

	list_for_each_entry(m, &dentry->d_sb->s_mounts, mnt_instance)
		list_for_each_entry(child, &m->mnt_mounts, mnt_child)
			if (child->mnt_mp == dentry)
				return child;
	return NULL;
}

/**
 * nsm_detach_mounts - unmount whatever is mounted on a removed dentry
 * @dentry: the dentry just unlinked or removed
 *
 * models: __detach_mounts(), which vfs_unlink() and vfs_rmdir() call once
 * the name is gone: every mount on @dentry, in every mount namespace,
 * is unmounted with its subtree (UMOUNT_CONNECTED, no propagation); one
 * already being unmounted (MNT_UMOUNT, kept connected by a lazy umount)
 * only comes off its parent.
 */
void nsm_detach_mounts(struct nsm_dentry *dentry)
{
	struct nsm_world *w = dentry->d_sb->world;
	struct nsm_mount *mnt;

	if (!dentry->d_mounted)
		return;
	w->event++;
	while ((mnt = nsm_first_mount_on(dentry))) {
		if (mnt->mnt_flags & MNT_UMOUNT) {
			nsm_umount_mnt(mnt);
			hlist_add_head(&mnt->mnt_umount, &w->unmounted);
		} else {
			nsm_umount_tree(mnt, NSM_UMOUNT_CONNECTED);
		}
	}
	nsm_namespace_unlock(w);
}

/* models: do_umount_root(): "unmounting" one's root remounts it r/o */
static int nsm_do_umount_root(struct nsm_super_block *sb)
{
	sb->s_flags |= SB_RDONLY;
	return 0;
}

/* models: do_umount() */
static int nsm_do_umount(struct nsm_task *task, struct nsm_mount *mnt,
			 int flags)
{
	struct nsm_super_block *sb = mnt->mnt_sb;
	struct nsm_world *w = mnt->world;
	int retval;

	/*
	 * MNT_EXPIRE: unmount only if marked by an earlier attempt and used
	 * by nothing but its parent and this call.
	 */
	if (flags & MNT_EXPIRE) {
		if (mnt == task->fs->root.mnt ||
		    flags & (MNT_FORCE | MNT_DETACH))
			return -EINVAL;
		if (mnt->mnt_count != 2)
			return -EBUSY;
		if (!xchg(&mnt->mnt_expiry_mark, 1))
			return -EAGAIN;
	}

	if (mnt == task->fs->root.mnt && !(flags & MNT_DETACH)) {
		if (!nsm_ns_capable(task->cred, sb->s_user_ns, CAP_SYS_ADMIN))
			return -EPERM;
		return nsm_do_umount_root(sb);
	}

	/*
	 * A namespace's root has no parent to come off.  The kernel's is
	 * rootfs, which init_mount_tree() locks, so this is EINVAL there;
	 * going on would reach propagate_mount_unlock() with a parentless
	 * mount, which the kernel asserts never happens.
	 */
	retval = -EINVAL;
	if ((mnt->mnt_flags & MNT_LOCKED) || !nsm_mnt_has_parent(mnt))
		goto out;

	w->event++;
	if (flags & MNT_DETACH) {
		if (!list_empty(&mnt->mnt_list))
			nsm_umount_tree(mnt, NSM_UMOUNT_PROPAGATE);
		retval = 0;
	} else {
		retval = -EBUSY;
		if (!nsm_propagate_mount_busy(mnt, 2)) {
			if (!list_empty(&mnt->mnt_list))
				nsm_umount_tree(mnt, NSM_UMOUNT_PROPAGATE |
						     NSM_UMOUNT_SYNC);
			retval = 0;
		}
	}
out:
	nsm_namespace_unlock(w);
	return retval;
}

/* models: may_mount(): CAP_SYS_ADMIN over the mount namespace's owner */
bool nsm_may_mount(struct nsm_task *task)
{
	return nsm_ns_capable(task->cred, task->nsproxy->mnt_ns->user_ns,
			      CAP_SYS_ADMIN);
}

/*
 * models: can_umount(); under the 2.4.19 profile (NSM_FEAT_SEED_MOUNT)
 * 2.4.19's sys_umount(), which asked for CAP_SYS_ADMIN only after its two
 * EINVALs (it had no locked mounts, and MNT_FORCE needed nothing more).
 */
static int nsm_can_umount(struct nsm_task *task, const struct nsm_path *path,
			  int flags)
{
	struct nsm_mount *mnt = path->mnt;
	bool seed = nsm_feat(task->world, NSM_FEAT_SEED_MOUNT);

	if (!seed && !nsm_may_mount(task))
		return -EPERM;
	if (path->dentry != mnt->mnt_root)
		return -EINVAL;
	if (!nsm_check_mnt(task, mnt))
		return -EINVAL;
	if (seed)
		return nsm_may_mount(task) ? 0 : -EPERM;
	if (mnt->mnt_flags & MNT_LOCKED)
		return -EINVAL;
	if (flags & MNT_FORCE &&
	    !nsm_ns_capable(task->cred, mnt->mnt_sb->s_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

/* models: path_umount(); consumes the reference of @path */
static int nsm_path_umount(struct nsm_task *task, struct nsm_path *path,
			   int flags)
{
	struct nsm_mount *mnt = path->mnt;
	int ret;

	ret = nsm_can_umount(task, path, flags);
	if (!ret)
		ret = nsm_do_umount(task, mnt, flags);
	/* not nsm_path_put(): that would clear the expiry mark */
	nsm_mntput_no_expire(mnt);
	return ret;
}

/* models: the tasks that the model's ioctls act for */
struct nsm_task *nsm_mnt_task(struct nsm_world *w, u32 id)
{
	struct nsm_task *task = nsm_find_task(w, id);

	if (!task || !task->nsproxy || !task->fs || !task->cred)
		return NULL;
	return task;
}

/**
 * nsm_ioctl_umount - NSM_IOC_UMOUNT: umount2(path, flags) from a task
 * @w: the world, locked
 * @args: task, path, flags (MNT_FORCE, MNT_DETACH, MNT_EXPIRE,
 *        UMOUNT_NOFOLLOW)
 *
 * models: ksys_umount()
 */
long nsm_ioctl_umount(struct nsm_world *w, struct nsm_path_args *args)
{
	unsigned int flags = args->flags;
	struct nsm_task *task;
	struct nsm_path path;
	char *name;
	int ret;

	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	/* 2.4.19 checked no flag and knew only MNT_FORCE and MNT_DETACH */
	if (nsm_feat(w, NSM_FEAT_SEED_MOUNT))
		flags &= MNT_FORCE | MNT_DETACH;
	else if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE |
			   UMOUNT_NOFOLLOW))
		return -EINVAL;
	name = nsm_strndup_user(w, args->path, NSM_PATH_MAX);
	if (IS_ERR(name))
		return PTR_ERR(name);
	/*
	 * LOOKUP_MOUNTPOINT: the mount on top of the last component is the
	 * one to unmount, even where the walk ends without stepping onto it
	 * ("/", ".", a trailing "."): "umount /" with a mount on the root
	 * unmounts that mount.  UMOUNT_NOFOLLOW only stops a trailing
	 * symlink being followed, and the model has no symlinks.
	 */
	ret = nsm_path_lookup(task, name, NSM_LOOKUP_MOUNTPOINT, &path);
	nsm_strfree(name);
	if (ret)
		return ret;
	return nsm_path_umount(task, &path, flags);
}

/* ---- copying trees ---- */

/**
 * nsm_copy_tree - copy the tree of @mnt seen from @dentry
 * @mnt: the source tree's root mount
 * @dentry: the dentry of @mnt the copy's root shows
 * @flag: CL_* flags for every clone
 *
 * models: copy_tree(): clones @mnt at @dentry, then every mount below
 * whose mountpoint is under @dentry, attaching each clone to the clone of
 * its parent.  Without CL_COPY_UNBINDABLE, unbindable subtrees are left
 * out (EPERM if one is also locked: leaving it out would reveal what it
 * hides); without CL_COPY_MNT_NS_FILE, so are mounts of mount namespace
 * files (EINVAL if @dentry is one), so that a copy never pins a
 * namespace in a loop.  The copies are linked on the result's mnt_list in walk order.
 * On failure everything copied so far is unmounted again.
 */
struct nsm_mount *nsm_copy_tree(struct nsm_mount *mnt,
				struct nsm_dentry *dentry, int flag)
{
	struct nsm_mount *res, *p, *q, *r, *parent;
	u64 wid = mnt->world->id;
	int err;

	if (!(flag & CL_COPY_UNBINDABLE) && NSM_IS_MNT_UNBINDABLE(mnt))
		return ERR_PTR(-EINVAL);

	if (!(flag & CL_COPY_MNT_NS_FILE) && nsm_is_mnt_ns_file(dentry))
		return ERR_PTR(-EINVAL);

	res = q = nsm_clone_mnt(mnt, dentry, flag);
	if (IS_ERR(q))
		return q;
	trace_nsm_copy_tree_mnt(wid, mnt->mnt_id, q->mnt_id, -1, flag);

	q->mnt_mountpoint = mnt->mnt_mountpoint;

	p = mnt;
	list_for_each_entry(r, &mnt->mnt_mounts, mnt_child) {
		struct nsm_mount *s;

		if (!nsm_is_subdir(r->mnt_mountpoint, dentry))
			continue;

		for (s = r; s; s = nsm_next_mnt(s, r)) {
			if (!(flag & CL_COPY_UNBINDABLE) &&
			    NSM_IS_MNT_UNBINDABLE(s)) {
				if (s->mnt_flags & MNT_LOCKED) {
					/* both unbindable and locked */
					q = ERR_PTR(-EPERM);
					goto out;
				} else {
					trace_nsm_copy_tree_skip(wid, s->mnt_id,
								 1);
					s = nsm_skip_mnt_tree(s);
					continue;
				}
			}
			if (!(flag & CL_COPY_MNT_NS_FILE) &&
			    nsm_is_mnt_ns_file(s->mnt_root)) {
				trace_nsm_copy_tree_skip(wid, s->mnt_id, 2);
				s = nsm_skip_mnt_tree(s);
				continue;
			}
			while (p != s->mnt_parent) {
				p = p->mnt_parent;
				q = q->mnt_parent;
			}
			p = s;
			parent = q;
			/* a killed caller stops here, as for ENOMEM */
			err = nsm_resched_killable();
			if (err) {
				q = ERR_PTR(err);
				goto out;
			}
			q = nsm_clone_mnt(p, p->mnt_root, flag);
			if (IS_ERR(q))
				goto out;
			trace_nsm_copy_tree_mnt(wid, p->mnt_id, q->mnt_id,
						parent->mnt_id, flag);
			list_add_tail(&q->mnt_list, &res->mnt_list);
			nsm_attach_mnt(q, parent, p->mnt_mp);
		}
	}
	return res;
out:
	if (res)
		nsm_umount_tree(res, NSM_UMOUNT_SYNC);
	return q;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_copy_tree);

/* models: has_locked_children() */
bool nsm_has_locked_children(struct nsm_mount *mnt,
				    struct nsm_dentry *dentry)
{
	struct nsm_mount *child;

	list_for_each_entry(child, &mnt->mnt_mounts, mnt_child) {
		if (!nsm_is_subdir(child->mnt_mountpoint, dentry))
			continue;
		if (child->mnt_flags & MNT_LOCKED)
			return true;
	}
	return false;
}

/*
 * models: lock_mnt_tree(): a tree copied into a less privileged user
 * namespace keeps its flags and stays glued to what it covers.
 */
static void nsm_lock_mnt_tree(struct nsm_mount *mnt)
{
	struct nsm_mount *p;

	for (p = mnt; p; p = nsm_next_mnt(p, mnt)) {
		int flags = p->mnt_flags;

		/* the new owner must not change the mount flags... */
		flags |= MNT_LOCK_ATIME;
		if (flags & MNT_READONLY)
			flags |= MNT_LOCK_READONLY;
		if (flags & MNT_NODEV)
			flags |= MNT_LOCK_NODEV;
		if (flags & MNT_NOSUID)
			flags |= MNT_LOCK_NOSUID;
		if (flags & MNT_NOEXEC)
			flags |= MNT_LOCK_NOEXEC;
		/* ...nor reveal what is under a mount */
		if (list_empty(&p->mnt_expire))
			flags |= MNT_LOCKED;
		p->mnt_flags = flags;
	}
}

/* models: cleanup_group_ids() */
void nsm_cleanup_group_ids(struct nsm_mount *mnt, struct nsm_mount *end)
{
	struct nsm_mount *p;

	for (p = mnt; p != end; p = nsm_next_mnt(p, mnt)) {
		if (p->mnt_group_id && !NSM_IS_MNT_SHARED(p))
			nsm_mnt_release_group_id(p);
	}
}

/* models: invent_group_ids() */
int nsm_invent_group_ids(struct nsm_mount *mnt, bool recurse)
{
	struct nsm_mount *p;

	for (p = mnt; p; p = recurse ? nsm_next_mnt(p, mnt) : NULL) {
		if (!p->mnt_group_id && !NSM_IS_MNT_SHARED(p)) {
			int err = nsm_mnt_alloc_group_id(p);

			if (err) {
				nsm_cleanup_group_ids(mnt, p);
				return err;
			}
		}
	}
	return 0;
}

/**
 * nsm_count_mounts - reserve room for the tree of @mnt in @ns
 * @ns: the destination namespace
 * @mnt: the tree about to be added
 *
 * models: count_mounts(): mounts already in the namespace and those being
 * added by the same operation (propagation copies included) count against
 * the mount_max parameter, as against fs.mount-max.  Returns -ENOSPC when
 * the tree does not fit.
 */
int nsm_count_mounts(struct nsm_mnt_namespace *ns, struct nsm_mount *mnt)
{
	unsigned int max = READ_ONCE(nsm_mount_max);
	unsigned int mounts = 0;
	struct nsm_mount *p;

	if (ns->mounts >= max)
		return -ENOSPC;
	max -= ns->mounts;
	if (ns->pending_mounts >= max)
		return -ENOSPC;
	max -= ns->pending_mounts;

	for (p = mnt; p; p = nsm_next_mnt(p, mnt))
		mounts++;

	if (mounts > max)
		return -ENOSPC;

	ns->pending_mounts += mounts;
	return 0;
}

/* models: enum mnt_tree_flags_t (6.5 and later) */
enum nsm_mnt_tree_flags {
	NSM_MNT_TREE_MOVE = 1,
	NSM_MNT_TREE_BENEATH = 2,
};

/*
 * models: attach_recursive_mnt(): attach (or, moving, move) the tree of
 * @source_mnt onto @dest_mp of @top_mnt, and if the destination is
 * shared, propagate copies of it to every peer and slave of it first.
 * With NSM_MNT_TREE_BENEATH (MOVE_MOUNT_BENEATH) the destination is
 * @top_mnt's parent, @dest_mp is @top_mnt's mountpoint there, and
 * @top_mnt ends up on the root of @source_mnt.  See the bind and move
 * tables in the kernel's comment above the function and in
 * sharedsubtree.rst.
 *
 * The kernel takes the user namespace that decides whether propagated
 * copies are locked from the caller's mount namespace when the
 * destination is anonymous; no caller of 6.1 or 6.12 can reach that
 * (every one checks check_mnt() of the destination first), so the model
 * always takes the destination's.
 */
static int nsm_attach_recursive_mnt(struct nsm_mount *source_mnt,
				    struct nsm_mount *top_mnt,
				    struct nsm_dentry *dest_mp,
				    enum nsm_mnt_tree_flags flags)
{
	HLIST_HEAD(tree_list);
	struct nsm_mnt_namespace *ns = top_mnt->mnt_ns;
	struct nsm_user_namespace *user_ns = ns->user_ns;
	bool moving = flags & NSM_MNT_TREE_MOVE;
	bool beneath = flags & NSM_MNT_TREE_BENEATH;
	struct nsm_mount *child, *p, *dest_mnt;
	struct nsm_dentry *smp;
	struct hlist_node *n;
	int err;

	/* where mounts tucked under a propagated copy will sit */
	smp = nsm_get_mountpoint(source_mnt->mnt_root);

	/* is there room for the new mounts in the namespace? */
	if (!moving) {
		err = nsm_count_mounts(ns, source_mnt);
		if (err)
			goto out;
	}

	dest_mnt = beneath ? top_mnt->mnt_parent : top_mnt;

	if (NSM_IS_MNT_SHARED(dest_mnt)) {
		err = nsm_invent_group_ids(source_mnt, true);
		if (err)
			goto out;
		err = nsm_propagate_mnt(dest_mnt, dest_mp, source_mnt,
					&tree_list);
		if (err)
			goto out_cleanup_ids;
		for (p = source_mnt; p; p = nsm_next_mnt(p, source_mnt))
			nsm_set_mnt_shared(p);
	}
	if (moving) {
		nsm_unhash_mnt(source_mnt);
		if (beneath) {
			nsm_mnt_set_mountpoint_beneath(source_mnt, top_mnt, smp);
			__nsm_attach_mnt(source_mnt, source_mnt->mnt_parent);
		} else {
			nsm_attach_mnt(source_mnt, dest_mnt, dest_mp);
		}
		nsm_touch_mnt_namespace(source_mnt->mnt_ns);
	} else {
		if (source_mnt->mnt_ns) {
			/* from an anonymous namespace: the caller frees it */
			list_del_init(&source_mnt->mnt_ns->list);
		}
		if (beneath)
			nsm_mnt_set_mountpoint_beneath(source_mnt, top_mnt, smp);
		else
			nsm_mnt_set_mountpoint(dest_mnt, dest_mp, source_mnt);
		nsm_commit_tree(source_mnt);
	}
	trace_nsm_attach_tree(source_mnt->world->id, source_mnt->mnt_id,
			      source_mnt->mnt_parent->mnt_id, ns->ns.inum,
			      flags);

	hlist_for_each_entry_safe(child, n, &tree_list, mnt_hash) {
		struct nsm_mount *q;

		hlist_del_init(&child->mnt_hash);
		/* propagating across user namespaces locks the copy */
		if (child->mnt_parent->mnt_ns->user_ns != user_ns)
			nsm_lock_mnt_tree(child);
		child->mnt_flags &= ~MNT_LOCKED;
		q = nsm_lookup_mnt(child->mnt_parent, child->mnt_mountpoint);
		if (q)
			nsm_mnt_change_mountpoint(child, smp, q);
		nsm_commit_tree(child);
		cond_resched();
	}
	nsm_put_mountpoint(smp);
	return 0;

out_cleanup_ids:
	while (!hlist_empty(&tree_list)) {
		child = hlist_entry(tree_list.first, struct nsm_mount, mnt_hash);
		child->mnt_parent->mnt_ns->pending_mounts = 0;
		nsm_umount_tree(child, NSM_UMOUNT_SYNC);
		cond_resched();
	}
	nsm_cleanup_group_ids(source_mnt, NULL);
out:
	ns->pending_mounts = 0;
	nsm_put_mountpoint(smp);
	return err;
}

/*
 * models: lock_mount() and 6.12's do_lock_mount(): mounting on a path
 * that is already covered mounts on top of the topmost mount there.
 * @path is moved (with its reference) onto that mount's root; the
 * mountpoint is pinned until unlock_mount().  A removed name can no
 * longer be mounted on (cant_mount(): ENOENT); 6.12's do_lock_mount()
 * also refuses a mount in no namespace (ENOENT).  With @beneath
 * (MOVE_MOUNT_BENEATH, 6.12) the mountpoint is the one the topmost
 * mount sits on, in its parent.
 */
static struct nsm_dentry *nsm_do_lock_mount(struct nsm_path *path,
					    bool beneath)
{
	struct nsm_dentry *dentry;
	struct nsm_mount *m;

	for (;;) {
		dentry = beneath ? path->mnt->mnt_mountpoint : path->dentry;
		if (dentry->d_deleted)
			return ERR_PTR(-ENOENT);
		if (nsm_feat(path->mnt->world, NSM_FEAT_LOCK_MOUNT_ENOENT) &&
		    !path->mnt->mnt_ns)
			return ERR_PTR(-ENOENT);
		m = nsm_lookup_mnt(path->mnt, path->dentry);
		if (!m)
			break;
		nsm_mntget(m);
		nsm_path_put(path);
		path->mnt = m;
		path->dentry = m->mnt_root;
	}
	return nsm_get_mountpoint(dentry);
}

static struct nsm_dentry *nsm_lock_mount(struct nsm_path *path)
{
	return nsm_do_lock_mount(path, false);
}

/* models: unlock_mount() */
static void nsm_unlock_mount(struct nsm_dentry *where)
{
	nsm_put_mountpoint(where);
	nsm_namespace_unlock(where->d_sb->world);
}

/* models: graft_tree(): a directory goes on a directory, a file on a file */
static int nsm_graft_tree(struct nsm_mount *mnt, struct nsm_mount *p,
			  struct nsm_dentry *mp)
{
	if (S_ISDIR(mp->i_mode) != S_ISDIR(mnt->mnt_root->i_mode))
		return -ENOTDIR;
	return nsm_attach_recursive_mnt(mnt, p, mp, 0);
}

/* models: may_change_propagation() */
int nsm_may_change_propagation(struct nsm_task *task,
				      const struct nsm_mount *m)
{
	struct nsm_mnt_namespace *ns = m->mnt_ns;

	/* it must be mounted in some namespace */
	if (!ns)
		return -EINVAL;
	/* and the caller must be admin over that namespace */
	if (!nsm_ns_capable(task->cred, ns->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

/* models: flags_to_propagation_type() */
static int nsm_flags_to_propagation_type(int ms_flags)
{
	int type = ms_flags & ~(MS_REC | MS_SILENT);

	/* no other flags... */
	if (type & ~(MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return 0;
	/* ...and exactly one propagation type */
	if (!is_power_of_2(type))
		return 0;
	return type;
}

/* models: do_change_type() (mount --make-{shared,slave,private,...}) */
static int nsm_do_change_type(struct nsm_task *task, struct nsm_path *path,
			      int ms_flags)
{
	struct nsm_mount *m;
	struct nsm_mount *mnt = path->mnt;
	int recurse = ms_flags & MS_REC;
	int type;
	int err = 0;

	if (path->dentry != mnt->mnt_root)
		return -EINVAL;

	type = nsm_flags_to_propagation_type(ms_flags);
	if (!type)
		return -EINVAL;

	err = nsm_may_change_propagation(task, mnt);
	if (err)
		goto out_unlock;

	if (type == MS_SHARED) {
		err = nsm_invent_group_ids(mnt, recurse);
		if (err)
			goto out_unlock;
	}

	for (m = mnt; m; m = (recurse ? nsm_next_mnt(m, mnt) : NULL))
		nsm_change_mnt_propagation(m, type);

out_unlock:
	nsm_namespace_unlock(mnt->world);
	return err;
}

/* models: __do_loopback() (bind mounts and open_tree()'s detached copies) */
struct nsm_mount *__nsm_do_loopback(struct nsm_task *task,
					   struct nsm_path *old_path,
					   int recurse)
{
	struct nsm_mount *mnt = ERR_PTR(-EINVAL), *old = old_path->mnt;

	if (NSM_IS_MNT_UNBINDABLE(old))
		return mnt;

	/* a namespace file may come from outside (the nsfs mount) */
	if (!nsm_check_mnt(task, old) && !old_path->dentry->d_ns)
		return mnt;

	if (recurse && !old->mnt_ns)
		return ERR_PTR(-EINVAL);

	if (!recurse && nsm_has_locked_children(old, old_path->dentry))
		return mnt;

	if (recurse)
		mnt = nsm_copy_tree(old, old_path->dentry, CL_COPY_MNT_NS_FILE);
	else
		mnt = nsm_clone_mnt(old, old_path->dentry, 0);

	if (!IS_ERR(mnt))
		mnt->mnt_flags &= ~MNT_LOCKED;

	return mnt;
}

/*
 * models: mnt_ns_loop(): would mounting the mount namespace file @dentry
 * in @task's namespace let the two pin each other?  Only a namespace
 * created after the caller's (a higher sequence number) may be bound in
 * it, so references between namespaces always point to newer ones.
 */
static bool nsm_mnt_ns_loop(struct nsm_task *task,
			    const struct nsm_dentry *dentry)
{
	if (!nsm_is_mnt_ns_file(dentry))
		return false;
	return task->nsproxy->mnt_ns->seq >= to_mnt_ns(dentry->d_ns)->seq;
}

/**
 * nsm_do_loopback_path - bind @old_path onto @path
 * @task: the caller
 * @path: the mountpoint (its reference may move to a mount on top)
 * @old_path: what to bind, looked up by the caller (a path or, from
 *            nsm_ioctl_ns_bind(), a namespace file)
 * @recurse: MS_REC
 *
 * models: the body of do_loopback() after kern_path(): EINVAL for a
 * mount namespace file that would make a loop, then lock_mount(), the
 * parent's namespace (EINVAL), __do_loopback() and graft_tree().
 */
int nsm_do_loopback_path(struct nsm_task *task, struct nsm_path *path,
			 struct nsm_path *old_path, int recurse)
{
	struct nsm_mount *mnt = NULL, *parent;
	struct nsm_dentry *mp;
	int err;

	if (nsm_mnt_ns_loop(task, old_path->dentry))
		return -EINVAL;

	mp = nsm_lock_mount(path);
	if (IS_ERR(mp))
		return PTR_ERR(mp);

	err = -EINVAL;
	parent = path->mnt;
	if (!nsm_check_mnt(task, parent))
		goto out2;

	if (recurse)
		trace_nsm_copy_tree_call(task->world->id,
					 NSM_COPY_TREE_DO_LOOPBACK,
					 old_path->mnt->mnt_id);
	mnt = __nsm_do_loopback(task, old_path, recurse);
	if (IS_ERR(mnt)) {
		err = PTR_ERR(mnt);
		goto out2;
	}

	err = nsm_graft_tree(mnt, parent, mp);
	if (err)
		nsm_umount_tree(mnt, NSM_UMOUNT_SYNC);
out2:
	nsm_unlock_mount(mp);
	return err;
}

/* models: do_loopback() (mount --bind / --rbind) */
static int nsm_do_loopback(struct nsm_task *task, struct nsm_path *path,
			   const char *old_name, int recurse)
{
	struct nsm_path old_path;
	int err;

	if (!old_name || !*old_name)
		return -EINVAL;
	err = nsm_path_lookup(task, old_name, 0, &old_path);
	if (err)
		return err;
	err = nsm_do_loopback_path(task, path, &old_path, recurse);
	nsm_path_put(&old_path);
	return err;
}

/* models: can_change_locked_flags() */
bool nsm_can_change_locked_flags(struct nsm_mount *mnt,
				 unsigned int mnt_flags)
{
	unsigned int fl = mnt->mnt_flags;

	if ((fl & MNT_LOCK_READONLY) && !(mnt_flags & MNT_READONLY))
		return false;
	if ((fl & MNT_LOCK_NODEV) && !(mnt_flags & MNT_NODEV))
		return false;
	if ((fl & MNT_LOCK_NOSUID) && !(mnt_flags & MNT_NOSUID))
		return false;
	if ((fl & MNT_LOCK_NOEXEC) && !(mnt_flags & MNT_NOEXEC))
		return false;
	if ((fl & MNT_LOCK_ATIME) &&
	    ((fl & MNT_ATIME_MASK) != (mnt_flags & MNT_ATIME_MASK)))
		return false;
	return true;
}

/* models: set_mount_attributes() */
static void nsm_set_mount_attributes(struct nsm_mount *mnt,
				     unsigned int mnt_flags)
{
	mnt_flags |= mnt->mnt_flags & ~MNT_USER_SETTABLE_MASK;
	mnt->mnt_flags = mnt_flags;
	nsm_touch_mnt_namespace(mnt->mnt_ns);
}

/* models: do_reconfigure_mnt() (mount -o remount,bind) */
static int nsm_do_reconfigure_mnt(struct nsm_task *task,
				  struct nsm_path *path,
				  unsigned int mnt_flags)
{
	struct nsm_mount *mnt = path->mnt;

	if (!nsm_check_mnt(task, mnt))
		return -EINVAL;
	if (path->dentry != mnt->mnt_root)
		return -EINVAL;
	if (!nsm_can_change_locked_flags(mnt, mnt_flags))
		return -EPERM;
	/* change_mount_ro_state(): no writers in the model, never EBUSY */
	nsm_set_mount_attributes(mnt, mnt_flags);
	return 0;
}

/* models: BOGO_INODE_SIZE, what 6.12's tmpfs charges an inode */
#define NSM_BOGO_INODE_SIZE	1024

/* models: shmem's "huge=" values (SHMEM_HUGE_*) and shmem_format_huge() */
static const char *const nsm_shmem_huge[] = {
	"never", "always", "within_size", "advise",
};

const char *nsm_shmem_format_huge(int huge)
{
	return huge >= 0 && huge < ARRAY_SIZE(nsm_shmem_huge) ?
	       nsm_shmem_huge[huge] : "bad_val";
}

/* models: kuid_has_mapping() on one map */
static bool nsm_id_mapped(const struct nsm_uid_gid_map *map, u32 id)
{
	u32 i;

	for (i = 0; i < map->nr_extents; i++) {
		const struct nsm_uid_gid_extent *e = &map->extent[i];

		if (id >= e->lower_first &&
		    (u64)id < (u64)e->lower_first + e->count)
			return true;
	}
	return false;
}

/* models: make_kgid(): as nsm_make_kuid(), through the gid map */
static u32 nsm_make_kgid(struct nsm_user_namespace *ns, u32 gid)
{
	u32 i;

	for (i = 0; i < ns->gid_map.nr_extents; i++) {
		const struct nsm_uid_gid_extent *e = &ns->gid_map.extent[i];

		if (gid >= e->first && (u64)gid < (u64)e->first + e->count)
			return e->lower_first + (gid - e->first);
	}
	return NSM_INVALID_UID;
}

/*
 * models: vfs_parse_sb_flag(): true if @key names a generic superblock
 * flag (its value, if any, is ignored, as the kernel does).  SB_POSIXACL
 * and SB_SILENT have no name here: filesystems and MS_SILENT set them.
 */
bool nsm_parse_sb_flag(struct nsm_fs_context *fc, const char *key)
{
	static const struct { const char *name; unsigned long flag; bool set; }
	sb_flags[] = {
		{ "dirsync", SB_DIRSYNC, true },
		{ "lazytime", SB_LAZYTIME, true },
		{ "mand", SB_MANDLOCK, true },
		{ "ro", SB_RDONLY, true },
		{ "sync", SB_SYNCHRONOUS, true },
		{ "async", SB_SYNCHRONOUS, false },
		{ "nolazytime", SB_LAZYTIME, false },
		{ "nomand", SB_MANDLOCK, false },
		{ "rw", SB_RDONLY, false },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(sb_flags); i++) {
		if (strcmp(key, sb_flags[i].name))
			continue;
		if (sb_flags[i].set)
			fc->sb_flags |= sb_flags[i].flag;
		else
			fc->sb_flags &= ~sb_flags[i].flag;
		fc->sb_flags_mask |= sb_flags[i].flag;
		return true;
	}
	return false;
}

/* models: fs_param_is_string(): a string parameter needs a value */
static bool nsm_fs_param_is_string(const char *val)
{
	return val && *val;
}

/*
 * models: shmem_parse_one(); -EINVAL for a bad value or parameter.  @opt
 * is the key, @val the value (NULL when there was no "=").  Left out:
 * CONFIG_TMPFS_QUOTA's options (Debian's 6.12 is built without it, so
 * they are unknown there) and NUMA policies other than "default".
 */
int nsm_shmem_parse_one(struct nsm_fs_context *fc, char *opt, char *val)
{
	struct nsm_world *w = fc->user_ns->ns.world;
	unsigned long long size;
	unsigned int n;
	char *rest;
	u32 kid;
	int i;

	if (nsm_feat(w, NSM_FEAT_TMPFS_NOSWAP) && !strcmp(opt, "noswap") &&
	    !val) {
		/* only the initial user namespace's admin may turn swap off */
		if (fc->user_ns != fc->cred->user_ns ||
		    fc->user_ns->level != 0 ||
		    !nsm_ns_capable(fc->cred, fc->user_ns, CAP_SYS_ADMIN))
			return -EINVAL;
		fc->noswap = true;
		return 0;
	}
	if (!strcmp(opt, "inode64") || !strcmp(opt, "inode32")) {
		if (val)
			return -EINVAL;
		fc->full_inums = opt[5] == '6';
		fc->inums_set = true;
		return 0;
	}
	if (!val)
		return -EINVAL;	/* tmpfs: Unknown parameter, or no value */
	if ((!strcmp(opt, "size") || !strcmp(opt, "nr_blocks") ||
	     !strcmp(opt, "nr_inodes") || !strcmp(opt, "mpol")) &&
	    !nsm_fs_param_is_string(val))
		return -EINVAL;
	if (!strcmp(opt, "size")) {
		size = memparse(val, &rest);
		if (*rest == '%') {
			size <<= PAGE_SHIFT;
			size *= totalram_pages();
			do_div(size, 100);
			rest++;
		}
		if (*rest)
			return -EINVAL;
		fc->blocks = DIV_ROUND_UP(size, PAGE_SIZE);
		fc->blocks_set = true;
	} else if (!strcmp(opt, "nr_blocks")) {
		fc->blocks = memparse(val, &rest);
		if (*rest || fc->blocks > S64_MAX)
			return -EINVAL;
		fc->blocks_set = true;
	} else if (!strcmp(opt, "nr_inodes")) {
		fc->inodes = memparse(val, &rest);
		if (*rest)
			return -EINVAL;
		/* 6.12: the inode count is charged BOGO_INODE_SIZE each */
		if (nsm_feat(w, NSM_FEAT_TMPFS_INODES_BOUND) &&
		    fc->inodes > ULONG_MAX / NSM_BOGO_INODE_SIZE)
			return -EINVAL;
		fc->inodes_set = true;
	} else if (!strcmp(opt, "mode")) {
		if (kstrtouint(val, 8, &n))
			return -EINVAL;
		fc->mode = n & 07777;
		fc->mode_set = true;
	} else if (!strcmp(opt, "uid") || !strcmp(opt, "gid")) {
		bool is_uid = opt[0] == 'u';

		if (kstrtouint(val, 0, &n))
			return -EINVAL;
		kid = is_uid ? nsm_make_kuid(fc->cred->user_ns, n) :
			       nsm_make_kgid(fc->cred->user_ns, n);
		/* valid, and representable in the filesystem's idmapping */
		if (kid == NSM_INVALID_UID ||
		    !nsm_id_mapped(is_uid ? &fc->user_ns->uid_map :
					    &fc->user_ns->gid_map, kid))
			return -EINVAL;
		if (is_uid) {
			fc->uid = kid;
			fc->uid_set = true;
		} else {
			fc->gid = kid;
			fc->gid_set = true;
		}
	} else if (!strcmp(opt, "huge")) {
		for (i = 0; i < ARRAY_SIZE(nsm_shmem_huge); i++)
			if (!strcmp(val, nsm_shmem_huge[i]))
				break;
		if (i == ARRAY_SIZE(nsm_shmem_huge))
			return -EINVAL;
		/* huge pages other than "never" need THP in the kernel */
		if (i && !(IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) &&
			   has_transparent_hugepage()))
			return -EINVAL;
		fc->huge = i;
		fc->huge_set = true;
	} else if (!strcmp(opt, "mpol")) {
		/*
		 * Only the default policy (NUMA policies are not modelled),
		 * and only in a kernel with NUMA
		 */
		if (!IS_ENABLED(CONFIG_NUMA) || strcmp(val, "default"))
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	return 0;
}

/*
 * models: shmem_parse_options()'s split: options end at a comma that is
 * not followed by a digit (an mpol nodelist has commas); NULL at the end.
 */
static char *nsm_shmem_next_option(char **data)
{
	char *opt = *data, *comma = opt;

	if (!opt)
		return NULL;
	for (;;) {
		comma = strchr(comma, ',');
		if (!comma) {
			*data = NULL;
			break;
		}
		comma++;
		if (!isdigit(*comma)) {
			comma[-1] = '\0';
			*data = comma;
			break;
		}
	}
	return opt;
}

/*
 * models: parse_monolithic_mount_data() -> shmem_parse_options(), each
 * option through vfs_parse_fs_string(): key and value split at the first
 * "=", the generic flags first, then shmem's table.
 */
static int nsm_parse_mount_data(struct nsm_fs_context *fc, char *data)
{
	char *opt, *val;
	int err;

	while ((opt = nsm_shmem_next_option(&data)) != NULL) {
		if (!*opt)
			continue;
		val = strchr(opt, '=');
		if (val)
			*val++ = '\0';
		if (nsm_parse_sb_flag(fc, opt))
			continue;
		err = nsm_shmem_parse_one(fc, opt, val);
		if (err)
			return err;
	}
	return 0;
}

/* models: do_remount() (mount -o remount) */
static int nsm_do_remount(struct nsm_task *task, struct nsm_path *path,
			  int ms_flags, int sb_flags, int mnt_flags, char *data)
{
	struct nsm_mount *mnt = path->mnt;
	struct nsm_super_block *sb = mnt->mnt_sb;
	struct nsm_fs_context fc = {
		.sb_flags = sb_flags,
		.sb_flags_mask = MS_RMT_MASK,
		.cred = task->cred,
		.user_ns = sb->s_user_ns,
	};
	int err;

	if (!nsm_check_mnt(task, mnt))
		return -EINVAL;
	if (path->dentry != mnt->mnt_root)
		return -EINVAL;
	if (!nsm_can_change_locked_flags(mnt, mnt_flags))
		return -EPERM;

	err = data ? nsm_parse_mount_data(&fc, data) : 0;
	if (err)
		return err;
	if (!nsm_ns_capable(task->cred, sb->s_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	err = nsm_reconfigure_super(sb, &fc);
	if (err)
		return err;
	nsm_set_mount_attributes(mnt, mnt_flags);
	return 0;
}

/**
 * nsm_reconfigure_super - a superblock takes the parameters of @fc
 * @sb: the superblock
 * @fc: a reconfiguration's parameters (what they set and their mask)
 *
 * models: reconfigure_super() with shmem_reconfigure(): EINVAL for a
 * flag remount cannot change, for turning swap off and for an inode
 * limit on an unlimited tmpfs or below what is in use; otherwise every
 * parameter given replaces the superblock's.  Nothing changes on error.
 */
int nsm_reconfigure_super(struct nsm_super_block *sb,
			  const struct nsm_fs_context *fc)
{
	if (fc->sb_flags_mask & ~MS_RMT_MASK)
		return -EINVAL;
	/* shmem_reconfigure(): swap cannot be turned off on remount */
	if (fc->noswap && !sb->noswap)
		return -EINVAL;
	/* nor can an unlimited tmpfs get an inode limit, nor one below use */
	if (fc->inodes_set && fc->inodes &&
	    (!sb->max_inodes || fc->inodes < sb->inodes_used))
		return -EINVAL;
	/* shmem_reconfigure() may switch inode64 */
	sb->s_flags = (sb->s_flags & ~fc->sb_flags_mask) |
		      (fc->sb_flags & fc->sb_flags_mask);
	if (fc->inums_set)
		sb->full_inums = fc->full_inums;
	if (fc->blocks_set)
		sb->max_blocks = fc->blocks;
	if (fc->inodes_set)
		sb->max_inodes = fc->inodes;
	if (fc->huge_set)
		sb->huge = fc->huge;
	return 0;
}

/* models: tree_contains_unbindable() */
static bool nsm_tree_contains_unbindable(struct nsm_mount *mnt)
{
	struct nsm_mount *p;

	for (p = mnt; p; p = nsm_next_mnt(p, mnt)) {
		if (NSM_IS_MNT_UNBINDABLE(p))
			return true;
	}
	return false;
}

/*
 * models: check_for_nsfs_mounts(): a moved tree must not carry a mount
 * namespace file that would make a loop in its new place.
 */
static bool nsm_check_for_nsfs_mounts(struct nsm_task *task,
				      struct nsm_mount *subtree)
{
	struct nsm_mount *p;

	for (p = subtree; p; p = nsm_next_mnt(p, subtree))
		if (nsm_mnt_ns_loop(task, p->mnt_root))
			return false;
	return true;
}

/*
 * models: can_move_mount_beneath() (6.5 and later): the mount at @to
 * must be an attached mount's root, not locked, not the caller's root
 * nor on the namespace's root mount, must not be under @from already,
 * and nothing may be mounted on @from (a copy propagated there would be
 * covered at once); nor may the parent's propagation cover @to or @from.
 */
static int nsm_can_move_mount_beneath(struct nsm_task *task,
				      const struct nsm_path *from,
				      const struct nsm_path *to,
				      struct nsm_dentry *mp)
{
	struct nsm_mount *mnt_from = from->mnt, *mnt_to = to->mnt;
	struct nsm_mount *parent_mnt_to = mnt_to->mnt_parent, *p;

	if (!nsm_mnt_has_parent(mnt_to))
		return -EINVAL;
	if (to->dentry != mnt_to->mnt_root)
		return -EINVAL;
	if (NSM_IS_MNT_LOCKED(mnt_to))
		return -EINVAL;
	/* path_overmounted(from): no shadow mounts from propagation */
	if (nsm_lookup_mnt(from->mnt, from->dentry))
		return -EINVAL;
	/* beneath the root only as pivot_root(".", ".") does it */
	if (mnt_to == task->fs->root.mnt)
		return -EINVAL;
	if (parent_mnt_to == task->nsproxy->mnt_ns->root)
		return -EINVAL;
	for (p = mnt_from; nsm_mnt_has_parent(p); p = p->mnt_parent)
		if (p == mnt_to)
			return -EINVAL;
	if (nsm_propagation_would_overmount(parent_mnt_to, mnt_to, mp))
		return -EINVAL;
	if (nsm_propagation_would_overmount(parent_mnt_to, mnt_from, mp))
		return -EINVAL;
	return 0;
}

/**
 * nsm_do_move_mount - move a mount, or attach a detached tree
 * @task: the caller
 * @old_path: the mount to move (its root), or the root of a detached tree
 * @new_path: where it goes (its reference may move to a mount on top)
 * @beneath: MOVE_MOUNT_BENEATH (only in a profile that has it, as 6.12)
 *
 * models: do_move_mount(), for MS_MOVE and move_mount(2).  An attached
 * mount must be in the caller's namespace; a mount without a parent must
 * be the root of an anonymous namespace, whose tree is then attached as
 * a new one (counted, propagated) and whose namespace is freed.
 */
int nsm_do_move_mount(struct nsm_task *task, struct nsm_path *old_path,
		      struct nsm_path *new_path, bool beneath)
{
	enum nsm_mnt_tree_flags flags = 0;
	struct nsm_mount *p, *old, *parent;
	struct nsm_dentry *mp, *old_mp;
	struct nsm_mnt_namespace *ns;
	bool attached;
	int err;

	mp = nsm_do_lock_mount(new_path, beneath);
	if (IS_ERR(mp))
		return PTR_ERR(mp);

	old = old_path->mnt;
	p = new_path->mnt;
	parent = old->mnt_parent;
	attached = nsm_mnt_has_parent(old);
	if (attached)
		flags |= NSM_MNT_TREE_MOVE;
	old_mp = old->mnt_mp;
	ns = old->mnt_ns;

	err = -EINVAL;
	/* the mountpoint must be in our namespace */
	if (!nsm_check_mnt(task, p))
		goto out;
	/* the thing moved must be mounted... */
	if (!old->mnt_ns)
		goto out;
	/* ...and either ours or the root of an anonymous namespace */
	if (!(attached ? nsm_check_mnt(task, old) : nsm_is_anon_ns(ns)))
		goto out;
	if (old->mnt_flags & MNT_LOCKED)
		goto out;
	if (old_path->dentry != old->mnt_root)
		goto out;
	if (S_ISDIR(new_path->dentry->i_mode) !=
	    S_ISDIR(old_path->dentry->i_mode))
		goto out;
	/* a mount in a shared parent does not move */
	if (attached && NSM_IS_MNT_SHARED(parent))
		goto out;
	if (beneath) {
		err = nsm_can_move_mount_beneath(task, old_path, new_path, mp);
		if (err)
			goto out;
		err = -EINVAL;
		p = p->mnt_parent;
		flags |= NSM_MNT_TREE_BENEATH;
	}
	/* nor does a tree with unbindable mounts go under a shared mount */
	if (NSM_IS_MNT_SHARED(p) && nsm_tree_contains_unbindable(old))
		goto out;
	err = -ELOOP;
	if (!nsm_check_for_nsfs_mounts(task, old))
		goto out;
	for (; nsm_mnt_has_parent(p); p = p->mnt_parent)
		if (p == old)
			goto out;

	err = nsm_attach_recursive_mnt(old, new_path->mnt, mp, flags);
	if (err)
		goto out;

	/* a moved mount no longer expires by itself */
	list_del_init(&old->mnt_expire);
	if (attached)
		nsm_put_mountpoint(old_mp);
out:
	nsm_unlock_mount(mp);
	if (!err) {
		if (attached)
			nsm_mntput_no_expire(parent);
		else
			nsm_free_mnt_ns(ns);
	}
	return err;
}

/* models: do_move_mount_old() */
static int nsm_do_move_mount_old(struct nsm_task *task, struct nsm_path *path,
				 const char *old_name)
{
	struct nsm_path old_path;
	int err;

	if (!old_name || !*old_name)
		return -EINVAL;
	err = nsm_path_lookup(task, old_name, 0, &old_path);
	if (err)
		return err;
	err = nsm_do_move_mount(task, &old_path, path, false);
	nsm_path_put(&old_path);
	return err;
}

/* models: do_add_mount() */
static int nsm_do_add_mount(struct nsm_task *task, struct nsm_mount *newmnt,
			    struct nsm_dentry *mp, struct nsm_path *path,
			    int mnt_flags)
{
	struct nsm_mount *parent = path->mnt;

	mnt_flags &= ~MNT_INTERNAL_FLAGS;

	/* (automounts in a private namespace are the only exception) */
	if (unlikely(!nsm_check_mnt(task, parent)))
		return -EINVAL;

	/* the same filesystem on the same mountpoint is refused */
	if (path->mnt->mnt_sb == newmnt->mnt_sb &&
	    path->mnt->mnt_root == path->dentry)
		return -EBUSY;

	newmnt->mnt_flags = mnt_flags;
	return nsm_graft_tree(newmnt, parent, mp);
}

/**
 * nsm_vfs_create_mount - the first mount of a new superblock
 * @sb: the superblock, whose first active reference the mount takes over
 * @source: the mount's source name, or NULL for "none"
 *
 * models: vfs_create_mount().  Returns the mount, in no namespace, or an
 * ERR_PTR(-ENOMEM).
 */
struct nsm_mount *nsm_vfs_create_mount(struct nsm_super_block *sb,
				       const char *source)
{
	struct nsm_mount *mnt;

	mnt = nsm_alloc_vfsmnt(sb->world, source ? source : "none", false);
	if (!mnt)
		return ERR_PTR(-ENOMEM);
	/* takes over the superblock's first active reference */
	mnt->mnt_sb = sb;
	mnt->mnt_root = sb->s_root;
	mnt->mnt_mountpoint = mnt->mnt_root;
	mnt->mnt_parent = mnt;
	list_add_tail(&mnt->mnt_instance, &sb->s_mounts);
	return mnt;
}

/**
 * nsm_tmpfs_get_tree - a new tmpfs superblock as @fc describes it
 * @task: the mounter
 * @fc: the parameters
 *
 * models: vfs_get_tree() for the model's tmpfs (shmem_fill_super()): a
 * new superblock owned by @fc's user namespace, with shmem's defaults
 * and, unless uid= or gid= said otherwise, the mounter's fsuid and
 * fsgid as the root's owner.  Returns it with one active reference, or
 * an ERR_PTR.
 */
struct nsm_super_block *nsm_tmpfs_get_tree(struct nsm_task *task,
					   struct nsm_fs_context *fc)
{
	struct nsm_super_block *sb;

	sb = nsm_alloc_super(task->world, "tmpfs", fc->user_ns);
	if (IS_ERR(sb))
		return sb;
	sb->s_flags = fc->sb_flags;
	if (fc->mode_set)
		sb->mode = fc->mode;
	if (fc->inums_set)
		sb->full_inums = fc->full_inums;
	if (fc->blocks_set)
		sb->max_blocks = fc->blocks;
	if (fc->inodes_set)
		sb->max_inodes = fc->inodes;
	if (fc->huge_set)
		sb->huge = fc->huge;
	sb->noswap = fc->noswap;
	sb->uid = fc->uid_set ? fc->uid : task->cred->fsuid;
	sb->gid = fc->gid_set ? fc->gid : task->cred->egid;
	sb->s_root->i_mode = S_IFDIR | sb->mode;
	sb->s_root->i_uid = sb->uid;
	sb->s_root->i_gid = sb->gid;
	return sb;
}

/* models: do_new_mount() and do_new_mount_fc() */
static int nsm_do_new_mount(struct nsm_task *task, struct nsm_path *path,
			    const char *fstype, int sb_flags, int mnt_flags,
			    const char *name, char *data)
{
	struct nsm_fs_context fc = {
		.sb_flags = sb_flags,
		.cred = task->cred,
		.user_ns = task->cred->user_ns,
	};
	struct nsm_super_block *sb;
	struct nsm_mount *mnt;
	struct nsm_dentry *mp;
	int err;

	if (!fstype)
		return -EINVAL;
	if (strcmp(fstype, "tmpfs"))
		return -ENODEV;	/* get_fs_type() knows no other */

	err = data ? nsm_parse_mount_data(&fc, data) : 0;
	if (err)
		return err;
	/* mount_capable(): tmpfs is FS_USERNS_MOUNT */
	if (!nsm_ns_capable(task->cred, task->cred->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	sb = nsm_tmpfs_get_tree(task, &fc);
	if (IS_ERR(sb))
		return PTR_ERR(sb);
	mnt = nsm_vfs_create_mount(sb, name);
	if (IS_ERR(mnt)) {
		nsm_deactivate_super(sb);
		return PTR_ERR(mnt);
	}

	mp = nsm_lock_mount(path);
	if (IS_ERR(mp)) {
		nsm_mntput(mnt);
		return PTR_ERR(mp);
	}
	err = nsm_do_add_mount(task, mnt, mp, path, mnt_flags);
	nsm_unlock_mount(mp);
	if (err < 0)
		nsm_mntput(mnt);
	return err;
}

/* The per-mount flags that mount(2) took from its flags since 2.4. */
static unsigned int nsm_ms_mnt_flags(unsigned long flags)
{
	unsigned int mnt_flags = 0;

	if (flags & MS_NOSUID)
		mnt_flags |= MNT_NOSUID;
	if (flags & MS_NODEV)
		mnt_flags |= MNT_NODEV;
	if (flags & MS_NOEXEC)
		mnt_flags |= MNT_NOEXEC;
	if (flags & MS_NOATIME)
		mnt_flags |= MNT_NOATIME;
	if (flags & MS_NODIRATIME)
		mnt_flags |= MNT_NODIRATIME;
	return mnt_flags;
}

/*
 * models: 2.4.19's do_mount() after its lookup (NSM_FEAT_SEED_MOUNT).  Its
 * mounts had three flags of their own, nosuid, nodev and noexec; ro and
 * the rest went to the superblock (the model keeps noatime and nodiratime
 * on the mount, see docs/profiles.md), with no relatime default.  It knew
 * no MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE: a request with only
 * those is a new mount, EINVAL without a type, as any new mount checks its
 * type before CAP_SYS_ADMIN; remount, bind and move ask for CAP_SYS_ADMIN
 * first.  MS_REMOUNT comes before MS_BIND: a bind remount remounts the
 * superblock.
 */
static int nsm_seed_path_mount(struct nsm_task *task, const char *dev_name,
			       struct nsm_path *path, const char *type_page,
			       unsigned long flags, char *data_page)
{
	unsigned int mnt_flags = nsm_ms_mnt_flags(flags);
	unsigned int sb_flags = flags & (SB_RDONLY | SB_SYNCHRONOUS |
					 SB_MANDLOCK);

	if (!(flags & (MS_REMOUNT | MS_BIND | MS_MOVE)) && !type_page)
		return -EINVAL;
	if (!nsm_may_mount(task))
		return -EPERM;
	if (flags & MS_REMOUNT)
		return nsm_do_remount(task, path, flags, sb_flags, mnt_flags,
				      data_page);
	if (flags & MS_BIND)
		return nsm_do_loopback(task, path, dev_name, flags & MS_REC);
	if (flags & MS_MOVE)
		return nsm_do_move_mount_old(task, path, dev_name);
	return nsm_do_new_mount(task, path, type_page, sb_flags, mnt_flags,
				dev_name, data_page);
}

/*
 * models: path_mount(): the mount(2) flags pick the operation, in the
 * kernel's order of precedence.
 */
VISIBLE_IF_KUNIT int nsm_path_mount(struct nsm_task *task, const char *dev_name,
				    struct nsm_path *path, const char *type_page,
				    unsigned long flags, char *data_page)
{
	unsigned int mnt_flags = 0, sb_flags;

	/* discard the magic */
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (nsm_feat(task->world, NSM_FEAT_SEED_MOUNT))
		return nsm_seed_path_mount(task, dev_name, path, type_page,
					   flags, data_page);

	if (flags & MS_NOUSER)
		return -EINVAL;
	if (!nsm_may_mount(task))
		return -EPERM;

	/* relatime unless told otherwise */
	if (!(flags & MS_NOATIME))
		mnt_flags |= MNT_RELATIME;

	/* the per-mount flags */
	mnt_flags |= nsm_ms_mnt_flags(flags);
	if (flags & MS_STRICTATIME)
		mnt_flags &= ~(MNT_RELATIME | MNT_NOATIME);
	if (flags & MS_RDONLY)
		mnt_flags |= MNT_READONLY;
	if (flags & MS_NOSYMFOLLOW)
		mnt_flags |= MNT_NOSYMFOLLOW;

	/* remount keeps the atime flags unless some are given */
	if ((flags & MS_REMOUNT) &&
	    ((flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME |
		       MS_STRICTATIME)) == 0)) {
		mnt_flags &= ~MNT_ATIME_MASK;
		mnt_flags |= path->mnt->mnt_flags & MNT_ATIME_MASK;
	}

	sb_flags = flags & (SB_RDONLY | SB_SYNCHRONOUS | SB_MANDLOCK |
			    SB_DIRSYNC | SB_SILENT | SB_POSIXACL |
			    SB_LAZYTIME | SB_I_VERSION);

	if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND))
		return nsm_do_reconfigure_mnt(task, path, mnt_flags);
	if (flags & MS_REMOUNT)
		return nsm_do_remount(task, path, flags, sb_flags, mnt_flags,
				      data_page);
	if (flags & MS_BIND)
		return nsm_do_loopback(task, path, dev_name, flags & MS_REC);
	if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return nsm_do_change_type(task, path, flags);
	if (flags & MS_MOVE)
		return nsm_do_move_mount_old(task, path, dev_name);

	return nsm_do_new_mount(task, path, type_page, sb_flags, mnt_flags,
				dev_name, data_page);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_path_mount);

/*
 * models: copy_mount_string(), strndup_user(s, PATH_MAX): a NULL pointer is
 * no string, not a fault; a string that does not fit in PATH_MAX with its
 * NUL is EINVAL.
 */
static char *nsm_copy_mount_string(struct nsm_world *w, u64 uptr)
{
	char *s;

	if (!uptr)
		return NULL;
	s = nsm_strndup_user(w, uptr, NSM_PATH_MAX);
	return s == ERR_PTR(-ENAMETOOLONG) ? ERR_PTR(-EINVAL) : s;
}

/*
 * models: copy_mount_options() and path_mount()'s cut: the data is one
 * page whose last byte is made NUL, so what lies beyond PAGE_SIZE - 1
 * bytes is never parsed.  A NULL pointer is no data.
 */
static char *nsm_copy_mount_options(struct nsm_world *w, u64 uptr)
{
	if (!uptr)
		return NULL;
	return nsm_copy_user_page(w, uptr);
}

/**
 * nsm_ioctl_mount - NSM_IOC_MOUNT: mount(2) from a task
 * @w: the world, locked
 * @args: task, source, target, fstype, flags (MS_*), data
 *
 * models: the mount syscall and do_mount(): the strings are copied in the
 * kernel's order (type, source, data), then the target is looked up.
 */
long nsm_ioctl_mount(struct nsm_world *w, struct nsm_mount_args *args)
{
	char *type = NULL, *source = NULL, *data = NULL, *target;
	struct nsm_task *task;
	struct nsm_path path;
	long ret;

	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (args->flags >> 32)
		return -EINVAL;

	type = nsm_copy_mount_string(w, args->fstype);
	if (IS_ERR(type))
		return PTR_ERR(type);
	source = nsm_copy_mount_string(w, args->source);
	ret = PTR_ERR(source);
	if (IS_ERR(source))
		goto out_type;
	data = nsm_copy_mount_options(w, args->data);
	ret = PTR_ERR(data);
	if (IS_ERR(data))
		goto out_source;
	target = nsm_strndup_user(w, args->target, NSM_PATH_MAX);
	ret = PTR_ERR(target);
	if (IS_ERR(target))
		goto out_data;

	/* 2.4.19's do_mount() refused an empty target before its lookup */
	if (!*target && nsm_feat(w, NSM_FEAT_SEED_MOUNT))
		ret = -EINVAL;
	else
		ret = nsm_path_lookup(task, target, 0, &path);
	nsm_strfree(target);
	if (!ret) {
		ret = nsm_path_mount(task, source, &path, type,
				     (unsigned long)args->flags, data);
		nsm_path_put(&path);
	}
out_data:
	nsm_strfree(data);
out_source:
	nsm_strfree(source);
out_type:
	nsm_strfree(type);
	return ret;
}

/*
 * models: the mount(2) of "mount --bind /proc/PID/ns/KIND PATH" once PATH
 * is looked up: may_mount() (EPERM), then do_loopback() with the
 * namespace file as its source.  kern_path() of the proc link is
 * proc_ns_get_link(): the caller must be allowed to inspect the task
 * (ptrace_may_access() with its fs credentials, else EACCES), then
 * ns_get_path(): ENOENT where the link cannot be followed
 * (pid_for_children before the new pid namespace has an init).  Under the
 * 2.4.19 profile the link does not exist: ENOENT after the EPERM check.
 */
static int nsm_do_bind_ns(struct nsm_task *task, struct nsm_task *other,
			  const struct nsm_proc_ns_operations *ops,
			  struct nsm_path *path)
{
	struct nsm_world *w = task->world;
	bool fresh = !w->nsfs_mnt;
	struct nsm_path old_path;
	struct nsm_ns_common *ns;
	int err;

	if (!nsm_may_mount(task))
		return -EPERM;
	/* 2.4.19: do_loopback()'s walk finds no /proc/PID/ns */
	if (nsm_feat(w, NSM_FEAT_SEED_SYSCALLS))
		return -ENOENT;
	if (!nsm_ptrace_may_access(task, other, PTRACE_MODE_READ_FSCREDS))
		return -EACCES;
	ns = ops->get(other);
	if (!ns)
		return -ENOENT;
	old_path.mnt = nsm_nsfs_mnt(w);
	old_path.dentry = IS_ERR(old_path.mnt) ? ERR_CAST(old_path.mnt) :
			  nsm_ns_get_dentry(w, ns);
	ns->ops->put(ns);	/* the dentry holds its own reference */
	if (IS_ERR(old_path.dentry)) {
		err = PTR_ERR(old_path.dentry);
		goto out;
	}
	nsm_mntget(old_path.mnt);

	err = nsm_do_loopback_path(task, path, &old_path, 0);

	nsm_nsfs_dput(old_path.dentry);
	nsm_mntput(old_path.mnt);
	nsm_nsfs_reap(w);	/* a failed bind leaves the dentry unused */
out:
	/* a failed call leaves nothing behind, not even the nsfs mount */
	if (err && fresh)
		nsm_nsfs_kern_unmount(w);
	return err;
}

/**
 * nsm_ioctl_ns_bind - NSM_IOC_NS_BIND: mount --bind /proc/PID/ns/KIND PATH
 * @w: the world, locked
 * @args: the task that mounts, the task whose namespace it binds (the
 *        PID), the kind, the target path
 *
 * models: mount(2) with MS_BIND of a namespace file, as ip-netns and
 * "unshare --net=FILE" do: the target is looked up first, as the mount
 * syscall does.  The bind mount holds a reference on the namespace until
 * it is unmounted and freed.  Errors: ESRCH (either task), EACCES (the
 * task may not inspect the other, ptrace_may_access()), EINVAL (flags,
 * kind; a mount namespace not newer than the caller's, mnt_ns_loop();
 * propagating a mount namespace file to a peer, copy_tree()), ENOTDIR
 * when PATH is a directory (namespace files are regular files), and those
 * of the path walk and of any bind.
 */
long nsm_ioctl_ns_bind(struct nsm_world *w, struct nsm_ns_bind_args *args)
{
	const struct nsm_proc_ns_operations *ops;
	struct nsm_task *task, *other;
	struct nsm_path path;
	char *target;
	long ret;

	task = nsm_mnt_task(w, args->task);
	other = nsm_mnt_task(w, args->target);
	if (!task || !other)
		return -ESRCH;
	ops = nsm_ns_entry(args->kind);
	if (args->flags || args->__reserved || !ops)
		return -EINVAL;
	target = nsm_strndup_user(w, args->path, NSM_PATH_MAX);
	if (IS_ERR(target))
		return PTR_ERR(target);
	ret = nsm_path_lookup(task, target, 0, &path);
	nsm_strfree(target);
	if (ret)
		return ret;
	ret = nsm_do_bind_ns(task, other, ops, &path);
	nsm_path_put(&path);
	return ret;
}

/* ---- mount namespaces ---- */

/**
 * nsm_free_mnt_ns - free a mount namespace that holds no mount any more
 * @ns: the namespace
 *
 * models: free_mnt_ns(); an anonymous namespace has no inode number.
 */
void nsm_free_mnt_ns(struct nsm_mnt_namespace *ns)
{
	struct nsm_world *w = ns->ns.world;

	if (!nsm_is_anon_ns(ns))
		nsm_ns_free_inum(&ns->ns);
	else
		w->nr_namespaces--;
	nsm_put_user_ns(ns->user_ns);
	nsm_free(w, NSM_OBJ_MNT_NS, ns, sizeof(*ns));
}

/**
 * nsm_alloc_mnt_ns - a new, empty mount namespace
 * @w: the world
 * @user_ns: its owner
 * @anon: an anonymous namespace, for a detached tree (open_tree())
 *
 * models: alloc_mnt_ns(): an anonymous namespace gets neither an inode
 * number (nothing can open or enter it) nor a sequence number (seq 0 is
 * what is_anon_ns() tests), but counts against the namespace limit as
 * the kernel's counts against the user's max_mnt_namespaces (ENOSPC).
 */
struct nsm_mnt_namespace *nsm_alloc_mnt_ns(struct nsm_world *w,
					   struct nsm_user_namespace *user_ns,
					   bool anon)
{
	struct nsm_mnt_namespace *new_ns;
	int ret;

	if (anon && w->nr_namespaces >= nsm_max_namespaces)
		return ERR_PTR(-ENOSPC);
	new_ns = nsm_alloc(w, NSM_OBJ_MNT_NS, sizeof(*new_ns));
	if (!new_ns)
		return ERR_PTR(-ENOMEM);
	if (!anon) {
		ret = nsm_ns_alloc_inum(w, &new_ns->ns, &nsm_mntns_operations);
		if (ret) {
			nsm_free(w, NSM_OBJ_MNT_NS, new_ns, sizeof(*new_ns));
			return ERR_PTR(ret);
		}
		new_ns->seq = atomic64_add_return(1, &nsm_mnt_ns_seq);
	} else {
		new_ns->ns.ops = &nsm_mntns_operations;
		new_ns->ns.world = w;
		refcount_set(&new_ns->ns.count, 1);
		w->nr_namespaces++;
	}
	INIT_LIST_HEAD(&new_ns->list);
	new_ns->user_ns = nsm_get_user_ns(user_ns);
	return new_ns;
}

/**
 * nsm_copy_mnt_ns - the mount namespace of a task that clones or unshares
 * @flags: the clone/unshare flags
 * @ns: the task's current mount namespace
 * @user_ns: the user namespace that will own a new one
 * @new_fs: the task's (private) fs_struct, whose root and cwd follow the
 *          copy; may be NULL
 *
 * models: copy_mnt_ns().  Without CLONE_NEWNS the namespace is shared (one
 * more reference).  With it, the whole tree is copied in two passes:
 *
 * Pass one copies the topology with copy_tree(), unbindable mounts
 * included, each copy a peer of its original - or, when the new namespace
 * belongs to another user namespace, a slave of it (CL_SHARED_TO_SLAVE),
 * and then every copy is locked (lock_mnt_tree()) so that the less
 * privileged owner can neither change its flags nor uncover what it hides.
 *
 * Pass two walks the old and the new tree side by side in next_mnt()
 * order: each copy joins the new namespace and is counted, and where the
 * task's root or cwd sits on an original mount it moves to the copy.  An
 * original that pass one did not copy has no partner; it is stepped over
 * by comparing the mounts' root dentries, as the kernel does.
 *
 * Returns the referenced namespace or an ERR_PTR; on failure nothing has
 * changed.
 */
struct nsm_mnt_namespace *nsm_copy_mnt_ns(u64 flags,
					  struct nsm_mnt_namespace *ns,
					  struct nsm_user_namespace *user_ns,
					  struct nsm_fs_struct *new_fs)
{
	struct nsm_mnt_namespace *new_ns;
	struct nsm_mount *rootmnt = NULL, *pwdmnt = NULL;
	struct nsm_mount *p, *q;
	struct nsm_mount *old;
	struct nsm_mount *new;
	struct nsm_world *w;
	int copy_flags;

	if (likely(!(flags & CLONE_NEWNS))) {
		nsm_get_mnt_ns(ns);
		return ns;
	}

	w = ns->ns.world;
	old = ns->root;

	new_ns = nsm_alloc_mnt_ns(w, user_ns, false);
	if (IS_ERR(new_ns)) {
		trace_nsm_copy_mnt_ns_result(w->id, 0, 0, PTR_ERR(new_ns));
		return new_ns;
	}

	/* First pass: copy the tree topology */
	copy_flags = CL_COPY_UNBINDABLE | CL_EXPIRE;
	if (user_ns != ns->user_ns)
		copy_flags |= CL_SHARED_TO_SLAVE;
	trace_nsm_copy_mnt_ns_start(w->id, ns->ns.inum, new_ns->ns.inum,
				    copy_flags);
	trace_nsm_copy_tree_call(w->id, NSM_COPY_TREE_COPY_MNT_NS, old->mnt_id);
	new = nsm_copy_tree(old, old->mnt_root, copy_flags);
	if (IS_ERR(new)) {
		nsm_namespace_unlock(w);
		nsm_free_mnt_ns(new_ns);
		trace_nsm_copy_mnt_ns_result(w->id, 0, 0, PTR_ERR(new));
		return ERR_CAST(new);
	}
	if (user_ns != ns->user_ns)
		nsm_lock_mnt_tree(new);
	new_ns->root = new;
	list_add_tail(&new_ns->list, &new->mnt_list);

	/*
	 * Second pass: mark the copies as the new namespace's and move the
	 * task's root and cwd onto them.  The fs_struct is private to the
	 * task by now, so nothing else sees it change.
	 */
	p = old;
	q = new;
	while (p) {
		bool root_moved = false, pwd_moved = false;

		q->mnt_ns = new_ns;
		new_ns->mounts++;
		if (new_fs) {
			if (p == new_fs->root.mnt) {
				new_fs->root.mnt = nsm_mntget(q);
				rootmnt = p;
				root_moved = true;
			}
			if (p == new_fs->pwd.mnt) {
				new_fs->pwd.mnt = nsm_mntget(q);
				pwdmnt = p;
				pwd_moved = true;
			}
		}
		trace_nsm_copy_mnt_ns_pair(w->id, p->mnt_id, q->mnt_id,
					   new_ns->ns.inum, root_moved,
					   pwd_moved);
		/* pass two cannot fail: it only yields */
		cond_resched();
		p = nsm_next_mnt(p, old);
		q = nsm_next_mnt(q, new);
		if (!q)
			break;
		/* an original that pass one left out has no copy */
		while (p->mnt_root != q->mnt_root) {
			trace_nsm_copy_mnt_ns_skip(w->id, p->mnt_id);
			if (nsm_feat(w, NSM_FEAT_COPY_SKIPS_SUBTREE))
				p = nsm_skip_mnt_tree(p);
			p = nsm_next_mnt(p, old);
		}
	}
	nsm_namespace_unlock(w);

	if (rootmnt)
		nsm_mntput(rootmnt);
	if (pwdmnt)
		nsm_mntput(pwdmnt);

	trace_nsm_copy_mnt_ns_result(w->id, new_ns->ns.inum, new_ns->mounts, 0);
	return new_ns;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_copy_mnt_ns);

/**
 * nsm_init_mnt_ns - the initial mount namespace of a world
 * @w: the world
 * @user_ns: its initial user namespace
 * @nsp: where to store the new namespace (one reference, for the caller)
 * @fs: the init task's fs_struct; root and cwd are set to "/"
 *
 * models: init_mount_tree(), and what the scenario runner's kernel
 * backend then does: the namespace's root is a locked "rootfs" that
 * nobody sees, and the world's "/" is a tmpfs mounted on top of it
 * ("mount -t tmpfs -o mode=755 tmpfs"), as a pivoted scratch root sits on
 * the rootfs of a real system.  So "/" has a parent, as on any real
 * system, "umount -l /" detaches it as it would there, and setns() lands
 * on it by following the mounts on the namespace root (LOOKUP_DOWN).
 */
int nsm_init_mnt_ns(struct nsm_world *w, struct nsm_user_namespace *user_ns,
		    struct nsm_mnt_namespace **nsp, struct nsm_fs_struct *fs)
{
	struct nsm_super_block *rsb, *sb;
	struct nsm_mnt_namespace *ns;
	struct nsm_mount *rootfs, *m;
	struct nsm_path root;
	int err;

	rsb = nsm_alloc_super(w, "rootfs", user_ns);
	if (IS_ERR(rsb))
		return PTR_ERR(rsb);
	rootfs = nsm_vfs_create_mount(rsb, "rootfs");
	if (IS_ERR(rootfs)) {
		nsm_deactivate_super(rsb);
		return PTR_ERR(rootfs);
	}

	ns = nsm_alloc_mnt_ns(w, user_ns, false);
	if (IS_ERR(ns)) {
		nsm_mntput(rootfs);
		return PTR_ERR(ns);
	}
	rootfs->mnt_ns = ns;
	ns->root = rootfs;
	ns->mounts = 1;
	list_add(&rootfs->mnt_list, &ns->list);
	rootfs->mnt_flags |= MNT_LOCKED;

	/* the world's "/" */
	sb = nsm_alloc_super(w, "tmpfs", user_ns);
	if (IS_ERR(sb)) {
		err = PTR_ERR(sb);
		goto out_ns;
	}
	sb->mode = 0755;
	sb->s_root->i_mode = S_IFDIR | sb->mode;
	m = nsm_vfs_create_mount(sb, "tmpfs");
	if (IS_ERR(m)) {
		nsm_deactivate_super(sb);
		err = PTR_ERR(m);
		goto out_ns;
	}
	m->mnt_flags = MNT_RELATIME;
	/* counted as attach_recursive_mnt() would, but never refused */
	ns->pending_mounts = 1;
	nsm_mnt_set_mountpoint(rootfs, rootfs->mnt_root, m);
	nsm_commit_tree(m);

	root.mnt = m;
	root.dentry = m->mnt_root;
	if (fs) {
		nsm_set_fs_root(fs, &root);
		nsm_set_fs_pwd(fs, &root);
	}
	*nsp = ns;
	return 0;

out_ns:
	nsm_put_mnt_ns(ns);
	return err;
}

/**
 * nsm_get_mnt_ns - take a reference on a mount namespace
 * @ns: the namespace
 */
void nsm_get_mnt_ns(struct nsm_mnt_namespace *ns)
{
	refcount_inc(&ns->ns.count);
}

/**
 * nsm_put_mnt_ns - drop a reference on a mount namespace
 * @ns: the namespace
 *
 * models: put_mnt_ns(): the last reference unmounts the whole tree (as
 * drop_collected_mounts()) and frees the namespace; mounts that tasks'
 * paths still point into live on, detached, until those paths go.
 */
void nsm_put_mnt_ns(struct nsm_mnt_namespace *ns)
{
	struct nsm_world *w = ns->ns.world;

	if (!refcount_dec_and_test(&ns->ns.count))
		return;
	nsm_umount_tree(ns->root, 0);
	nsm_namespace_unlock(w);
	nsm_free_mnt_ns(ns);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_put_mnt_ns);

/**
 * nsm_dissolve_on_fput - the last handle on a detached tree is closed
 * @mnt: the mount the handle held
 *
 * models: dissolve_on_fput(): if @mnt is still in an anonymous namespace
 * (the root of a tree that open_tree() detached and nothing attached
 * since), the whole tree is unmounted and the namespace freed.  A tree
 * that move_mount() attached belongs to a real namespace by now, and
 * stays.
 */
void nsm_dissolve_on_fput(struct nsm_mount *mnt)
{
	struct nsm_world *w = mnt->world;
	struct nsm_mnt_namespace *ns = mnt->mnt_ns;

	if (ns) {
		if (nsm_is_anon_ns(ns)) {
			trace_nsm_dissolve(w->id, mnt->mnt_id, ns->mounts);
			nsm_umount_tree(mnt, NSM_UMOUNT_CONNECTED);
		} else {
			ns = NULL;
		}
	}
	nsm_namespace_unlock(w);
	if (ns)
		nsm_free_mnt_ns(ns);
}

/* models: mntns_get() */
static struct nsm_ns_common *nsm_mntns_get(struct nsm_task *task)
{
	struct nsm_ns_common *ns = NULL;

	if (task->nsproxy) {
		ns = &task->nsproxy->mnt_ns->ns;
		nsm_get_mnt_ns(to_mnt_ns(ns));
	}
	return ns;
}

/* models: mntns_put() */
static void nsm_mntns_put(struct nsm_ns_common *ns)
{
	nsm_put_mnt_ns(to_mnt_ns(ns));
}

/*
 * models: mntns_install(): setns() into a mount namespace needs
 * CAP_SYS_ADMIN over it, and CAP_SYS_CHROOT and CAP_SYS_ADMIN over the
 * user namespace the task will be in (nsset->cred's, which a user
 * namespace entered by the same setns() has already changed) - all held
 * by the caller's current credentials, as ns_capable() checks
 * current_cred() - and an fs_struct nobody else shares (6.1 counts the
 * users of the nsset's fs_struct, a private copy when more kinds than mnt
 * are entered; 6.12 those of the task's own); root and cwd then move to
 * the namespace's root, following any mounts stacked on it.
 */
static int nsm_mntns_install(struct nsm_nsset *nsset, struct nsm_ns_common *ns)
{
	struct nsm_nsproxy *nsproxy = nsset->nsproxy;
	struct nsm_fs_struct *fs = nsset->fs;
	struct nsm_mnt_namespace *mnt_ns = to_mnt_ns(ns), *old_mnt_ns;
	struct nsm_user_namespace *user_ns = nsset->cred->user_ns;
	const struct nsm_cred *cred = nsset->task->cred;	/* current_cred() */
	struct nsm_path root;
	int fs_users;

	if (!nsm_ns_capable(cred, mnt_ns->user_ns, CAP_SYS_ADMIN) ||
	    !nsm_ns_capable(cred, user_ns, CAP_SYS_CHROOT) ||
	    !nsm_ns_capable(cred, user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	if (nsm_is_anon_ns(mnt_ns))
		return -EINVAL;

	/* 6.12 looks at current->fs, the others at the nsset's copy */
	if (nsm_feat(mnt_ns->ns.world, NSM_FEAT_MNTNS_INSTALL_CURRENT_FS))
		fs_users = nsset->task->fs ? nsset->task->fs->users : 0;
	else
		fs_users = fs ? fs->users : 0;
	if (!fs || fs_users != 1)
		return -EINVAL;

	nsm_get_mnt_ns(mnt_ns);
	old_mnt_ns = nsproxy->mnt_ns;
	nsproxy->mnt_ns = mnt_ns;

	/* find the root: "/" of the namespace with LOOKUP_DOWN */
	root.mnt = mnt_ns->root;
	root.dentry = mnt_ns->root->mnt_root;
	while (nsm_lookup_mnt(root.mnt, root.dentry)) {
		root.mnt = nsm_lookup_mnt(root.mnt, root.dentry);
		root.dentry = root.mnt->mnt_root;
	}
	nsm_path_get(&root);

	nsm_put_mnt_ns(old_mnt_ns);

	/* update the cwd and root */
	nsm_set_fs_pwd(fs, &root);
	nsm_set_fs_root(fs, &root);

	nsm_path_put(&root);
	return 0;
}

/* models: mntns_owner() */
static struct nsm_user_namespace *nsm_mntns_owner(struct nsm_ns_common *ns)
{
	return to_mnt_ns(ns)->user_ns;
}

/* models: mntns_operations */
const struct nsm_proc_ns_operations nsm_mntns_operations = {
	.name		= "mnt",
	.type		= CLONE_NEWNS,
	.kind		= NSM_NS_MNT,
	.get		= nsm_mntns_get,
	.put		= nsm_mntns_put,
	.install	= nsm_mntns_install,
	.owner		= nsm_mntns_owner,
};

/**
 * nsm_current_chrooted - does @task have a root other than its namespace's?
 * @task: the task
 *
 * models: current_chrooted(), with the namespace root followed down
 * through any mounts stacked on it.  create_user_ns() refuses a chrooted
 * caller.
 */
bool nsm_current_chrooted(struct nsm_task *task)
{
	struct nsm_mnt_namespace *ns = task->nsproxy->mnt_ns;
	struct nsm_path ns_root;
	struct nsm_mount *m;

	ns_root.mnt = ns->root;
	ns_root.dentry = ns->root->mnt_root;
	while ((m = nsm_lookup_mnt(ns_root.mnt, ns_root.dentry))) {
		ns_root.mnt = m;
		ns_root.dentry = m->mnt_root;
	}
	return task->fs->root.mnt != ns_root.mnt ||
	       task->fs->root.dentry != ns_root.dentry;
}

/**
 * nsm_is_path_reachable - is (@mnt, @dentry) at or below @root?
 * @mnt: the mount
 * @dentry: a dentry of it
 * @root: the path to be under
 *
 * models: is_path_reachable()
 */
bool nsm_is_path_reachable(struct nsm_mount *mnt, struct nsm_dentry *dentry,
			   const struct nsm_path *root)
{
	while (mnt != root->mnt && nsm_mnt_has_parent(mnt)) {
		dentry = mnt->mnt_mountpoint;
		mnt = mnt->mnt_parent;
	}
	return mnt == root->mnt && nsm_is_subdir(dentry, root->dentry);
}

/*
 * models: the body of the pivot_root syscall, from get_fs_root() on:
 * @new and @old are looked up and referenced.  The old root moves onto
 * @old (on top of whatever is mounted there: lock_mount()), the mount of
 * @new takes the old root's place on its parent, a lock of the old root
 * passes to its successor (what it covered stays covered), and every
 * root and cwd at the old root moves to @new.
 */
static int nsm_do_pivot_root(struct nsm_task *task, struct nsm_path *new,
			     struct nsm_path *old)
{
	struct nsm_mount *new_mnt, *root_mnt, *old_mnt, *root_parent;
	struct nsm_mount *ex_parent = NULL;
	struct nsm_dentry *old_mp, *root_mp;
	struct nsm_path root = task->fs->root;
	int error;

	nsm_path_get(&root);	/* get_fs_root() */
	old_mp = nsm_lock_mount(old);
	error = PTR_ERR(old_mp);
	if (IS_ERR(old_mp))
		goto out;

	error = -EINVAL;
	new_mnt = new->mnt;
	root_mnt = root.mnt;
	old_mnt = old->mnt;
	/* only mounts of our namespace have parents we may change */
	if (!nsm_check_mnt(task, root_mnt) || !nsm_check_mnt(task, new_mnt))
		goto out_unlock;
	ex_parent = new_mnt->mnt_parent;
	root_parent = root_mnt->mnt_parent;
	/* nothing that would have to propagate the moves */
	if (NSM_IS_MNT_SHARED(old_mnt) || NSM_IS_MNT_SHARED(ex_parent) ||
	    NSM_IS_MNT_SHARED(root_parent))
		goto out_unlock;
	/* a locked mount stays on what it covers */
	if (new_mnt->mnt_flags & MNT_LOCKED)
		goto out_unlock;
	/* a removed new_root (d_unlinked(): a root dentry is never removed) */
	error = -ENOENT;
	if (new->dentry->d_deleted)
		goto out_unlock;
	error = -EBUSY;
	if (new_mnt == root_mnt || old_mnt == root_mnt)
		goto out_unlock;
	error = -EINVAL;
	/* the root must be a whole, attached mount, and so must new_root */
	if (root_mnt->mnt_root != root.dentry || !nsm_mnt_has_parent(root_mnt))
		goto out_unlock;
	if (new_mnt->mnt_root != new->dentry || !nsm_mnt_has_parent(new_mnt))
		goto out_unlock;
	/* put_old at or under new_root, new_root under the root */
	if (!nsm_is_path_reachable(old_mnt, old->dentry, new))
		goto out_unlock;
	if (!nsm_is_path_reachable(new_mnt, new->dentry, &root))
		goto out_unlock;

	nsm_umount_mnt(new_mnt);
	root_mp = nsm_unhash_mnt(root_mnt);	/* new_mnt goes there */
	if (root_mnt->mnt_flags & MNT_LOCKED) {
		new_mnt->mnt_flags |= MNT_LOCKED;
		root_mnt->mnt_flags &= ~MNT_LOCKED;
	}
	nsm_attach_mnt(root_mnt, old_mnt, old_mp);
	nsm_attach_mnt(new_mnt, root_parent, root_mp);
	/* root_mnt no longer holds its old parent; new_mnt does now */
	root_parent->mnt_count--;
	nsm_touch_mnt_namespace(task->nsproxy->mnt_ns);
	/* a moved mount does not expire by itself */
	list_del_init(&new_mnt->mnt_expire);
	nsm_put_mountpoint(root_mp);
	nsm_chroot_fs_refs(task->world, &root, new);
	error = 0;
out_unlock:
	nsm_unlock_mount(old_mp);
	/* new_mnt's reference on the parent it left */
	if (!error)
		nsm_mntput_no_expire(ex_parent);
out:
	nsm_path_put(&root);
	return error;
}

/*
 * models: user_path_at(AT_FDCWD, @uptr, LOOKUP_FOLLOW | LOOKUP_DIRECTORY)
 * for pivot_root(): the string is copied in (EFAULT, ENAMETOOLONG), looked
 * up, and must end on a directory (ENOTDIR).  A referenced path on success.
 */
static int nsm_user_path_dir(struct nsm_task *task, u64 uptr,
			     struct nsm_path *path)
{
	char *name = nsm_strndup_user(task->world, uptr, NSM_PATH_MAX);
	int ret;

	if (IS_ERR(name))
		return PTR_ERR(name);
	ret = nsm_path_lookup(task, name, 0, path);
	nsm_strfree(name);
	if (!ret && !S_ISDIR(path->dentry->i_mode)) {
		nsm_path_put(path);
		ret = -ENOTDIR;
	}
	return ret;
}

/**
 * nsm_ioctl_pivot_root - NSM_IOC_PIVOT_ROOT: pivot_root(2) from a task
 * @w: the world, locked
 * @args: task, new_root and put_old
 *
 * models: the pivot_root syscall: may_mount() first (EPERM), then the
 * lookup of new_root and of put_old, each to a directory (ENOTDIR), then
 * the checks of nsm_do_pivot_root().
 */
long nsm_ioctl_pivot_root(struct nsm_world *w,
			  struct nsm_pivot_root_args *args)
{
	struct nsm_path new, old;
	struct nsm_task *task;
	int ret;

	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (!nsm_may_mount(task))
		return -EPERM;

	ret = nsm_user_path_dir(task, args->new_root, &new);
	if (ret)
		return ret;
	ret = nsm_user_path_dir(task, args->put_old, &old);
	if (!ret) {
		ret = nsm_do_pivot_root(task, &new, &old);
		nsm_path_put(&old);
	}
	nsm_path_put(&new);
	return ret;
}
