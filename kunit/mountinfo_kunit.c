// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel KUnit tests of module/mountinfo.c (show_mountinfo() of
 * fs/proc_namespace.c and the listing order of fs/namespace.c).
 *
 * Suite nsmodel-mountinfo: the exact text of nsm_mountinfo_snapshot(),
 * line by line against lines built here from the mounts' ids:
 *  - the fields: ids, major:minor, root, mount point, per-mount options
 *    in show_mnt_opts() order, "-", fs type, source, super options;
 *  - the optional fields and their order: shared:N, master:N,
 *    propagate_from:N (only when it differs from master), unbindable;
 *  - a reader with another root: paths relative to it, mounts outside
 *    it left out, propagate_from: seen from there;
 *  - mangle(): space, tab, newline and backslash in paths as \ooo, and
 *    '#' too in the source;
 *  - the listing order: the order mounts joined the namespace on 6.1,
 *    the order they were created (mnt_id_unique) on 6.12 and later, as
 *    the world's profile says (NSM_FEAT_MNT_RBTREE);
 *  - every allocation of a snapshot failed in turn: ENOMEM, and the
 *    world's objects and bytes as before;
 *  - the tree behind a handle (nsm_mountinfo_tree_snapshot()): its mount
 *    at "/", the rest relative to the handle's path, covered mounts too.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/string.h>
#include <uapi/linux/mount.h>
#include <kunit/test.h>

#include "nsm_kunit.h"

/* tmpfs shows inode64 when that is the default or chosen */
#define INODE64	(IS_ENABLED(CONFIG_TMPFS_INODE64) ? ",inode64" : "")

/* the text of snapshot @mf, NUL-terminated, owned by the test; frees @mf */
static char *mi_copy(struct nsmk *k, struct nsm_mountinfo_file *mf)
{
	char *text;

	if (IS_ERR(mf)) {
		KUNIT_FAIL(k->test, "mountinfo snapshot: %ld", PTR_ERR(mf));
		return NULL;
	}
	text = kunit_kzalloc(k->test, mf->len + 1, GFP_KERNEL);
	if (text)
		memcpy(text, mf->buf, mf->len);
	nsm_mountinfo_free(mf);
	return text;
}

/* @task's mountinfo text */
static char *mi_text(struct nsmk *k, struct nsm_task *task)
{
	return mi_copy(k, nsm_mountinfo_snapshot(k->w, task));
}

/* the @n-th line (from 0) of @text, without its newline, or "" */
static const char *mi_line(struct kunit *test, const char *text, int n)
{
	const char *end;
	char *line;

	while (n-- > 0 && text) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	if (!text || !*text)
		return "";
	end = strchrnul(text, '\n');
	line = kunit_kzalloc(test, end - text + 1, GFP_KERNEL);
	if (!line)
		return "";
	memcpy(line, text, end - text);
	return line;
}

/* the number of lines of @text */
static int mi_nlines(const char *text)
{
	int n = 0;

	for (; text && *text; text++)
		if (*text == '\n')
			n++;
	return n;
}

/*
 * The line @m would have with @root, mount point @mp, per-mount @opts,
 * optional @fields and @source (super options: ro or rw, and inode64).
 */
static char *mi_want(struct kunit *test, struct nsm_mount *m,
		     const char *root, const char *mp, const char *opts,
		     const char *fields, const char *source)
{
	return nsmk_sprintf(test, "%d %d %u:%u %s %s %s%s - tmpfs %s %s%s",
			    m->mnt_id, m->mnt_parent->mnt_id,
			    MAJOR(m->mnt_sb->s_dev), MINOR(m->mnt_sb->s_dev),
			    root, mp, opts, fields, source,
			    m->mnt_sb->s_flags & SB_RDONLY ? "ro" : "rw",
			    INODE64);
}

/* "/" alone: the world's tmpfs on the hidden rootfs, which is not shown */
static void mountinfo_root_line(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *t;
	char *text, *want;

	nsmk_lock(k);
	t = nsmk_mnt(k, k->init, "/");
	text = mi_text(k, k->init);
	if (nsmk_bad(k, IS_ERR(t) || !text))
		goto out;
	KUNIT_EXPECT_EQ(test, mi_nlines(text), 1);
	want = nsmk_sprintf(test,
			    "%d %d 0:%u / / rw,relatime - tmpfs %s rw,mode=755%s\n",
			    t->mnt_id, t->mnt_parent->mnt_id,
			    MINOR(t->mnt_sb->s_dev), "tmpfs", INODE64);
	KUNIT_EXPECT_STREQ(test, text, want);
out:
	nsmk_unlock(k);
}

