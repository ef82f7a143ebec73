// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel KUnit tests of module/namespace.c (fs/namespace.c in the kernel).
 *
 * Suite nsmodel-walk: the tree walks everything else is built on.
 *  - nsm_next_mnt() visits a tree depth first, children in the order they
 *    were attached, a mount stacked on another right after it, and stops
 *    at the end of the subtree it was asked to walk;
 *  - nsm_skip_mnt_tree() returns the last mount of a subtree in that
 *    order, so that next_mnt() of it leaves the subtree.
 *
 * Suite nsmodel-namespace: the two passes of the mount tree copy.
 *  - pass one, nsm_copy_tree(): which mounts are copied (the tree under
 *    the given dentry; unbindable subtrees left out without
 *    CL_COPY_UNBINDABLE, EINVAL for an unbindable root, EPERM when an
 *    unbindable mount is also MNT_LOCKED, with nothing left behind), the
 *    parents, mountpoints and roots of the copies, and the peer group or
 *    master of a copy for each CL_ flag (none, CL_SLAVE, CL_PRIVATE,
 *    CL_SHARED_TO_SLAVE of a shared, private and slave mount,
 *    CL_MAKE_SHARED, CL_SLAVE | CL_MAKE_SHARED);
 *  - nsm_copy_mnt_ns(): without CLONE_NEWNS one more reference on the
 *    same namespace; with it every mount copied (unbindable ones too), in
 *    the new namespace and counted, peers of their originals, the task's
 *    root and cwd moved onto the copies with their references (a cwd on
 *    a lazily unmounted mount stays where it is); into a
 *    new user namespace every copy locked (MNT_LOCKED and the MNT_LOCK_*
 *    flag of each of its flags) and shared mounts copied as slaves; and
 *    every allocation failed in turn, each failure leaving the world,
 *    the fs_struct and the mounts' counts exactly as they were.
 *
 * Left out: pass two's skip of an original that pass one did not copy.
 * copy_mnt_ns() copies with CL_COPY_UNBINDABLE, so only an nsfs mount
 * (CL_COPY_MNT_NS_FILE) can be left out, and the model has no nsfs mounts.
 */
#include <linux/err.h>
#include <uapi/linux/mount.h>
#include <kunit/test.h>

#include "nsm_kunit.h"

/* ---- nsmodel-walk ---- */

/*
 * The tree of the walk tests, in init's view ("/" is T on the hidden
 * rootfs R): /a (A), /a/x (X), /a/x/deep (D), /a/y (Y), /b (B).
 */
struct walk_tree {
	struct nsm_mount *r, *t, *a, *x, *d, *y, *b;
};

static int walk_build(struct nsmk *k, struct walk_tree *wt)
{
	struct nsm_task *init = k->init;

	wt->r = init->nsproxy->mnt_ns->root;
	wt->t = nsmk_mnt(k, init, "/");
	wt->a = nsmk_mount(k, init, "a", "/a");
	if (IS_ERR(wt->t) || IS_ERR(wt->a))
		return -EINVAL;
	wt->x = nsmk_mount(k, init, "x", "/a/x");
	if (IS_ERR(wt->x))
		return PTR_ERR(wt->x);
	wt->d = nsmk_mount(k, init, "deep", "/a/x/deep");
	wt->y = nsmk_mount(k, init, "y", "/a/y");
	wt->b = nsmk_mount(k, init, "b", "/b");
	if (IS_ERR(wt->d) || IS_ERR(wt->y) || IS_ERR(wt->b))
		return -EINVAL;
	return 0;
}

/* next_mnt() from the namespace root visits every mount, depth first */
static void walk_preorder(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct walk_tree wt;
	struct nsm_mount *want[7], *p;
	int i = 0;

	nsmk_lock(k);
	if (nsmk_bad(k, walk_build(k, &wt)))
		goto out;
	want[0] = wt.r;
	want[1] = wt.t;
	want[2] = wt.a;
	want[3] = wt.x;
	want[4] = wt.d;
	want[5] = wt.y;
	want[6] = wt.b;
	for (p = wt.r; p; p = nsm_next_mnt(p, wt.r)) {
		if (nsmk_bad(k, i >= (int)ARRAY_SIZE(want)))
			goto out;
		KUNIT_EXPECT_PTR_EQ_MSG(test, p, want[i], "step %d", i);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 7);
	KUNIT_EXPECT_EQ(test, nsmk_count_tree(wt.r),
			k->init->nsproxy->mnt_ns->mounts);
out:
	nsmk_unlock(k);
}

