// SPDX-License-Identifier: GPL-2.0
/*
 * "show TASK tree": a task's mount table as findmnt draws it (a tree of
 * mounts with columns, or JSON shaped as findmnt --json, or findmnt's raw
 * output), built with util-linux's libsmartcols.  The input is the
 * normal form of "show TASK mounts" (mountinfo.c), so ids and peer groups
 * are renumbered and both backends draw the same tree.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "nsmctl.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

enum {
	COL_TARGET, COL_SOURCE, COL_FSTYPE, COL_OPTIONS, COL_VFS_OPTIONS,
	COL_FS_OPTIONS, COL_FSROOT, COL_MAJMIN, COL_PROPAGATION, COL_ID,
	COL_PARENT, COL_PEER, COL_MASTER, COL_OPT_FIELDS, COL_NR
};

/* The columns, named and described as findmnt names them where it has them. */
static const struct {
	const char *name;
	double whint;
	int flags;
	int json;	/* SCOLS_JSON_* */
	const char *help;
} cols[COL_NR] = {
	[COL_TARGET] = { "TARGET", 0.30, SCOLS_FL_TREE, SCOLS_JSON_STRING,
			 "mount point" },
	[COL_SOURCE] = { "SOURCE", 0.25, 0, SCOLS_JSON_STRING,
			 "source, with [FSROOT] when not the fs root" },
	[COL_FSTYPE] = { "FSTYPE", 0.10, 0, SCOLS_JSON_STRING,
			 "filesystem type" },
	[COL_OPTIONS] = { "OPTIONS", 0.10, 0, SCOLS_JSON_STRING,
			  "per-mount and superblock options" },
	[COL_VFS_OPTIONS] = { "VFS-OPTIONS", 0.10, 0, SCOLS_JSON_STRING,
			      "per-mount options" },
	[COL_FS_OPTIONS] = { "FS-OPTIONS", 0.10, 0, SCOLS_JSON_STRING,
			     "superblock options (rw or ro)" },
	[COL_FSROOT] = { "FSROOT", 0.10, 0, SCOLS_JSON_STRING,
			 "root of the mount in its filesystem" },
	[COL_MAJMIN] = { "MAJ:MIN", 6, 0, SCOLS_JSON_STRING,
			 "superblock number (0:N)" },
	[COL_PROPAGATION] = { "PROPAGATION", 0.10, 0, SCOLS_JSON_STRING,
			      "shared or private, then ,slave and ,unbindable" },
	[COL_ID] = { "ID", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		     "mount id" },
	[COL_PARENT] = { "PARENT", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			 "parent mount id (0: not in the view)" },
	[COL_PEER] = { "PEER", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		       "peer group (shared:N)" },
	[COL_MASTER] = { "MASTER", 2, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
			 "peer group of the master (master:N)" },
	[COL_OPT_FIELDS] = { "OPT-FIELDS", 0.10, 0, SCOLS_JSON_STRING,
			     "optional fields of mountinfo" },
};

static const int default_cols[] = {
	COL_TARGET, COL_SOURCE, COL_FSTYPE, COL_OPTIONS, COL_PROPAGATION,
};

/*
 * The tree behind a descriptor ("show TASK tree %FD") is what a walk of
 * its directories finds (mountinfo.c, mountinfo_walk_view()): mount
 * points, superblocks, fs types and statfs(2)'s flags, no source, root or
 * propagation, so only these columns.
 */
static const int default_fd_cols[] = { COL_TARGET, COL_FSTYPE, COL_OPTIONS };

static int fd_col(int c)
{
	return c == COL_TARGET || c == COL_FSTYPE || c == COL_OPTIONS ||
	       c == COL_MAJMIN || c == COL_ID || c == COL_PARENT;
}

static int col_by_name(const char *s, size_t len)
{
	for (int i = 0; i < COL_NR; i++)
		if (strlen(cols[i].name) == len &&
		    !strncasecmp(cols[i].name, s, len))
			return i;
	return -1;
}

/*
 * A comma list of column names into @out (at most @max); "+LIST" adds
 * LIST to the default columns, as findmnt -o +LIST does.  The number of
 * columns, or -1 with the bad name in @err.
 */
