// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/mountinfo: parsing, lookup by mount point, and the normal form
 * that "show TASK mounts" prints (docs/language.md, "The normal form of
 * show TASK mounts").  The same code reads the kernel's file and the model's, so the
 * two backends can only differ in what the listing says; the parsing is
 * libmount's (mnt_table_parse_stream()), as findmnt's is.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <libmount.h>

#include "nsmctl.h"

void path_unescape(const char *in, char *out, size_t len)
{
	size_t o = 0;

	while (*in && o + 1 < len) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			out[o++] = (in[1] - '0') * 64 + (in[2] - '0') * 8 +
				   (in[3] - '0');
			in += 4;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = 0;
}

/*
 * Lexical normalization: PATH (relative to CWD unless absolute) without
 * ".", "..", or repeated slashes.  ".." at "/" stays at "/".
 */
void path_normalize(const char *cwd, const char *path, char *out, size_t len)
{
	char *buf = xasprintf("%s/%s", path[0] == '/' ? "" : cwd, path);
	char *save = NULL, *tok;
	size_t o = 0;

	out[0] = 0;
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			out[o] = 0;
			continue;
		}
		if (o + strlen(tok) + 2 > len)
			break;
		out[o++] = '/';
		strcpy(out + o, tok);
		o += strlen(tok);
	}
	if (!o)
		snprintf(out, len, "/");
	free(buf);
}

void mountinfo_free(struct mnt *m, int nr)
{
	for (int i = 0; i < nr; i++) {
		free(m[i].root);
		free(m[i].point);
		free(m[i].opts);
		free(m[i].optional);
		free(m[i].fstype);
		free(m[i].source);
		free(m[i].super);
	}
	free(m);
}

/*
 * libmount hands out fields unescaped; the normal form keeps them as
 * /proc writes them, so they are escaped again with the sets
 * show_mountinfo() uses: root and mount point with seq_dentry() and
 * seq_path_root(), fstype and source with mangle() (which adds '#').
 */
static char *mangle(const char *s, const char *esc)
{
	struct sbuf b = { 0 };
	char o[8];

	sb_add(&b, "");
	for (; s && *s; s++) {
		if (strchr(esc, *s)) {
			snprintf(o, sizeof(o), "\\%03o", (unsigned char)*s);
			sb_add(&b, o);
		} else {
			o[0] = *s;
			o[1] = 0;
			sb_add(&b, o);
		}
	}
	return sb_take(&b);
}

static int parse_err(struct libmnt_table *tb, const char *file, int line)
{
	int *bad = mnt_table_get_userdata(tb);

	(void)file;
	(void)line;
	*bad = 1;
	return 1;	/* skip the line, go on */
}

/*
 * Parses mountinfo TEXT with libmount, as findmnt does, into struct mnt
 * (fields escaped as written).  0, or -1 if some line is not mountinfo
 * (the others are still returned).
 */
int mountinfo_parse(const char *text, struct mnt **out, int *nr)
{
	struct libmnt_table *tb = mnt_new_table();
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	struct mnt *m = NULL;
	int n = 0, bad = 0;
	FILE *f = NULL;

	*out = NULL;
	*nr = 0;
	if (!tb || !it)
		goto fail;
	mnt_table_set_userdata(tb, &bad);
	mnt_table_set_parser_errcb(tb, parse_err);
	/* fmemopen() refuses an empty buffer: nothing listed, nothing bad */
	if (*text) {
		f = fmemopen((void *)text, strlen(text), "r");
		if (!f || mnt_table_parse_stream(tb, f, "mountinfo") < 0)
			bad = 1;
	}
	m = xcalloc(mnt_table_get_nents(tb) + 1, sizeof(*m));
	while (mnt_table_next_fs(tb, it, &fs) == 0) {
		struct mnt *x = &m[n];
		dev_t dev = mnt_fs_get_devno(fs);
		const char *opt = mnt_fs_get_optional_fields(fs);
		const char *sup = mnt_fs_get_fs_options(fs);
		const char *vfs = mnt_fs_get_vfs_options(fs);

		x->id = mnt_fs_get_id(fs);
		x->parent = mnt_fs_get_parent_id(fs);
		x->major = major(dev);
		x->minor = minor(dev);
		x->root = mangle(mnt_fs_get_root(fs), " \t\n\\");
		x->point = mangle(mnt_fs_get_target(fs), " \t\n\\");
		x->opts = xstrdup(vfs ? vfs : "");
		x->optional = xstrdup(opt ? opt : "");
		x->fstype = mangle(mnt_fs_get_fstype(fs), " \t\n\\#");
		x->source = mangle(mnt_fs_get_source(fs), " \t\n\\#");
		x->super = xstrdup(sup ? sup : "");
		x->order = n++;
	}
	if (f)
		fclose(f);
	mnt_free_iter(it);
	mnt_unref_table(tb);
	*out = m;
	*nr = n;
	return bad ? -1 : 0;
fail:
	mnt_free_iter(it);
	mnt_unref_table(tb);
	*out = xcalloc(1, sizeof(*m));
	return -1;
}