/* a walk rooted inside the tree stays in its subtree */
static void walk_subtree(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct walk_tree wt;

	nsmk_lock(k);
	if (nsmk_bad(k, walk_build(k, &wt)))
		goto out;
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(wt.a, wt.a), wt.x);
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(wt.x, wt.a), wt.d);
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(wt.d, wt.a), wt.y);
	KUNIT_EXPECT_NULL(test, nsm_next_mnt(wt.y, wt.a));
	/* a leaf's walk is the leaf */
	KUNIT_EXPECT_NULL(test, nsm_next_mnt(wt.d, wt.d));
	KUNIT_EXPECT_NULL(test, nsm_next_mnt(wt.b, wt.b));
	/* from the deepest mount of a subtree, up and over to the sibling */
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(wt.d, wt.r), wt.y);
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(wt.y, wt.r), wt.b);
	KUNIT_EXPECT_NULL(test, nsm_next_mnt(wt.b, wt.r));
	KUNIT_EXPECT_EQ(test, nsmk_count_tree(wt.a), 4U);
out:
	nsmk_unlock(k);
}

/* skip_mnt_tree() gives the last mount of a subtree in walk order */
static void walk_skip_mnt_tree(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct walk_tree wt;

	nsmk_lock(k);
	if (nsmk_bad(k, walk_build(k, &wt)))
		goto out;
	KUNIT_EXPECT_PTR_EQ(test, nsm_skip_mnt_tree(wt.a), wt.y);
	KUNIT_EXPECT_PTR_EQ(test, nsm_skip_mnt_tree(wt.x), wt.d);
	KUNIT_EXPECT_PTR_EQ(test, nsm_skip_mnt_tree(wt.d), wt.d);
	KUNIT_EXPECT_PTR_EQ(test, nsm_skip_mnt_tree(wt.t), wt.b);
	KUNIT_EXPECT_PTR_EQ(test, nsm_skip_mnt_tree(wt.r), wt.b);
	/* so that next_mnt() of it leaves the subtree */
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(nsm_skip_mnt_tree(wt.a), wt.r),
			    wt.b);
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(nsm_skip_mnt_tree(wt.x), wt.r),
			    wt.y);
	KUNIT_EXPECT_NULL(test, nsm_next_mnt(nsm_skip_mnt_tree(wt.t), wt.r));
out:
	nsmk_unlock(k);
}

/* a mount stacked on another is its child, walked right after it */
static void walk_stacked(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *b, *b2, *b3, *c;

	nsmk_lock(k);
	b = nsmk_mount(k, k->init, "b", "/b");
	b2 = nsmk_mount(k, k->init, "b2", "/b");
	c = nsmk_mount(k, k->init, "c", "/c");
	if (nsmk_bad(k, IS_ERR(b) || IS_ERR(b2) || IS_ERR(c)))
		goto out;
	b3 = nsmk_mount(k, k->init, "b3", "/b");
	if (nsmk_bad(k, IS_ERR(b3)))
		goto out;
	KUNIT_EXPECT_PTR_EQ(test, b2->mnt_parent, b);
	KUNIT_EXPECT_PTR_EQ(test, b2->mnt_mountpoint, b->mnt_root);
	KUNIT_EXPECT_PTR_EQ(test, b3->mnt_parent, b2);
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(b, b->mnt_parent), b2);
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(b2, b->mnt_parent), b3);
	KUNIT_EXPECT_PTR_EQ(test, nsm_next_mnt(b3, b->mnt_parent), c);
	KUNIT_EXPECT_PTR_EQ(test, nsm_skip_mnt_tree(b), b3);
	KUNIT_EXPECT_PTR_EQ(test, nsm_lookup_mnt(b, b->mnt_root), b2);
out:
	nsmk_unlock(k);
}

static struct kunit_case walk_cases[] = {
	KUNIT_CASE(walk_preorder),
	KUNIT_CASE(walk_subtree),
	KUNIT_CASE(walk_skip_mnt_tree),
	KUNIT_CASE(walk_stacked),
	{}
};

static struct kunit_suite walk_suite = {
	.name = "nsmodel-walk",
	.init = nsmk_init,
	.exit = nsmk_exit,
	.test_cases = walk_cases,
};

/* ---- nsmodel-namespace: pass one, copy_tree() ---- */

#define NSMK_MAX_PAIRS	16

/* the mounts of two trees, paired in walk order */
struct pairs {
	struct nsm_mount *orig[NSMK_MAX_PAIRS];
	struct nsm_mount *copy[NSMK_MAX_PAIRS];
	int n;
};

/* the copy of @orig, or NULL */
static struct nsm_mount *copy_of(struct pairs *pr, struct nsm_mount *orig)
{
	int i;

	for (i = 0; i < pr->n; i++)
		if (pr->orig[i] == orig)
			return pr->copy[i];
	return NULL;
}

/*
 * Pair the walk of @copy with the walk of @orig, skipping the originals
 * that have no copy (another root dentry), as copy_mnt_ns() does.
 * Returns the number of pairs, or -1 when the copy has mounts left over.
 */
static int pair_trees(struct pairs *pr, struct nsm_mount *orig,
		      struct nsm_mount *copy)
{
	struct nsm_mount *p = orig, *q = copy;

	pr->n = 0;
	while (p && q && pr->n < NSMK_MAX_PAIRS) {
		if (p->mnt_root != q->mnt_root) {
			p = nsm_next_mnt(p, orig);
			continue;
		}
		pr->orig[pr->n] = p;
		pr->copy[pr->n] = q;
		pr->n++;
		p = nsm_next_mnt(p, orig);
		q = nsm_next_mnt(q, copy);
	}
	return q ? -1 : pr->n;
}