static int parse_columns(const char *list, int fd, int *out, int max,
			 char *err, size_t len)
{
	const int *def = fd ? default_fd_cols : default_cols;
	size_t ndef = fd ? ARRAY_LEN(default_fd_cols) : ARRAY_LEN(default_cols);
	int n = 0;

	if (!list || *list == '+') {
		for (size_t i = 0; i < ndef; i++)
			out[n++] = def[i];
		if (!list)
			return n;
		list++;
	}
	while (*list) {
		const char *e = strchrnul(list, ',');
		int c = col_by_name(list, e - list);

		if (c < 0 || n == max) {
			snprintf(err, len, c < 0 ? "unknown column '%.*s'" :
				 "too many columns at '%.*s'",
				 (int)(e - list), list);
			return -1;
		}
		if (fd && !fd_col(c)) {
			snprintf(err, len, "a descriptor's tree has no column "
				 "'%.*s' (TARGET FSTYPE OPTIONS MAJ:MIN ID "
				 "PARENT)", (int)(e - list), list);
			return -1;
		}
		out[n++] = c;
		list = *e ? e + 1 : e;
	}
	if (!n) {
		snprintf(err, len, "no columns");
		return -1;
	}
	return n;
}

int view_tree_check(const char *columns, unsigned int flags, char *err,
		    size_t len)
{
	int c[64];

	return parse_columns(columns, !!(flags & VIEW_FD), c, 64, err,
			     len) < 0 ? -1 : 0;
}

/* The N of "WHAT:N" among the optional fields, or 0. */
static int opt_field(const char *optional, const char *what)
{
	size_t l = strlen(what);

	for (const char *p = optional; p && *p; p = strchrnul(p, ' '),
	     p += !!*p)
		if (!strncmp(p, what, l) && p[l] == ':')
			return atoi(p + l + 1);
	return 0;
}

/* findmnt's PROPAGATION: shared or private, then ,slave and ,unbindable */
static void propagation(const struct mnt *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s",
		 opt_field(m->optional, "shared") ? "shared" : "private",
		 opt_field(m->optional, "master") ? ",slave" : "",
		 strstr(m->optional, "unbindable") ? ",unbindable" : "");
}

static char *cell(const struct mnt *m, int col)
{
	char buf[8200], a[4096], b[4096];
	int n;

	switch (col) {
	case COL_TARGET:
		path_unescape(m->point, buf, sizeof(buf));
		break;
	case COL_SOURCE:
		path_unescape(m->source, a, sizeof(a));
		path_unescape(m->root, b, sizeof(b));
		if (strcmp(b, "/"))
			snprintf(buf, sizeof(buf), "%s[%s]", a, b);
		else
			snprintf(buf, sizeof(buf), "%s", a);
		break;
	case COL_FSTYPE:
		path_unescape(m->fstype, buf, sizeof(buf));
		break;
	case COL_OPTIONS:
		/*
		 * As libmount merges them for findmnt: the per-mount options,
		 * whose rw gives way to the superblock's ro (the normal form
		 * keeps only that word of the super options).
		 */
		if (!strcmp(m->super, "ro") && !strncmp(m->opts, "rw", 2) &&
		    (!m->opts[2] || m->opts[2] == ','))
			snprintf(buf, sizeof(buf), "ro%s", m->opts + 2);
		else
			snprintf(buf, sizeof(buf), "%s", m->opts);
		break;
	case COL_VFS_OPTIONS:
		snprintf(buf, sizeof(buf), "%s", m->opts);
		break;
	case COL_FS_OPTIONS:
		snprintf(buf, sizeof(buf), "%s", m->super);
		break;
	case COL_FSROOT:
		path_unescape(m->root, buf, sizeof(buf));
		break;
	case COL_MAJMIN:
		snprintf(buf, sizeof(buf), "%u:%u", m->major, m->minor);
		break;
	case COL_PROPAGATION:
		propagation(m, buf, sizeof(buf));
		break;
	case COL_ID:
		snprintf(buf, sizeof(buf), "%d", m->id);
		break;
	case COL_PARENT:
		snprintf(buf, sizeof(buf), "%d", m->parent);
		break;
	case COL_PEER:
	case COL_MASTER:
		n = opt_field(m->optional, col == COL_PEER ? "shared" :
			      "master");
		if (!n)
			return NULL;	/* an empty cell; null in JSON */
		snprintf(buf, sizeof(buf), "%d", n);
		break;
	case COL_OPT_FIELDS:
		if (!*m->optional)
			return NULL;
		snprintf(buf, sizeof(buf), "%s", m->optional);
		break;
	default:
		return NULL;
	}
	return xstrdup(buf);
}
/**
 * view_table_new - a libsmartcols table as every view of nsmctl prints it
 * @name: the JSON name of its list ("filesystems", "namespaces")
 * @flags: VIEW_JSON or VIEW_RAW, or neither for the tree or table
 *
 * ASCII tree characters and no terminal detection: the same text on a
 * terminal, in a file and in the VM.  NULL when out of memory.
 */
