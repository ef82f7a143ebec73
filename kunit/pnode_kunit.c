// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel KUnit tests of module/pnode.c (fs/pnode.c in the kernel).
 *
 * Suite nsmodel-pnode:
 *  - nsm_change_mnt_propagation(), the state machine of
 *    sharedsubtree.rst 5a: shared to private (the group id given back),
 *    a peer made slave (of the peer with the same root dentry if there
 *    is one), a mount with slaves made private (its slaves go to its
 *    master, to a peer, or lose their master), the slave of a slave,
 *    unbindable and back, make-slave of a mount with no master;
 *  - peer group ids: the lowest free one, kept while a peer is left;
 *  - nsm_get_dominating_id(): the nearest master group with a member
 *    under the reader's root (mountinfo's propagate_from:);
 *  - nsm_propagate_mnt(): which mounts get a copy (peers, slaves,
 *    slaves of slaves; not private binds), the copy's peer group or
 *    master, set on the mountpoint but neither hashed nor in a
 *    namespace, charged to pending_mounts, no MNT_MARKED left behind;
 *    a mount on a shared mount showing up under every peer and slave;
 *    and the same mount with every allocation failed in turn, each
 *    failure undone completely (no mount, count, mark or group id left).
 */
#include <linux/err.h>
#include <uapi/linux/mount.h>
#include <kunit/test.h>

#include "nsm_kunit.h"

static bool on_list(struct list_head *entry, struct list_head *head)
{
	struct list_head *p;

	list_for_each(p, head)
		if (p == entry)
			return true;
	return false;
}

/* is @m a slave of @master, linked both ways? */
static bool slave_of(struct nsm_mount *m, struct nsm_mount *master)
{
	return m->mnt_master == master &&
	       on_list(&m->mnt_slave, &master->mnt_slave_list);
}

/* private: no peer group, no master, no slaves of its own left */
static bool is_private(struct nsm_mount *m)
{
	return !NSM_IS_MNT_SHARED(m) && !m->mnt_group_id && !m->mnt_master &&
	       list_empty(&m->mnt_share) && !NSM_IS_MNT_UNBINDABLE(m);
}

/* shared to private: the peer group's id is given back */
static void pnode_shared_to_private(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *s, *t;
	int g;

	nsmk_lock(k);
	s = nsmk_mount(k, k->init, "s", "/s");
	t = nsmk_mount(k, k->init, "t", "/t");
	if (nsmk_bad(k, IS_ERR(s) || IS_ERR(t)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/s", MS_SHARED)))
		goto out;
	g = s->mnt_group_id;
	KUNIT_EXPECT_EQ(test, g, 1);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(s));

	nsm_change_mnt_propagation(s, MS_PRIVATE);
	KUNIT_EXPECT_TRUE(test, is_private(s));
	/* so the next peer group gets the same id */
	if (nsmk_bad(k, nsmk_make(k, k->init, "/t", MS_SHARED)))
		goto out;
	KUNIT_EXPECT_EQ(test, t->mnt_group_id, g);
out:
	nsmk_unlock(k);
}

/* group ids: the lowest free, held while one peer is left */
static void pnode_group_ids(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *a, *b, *p, *c;

	nsmk_lock(k);
	a = nsmk_mount(k, k->init, "a", "/a");
	b = nsmk_mount(k, k->init, "b", "/b");
	c = nsmk_mount(k, k->init, "c", "/c");
	if (nsmk_bad(k, IS_ERR(a) || IS_ERR(b) || IS_ERR(c)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/a", MS_SHARED)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/b", MS_SHARED)))
		goto out;
	KUNIT_EXPECT_EQ(test, a->mnt_group_id, 1);
	KUNIT_EXPECT_EQ(test, b->mnt_group_id, 2);
	/* a bind of a shared mount is its peer: same id */
	p = nsmk_bind(k, k->init, "/a", "/p", false);
	if (nsmk_bad(k, IS_ERR(p)))
		goto out;
	KUNIT_EXPECT_EQ(test, p->mnt_group_id, 1);
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(a), 2U);
	/* a leaves; p keeps the group and its id */
	nsm_change_mnt_propagation(a, MS_PRIVATE);
	KUNIT_EXPECT_TRUE(test, is_private(a));
	KUNIT_EXPECT_EQ(test, p->mnt_group_id, 1);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(p));
	if (nsmk_bad(k, nsmk_make(k, k->init, "/c", MS_SHARED)))
		goto out;
	KUNIT_EXPECT_EQ(test, c->mnt_group_id, 3);
	/* the last one leaves: id 1 is free again */
	nsm_change_mnt_propagation(p, MS_PRIVATE);
	if (nsmk_bad(k, nsmk_make(k, k->init, "/a", MS_SHARED)))
		goto out;
	KUNIT_EXPECT_EQ(test, a->mnt_group_id, 1);
