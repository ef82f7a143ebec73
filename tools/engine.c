// SPDX-License-Identifier: GPL-2.0
/*
 * Running a scenario on one backend: the action commands go to the backend
 * as they are; "expect" and "show" are built here on the backend's views
 * (mountinfo text, path probes, ns ids, NSpid, hostname), so both backends
 * are judged by the same code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nsmctl.h"

/*
 * "show TASK ns" numbers namespaces by first appearance over the whole run,
 * one sequence per kind (pid_for_children shares pid's, time_for_children
 * time's), so the same sharing structure prints the same on both backends.
 *
 * A namespace that no task is in any more is forgotten after the command
 * that left it: one that appears later gets a new number even when the
 * backend gave it the freed one's id.  Both kernels reuse the inode numbers
 * of freed namespaces, the real one when its deferred frees run and the
 * model at once, so without this the numbers would depend on timing.
 */
static struct {
	int group;
	unsigned long long id;
	int num;
} *ns_map;
static int ns_map_nr;
static int ns_next[NS_NR];

/* The tasks that exist: init, and what successful clones and exits left. */
static char **eng_tasks;
static int eng_tasks_nr;

/*
 * The ns ids each task had when they were last read, valid until the next
 * action: between two actions nothing changes a task's namespaces, so the
 * bookkeeping after an action and the views that follow it read each
 * task's ids once (on the kernel backend, eight stat(2)s of /proc/PID/ns).
 */
static struct ns_seen {
	char *task;
	unsigned long long ids[NS_NR];
} *ns_seen;
static int ns_seen_nr;

static void ns_seen_clear(void)
{
	for (int i = 0; i < ns_seen_nr; i++)
		free(ns_seen[i].task);
	free(ns_seen);
	ns_seen = NULL;
	ns_seen_nr = 0;
}

static int task_ns_ids(const struct backend_ops *ops, struct backend *b,
		       const char *task, unsigned long long ids[NS_NR])
{
	int r;

	for (int i = 0; i < ns_seen_nr; i++)
		if (!strcmp(ns_seen[i].task, task)) {
			memcpy(ids, ns_seen[i].ids, sizeof(ns_seen[i].ids));
			return 0;
		}
	r = ops->ns_ids(b, task, ids);
	if (r)
		return r;	/* not remembered: asked again next time */
	ns_seen = xrealloc(ns_seen, (ns_seen_nr + 1) * sizeof(*ns_seen));
	ns_seen[ns_seen_nr].task = xstrdup(task);
	memcpy(ns_seen[ns_seen_nr++].ids, ids, sizeof(ns_seen->ids));
	return 0;
}

static int ns_group(int kind)
{
	if (kind == NS_PID_FOR_CHILDREN)
		return NS_PID;
	if (kind == NS_TIME_FOR_CHILDREN)
		return NS_TIME;
	return kind;
}

static int ns_number(int kind, unsigned long long id)
{
	int g = ns_group(kind);

	for (int i = 0; i < ns_map_nr; i++)
		if (ns_map[i].group == g && ns_map[i].id == id)
			return ns_map[i].num;
	ns_map = xrealloc(ns_map, (ns_map_nr + 1) * sizeof(*ns_map));
	ns_map[ns_map_nr].group = g;
	ns_map[ns_map_nr].id = id;
	ns_map[ns_map_nr].num = ++ns_next[g];
	return ns_map[ns_map_nr++].num;
}

static void tasks_add(const char *name)
{
	eng_tasks = xrealloc(eng_tasks, (eng_tasks_nr + 1) * sizeof(*eng_tasks));
	eng_tasks[eng_tasks_nr++] = xstrdup(name);
}

static void tasks_del(const char *name)
{
	for (int i = 0; i < eng_tasks_nr; i++) {
		if (strcmp(eng_tasks[i], name))
			continue;
		free(eng_tasks[i]);
		eng_tasks[i] = eng_tasks[--eng_tasks_nr];
		return;
	}
}

/* Forget the numbered namespaces that no existing task is in. */
static void ns_forget_unheld(const struct backend_ops *ops, struct backend *b)
{
	unsigned long long ids[NS_NR];
	char *held;
	int n = 0;

	if (!ns_map_nr)
		return;
	held = xcalloc(ns_map_nr, 1);
	for (int t = 0; t < eng_tasks_nr; t++) {
		if (task_ns_ids(ops, b, eng_tasks[t], ids))
			continue;	/* it died in the meantime */
		for (int k = 0; k < NS_NR; k++)
			for (int i = 0; i < ns_map_nr; i++)
				if (ns_map[i].group == ns_group(k) &&
				    ns_map[i].id == ids[k])
					held[i] = 1;
	}
	for (int i = 0; i < ns_map_nr; i++)
		if (held[i])
			ns_map[n++] = ns_map[i];
	ns_map_nr = n;
	free(held);
}

