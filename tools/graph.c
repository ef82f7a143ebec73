// SPDX-License-Identifier: GPL-2.0
/*
 * "nsmctl graph": the mount trees of a world's mount namespaces side by
 * side, as a graphviz DOT graph (rendered by dot(1) for svg and png).
 * One cluster per mount namespace, drawn as its first task sees it; a
 * box per mount, the tree as black arrows from parent to child; peer
 * groups as colored links between their members; an arrow from a peer
 * group to each of its slaves; unbindable, locked and nsfs mounts marked;
 * each task pointing at the mounts of its root and its cwd.
 *
 * Names and numbers come from the normal form (mounts by their place in
 * it, peer groups and namespaces by first appearance), so the model and
 * the kernel draw the same graph for the same scenario.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "nsmctl.h"

/* A color per peer group: graphviz's "set19" scheme, readable on white. */
static const char *const palette[] = {
	"#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628",
	"#f781bf", "#999999", "#1b9e77", "#d95f02",
};
#define NR_PALETTE (sizeof(palette) / sizeof(palette[0]))

struct gmnt {
	struct mnt *m;		/* its line, in the cluster's listing */
	int cluster, num;	/* node name "nC_N": cluster, normal-form id */
	int peer, master;	/* peer group numbers (0: none) */
	int locked;		/* 1 locked, 0 not, -1 not known */
};

struct cluster {
	unsigned long long mnt_ns;
	int ns_num;		/* as "show TASK ns" numbers it */
	char **tasks;		/* the tasks in it, as drawn */
	int nr_tasks;
	struct mnt *m;
	int nr;
	int *order;
	int probe_ok;		/* locked mounts could be probed */
};

struct graph {
	struct cluster *c;
	int nr_c;
	struct gmnt *g;
	int nr_g;
	unsigned long long *pg;	/* peer groups by first appearance */
	int nr_pg;
};

static int pg_num(struct graph *gr, unsigned long long id)
{
	for (int i = 0; i < gr->nr_pg; i++)
		if (gr->pg[i] == id)
			return i + 1;
	gr->pg = xrealloc(gr->pg, (gr->nr_pg + 1) * sizeof(*gr->pg));
	gr->pg[gr->nr_pg++] = id;
	return gr->nr_pg;
}

static unsigned long long opt_id(const char *optional, const char *what)
{
	size_t l = strlen(what);

	for (const char *p = optional; *p; p = strchrnul(p, ' '), p += !!*p)
		if (!strncmp(p, what, l) && p[l] == ':')
			return strtoull(p + l + 1, NULL, 10);
	return 0;
}

static void dot_escape(struct sbuf *b, const char *s)
{
	char c[2] = { 0, 0 };

	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_add(b, "\\");
		c[0] = *s;
		sb_add(b, c);
	}
}

/*
 * Is the mount at @point locked (MNT_LOCKED)?  Asked of the backend the
 * only way user space can: a probe task, cloned from @task into a copy
 * of its mount namespace (in the same user namespace, so the copy adds
 * no locks and keeps those there are), makes its copies private (so that
 * nothing it does propagates back), then umounts the copy of the mount
 * lazily: umount(2) refuses a locked mount with EINVAL.  1, 0, or -1
 * when the probe could not tell.
 */
static int probe_locked(const struct backend_ops *ops, struct backend *b,
			const char *task, const char *point)
{
	static const char probe[] = "nsmctl-graph-probe";
	struct cmd c = { .text = "graph probe", .task = (char *)task,
			 .task2 = (char *)probe, .op = OP_CLONE,
			 .flags = CLONE_NEWNS };
	struct cmd_result res;
	int r, locked = -1;

	if (view_has_task(probe) || engine_cmd(ops, b, &c, &res))
		return -1;	/* the scenario has a task of that name */
	c = (struct cmd){ .text = "graph probe", .task = (char *)probe,
			  .op = OP_MAKE, .sub = PROP_PRIVATE, .a1 = "/",
			  .rec = 1 };
	if (!engine_cmd(ops, b, &c, &res)) {
		c = (struct cmd){ .text = "graph probe", .task = (char *)probe,
				  .op = OP_UMOUNT, .a1 = (char *)point,
				  .rec = 1 };
		r = engine_cmd(ops, b, &c, &res);
		locked = r == EINVAL ? 1 : r == 0 ? 0 : -1;
	}
	c = (struct cmd){ .text = "graph probe", .task = (char *)probe,
			  .op = OP_EXIT };
	engine_cmd(ops, b, &c, &res);
	return locked;
}