out:
	nsmk_unlock(k);
}

/*
 * A peer made slave serves the peer with its own root dentry if there
 * is one (do_make_slave()), else any; a mount with slaves made private,
 * with neither peer nor master, sets them free.
 */
static void pnode_peer_to_slave(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *s, *t, *u;

	nsmk_lock(k);
	s = nsmk_mount(k, k->init, "s", "/s");
	if (nsmk_bad(k, IS_ERR(s)) ||
	    nsmk_bad(k, nsmk_mkdir(k, k->init, "/s/d")) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/s", MS_SHARED)))
		goto out;
	/* ring s -> t, then s -> u -> t: u's next peer has another root */
	t = nsmk_bind(k, k->init, "/s/d", "/t", false);
	u = nsmk_bind(k, k->init, "/s", "/u", false);
	if (nsmk_bad(k, IS_ERR(t) || IS_ERR(u)))
		goto out;
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(s), 3U);
	KUNIT_EXPECT_PTR_EQ(test, list_next_entry(u, mnt_share), t);

	nsm_change_mnt_propagation(u, MS_SLAVE);
	KUNIT_EXPECT_TRUE(test, slave_of(u, s));
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(u));
	KUNIT_EXPECT_EQ(test, u->mnt_group_id, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&u->mnt_share));
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(s), 2U);

	/* no peer with its root: the next one */
	nsm_change_mnt_propagation(t, MS_SLAVE);
	KUNIT_EXPECT_TRUE(test, slave_of(t, s));
	KUNIT_EXPECT_EQ(test, nsmk_count_peers(s), 1U);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(s));

	/* s alone with two slaves, made private: they are free */
	nsm_change_mnt_propagation(s, MS_PRIVATE);
	KUNIT_EXPECT_TRUE(test, is_private(s));
	KUNIT_EXPECT_TRUE(test, list_empty(&s->mnt_slave_list));
	KUNIT_EXPECT_NULL(test, u->mnt_master);
	KUNIT_EXPECT_NULL(test, t->mnt_master);
	KUNIT_EXPECT_TRUE(test, list_empty(&u->mnt_slave));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->mnt_slave));
out:
	nsmk_unlock(k);
}

/*
 * The slave of a slave: a (group 1) -> b (slave, and shared: group 2)
 * -> c (slave of b).  b made private hands c to a; with a peer left in
 * its group, b would hand c to that peer instead.
 */