/* free a tree that copy_tree() made and nobody attached */
static void drop_copy(struct nsmk *k, struct nsm_mount *copy)
{
	nsm_umount_tree(copy, NSM_UMOUNT_SYNC);
	nsm_namespace_unlock(k->w);
}

/* every copy mirrors its original, and hangs off the copy of its parent */
static void check_pairs(struct kunit *test, struct pairs *pr)
{
	int i;

	for (i = 0; i < pr->n; i++) {
		struct nsm_mount *p = pr->orig[i], *q = pr->copy[i];

		KUNIT_EXPECT_PTR_NE(test, q, p);
		KUNIT_EXPECT_NE(test, q->mnt_id, p->mnt_id);
		KUNIT_EXPECT_PTR_EQ(test, q->mnt_sb, p->mnt_sb);
		KUNIT_EXPECT_PTR_EQ(test, q->mnt_root, p->mnt_root);
		KUNIT_EXPECT_STREQ(test, q->mnt_devname, p->mnt_devname);
		KUNIT_EXPECT_NULL(test, q->mnt_ns);
		if (i == 0) {
			/* the root of the copy hangs nowhere */
			KUNIT_EXPECT_PTR_EQ(test, q->mnt_parent, q);
			continue;
		}
		KUNIT_EXPECT_PTR_EQ_MSG(test, q->mnt_parent,
					copy_of(pr, p->mnt_parent),
					"parent of copy %d", i);
		KUNIT_EXPECT_PTR_EQ(test, q->mnt_mountpoint, p->mnt_mountpoint);
		KUNIT_EXPECT_PTR_EQ(test, q->mnt_mp, p->mnt_mp);
		/* attached: a lookup on the parent copy finds it */
		KUNIT_EXPECT_PTR_EQ(test,
				    nsm_lookup_mnt(q->mnt_parent,
						   q->mnt_mountpoint), q);
		/* and on the result's mnt_list, in walk order */
		KUNIT_EXPECT_PTR_EQ(test, list_prev_entry(q, mnt_list),
				    pr->copy[i - 1]);
	}
}

/* pass one copies the topology: parents, mountpoints, roots */
static void copy_tree_topology(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *t, *a, *x, *b, *copy;
	struct pairs pr;
	int s_active;

	nsmk_lock(k);
	t = nsmk_mnt(k, k->init, "/");
	a = nsmk_mount(k, k->init, "a", "/a");
	x = nsmk_mount(k, k->init, "x", "/a/x");
	b = nsmk_bind(k, k->init, "/a", "/b", false);
	if (nsmk_bad(k, IS_ERR(t) || IS_ERR(a) || IS_ERR(x) || IS_ERR(b)))
		goto out;
	s_active = a->mnt_sb->s_active;

	copy = nsm_copy_tree(t, t->mnt_root, CL_COPY_UNBINDABLE | CL_EXPIRE);
	if (nsmk_bad(k, IS_ERR_OR_NULL(copy)))
		goto out;
	KUNIT_EXPECT_EQ(test, pair_trees(&pr, t, copy), 4);
	check_pairs(test, &pr);
	/* the copy of the root shows where the original was mounted */
	KUNIT_EXPECT_PTR_EQ(test, copy->mnt_mountpoint, t->mnt_mountpoint);
	/* two more mounts of A's superblock (A and its bind B) */
	KUNIT_EXPECT_EQ(test, a->mnt_sb->s_active, s_active + 2);
	KUNIT_EXPECT_EQ(test, nsmk_list_len(&copy->mnt_list), 3U);
	drop_copy(k, copy);
	KUNIT_EXPECT_EQ(test, a->mnt_sb->s_active, s_active);
out:
	nsmk_unlock(k);
}

/* copied from a subdirectory, only the mounts under it come along */
static void copy_tree_from_dentry(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *t, *m, *n, *copy;
	struct nsm_dentry *d;

	nsmk_lock(k);
	t = nsmk_mnt(k, k->init, "/");
	m = nsmk_mount(k, k->init, "m", "/d/m");
	n = nsmk_mount(k, k->init, "n", "/n");
	d = nsmk_dentry(k, k->init, "/d");
	if (nsmk_bad(k, IS_ERR(t) || IS_ERR(m) || IS_ERR(n) || IS_ERR(d)))
		goto out;

	copy = nsm_copy_tree(t, d, 0);
	if (nsmk_bad(k, IS_ERR_OR_NULL(copy)))
		goto out;
	KUNIT_EXPECT_PTR_EQ(test, copy->mnt_root, d);
	KUNIT_EXPECT_PTR_EQ(test, copy->mnt_sb, t->mnt_sb);
	KUNIT_EXPECT_EQ(test, nsmk_count_tree(copy), 2U);
	if (!list_empty(&copy->mnt_mounts)) {
		struct nsm_mount *c = list_first_entry(&copy->mnt_mounts,
						       struct nsm_mount,
						       mnt_child);

		KUNIT_EXPECT_PTR_EQ(test, c->mnt_root, m->mnt_root);
		KUNIT_EXPECT_PTR_EQ(test, c->mnt_mountpoint, m->mnt_mountpoint);
	}
	drop_copy(k, copy);
out:
	nsmk_unlock(k);
}