/* The tasks to draw (all, or those named), grouped by mount namespace. */
static int collect(const struct backend_ops *ops, struct backend *b,
		   char **want, int nr_want, int probe, struct graph *gr)
{
	char **names;
	int nr = engine_world_tasks(&names);
	char **list = nr_want ? want : names;
	int nr_list = nr_want ? nr_want : nr;

	for (int t = 0; t < nr_list; t++) {
		unsigned long long ids[NS_NR], own, par;
		struct cluster *c = NULL;
		char *text = NULL;
		int r;

		if (!view_has_task(list[t])) {
			warnx_nsm("graph: no task '%s'", list[t]);
			return NSMCTL_EXIT_USAGE;
		}
		r = ops->ns_ids(b, list[t], ids);
		if (r)
			goto fail;
		for (int i = 0; i < gr->nr_c; i++)
			if (gr->c[i].mnt_ns == ids[NS_MNT])
				c = &gr->c[i];
		if (!c) {
			gr->c = xrealloc(gr->c, (gr->nr_c + 1) * sizeof(*gr->c));
			c = &gr->c[gr->nr_c++];
			memset(c, 0, sizeof(*c));
			c->mnt_ns = ids[NS_MNT];
			c->ns_num = engine_ns_number(NS_MNT, ids[NS_MNT]);
			r = ops->mountinfo(b, list[t], &text);
			if (r)
				goto fail;
			mountinfo_parse(text, &c->m, &c->nr);
			free(text);
			c->order = xcalloc(c->nr + 1, sizeof(int));
			mountinfo_order(c->m, c->nr, c->order);
			/*
			 * The probe's copy must be in the namespace's own user
			 * namespace: from another, copy_mnt_ns() would lock
			 * every mount of the copy itself.
			 */
			c->probe_ok = probe &&
				      !ops->ns_rel(b, list[t], NS_MNT, &own, &par) &&
				      own == ids[NS_USER];
			for (int i = 0; i < c->nr; i++) {
				struct gmnt *g;

				gr->g = xrealloc(gr->g, (gr->nr_g + 1) *
						 sizeof(*gr->g));
				g = &gr->g[gr->nr_g++];
				g->m = &c->m[c->order[i]];
				g->cluster = gr->nr_c;
				g->num = i + 1;
				g->locked = -1;
			}
		}
		c->tasks = xrealloc(c->tasks, (c->nr_tasks + 1) * sizeof(char *));
		c->tasks[c->nr_tasks++] = list[t];
		continue;
fail:
		warnx_nsm("graph: task '%s': %s", list[t],
			result_name(r, (char[32]){ 0 }, 32));
		return NSMCTL_EXIT_ENV;
	}
	/* peer groups numbered in drawing order: as members, then masters */
	for (int i = 0; i < gr->nr_g; i++) {
		unsigned long long id = opt_id(gr->g[i].m->optional, "shared");

		gr->g[i].peer = id ? pg_num(gr, id) : 0;
	}
	for (int i = 0; i < gr->nr_g; i++) {
		unsigned long long id = opt_id(gr->g[i].m->optional, "master");

		gr->g[i].master = id ? pg_num(gr, id) : 0;
	}
	return 0;
}

/*
 * Locked marks: a mount is probed when it is the topmost on its mount
 * point (umount(2) by path reaches only that one) and its parent is in
 * the view (the view's root mount is covered by the parent's
 * propagation, which the probe does not make private).
 */
static void probe_all(const struct backend_ops *ops, struct backend *b,
		      struct graph *gr)
{
	for (int i = 0; i < gr->nr_g; i++) {
		struct gmnt *g = &gr->g[i];
		struct cluster *c = &gr->c[g->cluster - 1];
		const struct mnt *top;
		char point[4096];
		int parent_in = 0;

		if (!c->probe_ok)
			continue;
		for (int j = 0; j < c->nr; j++)
			if (c->m[j].id == g->m->parent && &c->m[j] != g->m)
				parent_in = 1;
		path_unescape(g->m->point, point, sizeof(point));
		top = mountinfo_find(c->m, c->nr, point);
		if (!parent_in || top != g->m)
			continue;
		g->locked = probe_locked(ops, b, c->tasks[0], point);
	}
}