static void engine_reset(void)
{
	ns_seen_clear();
	free(ns_map);
	ns_map = NULL;
	ns_map_nr = 0;
	memset(ns_next, 0, sizeof(ns_next));
	for (int i = 0; i < eng_tasks_nr; i++)
		free(eng_tasks[i]);
	free(eng_tasks);
	eng_tasks = NULL;
	eng_tasks_nr = 0;
}

void engine_begin(void)
{
	engine_reset();
	tasks_add("init");
}

static char *rname(int r)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	return (char *)result_name(r, buf[i], sizeof(buf[i]));
}

/*
 * The absolute path (in TASK's view) that PATH names, lexically from its
 * cwd as the backend's getcwd gives it.
 */
static int task_path(const struct backend_ops *ops, struct backend *b,
		     const char *task, const char *path, char *out, size_t len)
{
	char cwd[4096] = "/";

	if (path[0] != '/') {
		int r = ops->cwd(b, task, cwd, sizeof(cwd));

		if (r)
			return r;
	}
	path_normalize(cwd, path, out, len);
	return 0;
}

static int do_expect(const struct backend_ops *ops, struct backend *b,
		     const struct cmd *c, struct cmd_result *res)
{
	char path[4096], buf[4096];
	int r;

	switch (c->sub) {
	case EX_MOUNTED:
	case EX_NOT_MOUNTED:
	case EX_PROPAGATION: {
		char *text = NULL;
		struct mnt *m = NULL;
		const struct mnt *hit;
		int nr = 0;

		r = task_path(ops, b, c->task, c->a1, path, sizeof(path));
		if (!r)
			r = ops->mountinfo(b, c->task, &text);
		if (r)
			return r;
		mountinfo_parse(text, &m, &nr);
		hit = mountinfo_find(m, nr, path);
		if (c->sub == EX_MOUNTED && !hit)
			res->msg = xasprintf("no mount has mount point %s", path);
		else if (c->sub == EX_NOT_MOUNTED && hit)
			res->msg = xasprintf("a mount has mount point %s: %s %s",
					     path, hit->fstype, hit->source);
		else if (c->sub == EX_PROPAGATION && !hit)
			res->msg = xasprintf("no mount has mount point %s", path);
		else if (c->sub == EX_PROPAGATION &&
			 mnt_propagation(hit) != c->kind)
			res->msg = xasprintf("expected %s, got %s (%s)",
					     prop_name(c->kind),
					     prop_name(mnt_propagation(hit)),
					     hit->optional[0] ? hit->optional :
					     "no optional fields");
		mountinfo_free(m, nr);
		free(text);
		return 0;
	}
	case EX_FILE: {
		unsigned int mode = 0;

		r = ops->stat(b, c->task, c->a1, &mode);
		if (r < 0)
			return r;
		if (r)
			res->msg = xasprintf("expected a regular file, got %s",
					     rname(r));
		else if (!S_ISREG(mode))
			res->msg = xasprintf("expected a regular file, got "
					     "mode %o", mode);
		return 0;
	}
	case EX_EXISTS:
	case EX_ABSENT:
		r = ops->stat(b, c->task, c->a1, NULL);
		if (r < 0)
			return r;
		if (c->sub == EX_EXISTS && r)
			res->msg = xasprintf("expected it to exist, got %s", rname(r));
		else if (c->sub == EX_ABSENT && !r)
			res->msg = xasprintf("expected it to be absent, but it exists");
		else if (c->sub == EX_ABSENT && r != ENOENT && r != ENOTDIR)
			res->msg = xasprintf("expected ENOENT, got %s", rname(r));
		return 0;
	case EX_SAME:
	case EX_DIFFER: {
		unsigned long long a[NS_NR], o[NS_NR];

		r = task_ns_ids(ops, b, c->task, a);
		if (!r)
			r = task_ns_ids(ops, b, c->task2, o);
		if (r)
			return r;
		if (!a[c->kind] || !o[c->kind])
			res->msg = xasprintf("cannot read the %s namespace of %s",
					     ns_kind_names[c->kind],
					     !a[c->kind] ? c->task : c->task2);
		else if (c->sub == EX_SAME && a[c->kind] != o[c->kind])
			res->msg = xasprintf("%s and %s are in different %s "
					     "namespaces", c->task, c->task2,
					     ns_kind_names[c->kind]);
		else if (c->sub == EX_DIFFER && a[c->kind] == o[c->kind])
			res->msg = xasprintf("%s and %s share the %s namespace",
					     c->task, c->task2,
					     ns_kind_names[c->kind]);
		return 0;
	}
	case EX_HOSTNAME:
		r = ops->hostname(b, c->task, buf, sizeof(buf));
		if (r)
			return r;
		if (strcmp(buf, c->a1))
			res->msg = xasprintf("expected hostname %s, got %s",
					     c->a1, buf);
		return 0;
	case EX_CWD:
		r = ops->cwd(b, c->task, buf, sizeof(buf));
		/* getcwd's errno (ENOENT for a removed cwd) is its answer */
		if (r > 0)
			snprintf(buf, sizeof(buf), "%s", rname(r));
		else if (r)
			return r;
		if (strcmp(buf, c->a1))
			res->msg = xasprintf("expected cwd %s, got %s", c->a1,
					     buf);
		return 0;
	}
	return R_INTERNAL;
}