/* without CL_COPY_UNBINDABLE an unbindable subtree stays behind */
static void copy_tree_unbindable(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *t, *u, *c, *v, *copy;
	struct pairs pr;

	nsmk_lock(k);
	t = nsmk_mnt(k, k->init, "/");
	u = nsmk_mount(k, k->init, "u", "/u");
	c = nsmk_mount(k, k->init, "c", "/u/c");
	v = nsmk_mount(k, k->init, "v", "/v");
	if (nsmk_bad(k, IS_ERR(t) || IS_ERR(u) || IS_ERR(c) || IS_ERR(v)))
		goto out;
	if (nsmk_bad(k, nsmk_make(k, k->init, "/u", MS_UNBINDABLE)))
		goto out;

	copy = nsm_copy_tree(t, t->mnt_root, CL_EXPIRE);
	if (nsmk_bad(k, IS_ERR_OR_NULL(copy)))
		goto out;
	/* T and V: U and the mount on it are skipped */
	KUNIT_EXPECT_EQ(test, pair_trees(&pr, t, copy), 2);
	KUNIT_EXPECT_PTR_EQ(test, pr.orig[1], v);
	check_pairs(test, &pr);
	drop_copy(k, copy);

	/* with it, everything, and the copy of U is unbindable too */
	copy = nsm_copy_tree(t, t->mnt_root, CL_COPY_UNBINDABLE);
	if (nsmk_bad(k, IS_ERR_OR_NULL(copy)))
		goto out;
	KUNIT_EXPECT_EQ(test, pair_trees(&pr, t, copy), 4);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_UNBINDABLE(copy_of(&pr, u)));
	drop_copy(k, copy);

	/* an unbindable root is refused outright */
	KUNIT_EXPECT_PTR_EQ(test, nsm_copy_tree(u, u->mnt_root, 0),
			    ERR_PTR(-EINVAL));
out:
	nsmk_unlock(k);
}

/* an unbindable mount that is also locked cannot be left out: EPERM */
static void copy_tree_unbindable_locked(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	u64 before[NSM_OBJ_MAX], after[NSM_OBJ_MAX];
	struct nsm_mount *t, *a, *u, *copy;
	int count_t, i;

	nsmk_lock(k);
	t = nsmk_mnt(k, k->init, "/");
	a = nsmk_mount(k, k->init, "a", "/a");
	u = nsmk_mount(k, k->init, "u", "/u");
	if (nsmk_bad(k, IS_ERR(t) || IS_ERR(a) || IS_ERR(u)))
		goto out;
	if (nsmk_bad(k, nsmk_make(k, k->init, "/u", MS_UNBINDABLE)))
		goto out;
	/* as lock_mnt_tree() would have left it */
	u->mnt_flags |= MNT_LOCKED;
	count_t = t->mnt_count;
	nsmk_world_counts(k, before);

	copy = nsm_copy_tree(t, t->mnt_root, CL_EXPIRE);
	nsm_namespace_unlock(k->w);
	KUNIT_EXPECT_PTR_EQ(test, copy, ERR_PTR(-EPERM));
	/* the copies of T and A made before it are gone again */
	nsmk_world_counts(k, after);
	for (i = 0; i < NSM_OBJ_MAX; i++)
		KUNIT_EXPECT_EQ_MSG(test, after[i], before[i], "type %d", i);
	KUNIT_EXPECT_EQ(test, t->mnt_count, count_t);
	u->mnt_flags &= ~MNT_LOCKED;
	if (!IS_ERR_OR_NULL(copy))
		drop_copy(k, copy);
out:
	nsmk_unlock(k);
}

/* copy one mount (a tree of one) with @flag */
static struct nsm_mount *clone1(struct nsm_mount *m, int flag)
{
	return nsm_copy_tree(m, m->mnt_root, flag);
}

static bool on_list(struct list_head *entry, struct list_head *head)
{
	struct list_head *p;

	list_for_each(p, head)
		if (p == entry)
			return true;
	return false;
}

