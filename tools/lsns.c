// SPDX-License-Identifier: GPL-2.0
/*
 * "nsmctl lsns": the namespaces of a world (a scenario's end state, on
 * either backend) or of the real system, listed as lsns(8) lists them,
 * with libsmartcols: one line per namespace, with the number of tasks in
 * it and the first of them, optionally as a tree of owners (-T owner: a
 * user namespace above what it owns) or of parents (-T parent: nested
 * user and pid namespaces).
 *
 * A world's namespaces are numbered as "show TASK ns" numbers them, so
 * both backends list the same; the real system's by their inode numbers,
 * as lsns does.  As lsns, a task counts in the namespaces it is in (its
 * /proc/PID/ns links), not in those its children will get
 * (pid_for_children, time_for_children).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>

#include <libsmartcols.h>

#include "nsmctl.h"

/* the kinds a task is in, in lsns' order of its TYPE list */
static const int kinds[] = {
	NS_MNT, NS_NET, NS_IPC, NS_USER, NS_PID, NS_UTS, NS_CGROUP, NS_TIME,
};
#define NR_KINDS (sizeof(kinds) / sizeof(kinds[0]))

struct nsent {
	int kind;
	unsigned long long id;	/* inode number (the world's: the backend's) */
	unsigned long long num;	/* as printed: renumbered, or the inode */
	int nprocs;
	unsigned int pid;	/* the lowest pid in it (the world's level) */
	char *cmd;		/* its task: name, or the process's comm */
	unsigned long long owner, parent;	/* ids, 0: none or unseen */
	struct libscols_line *ln;
};

struct nslist {
	struct nsent *e;
	int nr;
};

static struct nsent *find(struct nslist *l, int kind, unsigned long long id)
{
	for (int i = 0; i < l->nr; i++)
		if (l->e[i].id == id && l->e[i].kind == kind)
			return &l->e[i];
	return NULL;
}

/* Counts a task (or process) of @pid named @cmd into namespace @id. */
static struct nsent *account(struct nslist *l, int kind,
			     unsigned long long id, unsigned int pid,
			     const char *cmd, int *fresh)
{
	struct nsent *e = find(l, kind, id);

	*fresh = !e;
	if (!e) {
		l->e = xrealloc(l->e, (l->nr + 1) * sizeof(*l->e));
		e = &l->e[l->nr++];
		memset(e, 0, sizeof(*e));
		e->kind = kind;
		e->id = id;
		e->pid = pid;
		e->cmd = xstrdup(cmd);
	} else if (pid < e->pid) {
		e->pid = pid;
		free(e->cmd);
		e->cmd = xstrdup(cmd);
	}
	e->nprocs++;
	return e;
}

/* ---- the sources ------------------------------------------------------ */

static int from_world(const struct backend_ops *ops, struct backend *b,
		      struct nslist *l)
{
	char **names;
	int nr = engine_world_tasks(&names);

	for (int t = 0; t < nr; t++) {
		unsigned long long ids[NS_NR];
		unsigned int pids[64];
		int np = 0, r, fresh;

		r = ops->ns_ids(b, names[t], ids);
		if (!r)
			r = ops->nspid(b, names[t], pids, 64, &np);
		if (r) {
			warnx_nsm("lsns: task '%s': %s",
				names[t], result_name(r, (char[32]){ 0 }, 32));
			return NSMCTL_EXIT_ENV;
		}
		for (size_t k = 0; k < NR_KINDS; k++) {
			struct nsent *e;

			if (!ids[kinds[k]])
				continue;
			e = account(l, kinds[k], ids[kinds[k]],
				    np ? pids[0] : 0, names[t], &fresh);
			if (fresh && ops->ns_rel(b, names[t], kinds[k],
						 &e->owner, &e->parent))
				e->owner = e->parent = 0;
		}
	}
	for (int i = 0; i < l->nr; i++)
		l->e[i].num = engine_ns_number(l->e[i].kind, l->e[i].id);
	return 0;
}

/* Every process of /proc: the namespaces of the real system we can see. */
static int from_system(struct nslist *l)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d) {
		warnx_nsm("lsns: /proc: %s", strerror(errno));
		return NSMCTL_EXIT_ENV;
	}
	while ((de = readdir(d))) {
		char path[300], comm[64] = "";
		unsigned int pid;
		char *end;
		FILE *f;

		pid = strtoul(de->d_name, &end, 10);
		if (!isdigit((unsigned char)de->d_name[0]) || *end)
			continue;
		snprintf(path, sizeof(path), "/proc/%u/comm", pid);
		f = fopen(path, "r");
		if (!f)
			continue;	/* gone meanwhile */
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
		for (size_t k = 0; k < NR_KINDS; k++) {
			struct nsent *e;
			struct stat st;
			int fresh, fd;

			snprintf(path, sizeof(path), "/proc/%u/ns/%s", pid,
				 ns_kind_names[kinds[k]]);
			if (stat(path, &st))
				continue;
			e = account(l, kinds[k], st.st_ino, pid, comm, &fresh);
			e->num = st.st_ino;
			if (!fresh)
				continue;
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			e->owner = ns_ioctl_ino(fd, NS_GET_USERNS);
			e->parent = ns_ioctl_ino(fd, NS_GET_PARENT);
			close(fd);
		}
	}
	closedir(d);
	return 0;
}