static void pnode_slave_of_slave(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *a, *b, *c, *b2;
	int g2;

	nsmk_lock(k);
	a = nsmk_mount(k, k->init, "a", "/a");
	if (nsmk_bad(k, IS_ERR(a)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/a", MS_SHARED)))
		goto out;
	b = nsmk_bind(k, k->init, "/a", "/b", false);
	if (nsmk_bad(k, IS_ERR(b)))
		goto out;
	nsm_change_mnt_propagation(b, MS_SLAVE);
	if (nsmk_bad(k, nsmk_make(k, k->init, "/b", MS_SHARED)))
		goto out;
	/* slave and shared */
	KUNIT_EXPECT_TRUE(test, slave_of(b, a));
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(b));
	g2 = b->mnt_group_id;
	KUNIT_EXPECT_EQ(test, g2, 2);

	/* a bind of b: b's peer, and a's slave like b */
	c = nsmk_bind(k, k->init, "/b", "/c", false);
	b2 = nsmk_bind(k, k->init, "/b", "/b2", false);
	if (nsmk_bad(k, IS_ERR(c) || IS_ERR(b2)))
		goto out;
	KUNIT_EXPECT_EQ(test, c->mnt_group_id, g2);
	KUNIT_EXPECT_TRUE(test, slave_of(c, a));
	/*
	 * c leaves b's group (the ring is b -> b2 -> c) as the slave of its
	 * next peer with the same root, b: a slave of a slave
	 */
	KUNIT_EXPECT_PTR_EQ(test, list_next_entry(c, mnt_share), b);
	nsm_change_mnt_propagation(c, MS_SLAVE);
	KUNIT_EXPECT_TRUE(test, slave_of(c, b));
	KUNIT_EXPECT_FALSE(test, on_list(&c->mnt_slave, &a->mnt_slave_list));
	KUNIT_EXPECT_EQ(test, c->mnt_group_id, 0);
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(c));

	/* b made private with peer b2 left: c goes to b2 */
	nsm_change_mnt_propagation(b, MS_PRIVATE);
	KUNIT_EXPECT_TRUE(test, is_private(b));
	KUNIT_EXPECT_TRUE(test, slave_of(c, b2));
	KUNIT_EXPECT_EQ(test, b2->mnt_group_id, g2);
	KUNIT_EXPECT_TRUE(test, slave_of(b2, a));
	/* b2, alone in group 2, made private: c goes up to a */
	nsm_change_mnt_propagation(b2, MS_PRIVATE);
	KUNIT_EXPECT_TRUE(test, is_private(b2));
	KUNIT_EXPECT_TRUE(test, slave_of(c, a));
	KUNIT_EXPECT_FALSE(test, on_list(&b2->mnt_slave, &a->mnt_slave_list));
	KUNIT_EXPECT_TRUE(test, list_empty(&b2->mnt_slave_list));
out:
	nsmk_unlock(k);
}

/* unbindable: out of propagation; shared or private again clears it */
static void pnode_unbindable(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *s, *l, *p;

	nsmk_lock(k);
	s = nsmk_mount(k, k->init, "s", "/s");
	p = nsmk_mount(k, k->init, "p", "/p");
	if (nsmk_bad(k, IS_ERR(s) || IS_ERR(p)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/s", MS_SHARED)))
		goto out;
	l = nsmk_bind(k, k->init, "/s", "/l", false);
	if (nsmk_bad(k, IS_ERR(l)))
		goto out;
	nsm_change_mnt_propagation(l, MS_SLAVE);
	KUNIT_EXPECT_TRUE(test, slave_of(l, s));

	/* a slave made unbindable leaves its master */
	nsm_change_mnt_propagation(l, MS_UNBINDABLE);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_UNBINDABLE(l));
	KUNIT_EXPECT_NULL(test, l->mnt_master);
	KUNIT_EXPECT_TRUE(test, list_empty(&s->mnt_slave_list));
	/* make-slave without a master changes nothing */
	nsm_change_mnt_propagation(l, MS_SLAVE);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_UNBINDABLE(l));
	KUNIT_EXPECT_NULL(test, l->mnt_master);
	/* private clears it */
	nsm_change_mnt_propagation(l, MS_PRIVATE);
	KUNIT_EXPECT_TRUE(test, is_private(l));

	/* a shared one made unbindable gives its id back */
	nsm_change_mnt_propagation(s, MS_UNBINDABLE);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_UNBINDABLE(s));
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(s));
	KUNIT_EXPECT_EQ(test, s->mnt_group_id, 0);
	/* and shared again clears unbindable (MNT_SHARED_MASK) */
	if (nsmk_bad(k, nsmk_make(k, k->init, "/s", MS_SHARED)))
		goto out;
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(s));
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_UNBINDABLE(s));
	KUNIT_EXPECT_EQ(test, s->mnt_group_id, 1);

	/* make-slave of a private mount: still private */
	nsm_change_mnt_propagation(p, MS_SLAVE);
	KUNIT_EXPECT_TRUE(test, is_private(p));