static struct gmnt *by_id(struct graph *gr, int cluster, int id)
{
	for (int i = 0; i < gr->nr_g; i++)
		if (gr->g[i].cluster == cluster && gr->g[i].m->id == id)
			return &gr->g[i];
	return NULL;
}

/*
 * The root of an nsfs mount, "KIND:[INUM]", with the number "show TASK
 * ns" gives the namespace (as the normal form writes it); others as is.
 */
static void nsfs_root(const struct mnt *m, char *buf, size_t len)
{
	const char *br = strstr(m->root, ":[");

	path_unescape(m->root, buf, len);
	if (strcmp(m->fstype, "nsfs") || !br)
		return;
	for (int k = 0; k < NS_NR; k++)
		if (strlen(ns_kind_names[k]) == (size_t)(br - m->root) &&
		    !strncmp(m->root, ns_kind_names[k], br - m->root)) {
			snprintf(buf, len, "%s:[%d]", ns_kind_names[k],
				 engine_ns_number(k, strtoull(br + 2, NULL, 10)));
			return;
		}
}

static void node(struct sbuf *o, const struct gmnt *g)
{
	char buf[4096];
	const struct mnt *m = g->m;
	int nsfs = !strcmp(m->fstype, "nsfs");
	int unbindable = !!strstr(m->optional, "unbindable");
	struct sbuf marks = { 0 };

	sb_printf(o, "\t\tn%d_%d [label=\"", g->cluster, g->num);
	path_unescape(m->point, buf, sizeof(buf));
	dot_escape(o, buf);
	sb_printf(o, "\\n#%d ", g->num);
	path_unescape(m->source, buf, sizeof(buf));
	dot_escape(o, buf);
	if (strcmp(m->root, "/")) {
		nsfs_root(m, buf, sizeof(buf));
		sb_add(o, "[");
		dot_escape(o, buf);
		sb_add(o, "]");
	}
	sb_add(o, " ");
	dot_escape(o, m->fstype);
	if (g->peer)
		sb_printf(&marks, " shared:%d", g->peer);
	if (g->master)
		sb_printf(&marks, " master:%d", g->master);
	if (unbindable)
		sb_add(&marks, " unbindable");
	if (g->locked == 1)
		sb_add(&marks, " locked");
	if (marks.len)
		sb_printf(o, "\\n%s", marks.s + 1);
	sb_add(o, "\"");
	/* the marks again as attributes, for tools and tests to read */
	if (g->peer)
		sb_printf(o, ", color=\"%s\", penwidth=2",
			  palette[(g->peer - 1) % NR_PALETTE]);
	if (unbindable)
		sb_add(o, ", style=\"rounded,dashed\"");
	if (g->locked == 1)
		sb_add(o, ", peripheries=2");
	if (nsfs)
		sb_add(o, ", shape=note, fillcolor=\"#fff3c4\", style=filled");
	sb_printf(o, ", class=\"mount%s%s%s%s%s\"",
		  g->peer ? " shared" : "", g->master ? " slave" : "",
		  unbindable ? " unbindable" : "",
		  g->locked == 1 ? " locked" : "", nsfs ? " nsfs" : "");
	sb_add(o, "];\n");
	free(marks.s);
}

static char *to_dot(const struct backend_ops *ops, struct backend *b,
		    struct graph *gr, const char *title)
{
	struct sbuf o = { 0 };