static int do_show(const struct backend_ops *ops, struct backend *b,
		   const struct cmd *c, struct cmd_result *res)
{
	struct sbuf out = { 0 };
	char buf[4096];
	int r;

	switch (c->sub) {
	case SHOW_MOUNTS: {
		char *text = NULL;

		r = ops->mountinfo(b, c->task, &text);
		if (r)
			return r;
		res->out = mountinfo_normalize(text);
		free(text);
		return 0;
	}
	case SHOW_TREE: {
		char *text = NULL;

		if (c->flags & VIEW_FD) {
			/* an errno (EBADF) is the view's answer, as for cwd */
			r = ops->fd_tree(b, c->task, c->a2, &text);
			if (r > 0) {
				res->out = xasprintf("%s\n", rname(r));
				return 0;
			}
		} else {
			r = ops->mountinfo(b, c->task, &text);
		}
		if (r)
			return r;
		res->out = view_tree(text, c->a1, c->flags);
		free(text);
		return res->out ? 0 : R_INTERNAL;
	}
	case SHOW_NS: {
		unsigned long long ids[NS_NR];

		r = task_ns_ids(ops, b, c->task, ids);
		if (r)
			return r;
		for (int k = 0; k < NS_NR; k++) {
			const char *g = ns_kind_names[ns_group(k)];

			if (ids[k])
				sb_printf(&out, "%s -> %s:[%d]\n", ns_kind_names[k],
					  g, ns_number(k, ids[k]));
			else
				sb_printf(&out, "%s -> -\n", ns_kind_names[k]);
		}
		break;
	}
	case SHOW_PID: {
		unsigned int pids[64];
		int nr = 0;

		r = ops->nspid(b, c->task, pids, 64, &nr);
		if (r)
			return r;
		sb_add(&out, "NSpid:");
		for (int i = 0; i < nr; i++)
			sb_printf(&out, "\t%u", pids[i]);
		sb_add(&out, "\n");
		break;
	}
	case SHOW_HOSTNAME:
	case SHOW_CWD:
		r = c->sub == SHOW_HOSTNAME ?
		    ops->hostname(b, c->task, buf, sizeof(buf)) :
		    ops->cwd(b, c->task, buf, sizeof(buf));
		if (r > 0 && c->sub == SHOW_CWD)
			snprintf(buf, sizeof(buf), "%s", rname(r));
		else if (r)
			return r;
		sb_printf(&out, "%s\n", buf);
		break;
	}
	res->out = sb_take(&out);
	return 0;
}

int engine_cmd(const struct backend_ops *ops, struct backend *b,
	       const struct cmd *c, struct cmd_result *r)
{
	memset(r, 0, sizeof(*r));
	if (c->op == OP_EXPECT)
		r->res = do_expect(ops, b, c, r);
	else if (c->op == OP_SHOW)
		r->res = do_show(ops, b, c, r);
	else {
		ns_seen_clear();
		r->res = ops->act(b, c);
	}
	if (c->op == OP_EXPECT || c->op == OP_SHOW)
		return r->res;
	if (c->op == OP_CLONE && !r->res)
		tasks_add(c->task2);
	if (c->op == OP_EXIT && !r->res)
		tasks_del(c->task);
	ns_forget_unheld(ops, b);
	return r->res;
}

int engine_run(const struct backend_ops *ops, const struct scenario *sc,
	       struct run_result *rr)
{
	struct backend *b = NULL;
	char err[512] = "";
	int r;