out:
	nsmk_unlock(k);
}

/*
 * propagate_from: c's master group 2 (b, at /b) is outside the root /r,
 * its master's group 1 (a, at /r/a) inside: the dominating id is 1.
 */
static void pnode_dominating_id(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *a, *b, *c;
	struct nsm_path root;

	nsmk_lock(k);
	a = nsmk_mount(k, k->init, "a", "/r/a");
	if (nsmk_bad(k, IS_ERR(a)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/r/a", MS_SHARED)))
		goto out;
	b = nsmk_bind(k, k->init, "/r/a", "/b", false);
	if (nsmk_bad(k, IS_ERR(b)))
		goto out;
	nsm_change_mnt_propagation(b, MS_SLAVE);
	if (nsmk_bad(k, nsmk_make(k, k->init, "/b", MS_SHARED)))
		goto out;
	c = nsmk_bind(k, k->init, "/b", "/r/c", false);
	if (nsmk_bad(k, IS_ERR(c)))
		goto out;
	nsm_change_mnt_propagation(c, MS_SLAVE);
	KUNIT_EXPECT_TRUE(test, slave_of(c, b));
	KUNIT_EXPECT_EQ(test, a->mnt_group_id, 1);
	KUNIT_EXPECT_EQ(test, b->mnt_group_id, 2);

	/* from "/" the master itself is visible */
	root = k->init->fs->root;
	KUNIT_EXPECT_EQ(test, nsm_get_dominating_id(c, &root), 2);
	/* from /r only a, up the chain */
	root.mnt = nsmk_mnt(k, k->init, "/r");
	root.dentry = nsmk_dentry(k, k->init, "/r");
	if (nsmk_bad(k, IS_ERR(root.mnt) || IS_ERR(root.dentry)))
		goto out;
	KUNIT_EXPECT_EQ(test, nsm_get_dominating_id(c, &root), 1);
	/* from /r/c neither */
	root.mnt = c;
	root.dentry = c->mnt_root;
	KUNIT_EXPECT_EQ(test, nsm_get_dominating_id(c, &root), 0);
	/* b's only master, a, is visible from "/" */
	root = k->init->fs->root;
	KUNIT_EXPECT_EQ(test, nsm_get_dominating_id(b, &root), 1);
out:
	nsmk_unlock(k);
}

/* the copy on tree_list whose parent is @m, or NULL */
static struct nsm_mount *copy_on(struct hlist_head *tree_list,
				 struct nsm_mount *m)
{
	struct nsm_mount *c;

	hlist_for_each_entry(c, tree_list, mnt_hash)
		if (c->mnt_parent == m)
			return c;
	return NULL;
}

static bool marked(struct nsm_mount *m)
{
	return m && NSM_IS_MNT_MARKED(m);
}

/*
 * propagate_mnt() called directly, as attach_recursive_mnt() calls it:
 * /s shared with a peer /p, a slave /l that is itself shared, a slave
 * /l2 of /l, and a private bind /v.  A source mount on /s/x gets a copy
 * on /p (its peer), on /l (a slave of the source's group that starts a
 * group of its own) and on /l2 (a slave of /l's copy), none on /v.
 */
static void pnode_propagate_mnt(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *s, *p, *l, *l2, *v, *q, *src, *cp, *cl, *cl2;
	struct nsm_mnt_namespace *ns = k->init->nsproxy->mnt_ns;
	struct nsm_dentry *x;
	HLIST_HEAD(tree_list);
	int ret;

	nsmk_lock(k);
	s = nsmk_mount(k, k->init, "s", "/s");
	q = nsmk_mount(k, k->init, "q", "/q");
	if (nsmk_bad(k, IS_ERR(s) || IS_ERR(q)) ||
	    nsmk_bad(k, nsmk_mkdir(k, k->init, "/s/x")) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/s", MS_SHARED)))
		goto out;
	p = nsmk_bind(k, k->init, "/s", "/p", false);
	l = nsmk_bind(k, k->init, "/s", "/l", false);
	v = nsmk_bind(k, k->init, "/s", "/v", false);
	if (nsmk_bad(k, IS_ERR(p) || IS_ERR(l) || IS_ERR(v)))
		goto out;
	nsm_change_mnt_propagation(l, MS_SLAVE);
	nsm_change_mnt_propagation(v, MS_PRIVATE);
	if (nsmk_bad(k, nsmk_make(k, k->init, "/l", MS_SHARED)))
		goto out;
	l2 = nsmk_bind(k, k->init, "/l", "/l2", false);
	if (nsmk_bad(k, IS_ERR(l2)))
		goto out;
	nsm_change_mnt_propagation(l2, MS_SLAVE);
	KUNIT_EXPECT_TRUE(test, slave_of(l2, l));
	x = nsmk_dentry(k, k->init, "/s/x");
	if (nsmk_bad(k, IS_ERR(x)))
		goto out;

	/* the source: a new mount with a group id of its own */
	src = nsm_copy_tree(q, q->mnt_root, CL_PRIVATE | CL_MAKE_SHARED);
	if (nsmk_bad(k, IS_ERR(src)))
		goto out;
	KUNIT_EXPECT_GT(test, src->mnt_group_id, 0);
	KUNIT_EXPECT_EQ(test, ns->pending_mounts, 0U);

	ret = nsm_propagate_mnt(s, x, src, &tree_list);
	KUNIT_EXPECT_EQ(test, ret, 0);
	cp = copy_on(&tree_list, p);
	cl = copy_on(&tree_list, l);
	cl2 = copy_on(&tree_list, l2);
	KUNIT_EXPECT_NULL(test, copy_on(&tree_list, v));
	KUNIT_EXPECT_NULL(test, copy_on(&tree_list, s));
	KUNIT_EXPECT_EQ(test, ns->pending_mounts, 3U);
	if (nsmk_bad(k, !cp || !cl || !cl2))
		goto cleanup;
	/* the peer's copy is the source's peer */
	KUNIT_EXPECT_EQ(test, cp->mnt_group_id, src->mnt_group_id);
	KUNIT_EXPECT_NULL(test, cp->mnt_master);
	/* the shared slave's copy: a slave of that group, and shared */
	KUNIT_EXPECT_TRUE(test, cl->mnt_master == src || cl->mnt_master == cp);
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(cl));
	KUNIT_EXPECT_NE(test, cl->mnt_group_id, 0);
	KUNIT_EXPECT_NE(test, cl->mnt_group_id, src->mnt_group_id);
	/* the slave of the slave: a slave of that copy */
	KUNIT_EXPECT_TRUE(test, slave_of(cl2, cl));
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(cl2));
	/* set on the mountpoint, not yet visible nor in a namespace */
	KUNIT_EXPECT_PTR_EQ(test, cp->mnt_mountpoint, x);
	KUNIT_EXPECT_PTR_EQ(test, cl2->mnt_mp, x);
	KUNIT_EXPECT_NULL(test, cl->mnt_ns);
	KUNIT_EXPECT_NULL(test, nsm_lookup_mnt(p, x));
	KUNIT_EXPECT_NULL(test, nsm_lookup_mnt(l2, x));
	/* the marks propagate_one() set are gone */
	KUNIT_EXPECT_FALSE(test, marked(s) || marked(p) || marked(l) ||
			   marked(l2) || marked(src) || marked(l->mnt_master));
cleanup:
	/* as attach_recursive_mnt() unwinds when propagation failed */
	while (!hlist_empty(&tree_list)) {
		struct nsm_mount *child = hlist_entry(tree_list.first,
						      struct nsm_mount,
						      mnt_hash);

		child->mnt_parent->mnt_ns->pending_mounts = 0;
		nsm_umount_tree(child, NSM_UMOUNT_SYNC);
	}
	nsm_umount_tree(src, NSM_UMOUNT_SYNC);
	nsm_namespace_unlock(k->w);
	KUNIT_EXPECT_EQ(test, ns->pending_mounts, 0U);
out:
	nsmk_unlock(k);
}

/* a mount on a shared mount, the whole way: under every peer and slave */
static void pnode_propagate_mount(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *s, *p, *l, *v, *n, *np, *nl, *nv;
	unsigned int mounts;

	nsmk_lock(k);
	s = nsmk_mount(k, k->init, "s", "/s");
	if (nsmk_bad(k, IS_ERR(s)) ||
	    nsmk_bad(k, nsmk_mkdir(k, k->init, "/s/x")) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/s", MS_SHARED)))
		goto out;
	p = nsmk_bind(k, k->init, "/s", "/p", false);
	l = nsmk_bind(k, k->init, "/s", "/l", false);
	v = nsmk_bind(k, k->init, "/s", "/v", false);
	if (nsmk_bad(k, IS_ERR(p) || IS_ERR(l) || IS_ERR(v)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/l", MS_SLAVE)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/v", MS_PRIVATE)))
		goto out;
	mounts = k->init->nsproxy->mnt_ns->mounts;

	n = nsmk_mount(k, k->init, "new", "/s/x");
	np = nsmk_mnt(k, k->init, "/p/x");
	nl = nsmk_mnt(k, k->init, "/l/x");
	nv = nsmk_mnt(k, k->init, "/v/x");
	if (nsmk_bad(k, IS_ERR(n) || IS_ERR(np) || IS_ERR(nl) || IS_ERR(nv)))
		goto out;
	KUNIT_EXPECT_EQ(test, k->init->nsproxy->mnt_ns->mounts, mounts + 3);
	KUNIT_EXPECT_PTR_EQ(test, np->mnt_parent, p);
	KUNIT_EXPECT_PTR_EQ(test, nl->mnt_parent, l);
	KUNIT_EXPECT_PTR_EQ(test, nv, v);
	KUNIT_EXPECT_PTR_EQ(test, np->mnt_sb, n->mnt_sb);
	KUNIT_EXPECT_PTR_EQ(test, nl->mnt_sb, n->mnt_sb);
	/* the new mount and its peer copy share a new group */
	KUNIT_EXPECT_TRUE(test, NSM_IS_MNT_SHARED(n));
	KUNIT_EXPECT_EQ(test, np->mnt_group_id, n->mnt_group_id);
	KUNIT_EXPECT_NE(test, n->mnt_group_id, s->mnt_group_id);
	/* the slave's copy is a slave of that group */
	KUNIT_EXPECT_TRUE(test, nl->mnt_master == n || nl->mnt_master == np);
	KUNIT_EXPECT_FALSE(test, NSM_IS_MNT_SHARED(nl));
	KUNIT_EXPECT_PTR_EQ(test, nl->mnt_ns, k->init->nsproxy->mnt_ns);
out:
	nsmk_unlock(k);
}

/*
 * A mount on a shared mount with a peer, a shared slave and a slave of
 * that, with each allocation failed in turn (attach_recursive_mnt()'s
 * unwind): nothing is left of a failed attempt, not even a group id or
 * a mark, until the mount succeeds with the first free group ids.
 */
static void pnode_propagate_unwinds(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mnt_namespace *ns = k->init->nsproxy->mnt_ns;
	u64 before[NSM_OBJ_MAX], after[NSM_OBJ_MAX];
	struct nsm_mount *s, *p, *l, *l2, *n = NULL;
	struct nsm_dentry *x;
	unsigned int mounts;
	int nth, i, failures = 0;

	nsmk_lock(k);
	s = nsmk_mount(k, k->init, "s", "/s");
	if (nsmk_bad(k, IS_ERR(s)) ||
	    nsmk_bad(k, nsmk_mkdir(k, k->init, "/s/x")) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/s", MS_SHARED)))
		goto out;
	p = nsmk_bind(k, k->init, "/s", "/p", false);
	l = nsmk_bind(k, k->init, "/s", "/l", false);
	if (nsmk_bad(k, IS_ERR(p) || IS_ERR(l)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/l", MS_SLAVE)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/l", MS_SHARED)))
		goto out;
	l2 = nsmk_bind(k, k->init, "/l", "/l2", false);
	x = nsmk_dentry(k, k->init, "/s/x");
	if (nsmk_bad(k, IS_ERR(l2) || IS_ERR(x)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/l2", MS_SLAVE)))
		goto out;
	KUNIT_EXPECT_EQ(test, l->mnt_group_id, 2);
	mounts = ns->mounts;

	for (nth = 1; nth < 1000; nth++) {
		nsmk_world_counts(k, before);
		k->w->nr_allocs = 0;
		k->w->fail_nth = nth;
		n = nsmk_mount(k, k->init, "new", "/s/x");
		k->w->fail_nth = 0;
		if (!IS_ERR(n))
			break;
		failures++;
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(n), -ENOMEM, "nth %d", nth);
		nsmk_world_counts(k, after);
		for (i = 0; i < NSM_OBJ_MAX; i++)
			KUNIT_EXPECT_EQ_MSG(test, after[i], before[i],
					    "nth %d type %d", nth, i);
		KUNIT_EXPECT_EQ(test, ns->mounts, mounts);
		KUNIT_EXPECT_EQ(test, ns->pending_mounts, 0U);
		KUNIT_EXPECT_EQ(test, x->d_mounted, 0U);
		KUNIT_EXPECT_NULL(test, nsm_lookup_mnt(s, x));
		KUNIT_EXPECT_NULL(test, nsm_lookup_mnt(p, x));
		KUNIT_EXPECT_NULL(test, nsm_lookup_mnt(l, x));
		KUNIT_EXPECT_NULL(test, nsm_lookup_mnt(l2, x));
		KUNIT_EXPECT_FALSE(test, marked(s) || marked(p) ||
				   marked(l) || marked(l2));
	}
	if (nsmk_bad(k, IS_ERR(n)))
		goto out;
	/* the superblock, the mount and three copies, each with its id */
	KUNIT_EXPECT_GE(test, failures, 10);
	KUNIT_EXPECT_EQ(test, ns->mounts, mounts + 4);
	KUNIT_EXPECT_EQ(test, x->d_mounted, 4U);
	/* no group id was lost on the way: 3 and 4 are the new groups */
	KUNIT_EXPECT_EQ(test, n->mnt_group_id, 3);
	KUNIT_EXPECT_EQ(test, nsm_lookup_mnt(l, x)->mnt_group_id, 4);
out:
	nsmk_unlock(k);
}

static struct kunit_case pnode_cases[] = {
	KUNIT_CASE(pnode_shared_to_private),
	KUNIT_CASE(pnode_group_ids),
	KUNIT_CASE(pnode_peer_to_slave),
	KUNIT_CASE(pnode_slave_of_slave),
	KUNIT_CASE(pnode_unbindable),
	KUNIT_CASE(pnode_dominating_id),
	KUNIT_CASE(pnode_propagate_mnt),
	KUNIT_CASE(pnode_propagate_mount),
	KUNIT_CASE(pnode_propagate_unwinds),
	{}
};

static struct kunit_suite pnode_suite = {
	.name = "nsmodel-pnode",
	.init = nsmk_init,
	.exit = nsmk_exit,
	.test_cases = pnode_cases,
};

kunit_test_suites(&pnode_suite);