/* per-mount options in show_mnt_opts() order, and ro */
static void mountinfo_mount_options(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *a, *b;
	char *text;

	nsmk_lock(k);
	a = nsmk_do_mount(k, k->init, "a", "/a", "tmpfs",
			  MS_RDONLY | MS_NOATIME | MS_NOEXEC | MS_NODEV |
			  MS_NOSUID);
	b = nsmk_do_mount(k, k->init, "b", "/b", "tmpfs",
			  MS_STRICTATIME | MS_NODIRATIME);
	text = mi_text(k, k->init);
	if (nsmk_bad(k, IS_ERR(a) || IS_ERR(b) || !text))
		goto out;
	KUNIT_EXPECT_EQ(test, mi_nlines(text), 3);
	/* a new mount made read-only has a read-only superblock too */
	KUNIT_EXPECT_TRUE(test, a->mnt_sb->s_flags & SB_RDONLY);
	KUNIT_EXPECT_FALSE(test, b->mnt_sb->s_flags & SB_RDONLY);
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 1),
			   mi_want(test, a, "/", "/a",
				   "ro,nosuid,nodev,noexec,noatime", "", "a"));
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 2),
			   mi_want(test, b, "/", "/b", "rw,nodiratime", "",
				   "b"));
out:
	nsmk_unlock(k);
}

/*
 * The optional fields, in the kernel's order: a shared /r/a (group 1),
 * its bind /b made slave and then shared (group 2), /r/c a slave of /b,
 * an unbindable /u; and the view of a task whose root is /r, from where
 * /b is out of sight and /r/c's nearest visible master group is 1.
 */
static void mountinfo_optional_fields(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *a, *b, *c, *u;
	struct nsm_task *child;
	struct nsm_path r;
	char *text;

	nsmk_lock(k);
	a = nsmk_mount(k, k->init, "a", "/r/a");
	if (nsmk_bad(k, IS_ERR(a)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/r/a", MS_SHARED)))
		goto out;
	b = nsmk_bind(k, k->init, "/r/a", "/b", false);
	if (nsmk_bad(k, IS_ERR(b)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/b", MS_SLAVE)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/b", MS_SHARED)))
		goto out;
	c = nsmk_bind(k, k->init, "/b", "/r/c", false);
	u = nsmk_mount(k, k->init, "u", "/u");
	if (nsmk_bad(k, IS_ERR(c) || IS_ERR(u)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/r/c", MS_SLAVE)) ||
	    nsmk_bad(k, nsmk_make(k, k->init, "/u", MS_UNBINDABLE)))
		goto out;

	text = mi_text(k, k->init);
	if (nsmk_bad(k, !text))
		goto out;
	KUNIT_EXPECT_EQ(test, mi_nlines(text), 5);
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 1),
			   mi_want(test, a, "/", "/r/a", "rw,relatime",
				   " shared:1", "a"));
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 2),
			   mi_want(test, b, "/", "/b", "rw,relatime",
				   " shared:2 master:1", "a"));
	/* the master is visible: no propagate_from */
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 3),
			   mi_want(test, c, "/", "/r/c", "rw,relatime",
				   " master:2", "a"));
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 4),
			   mi_want(test, u, "/", "/u", "rw,relatime",
				   " unbindable", "u"));

	/* a task whose root is /r */
	child = nsmk_clone(k, k->init, 0);
	if (nsmk_bad(k, IS_ERR_OR_NULL(child)) ||
	    nsmk_bad(k, nsm_path_lookup(child, "/r", 0, &r)))
		goto out;
	nsm_set_fs_root(child->fs, &r);
	nsm_path_put(&r);
	text = mi_text(k, child);
	if (!nsmk_bad(k, !text)) {
		KUNIT_EXPECT_EQ(test, mi_nlines(text), 2);
		KUNIT_EXPECT_STREQ(test, mi_line(test, text, 0),
				   mi_want(test, a, "/", "/a", "rw,relatime",
					   " shared:1", "a"));
		KUNIT_EXPECT_STREQ(test, mi_line(test, text, 1),
				   mi_want(test, c, "/", "/c", "rw,relatime",
					   " master:2 propagate_from:1", "a"));
	}
	nsmk_exit_task(k, child);