/* ---- the table -------------------------------------------------------- */

enum { C_NS, C_TYPE, C_NPROCS, C_PID, C_COMMAND, C_PNS, C_ONS, C_NR };

static const struct {
	const char *name;
	double whint;
	int flags, json;
	const char *help;
} cols[C_NR] = {
	[C_NS] = { "NS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		   "namespace (a world's: numbered as show TASK ns does)" },
	[C_TYPE] = { "TYPE", 5, 0, SCOLS_JSON_STRING, "kind of namespace" },
	[C_NPROCS] = { "NPROCS", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		       "number of tasks in it" },
	[C_PID] = { "PID", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		    "lowest pid in it (in the world's pid namespace)" },
	[C_COMMAND] = { "COMMAND", 0.3, 0, SCOLS_JSON_STRING,
			"the task of that pid (its name; a process's comm)" },
	[C_PNS] = { "PNS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		    "parent namespace (user, pid)" },
	[C_ONS] = { "ONS", 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
		    "owning user namespace" },
};

static int parse_cols(const char *list, int *out, int max)
{
	int n = 0;

	if (!list || *list == '+') {
		static const int def[] = { C_NS, C_TYPE, C_NPROCS, C_PID,
					   C_COMMAND };

		for (size_t i = 0; i < sizeof(def) / sizeof(def[0]); i++)
			out[n++] = def[i];
		if (!list)
			return n;
		list++;
	}
	while (*list) {
		const char *e = strchrnul(list, ',');
		int c = -1;

		for (int i = 0; i < C_NR; i++)
			if (strlen(cols[i].name) == (size_t)(e - list) &&
			    !strncasecmp(cols[i].name, list, e - list))
				c = i;
		if (c < 0 || n == max) {
			warnx_nsm("lsns: unknown column '%.*s'",
				(int)(e - list), list);
			return -1;
		}
		out[n++] = c;
		list = *e ? e + 1 : e;
	}
	return n ? n : -1;
}

static unsigned long long num_of(struct nslist *l, int kind,
				 unsigned long long id)
{
	struct nsent *e = id ? find(l, kind, id) : NULL;

	return e ? e->num : 0;
}

/* Where @e hangs in the tree of @tree ("owner" or "parent"), or NULL. */
static struct nsent *tree_parent(struct nslist *l, struct nsent *e,
				 const char *tree)
{
	if (!tree)
		return NULL;
	if (!strcmp(tree, "owner"))
		return e->owner ? find(l, NS_USER, e->owner) : NULL;
	return e->parent ? find(l, e->kind, e->parent) : NULL;
}

static void add_line(struct libscols_table *tb, struct nslist *l,
		     struct nsent *e, const char *tree, const char *type,
		     const int *c, int nc, int depth)
{
	struct nsent *p = tree_parent(l, e, tree);
	char buf[64];

	if (e->ln)
		return;
	if (p && type && strcmp(ns_kind_names[p->kind], type))
		p = NULL;	/* filtered out: at the top */
	if (p && depth < 64)
		add_line(tb, l, p, tree, type, c, nc, depth + 1);
	e->ln = scols_table_new_line(tb, p ? p->ln : NULL);
	if (!e->ln)
		return;
	for (int i = 0; i < nc; i++) {
		unsigned long long v;

		switch (c[i]) {
		case C_NS:
			snprintf(buf, sizeof(buf), "%llu", e->num);
			break;
		case C_TYPE:
			snprintf(buf, sizeof(buf), "%s", ns_kind_names[e->kind]);
			break;
		case C_NPROCS:
			snprintf(buf, sizeof(buf), "%d", e->nprocs);
			break;
		case C_PID:
			snprintf(buf, sizeof(buf), "%u", e->pid);
			break;
		case C_COMMAND:
			scols_line_set_data(e->ln, i, e->cmd);
			continue;
		case C_PNS:
		case C_ONS:
			v = c[i] == C_PNS ? num_of(l, e->kind, e->parent) :
			    num_of(l, NS_USER, e->owner);
			if (!v)
				continue;
			snprintf(buf, sizeof(buf), "%llu", v);
			break;
		}
		scols_line_set_data(e->ln, i, buf);
	}
}

static int kind_rank(int kind)
{
	for (size_t i = 0; i < NR_KINDS; i++)
		if (kinds[i] == kind)
			return i;
	return NR_KINDS;
}

/* lsns' order: by namespace; a world's numbers repeat, so by kind first */
static int world_order;
static int cmp_ent(const void *pa, const void *pb)
{
	const struct nsent *a = pa, *b = pb;

	if (world_order && a->kind != b->kind)
		return kind_rank(a->kind) - kind_rank(b->kind);
	return a->num < b->num ? -1 : a->num > b->num;
}

static int print_list(struct nslist *l, const char *columns, const char *tree,
		      const char *type, unsigned int flags)
{
	struct libscols_table *tb = view_table_new("namespaces", flags);
	int c[32], nc = parse_cols(columns, c, 32), r = 0;

	if (nc < 0 || !tb) {
		scols_unref_table(tb);
		return NSMCTL_EXIT_USAGE;
	}
	qsort(l->e, l->nr, sizeof(*l->e), cmp_ent);
	for (int i = 0; i < nc; i++) {
		int fl = cols[c[i]].flags;
		struct libscols_column *cl;

		/* a tree is drawn left to right: not right-aligned */
		if (c[i] == C_NS && tree && !(flags & VIEW_RAW))
			fl = SCOLS_FL_TREE;
		cl = scols_table_new_column(tb, cols[c[i]].name,
					    cols[c[i]].whint, fl);
		if (!cl) {
			scols_unref_table(tb);
			return NSMCTL_EXIT_ENV;
		}
		scols_column_set_json_type(cl, cols[c[i]].json);
	}
	for (int i = 0; i < l->nr; i++)
		if (!type || !strcmp(ns_kind_names[l->e[i].kind], type))
			add_line(tb, l, &l->e[i], tree, type, c, nc, 0);
	if (scols_print_table(tb))
		r = NSMCTL_EXIT_ENV;
	scols_unref_table(tb);
	return r;
}

static void usage_lsns(FILE *f)
{
	fputs("Usage:\n"
" nsmctl lsns [options] [FILE]\n"
"\n"
"Lists the namespaces of a world as lsns(8) lists a system's: those of\n"
"every task, after the scenario FILE has run in a fresh world (without\n"
"FILE: a fresh world's, or with --backend kernel the real system's, from\n"
"/proc).  A world's namespaces are numbered as 'show TASK ns' numbers\n"
"them, so the model and the kernel list the same.\n"
"\n"
"Options:\n"
" -b, --backend model|kernel  the world (default: model)\n"
" -t, --type TYPE             only namespaces of TYPE (mnt, net, ipc, user,\n"
"                             pid, uts, cgroup, time)\n"
" -T, --tree[=owner|parent]   a tree of owners (user namespaces above what\n"
"                             they own; the default) or of parents\n"
" -o, --output LIST           columns (+LIST: added to the default)\n"
" -J, --json                  JSON output, shaped as lsns --json\n"
" -r, --raw                   raw output\n"
" -h, --help                  this help\n"
"\n"
"Columns:\n", f);
	for (int i = 0; i < C_NR; i++)
		fprintf(f, "  %-8s %s\n", cols[i].name, cols[i].help);
}

int cmd_lsns(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "type", required_argument, NULL, 't' },
		{ "tree", optional_argument, NULL, 'T' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct backend_ops *ops = model_ops();
	const char *type = NULL, *tree = NULL, *columns = NULL, *file;
	int kernel = 0, c, r, ok = 0;
	unsigned int flags = 0;
	struct nslist l = { 0 };
	struct backend *b = NULL;
	struct scenario sc;

	optind = 0;	/* 0: glibc starts over (the "+" of main's getopt is forgotten) */
	while ((c = getopt_long(argc, argv, "b:t:T::o:Jrh", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			ops = backend_named(optarg);
			if (!ops) {
				warnx_nsm("unknown backend '%s'",
					optarg);
				return NSMCTL_EXIT_USAGE;
			}
			kernel = !strcmp(optarg, "kernel");
			break;
		case 't':
			type = optarg;
			break;
		case 'T':
			tree = optarg ? optarg : "owner";
			break;
		case 'o':
			columns = optarg;
			break;
		case 'J':
			flags |= VIEW_JSON;
			break;
		case 'r':
			flags |= VIEW_RAW;
			break;
		case 'h':
			usage_lsns(stdout);
			return 0;
		default:
			return errtryhelp_nsm("lsns");
		}
	}
	if (tree && strcmp(tree, "owner") && strcmp(tree, "parent")) {
		warnx_nsm("lsns: unknown tree '%s' (want owner or "
			"parent)", tree);
		return NSMCTL_EXIT_USAGE;
	}
	for (size_t k = 0; type && k < NR_KINDS; k++)
		ok |= !strcmp(type, ns_kind_names[kinds[k]]);
	if (type && !ok) {
		warnx_nsm("lsns: unknown type '%s'", type);
		return NSMCTL_EXIT_USAGE;
	}
	if (argc - optind > 1) {
		warnx_nsm("lsns: at most one scenario FILE");
		return errtryhelp_nsm("lsns");
	}
	{
		int cc[32];

		if (parse_cols(columns, cc, 32) < 0)
			return NSMCTL_EXIT_USAGE;
	}
	file = argc > optind ? argv[optind] : NULL;
	if (kernel && !file) {
		r = from_system(&l);
		world_order = 0;
	} else {
		r = view_world(ops, file, &sc, &b);
		if (!r)
			r = from_world(ops, b, &l);
		world_order = 1;
	}
	if (!r)
		r = print_list(&l, columns, tree, type, flags);
	if (b)
		engine_world_close(ops, b);
	if (!kernel || file)
		scenario_free(&sc);
	for (int i = 0; i < l.nr; i++)
		free(l.e[i].cmd);
	free(l.e);
	return r;
}