/* how a copy joins the propagation of its original, per CL_ flag */
static void copy_tree_cl_flags(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *s, *p, *l, *q;
	int g;

	nsmk_lock(k);
	s = nsmk_mount(k, k->init, "s", "/s");
	p = nsmk_mount(k, k->init, "p", "/p");
	if (nsmk_bad(k, IS_ERR(s) || IS_ERR(p)))
		goto out;
	if (nsmk_bad(k, nsmk_make(k, k->init, "/s", MS_SHARED)))
		goto out;
	l = nsmk_bind(k, k->init, "/s", "/l", false);
	if (nsmk_bad(k, IS_ERR(l)))
		goto out;
	if (nsmk_bad(k, nsmk_make(k, k->init, "/l", MS_SLAVE)))
		goto out;
	g = s->mnt_group_id;
	KUNIT_EXPECT_GT(test, g, 0);
	KUNIT_EXPECT_PTR_EQ(test, l->mnt_master, s);

	/* no flag: a peer of a shared original */
	q = clone1(s, 0);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(q));
	KUNIT_EXPECT_EQ(test, q->mnt_group_id, g);
	KUNIT_EXPECT_TRUE(test, on_list(&q->mnt_share, &s->mnt_share));
	KUNIT_EXPECT_NULL(test, q->mnt_master);
	drop_copy(k, q);
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(s), 1U);
	KUNIT_EXPECT_EQ(test, s->mnt_group_id, g);

	/* CL_SLAVE: a slave of the original */
	q = clone1(s, CL_SLAVE);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(q));
	KUNIT_EXPECT_EQ(test, q->mnt_group_id, 0);
	KUNIT_EXPECT_PTR_EQ(test, q->mnt_master, s);
	KUNIT_EXPECT_TRUE(test, on_list(&q->mnt_slave, &s->mnt_slave_list));
	drop_copy(k, q);

	/* CL_PRIVATE: nothing */
	q = clone1(s, CL_PRIVATE);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(q));
	KUNIT_EXPECT_EQ(test, q->mnt_group_id, 0);
	KUNIT_EXPECT_NULL(test, q->mnt_master);
	KUNIT_EXPECT_TRUE(test, list_empty(&q->mnt_share));
	drop_copy(k, q);

	/* CL_SHARED_TO_SLAVE: a shared original gets a slave... */
	q = clone1(s, CL_SHARED_TO_SLAVE);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_PTR_EQ(test, q->mnt_master, s);
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(q));
	KUNIT_EXPECT_EQ(test, q->mnt_group_id, 0);
	drop_copy(k, q);
	/* ...a private one a private copy... */
	q = clone1(p, CL_SHARED_TO_SLAVE);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_NULL(test, q->mnt_master);
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(q));
	drop_copy(k, q);
	/* ...and a slave one a fellow slave of its master */
	q = clone1(l, CL_SHARED_TO_SLAVE);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_PTR_EQ(test, q->mnt_master, s);
	KUNIT_EXPECT_TRUE(test, on_list(&q->mnt_slave, &s->mnt_slave_list));
	drop_copy(k, q);

	/*
	 * CL_MAKE_SHARED: the copy is shared, with the original's group id
	 * or a new one, and linked to the original's ring.  (propagate_one()
	 * uses it on sources that invent_group_ids() gave an id, so they
	 * become peers; on a private original the copy is alone in its
	 * group, as in the kernel.)
	 */
	q = clone1(p, CL_MAKE_SHARED);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(q));
	KUNIT_EXPECT_GT(test, q->mnt_group_id, 0);
	KUNIT_EXPECT_NE(test, q->mnt_group_id, g);
	KUNIT_EXPECT_TRUE(test, on_list(&q->mnt_share, &p->mnt_share));
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(p));
	KUNIT_EXPECT_EQ(test, p->mnt_group_id, 0);
	drop_copy(k, q);
	KUNIT_EXPECT_TRUE(test, list_empty(&p->mnt_share));
	q = clone1(s, CL_MAKE_SHARED);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_EQ(test, q->mnt_group_id, g);
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(s), 2U);
	drop_copy(k, q);

	/* CL_SLAVE | CL_MAKE_SHARED: a slave that starts a peer group */
	q = clone1(s, CL_SLAVE | CL_MAKE_SHARED);
	if (nsmk_bad(k, IS_ERR(q)))
		goto out;
	KUNIT_EXPECT_PTR_EQ(test, q->mnt_master, s);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(q));
	KUNIT_EXPECT_GT(test, q->mnt_group_id, 0);
	KUNIT_EXPECT_NE(test, q->mnt_group_id, g);
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(q), 1U);
	drop_copy(k, q);
out:
	nsmk_unlock(k);
}

/* ---- nsmodel-namespace: copy_mnt_ns() ---- */

/* what lock_mnt_tree() may add */
#define LOCK_FLAGS	(MNT_LOCKED | MNT_LOCK_ATIME | MNT_LOCK_READONLY | \
			 MNT_LOCK_NODEV | MNT_LOCK_NOSUID | MNT_LOCK_NOEXEC)

/*
 * The tree of the copy_mnt_ns tests: a shared /s with a private /s/a
 * (holding the directory deep), an unbindable /u, a read-only nosuid /ro.
 */
struct ns_tree {
	struct nsm_mount *t, *s, *a, *u, *ro;
	struct nsm_mnt_namespace *ns;
};