struct libscols_table *view_table_new(const char *name, unsigned int flags)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_enable_ascii(tb, 1);
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	scols_table_set_name(tb, name);
	if (flags & VIEW_JSON)
		scols_table_enable_json(tb, 1);
	else if (flags & VIEW_RAW)
		scols_table_enable_raw(tb, 1);
	return tb;
}


char *view_tree(const char *mountinfo, const char *columns,
		unsigned int flags)
{
	struct libscols_table *tb;
	struct libscols_line **ln;
	char *norm, *out = NULL, err[128];
	struct mnt *m;
	int c[64], nc, nr;

	nc = parse_columns(columns, !!(flags & VIEW_FD), c, 64, err,
			   sizeof(err));
	if (nc < 0)
		return NULL;
	/* the normal form: ids, devices and peer groups renumbered */
	norm = mountinfo_normalize(mountinfo);
	mountinfo_parse(norm, &m, &nr);
	free(norm);
	tb = view_table_new("filesystems", flags);
	if (!tb) {
		mountinfo_free(m, nr);
		return NULL;
	}
	for (int i = 0; i < nc; i++) {
		int fl = cols[c[i]].flags;
		struct libscols_column *cl;

		/* findmnt: the raw output is a list, not a tree */
		if ((flags & VIEW_RAW) && !(flags & VIEW_JSON))
			fl &= ~SCOLS_FL_TREE;
		cl = scols_table_new_column(tb, cols[c[i]].name,
					    cols[c[i]].whint, fl);
		if (!cl)
			goto out;
		scols_column_set_json_type(cl, cols[c[i]].json);
	}
	ln = xcalloc(nr + 1, sizeof(*ln));
	/* the normal form lists parents before their children */
	for (int i = 0; i < nr; i++) {
		struct libscols_line *parent = NULL;

		for (int j = 0; j < i; j++)
			if (m[j].id == m[i].parent)
				parent = ln[j];
		ln[i] = scols_table_new_line(tb, parent);
		if (!ln[i])
			break;
		for (int k = 0; k < nc; k++) {
			char *v = cell(&m[i], c[k]);

			/* the line owns v from here on */
			if (v && scols_line_refer_data(ln[i], k, v))
				free(v);
		}
	}
	if (scols_print_table_to_string(tb, &out))
		out = NULL;
	free(ln);
out:
	scols_unref_table(tb);
	mountinfo_free(m, nr);
	if (out && *out && out[strlen(out) - 1] != '\n') {
		char *t = xasprintf("%s\n", out);

		free(out);
		out = t;
	}
	return out;
}

void view_tree_columns_help(FILE *f)
{
	fputs("Columns of the tree view (-o):\n", f);
	for (int i = 0; i < COL_NR; i++)
		fprintf(f, "  %-12s %s\n", cols[i].name, cols[i].help);
}

/*
 * Parses the options of a tree view, the words after "tree" in a scenario
 * ("show TASK tree -o LIST --json"), into @columns and @flags.  0, or -1
 * with the reason in @err.
 */
int view_tree_args(int n, char **w, char **columns, unsigned int *flags,
		   char *err, size_t len)
{
	*columns = NULL;
	*flags &= VIEW_FD;
	for (int i = 0; i < n; i++) {
		const char *a = w[i];

		if (!strcmp(a, "--json") || !strcmp(a, "-J")) {
			*flags |= VIEW_JSON;
		} else if (!strcmp(a, "--raw") || !strcmp(a, "-r")) {
			*flags |= VIEW_RAW;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (i + 1 == n) {
				snprintf(err, len, "%s needs a column list", a);
				goto bad;
			}
			free(*columns);
			*columns = xstrdup(w[++i]);
		} else if (!strncmp(a, "--output=", 9)) {
			free(*columns);
			*columns = xstrdup(a + 9);
		} else {
			snprintf(err, len, "unknown option '%s' (want -o LIST, "
				 "--json or --raw)", a);
			goto bad;
		}
	}
	if (!view_tree_check(*columns, *flags, err, len))
		return 0;
bad:
	free(*columns);
	*columns = NULL;
	return -1;
}