	sb_add(&o, "digraph nsmctl {\n"
	       "\tgraph [rankdir=TB, compound=true, fontname=\"Helvetica\", "
	       "fontsize=12, labelloc=t, label=\"");
	dot_escape(&o, title);
	sb_add(&o, "\"];\n"
	       "\tnode [shape=box, style=rounded, fontname=\"Helvetica\", "
	       "fontsize=10];\n"
	       "\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	for (int ci = 0; ci < gr->nr_c; ci++) {
		struct cluster *c = &gr->c[ci];

		sb_printf(&o, "\tsubgraph cluster_%d {\n\t\tlabel=\"mnt:[%d]",
			  ci + 1, c->ns_num);
		for (int t = 0; t < c->nr_tasks; t++)
			sb_printf(&o, "%s%s", t ? ", " : "\\n", c->tasks[t]);
		sb_add(&o, "\";\n");
		for (int i = 0; i < gr->nr_g; i++)
			if (gr->g[i].cluster == ci + 1)
				node(&o, &gr->g[i]);
		/* the tree */
		for (int i = 0; i < gr->nr_g; i++) {
			struct gmnt *g = &gr->g[i], *p;

			if (g->cluster != ci + 1)
				continue;
			p = by_id(gr, ci + 1, g->m->parent);
			if (p && p != g)
				sb_printf(&o, "\t\tn%d_%d -> n%d_%d [class=tree];\n",
					  p->cluster, p->num, g->cluster, g->num);
		}
		sb_add(&o, "\t}\n");
	}
	/* peer groups: each member linked to the next one drawn */
	for (int pg = 1; pg <= gr->nr_pg; pg++) {
		struct gmnt *prev = NULL, *first = NULL;

		for (int i = 0; i < gr->nr_g; i++) {
			struct gmnt *g = &gr->g[i];

			if (g->peer != pg)
				continue;
			if (prev)
				sb_printf(&o, "\tn%d_%d -> n%d_%d [dir=none, "
					  "style=bold, constraint=false, "
					  "color=\"%s\", class=\"peer\", "
					  "tooltip=\"shared:%d\"];\n",
					  prev->cluster, prev->num, g->cluster,
					  g->num, palette[(pg - 1) % NR_PALETTE],
					  pg);
			else
				first = g;
			prev = g;
		}
		/* master to slave, from the group's first member drawn */
		for (int i = 0; i < gr->nr_g; i++) {
			struct gmnt *g = &gr->g[i];

			if (g->master != pg)
				continue;
			if (!first) {
				sb_printf(&o, "\tpg%d [label=\"peer group %d\\n"
					  "(no member drawn)\", shape=ellipse, "
					  "color=\"%s\", class=\"group\"];\n",
					  pg, pg, palette[(pg - 1) % NR_PALETTE]);
				first = g;	/* print the node once */
				sb_printf(&o, "\tpg%d", pg);
			} else if (first->peer == pg) {
				sb_printf(&o, "\tn%d_%d", first->cluster,
					  first->num);
			} else {
				sb_printf(&o, "\tpg%d", pg);
			}
			sb_printf(&o, " -> n%d_%d [style=dashed, color=\"%s\", "
				  "constraint=false, label=\"slave\", "
				  "class=\"master\"];\n", g->cluster, g->num,
				  palette[(pg - 1) % NR_PALETTE]);
		}
	}
	/* each task: its root and cwd */
	for (int ci = 0; ci < gr->nr_c; ci++) {
		struct cluster *c = &gr->c[ci];

		for (int t = 0; t < c->nr_tasks; t++) {
			struct gmnt *rt, *pw;
			int root = 0, pwd = 0;

			sb_printf(&o, "\t\"task %s\" [label=\"%s\", shape=ellipse, "
				  "style=filled, fillcolor=\"#e8e8e8\", "
				  "class=\"task\"];\n", c->tasks[t], c->tasks[t]);
			if (ops->fs_mnt(b, c->tasks[t], &root, &pwd))
				continue;
			rt = by_id(gr, ci + 1, root);
			pw = by_id(gr, ci + 1, pwd);
			if (rt)
				sb_printf(&o, "\t\"task %s\" -> n%d_%d [label=\"root\", "
					  "style=dotted, class=\"root\"];\n",
					  c->tasks[t], rt->cluster, rt->num);
			if (pw)
				sb_printf(&o, "\t\"task %s\" -> n%d_%d [label=\"cwd\", "
					  "style=dotted, class=\"cwd\"];\n",
					  c->tasks[t], pw->cluster, pw->num);
		}
	}
	sb_add(&o, "}\n");
	return sb_take(&o);
}