static int ns_build(struct nsmk *k, struct ns_tree *nt)
{
	struct nsm_task *init = k->init;

	nt->ns = init->nsproxy->mnt_ns;
	nt->t = nsmk_mnt(k, init, "/");
	nt->s = nsmk_mount(k, init, "s", "/s");
	if (IS_ERR(nt->t) || IS_ERR(nt->s))
		return -EINVAL;
	if (nsmk_make(k, init, "/s", MS_SHARED))
		return -EINVAL;
	nt->a = nsmk_mount(k, init, "a", "/s/a");
	if (IS_ERR(nt->a) || nsmk_mkdir(k, init, "/s/a/deep"))
		return -EINVAL;
	if (nsmk_make(k, init, "/s/a", MS_PRIVATE))
		return -EINVAL;
	nt->u = nsmk_mount(k, init, "u", "/u");
	if (IS_ERR(nt->u) || nsmk_make(k, init, "/u", MS_UNBINDABLE))
		return -EINVAL;
	nt->ro = nsmk_do_mount(k, init, "ro", "/ro", "tmpfs",
			       MS_RDONLY | MS_NOSUID);
	if (IS_ERR(nt->ro))
		return -EINVAL;
	return 0;
}

/* a private fs_struct like init's, with its cwd at @pwd */
static struct nsm_fs_struct *fs_at(struct nsmk *k, const char *pwd)
{
	struct nsm_fs_struct *fs;
	struct nsm_path p;

	fs = nsm_copy_fs_struct(k->w, k->init->fs);
	if (!fs)
		return NULL;
	if (nsm_path_lookup(k->init, pwd, 0, &p)) {
		nsm_free_fs_struct(fs);
		return NULL;
	}
	nsm_set_fs_pwd(fs, &p);
	nsm_path_put(&p);
	return fs;
}

/* without CLONE_NEWNS the namespace is shared */
static void copy_mnt_ns_no_newns(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mnt_namespace *ns = k->init->nsproxy->mnt_ns, *n;
	unsigned int count;

	nsmk_lock(k);
	count = refcount_read(&ns->ns.count);
	n = nsm_copy_mnt_ns(CLONE_NEWUTS, ns, ns->user_ns, k->init->fs);
	KUNIT_EXPECT_PTR_EQ(test, n, ns);
	KUNIT_EXPECT_EQ(test, refcount_read(&ns->ns.count), count + 1);
	if (!IS_ERR(n))
		nsm_put_mnt_ns(n);
	nsmk_unlock(k);
}

/* both passes in the same user namespace: copies, counts, root and cwd */
static void copy_mnt_ns_two_passes(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_fs_struct *fs = NULL;
	struct nsm_mnt_namespace *n;
	struct nsm_dentry *deep;
	struct ns_tree nt;
	struct pairs pr;
	int count_t, count_a, i;

	nsmk_lock(k);
	if (nsmk_bad(k, ns_build(k, &nt)))
		goto out;
	fs = fs_at(k, "/s/a/deep");
	if (nsmk_bad(k, !fs))
		goto out;
	deep = fs->pwd.dentry;
	KUNIT_EXPECT_PTR_EQ(test, fs->root.mnt, nt.t);
	KUNIT_EXPECT_PTR_EQ(test, fs->pwd.mnt, nt.a);
	count_t = nt.t->mnt_count;
	count_a = nt.a->mnt_count;

	n = nsm_copy_mnt_ns(CLONE_NEWNS, nt.ns, nt.ns->user_ns, fs);
	if (nsmk_bad(k, IS_ERR(n)))
		goto out_fs;
	KUNIT_EXPECT_PTR_NE(test, n, nt.ns);
	KUNIT_EXPECT_PTR_EQ(test, n->user_ns, nt.ns->user_ns);
	KUNIT_EXPECT_NE(test, n->ns.inum, nt.ns->ns.inum);
	/* pass one copied every mount, the unbindable one included */
	KUNIT_EXPECT_EQ(test, pair_trees(&pr, nt.ns->root, n->root),
			(int)nt.ns->mounts);
	/* pass two put each copy in the new namespace and counted it */
	KUNIT_EXPECT_EQ(test, n->mounts, nt.ns->mounts);
	KUNIT_EXPECT_EQ(test, nsmk_list_len(&n->list), nt.ns->mounts);
	for (i = 0; i < pr.n; i++) {
		struct nsm_mount *q = pr.copy[i];

		KUNIT_EXPECT_PTR_EQ(test, q->mnt_ns, n);
		KUNIT_EXPECT_EQ(test, q->mnt_flags & ~MNT_LOCKED,
				pr.orig[i]->mnt_flags & ~MNT_LOCKED);
		/* only the hidden rootfs is locked, as its original */
		KUNIT_EXPECT_EQ(test, q->mnt_flags & MNT_LOCKED,
				i ? 0 : MNT_LOCKED);
	}
	/* peers of shared originals, private copies of private ones */
	KUNIT_EXPECT_EQ(test, copy_of(&pr, nt.s)->mnt_group_id,
			nt.s->mnt_group_id);
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(nt.s), 2U);
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(copy_of(&pr, nt.a)));
	KUNIT_EXPECT_NULL(test, copy_of(&pr, nt.a)->mnt_master);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_UNBINDABLE(copy_of(&pr, nt.u)));
	/* root and cwd moved onto the copies, the dentries kept */
	KUNIT_EXPECT_PTR_EQ(test, fs->root.mnt, copy_of(&pr, nt.t));
	KUNIT_EXPECT_PTR_EQ(test, fs->root.dentry, nt.t->mnt_root);
	KUNIT_EXPECT_PTR_EQ(test, fs->pwd.mnt, copy_of(&pr, nt.a));
	KUNIT_EXPECT_PTR_EQ(test, fs->pwd.dentry, deep);
	/* with their references: the originals lost one each */
	KUNIT_EXPECT_EQ(test, nt.t->mnt_count, count_t - 1);
	KUNIT_EXPECT_EQ(test, nt.a->mnt_count, count_a - 1);
	nsm_put_mnt_ns(n);