	memset(rr, 0, sizeof(*rr));
	rr->r = xcalloc(sc->nr + 1, sizeof(*rr->r));
	engine_begin();
	mountinfo_ns_hook = ns_number;
	r = ops->open(&b, err, sizeof(err));
	if (r) {
		rr->abort_msg = xasprintf("%s backend: %s", ops->name,
					  err[0] ? err : rname(r));
		return r;
	}
	for (int i = 0; i < sc->nr; i++) {
		const struct cmd *c = &sc->cmds[i];

		r = engine_cmd(ops, b, c, &rr->r[i]);
		rr->nr_run = i + 1;
		if (r == R_DEAD || r == R_TIMEOUT || r == R_INTERNAL) {
			rr->abort_msg = xasprintf("%s:%d: %s: %s; the rest of "
						  "the scenario was not run",
						  sc->path, c->line, c->text,
						  rname(r));
			break;
		}
	}
	ops->close(b);
	engine_reset();
	mountinfo_ns_hook = NULL;
	return 0;
}

void run_result_free(struct run_result *rr, int nr)
{
	if (!rr->r)
		return;
	for (int i = 0; i < nr; i++) {
		free(rr->r[i].out);
		free(rr->r[i].msg);
	}
	free(rr->r);
	free(rr->abort_msg);
	memset(rr, 0, sizeof(*rr));
}

/*
 * One command's result as the shell prints it: "ok TEXT", "FAIL
 * FILE:LINE: TEXT: why", or what show printed.
 */
void engine_print_cmd(FILE *f, const char *path, const struct cmd *c,
		      const struct cmd_result *r)
{
	const char *ok = color_seq(COLOR_OK), *bad = color_seq(COLOR_FAIL);
	const char *off = color_seq(COLOR_OFF);

	if (c->op == OP_SHOW && !r->res) {
		fputs(r->out, f);
		return;
	}
	if ((c->op == OP_EXPECT || c->op == OP_SHOW) && r->res) {
		fprintf(f, "%sFAIL%s %s:%d: %s: could not %s: %s\n", bad, off,
			path, c->line, c->text,
			c->op == OP_SHOW ? "show" : "check", rname(r->res));
		return;
	}
	if (c->op == OP_EXPECT) {
		if (r->msg)
			fprintf(f, "%sFAIL%s %s:%d: %s: %s\n", bad, off, path,
				c->line, c->text, r->msg);
		else
			fprintf(f, "%sok%s %s\n", ok, off, c->text);
		return;
	}
	if (r->res == c->want)
		fprintf(f, "%sok%s %s\n", ok, off, c->text);
	else
		fprintf(f, "%sFAIL%s %s:%d: %s: %s, expected %s\n", bad, off,
			path, c->line, c->text, rname(r->res), rname(c->want));
}

/* ---- a world kept open for the views of nsmctl show, lsns, graph ------ */

/*
 * Runs @sc (NULL: nothing) on a fresh world of @ops and leaves the world
 * open in *@bp, for views of its end state.  Every command must give what
 * the scenario says (its errno, an expectation that holds): a world that
 * went otherwise is not the one the file describes.  0, or an exit code
 * (NSMCTL_EXIT_*) with the reason written to @err.
 */
int engine_world_open(const struct backend_ops *ops,
		      const struct scenario *sc, struct backend **bp, FILE *err)
{
	char msg[512] = "";
	int r;

	engine_begin();
	mountinfo_ns_hook = ns_number;
	*bp = NULL;
	r = ops->open(bp, msg, sizeof(msg));
	if (r) {
		fprintf(err, "nsmctl: %s backend: %s\n", ops->name,
			msg[0] ? msg : rname(r));
		engine_world_close(ops, NULL);
		return NSMCTL_EXIT_ENV;
	}
	for (int i = 0; sc && i < sc->nr; i++) {
		const struct cmd *c = &sc->cmds[i];
		struct cmd_result res;
		int bad;

		r = engine_cmd(ops, *bp, c, &res);
		if (c->op == OP_SHOW)
			bad = r != 0;
		else if (c->op == OP_EXPECT)
			bad = r != 0 || res.msg != NULL;
		else
			bad = r != c->want;
		if (bad)
			fprintf(err, "%s:%d: %s: %s (%s backend)\n", sc->path,
				c->line, c->text, res.msg ? res.msg : rname(r),
				ops->name);
		free(res.out);
		free(res.msg);
		if (bad) {
			engine_world_close(ops, *bp);
			*bp = NULL;
			return NSMCTL_EXIT_FAIL;
		}
	}
	return 0;
}

void engine_world_close(const struct backend_ops *ops, struct backend *b)
{
	if (b)
		ops->close(b);
	engine_reset();
	mountinfo_ns_hook = NULL;
}

/* The tasks alive in the open world (names owned by the engine). */
int engine_world_tasks(char ***names)
{
	*names = eng_tasks;
	return eng_tasks_nr;
}

/* The number "show TASK ns" gives the namespace @id of @kind. */
int engine_ns_number(int kind, unsigned long long id)
{
	return ns_number(kind, id);
}