int mnt_propagation(const struct mnt *m)
{
	int shared = 0, slave = 0, unbindable = 0;
	char *dup = xstrdup(m->optional), *save = NULL, *tok;

	for (tok = strtok_r(dup, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (!strncmp(tok, "shared:", 7))
			shared = 1;
		else if (!strncmp(tok, "master:", 7))
			slave = 1;
		else if (!strcmp(tok, "unbindable"))
			unbindable = 1;
	}
	free(dup);
	if (unbindable)
		return PROP_UNBINDABLE;
	if (shared && slave)
		return PROP_SLAVE_SHARED;
	if (shared)
		return PROP_SHARED;
	if (slave)
		return PROP_SLAVE;
	return PROP_PRIVATE;
}

const struct mnt *mountinfo_find(const struct mnt *m, int nr, const char *path)
{
	const struct mnt *best = NULL;
	char buf[4096];

	for (int i = 0; i < nr; i++) {
		path_unescape(m[i].point, buf, sizeof(buf));
		if (strcmp(buf, path))
			continue;
		/* the topmost of a stack: mounted on the one found before */
		if (!best || m[i].parent == best->id || m[i].order > best->order)
			best = &m[i];
	}
	/* prefer a mount that no other match is stacked on */
	for (int i = 0; best && i < nr; i++) {
		if (m[i].parent != best->id || &m[i] == best)
			continue;
		path_unescape(m[i].point, buf, sizeof(buf));
		if (!strcmp(buf, path)) {
			best = &m[i];
			i = -1;
		}
	}
	return best;
}

/* ---- the normal form -------------------------------------------------- */

struct norm {
	struct mnt *m;
	int nr;
	int *parent;		/* index of the listed parent, or -1 */
	int *seen;
	int *new_id;
	int next_id;
	/* first-appearance maps: kernel number -> small number */
	unsigned long long *dev_key;
	int nr_dev;
	int *peer_key;
	int nr_peer;
	struct sbuf out;
};

static int cmp_siblings(const struct mnt *a, const struct mnt *b)
{
	int r = strcmp(a->point, b->point);

	if (r)
		return r;
	/* the same mount point in one parent: keep the listing order */
	return a->order - b->order;
}

static struct mnt *sort_base;
static int cmp_idx(const void *pa, const void *pb)
{
	return cmp_siblings(&sort_base[*(const int *)pa],
			    &sort_base[*(const int *)pb]);
}

static int map_dev(struct norm *n, const struct mnt *m)
{
	unsigned long long key = ((unsigned long long)m->major << 32) | m->minor;

	for (int i = 0; i < n->nr_dev; i++)
		if (n->dev_key[i] == key)
			return i + 1;
	n->dev_key[n->nr_dev++] = key;
	return n->nr_dev;
}

static int map_peer(struct norm *n, int id)
{
	for (int i = 0; i < n->nr_peer; i++)
		if (n->peer_key[i] == id)
			return i + 1;
	n->peer_key = xrealloc(n->peer_key, (n->nr_peer + 1) * sizeof(int));
	n->peer_key[n->nr_peer++] = id;
	return n->nr_peer;
}

/* Children of mount index p (-1: the roots), in canonical order. */
static int children(struct norm *n, int p, int *out)
{
	int k = 0;

	for (int i = 0; i < n->nr; i++)
		if (n->parent[i] == p && !n->seen[i])
			out[k++] = i;
	sort_base = n->m;
	qsort(out, k, sizeof(int), cmp_idx);
	return k;
}

/* First pass: number mounts depth-first in canonical order. */
static void number(struct norm *n, int p, int **order, int *nr_order)
{
	int *kids = xmalloc(n->nr * sizeof(int));
	int k = children(n, p, kids);

	for (int i = 0; i < k; i++) {
		int c = kids[i];

		if (n->seen[c])
			continue;
		n->seen[c] = 1;
		n->new_id[c] = ++n->next_id;
		(*order)[(*nr_order)++] = c;
		number(n, c, order, nr_order);
	}
	free(kids);
}

/*
 * Of the super options only the superblock's ro or rw is kept (the first
 * word, as show_mountinfo() prints sb_rdonly()): the rest depends on the
 * filesystem and the machine (size=, inode64, ...).
 */
static const char *super_ro(const char *super)
{
	return !strncmp(super, "ro", 2) && (!super[2] || super[2] == ',') ?
	       "ro" : "rw";
}

int (*mountinfo_ns_hook)(int kind, unsigned long long id);

/*
 * The root of an nsfs mount is "KIND:[INUM]" (nsfs_show_path()): with a
 * hook (the scenario engine's), INUM is renumbered as "show ns" numbers
 * namespaces, so that both backends print the same.
 */
static const char *ns_root(const struct mnt *m, char *buf, size_t len)
{
	const char *br = strstr(m->root, ":[");
	unsigned long long id;
	char *end;

	if (strcmp(m->fstype, "nsfs") || !br || !mountinfo_ns_hook)
		return m->root;
	id = strtoull(br + 2, &end, 10);
	if (end == br + 2 || strcmp(end, "]"))
		return m->root;
	for (int k = 0; k < NS_NR; k++)
		if (strlen(ns_kind_names[k]) == (size_t)(br - m->root) &&
		    !strncmp(m->root, ns_kind_names[k], br - m->root)) {
			snprintf(buf, len, "%s:[%d]", ns_kind_names[k],
				 mountinfo_ns_hook(k, id));
			return buf;
		}
	return m->root;
}

static void emit(struct norm *n, int i)
{
	const struct mnt *m = &n->m[i];
	char *dup, *save = NULL, *tok, root[64];
	int dev = map_dev(n, m);

	/* the per-mount options as show_mnt_opts() prints them, all kept */
	sb_printf(&n->out, "%d %d 0:%d %s %s %s", n->new_id[i],
		  n->parent[i] >= 0 ? n->new_id[n->parent[i]] : 0, dev,
		  ns_root(m, root, sizeof(root)), m->point, m->opts);
	/* the kernel prints shared, master, propagate_from, unbindable */
	dup = xstrdup(m->optional);
	for (tok = strtok_r(dup, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(tok, ':');

		if (colon && (!strncmp(tok, "shared:", 7) ||
			      !strncmp(tok, "master:", 7) ||
			      !strncmp(tok, "propagate_from:", 15))) {
			*colon = 0;
			sb_printf(&n->out, " %s:%d", tok,
				  map_peer(n, atoi(colon + 1)));
		} else if (!strcmp(tok, "unbindable")) {
			sb_add(&n->out, " unbindable");
		}
	}
	free(dup);
	sb_printf(&n->out, " - %s %s %s\n", m->fstype, m->source,
		  super_ro(m->super));
}

/* Parents, then the canonical order of the normal form into @order. */
static void canonical_order(struct norm *n, int *order)
{
	int nr_order = 0;

	n->parent = xmalloc((n->nr + 1) * sizeof(int));
	n->seen = xcalloc(n->nr + 1, sizeof(int));
	n->new_id = xcalloc(n->nr + 1, sizeof(int));
	for (int i = 0; i < n->nr; i++) {
		n->parent[i] = -1;
		for (int j = 0; j < n->nr; j++)
			if (j != i && n->m[j].id == n->m[i].parent) {
				n->parent[i] = j;
				break;
			}
	}
	number(n, -1, &order, &nr_order);
	/* anything left is in a parent cycle (cannot happen): list it */
	for (int i = 0; i < n->nr; i++)
		if (!n->seen[i]) {
			n->seen[i] = 1;
			n->parent[i] = -1;
			n->new_id[i] = ++n->next_id;
			order[nr_order++] = i;
		}
}

void mountinfo_order(struct mnt *m, int nr, int *order)
{
	struct norm n = { .m = m, .nr = nr };

	canonical_order(&n, order);
	free(n.parent);
	free(n.seen);
	free(n.new_id);
}

char *mountinfo_normalize(const char *text)
{
	struct norm n = { 0 };
	int *order, nr_order;

	if (mountinfo_parse(text, &n.m, &n.nr) < 0 && !n.nr) {
		mountinfo_free(n.m, n.nr);
		return xstrdup(text);
	}
	nr_order = n.nr;
	order = xmalloc((n.nr + 1) * sizeof(int));
	canonical_order(&n, order);
	n.dev_key = xmalloc((n.nr + 1) * sizeof(*n.dev_key));
	for (int i = 0; i < nr_order; i++)
		emit(&n, order[i]);
	free(order);
	free(n.parent);
	free(n.seen);
	free(n.new_id);
	free(n.dev_key);
	free(n.peer_key);
	mountinfo_free(n.m, n.nr);
	return sb_take(&n.out);
}