out_fs:
	/* the copies under root and cwd outlive their namespace until now */
	nsm_free_fs_struct(fs);
out:
	nsmk_unlock(k);
}

/* into a new user namespace: locked copies, shared ones as slaves */
static void copy_mnt_ns_new_userns(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_user_namespace *user_ns;
	struct nsm_mnt_namespace *n;
	struct nsm_task *child;
	struct ns_tree nt;
	struct pairs pr;
	int i;

	nsmk_lock(k);
	if (nsmk_bad(k, ns_build(k, &nt)))
		goto out;
	child = nsmk_clone(k, k->init, CLONE_NEWUSER);
	if (nsmk_bad(k, IS_ERR_OR_NULL(child)))
		goto out;
	user_ns = child->cred->user_ns;
	KUNIT_EXPECT_PTR_NE(test, user_ns, nt.ns->user_ns);

	n = nsm_copy_mnt_ns(CLONE_NEWNS, nt.ns, user_ns, NULL);
	if (nsmk_bad(k, IS_ERR(n)))
		goto out_child;
	KUNIT_EXPECT_PTR_EQ(test, n->user_ns, user_ns);
	KUNIT_EXPECT_EQ(test, pair_trees(&pr, nt.ns->root, n->root),
			(int)nt.ns->mounts);
	for (i = 0; i < pr.n; i++) {
		int f = pr.copy[i]->mnt_flags;

		KUNIT_EXPECT_TRUE_MSG(test, f & MNT_LOCKED, "copy %d", i);
		KUNIT_EXPECT_TRUE_MSG(test, f & MNT_LOCK_ATIME, "copy %d", i);
		KUNIT_EXPECT_EQ(test, f & ~(LOCK_FLAGS | MNT_SHARED),
				pr.orig[i]->mnt_flags &
				~(LOCK_FLAGS | MNT_SHARED));
	}
	/* each flag set is locked, the others not */
	i = copy_of(&pr, nt.ro)->mnt_flags;
	KUNIT_EXPECT_TRUE(test, i & MNT_LOCK_READONLY);
	KUNIT_EXPECT_TRUE(test, i & MNT_LOCK_NOSUID);
	KUNIT_EXPECT_FALSE(test, i & MNT_LOCK_NODEV);
	KUNIT_EXPECT_FALSE(test, i & MNT_LOCK_NOEXEC);
	KUNIT_EXPECT_FALSE(test,
			   copy_of(&pr, nt.s)->mnt_flags & MNT_LOCK_READONLY);
	/* the shared /s is copied as its slave, and left alone */
	KUNIT_EXPECT_PTR_EQ(test, copy_of(&pr, nt.s)->mnt_master, nt.s);
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(copy_of(&pr, nt.s)));
	KUNIT_EXPECT_EQ(test, copy_of(&pr, nt.s)->mnt_group_id, 0);
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(nt.s), 1U);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(nt.s));
	/* private ones stay private */
	KUNIT_EXPECT_NULL(test, copy_of(&pr, nt.a)->mnt_master);
	nsm_put_mnt_ns(n);
out_child:
	nsmk_exit_task(k, child);
out:
	nsmk_unlock(k);
}