out:
	nsmk_unlock(k);
}

/* mangle(): " \t\n\\" in paths, and '#' too in the source, as \ooo */
static void mountinfo_escaping(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *e, *m, *b;
	char *text;

	nsmk_lock(k);
	e = nsmk_mount(k, k->init, "src x#1\\", "/a b\tc\nd\\e");
	m = nsmk_mount(k, k->init, "m", "/m");
	if (nsmk_bad(k, IS_ERR(e) || IS_ERR(m)) ||
	    nsmk_bad(k, nsmk_mkdir(k, k->init, "/m/sub dir")))
		goto out;
	b = nsmk_bind(k, k->init, "/m/sub dir", "/bnd", false);
	text = mi_text(k, k->init);
	if (nsmk_bad(k, IS_ERR(b) || !text))
		goto out;
	KUNIT_EXPECT_EQ(test, mi_nlines(text), 4);
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 1),
			   mi_want(test, e, "/", "/a\\040b\\011c\\012d\\134e",
				   "rw,relatime", "", "src\\040x\\0431\\134"));
	/* a bind of a subdirectory: its root, escaped; the source's name */
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 3),
			   mi_want(test, b, "/sub\\040dir", "/bnd",
				   "rw,relatime", "", "m"));
out:
	nsmk_unlock(k);
}

/* the text of the tree behind a handle on @path, as @task finds it */
static char *mi_tree_text(struct nsmk *k, struct nsm_task *task,
			  const char *path)
{
	struct nsm_path root;
	char *text;

	if (nsmk_bad(k, nsm_path_lookup(task, path, 0, &root)))
		return NULL;
	text = mi_copy(k, nsm_mountinfo_tree_snapshot(k->w, &root));
	nsm_path_put(&root);
	return text;
}

/*
 * The tree behind a handle (NSM_MOUNTINFO_HANDLE): from /s, its mount at
 * "/" first, then /s/a and the mount stacked on it (covered mounts are
 * listed, as mountinfo lists them), each relative to /s; from /s/x, a
 * directory below the mount's root, that mount still at "/", /s/x/y
 * below it, and /s/a out of reach.
 */
static void mountinfo_handle_tree(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mount *s, *a, *a2, *y;
	char *text;

	nsmk_lock(k);
	s = nsmk_mount(k, k->init, "s", "/s");
	a = nsmk_mount(k, k->init, "a", "/s/a");
	a2 = nsmk_mount(k, k->init, "a2", "/s/a");
	if (nsmk_bad(k, IS_ERR(s) || IS_ERR(a) || IS_ERR(a2)))
		goto out;
	y = nsmk_mount(k, k->init, "y", "/s/x/y");
	if (nsmk_bad(k, IS_ERR(y)))
		goto out;
	text = mi_tree_text(k, k->init, "/s");
	if (nsmk_bad(k, !text))
		goto out;
	KUNIT_EXPECT_EQ(test, mi_nlines(text), 4);
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 0),
			   mi_want(test, s, "/", "/", "rw,relatime", "", "s"));
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 1),
			   mi_want(test, a, "/", "/a", "rw,relatime", "", "a"));
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 2),
			   mi_want(test, a2, "/", "/a", "rw,relatime", "",
				   "a2"));
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 3),
			   mi_want(test, y, "/", "/x/y", "rw,relatime", "",
				   "y"));

	text = mi_tree_text(k, k->init, "/s/x");
	if (nsmk_bad(k, !text))
		goto out;
	KUNIT_EXPECT_EQ(test, mi_nlines(text), 2);
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 0),
			   mi_want(test, s, "/", "/", "rw,relatime", "", "s"));
	KUNIT_EXPECT_STREQ(test, mi_line(test, text, 1),
			   mi_want(test, y, "/", "/y", "rw,relatime", "", "y"));
out:
	nsmk_unlock(k);
}

/*
 * The listing order: 6.1 lists a namespace's mounts in the order they
 * joined it (ns->list), 6.12 in the order they were created (an rbtree
 * by mnt_id_unique).  The two differ once a mount moves on ns->list: put
 * /a, mounted first, at the end of the list.
 */