/* dot -TFORMAT [-o OUT], fed @text on its standard input. */
static int render(const char *text, const char *format, const char *out)
{
	char tflag[32];
	int fd[2], status;
	pid_t pid;
	size_t len = strlen(text), off = 0;

	snprintf(tflag, sizeof(tflag), "-T%s", format);
	if (pipe(fd))
		return errno;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		if (out)
			execlp("dot", "dot", tflag, "-o", out, (char *)NULL);
		else
			execlp("dot", "dot", tflag, (char *)NULL);
		warnx_nsm("graph: dot: %s (install graphviz)",
			strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	while (off < len) {
		ssize_t n = write(fd[1], text + off, len - off);

		if (n <= 0)
			break;
		off += n;
	}
	close(fd[1]);
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

static void usage_graph(FILE *f)
{
	fputs("Usage:\n"
" nsmctl graph [options] FILE\n"
"\n"
"Runs the scenario FILE on a fresh world, then draws the mount trees of its\n"
"mount namespaces side by side (one per namespace, as its first task sees\n"
"it): peer groups as colored links, master-to-slave arrows, unbindable\n"
"(dashed), locked (double border) and nsfs (note) mounts marked, each\n"
"task pointing at the mounts of its root and cwd.\n"
"\n"
"Options:\n"
" -t, --task TASK             draw TASK's namespace (repeatable; default:\n"
"                             every task's)\n"
" -T, --format dot|svg|png    output format (default: dot; svg and png\n"
"                             are rendered by graphviz's dot)\n"
" -o, --output OUT            write to OUT (default: standard output)\n"
" -b, --backend model|kernel  the world (default: model)\n"
"     --no-locked             do not probe for locked mounts\n"
" -h, --help                  this help\n", f);
}

int cmd_graph(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "task", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'T' },
		{ "output", required_argument, NULL, 'o' },
		{ "backend", required_argument, NULL, 'b' },
		{ "no-locked", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct backend_ops *ops = model_ops();
	const char *format = "dot", *out = NULL;
	char **tasks = NULL, *dot;
	int nr_tasks = 0, probe = 1, c, r;
	struct graph gr = { 0 };
	struct backend *b = NULL;
	struct scenario sc;

	optind = 0;	/* 0: glibc starts over (the "+" of main's getopt is forgotten) */
	while ((c = getopt_long(argc, argv, "t:T:o:b:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tasks = xrealloc(tasks, (nr_tasks + 1) * sizeof(*tasks));
			tasks[nr_tasks++] = optarg;
			break;
		case 'T':
			format = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'b':
			ops = backend_named(optarg);
			if (!ops) {
				warnx_nsm("unknown backend '%s'",
					optarg);
				free(tasks);
				return NSMCTL_EXIT_USAGE;
			}
			break;
		case 'L':
			probe = 0;
			break;
		case 'h':
			usage_graph(stdout);
			free(tasks);
			return 0;
		default:
			free(tasks);
			return errtryhelp_nsm("graph");
		}
	}
	if (strcmp(format, "dot") && strcmp(format, "svg") &&
	    strcmp(format, "png")) {
		warnx_nsm("graph: unknown format '%s' (want dot, "
			"svg or png)", format);
		free(tasks);
		return NSMCTL_EXIT_USAGE;
	}
	if (argc - optind != 1) {
		warnx_nsm("graph: want one scenario FILE");
		free(tasks);
		return errtryhelp_nsm("graph");
	}
	r = view_world(ops, argv[optind], &sc, &b);
	if (!r)
		r = collect(ops, b, tasks, nr_tasks, probe, &gr);
	if (!r) {
		probe_all(ops, b, &gr);
		/* the file's name only, no backend: both draw the same */
		dot = to_dot(ops, b, &gr, basename(argv[optind]));
		if (!strcmp(format, "dot")) {
			FILE *f = out ? fopen(out, "w") : stdout;

			if (!f || fputs(dot, f) < 0 || (out && fclose(f))) {
				warnx_nsm("graph: %s: %s",
					out ? out : "stdout", strerror(errno));
				r = NSMCTL_EXIT_ENV;
			}
		} else if (render(dot, format, out)) {
			warnx_nsm("graph: dot -T%s failed",
				format);
			r = NSMCTL_EXIT_ENV;
		}
		free(dot);
	}
	if (b)
		engine_world_close(ops, b);
	for (int i = 0; i < gr.nr_c; i++) {
		mountinfo_free(gr.c[i].m, gr.c[i].nr);
		free(gr.c[i].order);
		free(gr.c[i].tasks);
	}
	free(gr.c);
	free(gr.g);
	free(gr.pg);
	free(tasks);
	scenario_free(&sc);
	return r;
}