/* every allocation of the copy failed in turn: nothing changes */
static void copy_mnt_ns_unwinds(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	u64 before[NSM_OBJ_MAX], after[NSM_OBJ_MAX];
	struct nsm_fs_struct *fs = NULL;
	struct nsm_mnt_namespace *n;
	struct ns_tree nt;
	struct nsm_path root, pwd;
	int count_t, count_a, nth, i, failures = 0;

	nsmk_lock(k);
	if (nsmk_bad(k, ns_build(k, &nt)))
		goto out;
	fs = fs_at(k, "/s/a/deep");
	if (nsmk_bad(k, !fs))
		goto out;
	root = fs->root;
	pwd = fs->pwd;
	count_t = nt.t->mnt_count;
	count_a = nt.a->mnt_count;

	for (nth = 1; nth < 1000; nth++) {
		nsmk_world_counts(k, before);
		k->w->nr_allocs = 0;
		k->w->fail_nth = nth;
		n = nsm_copy_mnt_ns(CLONE_NEWNS, nt.ns, nt.ns->user_ns, fs);
		k->w->fail_nth = 0;
		if (!IS_ERR(n))
			break;
		failures++;
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(n), -ENOMEM, "nth %d", nth);
		nsmk_world_counts(k, after);
		for (i = 0; i < NSM_OBJ_MAX; i++)
			KUNIT_EXPECT_EQ_MSG(test, after[i], before[i],
					    "nth %d type %d", nth, i);
		KUNIT_EXPECT_TRUE(test, fs->root.mnt == root.mnt &&
				  fs->root.dentry == root.dentry);
		KUNIT_EXPECT_TRUE(test, fs->pwd.mnt == pwd.mnt &&
				  fs->pwd.dentry == pwd.dentry);
		KUNIT_EXPECT_EQ(test, nt.t->mnt_count, count_t);
		KUNIT_EXPECT_EQ(test, nt.a->mnt_count, count_a);
	}
	if (nsmk_bad(k, IS_ERR(n)))
		goto out_fs;
	/* a namespace, and per mount: the mount and its id (not its name) */
	KUNIT_EXPECT_GE(test, failures, (int)(2 + 2 * nt.ns->mounts));
	KUNIT_EXPECT_EQ(test, n->mounts, nt.ns->mounts);
	KUNIT_EXPECT_PTR_NE(test, fs->pwd.mnt, nt.a);
	nsm_put_mnt_ns(n);
out_fs:
	nsm_free_fs_struct(fs);
out:
	nsmk_unlock(k);
}

/*
 * Pass two meets only the mounts of the namespace: a cwd on a mount that
 * was lazily unmounted stays there, and a NULL fs_struct moves nothing.
 */
static void copy_mnt_ns_detached_cwd(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mnt_namespace *ns = k->init->nsproxy->mnt_ns, *n;
	struct nsm_fs_struct *fs = NULL;
	struct nsm_mount *t, *d;
	int count_t, count_d;

	nsmk_lock(k);
	t = nsmk_mnt(k, k->init, "/");
	d = nsmk_mount(k, k->init, "d", "/d");
	if (nsmk_bad(k, IS_ERR(t) || IS_ERR(d)))
		goto out;
	fs = fs_at(k, "/d");
	if (nsmk_bad(k, !fs))
		goto out;
	/* umount -l /d, as do_umount() does it with MNT_DETACH */
	nsm_umount_tree(d, NSM_UMOUNT_PROPAGATE);
	nsm_namespace_unlock(k->w);
	KUNIT_EXPECT_NULL(test, d->mnt_ns);
	KUNIT_EXPECT_PTR_EQ(test, fs->pwd.mnt, d);
	count_t = t->mnt_count;
	count_d = d->mnt_count;

	n = nsm_copy_mnt_ns(CLONE_NEWNS, ns, ns->user_ns, fs);
	if (nsmk_bad(k, IS_ERR(n)))
		goto out_fs;
	KUNIT_EXPECT_EQ(test, n->mounts, ns->mounts);
	KUNIT_EXPECT_PTR_NE(test, fs->root.mnt, t);
	KUNIT_EXPECT_PTR_EQ(test, fs->root.mnt->mnt_ns, n);
	KUNIT_EXPECT_EQ(test, t->mnt_count, count_t - 1);
	/* the cwd stays on the detached mount, with its reference */
	KUNIT_EXPECT_PTR_EQ(test, fs->pwd.mnt, d);
	KUNIT_EXPECT_EQ(test, d->mnt_count, count_d);
	nsm_put_mnt_ns(n);

	/* no fs_struct: a copy, and no reference moves */
	count_t = t->mnt_count;
	n = nsm_copy_mnt_ns(CLONE_NEWNS, ns, ns->user_ns, NULL);
	if (nsmk_bad(k, IS_ERR(n)))
		goto out_fs;
	KUNIT_EXPECT_EQ(test, n->mounts, ns->mounts);
	KUNIT_EXPECT_EQ(test, t->mnt_count, count_t);
	nsm_put_mnt_ns(n);
out_fs:
	/* the last reference on the detached mount: it goes now */
	nsm_free_fs_struct(fs);
out:
	nsmk_unlock(k);
}

static struct kunit_case namespace_cases[] = {
	KUNIT_CASE(copy_tree_topology),
	KUNIT_CASE(copy_tree_from_dentry),
	KUNIT_CASE(copy_tree_unbindable),
	KUNIT_CASE(copy_tree_unbindable_locked),
	KUNIT_CASE(copy_tree_cl_flags),
	KUNIT_CASE(copy_mnt_ns_no_newns),
	KUNIT_CASE(copy_mnt_ns_two_passes),
	KUNIT_CASE(copy_mnt_ns_new_userns),
	KUNIT_CASE(copy_mnt_ns_detached_cwd),
	KUNIT_CASE(copy_mnt_ns_unwinds),
	{}
};

static struct kunit_suite namespace_suite = {
	.name = "nsmodel-namespace",
	.init = nsmk_init,
	.exit = nsmk_exit,
	.test_cases = namespace_cases,
};

kunit_test_suites(&walk_suite, &namespace_suite);