static void mountinfo_order(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	struct nsm_mnt_namespace *ns = k->init->nsproxy->mnt_ns;
	struct nsm_mount *a, *b, *c;
	struct list_head *prev;
	char *text;

	nsmk_lock(k);
	a = nsmk_mount(k, k->init, "a", "/a");
	b = nsmk_mount(k, k->init, "b", "/b");
	c = nsmk_mount(k, k->init, "c", "/c");
	if (nsmk_bad(k, IS_ERR(a) || IS_ERR(b) || IS_ERR(c)))
		goto out;
	KUNIT_EXPECT_LT(test, a->mnt_id_unique, b->mnt_id_unique);
	KUNIT_EXPECT_LT(test, b->mnt_id_unique, c->mnt_id_unique);
	prev = a->mnt_list.prev;
	list_move_tail(&a->mnt_list, &ns->list);

	text = mi_text(k, k->init);
	if (!nsmk_bad(k, !text)) {
		bool rb = nsm_feat(k->w, NSM_FEAT_MNT_RBTREE);
		struct nsm_mount *first = rb ? a : b;
		struct nsm_mount *last = rb ? c : a;
		const char *first_mp = rb ? "/a" : "/b";
		const char *last_mp = rb ? "/c" : "/a";

		KUNIT_EXPECT_EQ(test, mi_nlines(text), 4);
		KUNIT_EXPECT_STREQ(test, mi_line(test, text, 1),
				   mi_want(test, first, "/", first_mp,
					   "rw,relatime", "", first_mp + 1));
		KUNIT_EXPECT_STREQ(test, mi_line(test, text, 3),
				   mi_want(test, last, "/", last_mp,
					   "rw,relatime", "", last_mp + 1));
	}
	/* back where it was */
	list_move(&a->mnt_list, prev);
out:
	nsmk_unlock(k);
}

/* every allocation of a snapshot failed in turn: ENOMEM, nothing kept */
static void mountinfo_unwinds(struct kunit *test)
{
	struct nsmk *k = nsmk(test);
	u64 before[NSM_OBJ_MAX], after[NSM_OBJ_MAX], b0, b1;
	struct nsm_mountinfo_file *mf = NULL;
	struct nsm_mount *a;
	int nth, i, failures = 0;

	nsmk_lock(k);
	a = nsmk_mount(k, k->init, "a", "/a");
	if (nsmk_bad(k, IS_ERR(a)))
		goto out;
	for (nth = 1; nth < 100; nth++) {
		nsm_world_counts(k->w, before, &b0);
		k->w->nr_allocs = 0;
		k->w->fail_nth = nth;
		mf = nsm_mountinfo_snapshot(k->w, k->init);
		k->w->fail_nth = 0;
		if (!IS_ERR(mf))
			break;
		failures++;
		KUNIT_EXPECT_EQ(test, PTR_ERR(mf), -ENOMEM);
		nsm_world_counts(k->w, after, &b1);
		KUNIT_EXPECT_EQ_MSG(test, b1, b0, "bytes, nth %d", nth);
		for (i = 0; i < NSM_OBJ_MAX; i++)
			KUNIT_EXPECT_EQ_MSG(test, after[i], before[i],
					    "nth %d type %d", nth, i);
	}
	if (nsmk_bad(k, IS_ERR(mf)))
		goto out;
	/* the file, the mount array, the path room, the text */
	KUNIT_EXPECT_EQ(test, failures, 4);
	/* the text (not NUL-terminated): "/" and /a */
	for (i = 0, nth = 0; i < mf->len; i++)
		nth += mf->buf[i] == '\n';
	KUNIT_EXPECT_EQ(test, nth, 2);
	nsm_mountinfo_free(mf);
out:
	nsmk_unlock(k);
}

static struct kunit_case mountinfo_cases[] = {
	KUNIT_CASE(mountinfo_root_line),
	KUNIT_CASE(mountinfo_mount_options),
	KUNIT_CASE(mountinfo_optional_fields),
	KUNIT_CASE(mountinfo_escaping),
	KUNIT_CASE(mountinfo_order),
	KUNIT_CASE(mountinfo_handle_tree),
	KUNIT_CASE(mountinfo_unwinds),
	{}
};

static struct kunit_suite mountinfo_suite = {
	.name = "nsmodel-mountinfo",
	.init = nsmk_init,
	.exit = nsmk_exit,
	.test_cases = mountinfo_cases,
};

kunit_test_suites(&mountinfo_suite);
