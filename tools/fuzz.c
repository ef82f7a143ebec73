// SPDX-License-Identifier: GPL-2.0
/*
 * nsmctl fuzz: differential fuzzing of the model against the real kernel.
 *
 * Each scenario is generated from a seed: a list of actions in the scenario
 * language (clone, unshare, setns, exit, setuid, hostname, mkdir, mount,
 * bind, move, umount, make, remount, chroot, chdir, touch, unlink, rmdir,
 * nsbind, setns @PATH, pivot_root, move_mount, setattr, open_tree
 * with the move_mount and close of its descriptor, fsmount likewise, and
 * fspick with one fsconfig, the reconfigure and the close), each followed
 * by the views of every live task (show mounts, ns, pid, cwd, hostname,
 * tree); now and then the tree behind a descriptor it made is shown too
 * (show TASK tree %FD).  The scenario runs on both backends; every command's result (success or the exact errno) and
 * every view must agree.  A scenario that disagrees is shrunk: actions are
 * dropped, in halves and then one by one, as long as the first difference
 * stays at the same command, and the minimal scenario is written out with
 * its seed and both backends' outputs.
 *
 * The generator draws from a small vocabulary of paths and names, so that
 * commands meet each other's mounts: most of what it does succeeds, and
 * much of what fails fails for an interesting reason (EBUSY, EINVAL, EPERM).
 * It never produces a command the language cannot parse; commands on tasks
 * that an earlier action made or ended are kept consistent when shrinking
 * by dropping the actions of tasks that no longer exist.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "nsmctl.h"

#define FUZZ_MAX_TASKS	8	/* rule: few-tasks */
#define FUZZ_MAX_STEPS	200

#define NR(a) (sizeof(a) / sizeof((a)[0]))

/* One generated action: its text and the tasks it names. */
struct act {
	char *text;
	int task;		/* the acting task */
	int other;		/* clone: the child; setns: the target; else -1 */
	int is_clone, is_exit;
};

struct fuzz_opts {
	uint64_t seed;
	int count, steps;
	int kernel_only;
	int json;
	int print;		/* print the scenarios, run nothing */
	const char *out;	/* directory for the shrunk scenarios */
};

/* ---- the generator ---------------------------------------------------- */

/*
 * What the generator leaves out on purpose, each by a name: a place where
 * the model differs from Linux on purpose, or where the two backends'
 * worlds or runners do, so that a scenario there would only find that
 * known difference again.  docs/divergences.md explains each under its
 * name, with the kernel function and a scenario; the place in this file
 * that applies a rule names it after "rule" and a colon.  nsmctl's tests
 * check that the three lists (this table, the docs, those places) name
 * the same rules.
 */
static const struct {
	const char *name;
	const char *what;
} gen_rules[] = {
	{ "init-never-exits", "exit is never drawn for init" },
	{ "few-tasks", "at most 8 tasks, so nesting stays far below the "
	  "pid and user namespace limits" },
	{ "tmpfs-only", "mount makes tmpfs only" },
	{ "generic-mount-options", "mount and remount options are the "
	  "generic per-mount and superblock flags only" },
	{ "nsbind-absolute-path", "nsbind onto absolute paths only" },
	{ "hidden-root-names", "no path names what a hidden root holds "
	  "on the kernel backend (the guest's rootfs)" },
};

struct gen {
	uint64_t s;
	int ntask;		/* tasks made so far; task 0 is init */
	int alive[FUZZ_MAX_TASKS];
	int nmount;		/* a counter for mount source names */
};

/* xorshift64*: small, fast and the same on every machine. */
static uint64_t rnd(struct gen *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 2685821657736338717ULL;
}

static int pick(struct gen *g, int n)
{
	return (int)(rnd(g) % (uint64_t)n);
}

static int chance(struct gen *g, int percent)
{
	return pick(g, 100) < percent;
}

/*
 * The paths: a few directories at two levels, relative forms and the root.
 * Mounts stacked on, bound onto and moved between these meet often.
 * rule: hidden-root-names (none of bin, dev, proc, sys, tmp, ...)
 */
static const char *const fuzz_paths[] = {
	"/a", "/b", "/c", "/a/x", "/a/y", "/b/x", "/c/z", "/a/x/deep",
	"/", "x", "..", ".", "a", "b/x",
};

static const char *any_path(struct gen *g)
{
	/* absolute paths most of the time: relative ones depend on cwd */
	if (chance(g, 75))
		return fuzz_paths[pick(g, 8)];
	return fuzz_paths[8 + pick(g, 6)];
}

/* Files: the places nsbind binds namespace files onto, and touch makes. */
static const char *const fuzz_files[] = {
	"/f", "/a/f", "/b/x/f", "f",
};

static const char *any_file(struct gen *g)
{
	return fuzz_files[pick(g, chance(g, 85) ? 3 : 4)];
}

static const char *const fuzz_kinds[] = {
	"mnt", "uts", "ipc", "pid", "net", "cgroup", "time", "user",
};

static const char *task_name(int t, char *buf, size_t len)
{
	if (!t)
		snprintf(buf, len, "init");
	else
		snprintf(buf, len, "t%d", t);
	return buf;
}

static int live_task(struct gen *g)
{
	int live[FUZZ_MAX_TASKS], n = 0;

	for (int t = 0; t < g->ntask; t++)
		if (g->alive[t])
			live[n++] = t;
	return live[pick(g, n)];
}

/* One word of a comma list and its chance (percent) of being in it. */
struct word_chance {
	const char *word;
	int percent;
};

/*
 * A comma list into @buf: each word of @w in turn, with its own chance
 * (one chance() per word, in table order: a seed's scenario depends on
 * that order); the number of words drawn.
 */
static int comma_list(struct gen *g, char *buf, size_t len,
		      const struct word_chance *w, size_t nr)
{
	size_t n = 0;
	int words = 0;

	buf[0] = 0;
	for (size_t i = 0; i < nr; i++)
		if (chance(g, w[i].percent)) {
			n += snprintf(buf + n, len - n, "%s%s", words ? "," : "",
				      w[i].word);
			words++;
		}
	return words;
}

/* Clone flags, weighted toward the mount namespace; unshare needs one. */
static void clone_flags(struct gen *g, char *buf, size_t len, int for_clone)
{
	static const struct word_chance flags[] = {
		{ "NEWNS", 70 }, { "NEWUSER", 35 }, { "NEWUTS", 8 },
		{ "NEWIPC", 8 }, { "NEWPID", 8 }, { "NEWNET", 8 },
		{ "NEWCGROUP", 8 }, { "NEWTIME", 8 }, { "FS", 8 },
	};

	if (!comma_list(g, buf, len, flags, NR(flags)) && !for_clone)
		snprintf(buf, len, "NEWNS");
}

/* setns kinds, weighted toward mnt and user; at least one. */
static void setns_kinds(struct gen *g, char *buf, size_t len)
{
	static const struct word_chance kinds[] = {
		{ "mnt", 60 }, { "user", 30 }, { "uts", 8 }, { "ipc", 8 },
		{ "pid", 8 }, { "net", 8 }, { "cgroup", 8 }, { "time", 8 },
	};

	if (!comma_list(g, buf, len, kinds, NR(kinds)))
		snprintf(buf, len, "%s", fuzz_kinds[pick(g, NR(fuzz_kinds))]);
}

/*
 * Mount options: per-mount flags, atime, ro/rw; at least one.
 * rule: generic-mount-options (no size=, mode=, mpol=, ...)
 */
static void mount_opts(struct gen *g, char *buf, size_t len)
{
	static const struct word_chance opts[] = {
		{ "ro", 15 }, { "rw", 15 }, { "nosuid", 15 }, { "nodev", 15 },
		{ "noexec", 15 }, { "noatime", 15 }, { "nodiratime", 15 },
		{ "relatime", 15 }, { "strictatime", 15 },
		{ "nosymfollow", 15 },
	};

	if (!comma_list(g, buf, len, opts, NR(opts)))
		snprintf(buf, len, "%s", opts[pick(g, NR(opts))].word);
}

/*
 * ATTRS of "setattr": a few of the words, now and then two propagation
 * types or two atime values at once (EINVAL) or a raw field with a bit
 * the kernel does not know.
 */
static void setattr_attrs(struct gen *g, char *buf, size_t len)
{
	static const char *const words[] = {
		"ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec",
		"noatime", "relatime", "strictatime", "nodiratime", "diratime",
		"nosymfollow", "symfollow", "shared", "slave", "private",
		"unbindable",
	};
	static const char *const raw[] = {
		"set=0x40", "clr=0x10", "prop=0x4000", "set=0x100000",
		"set=0",
	};
	const int nr = sizeof(words) / sizeof(words[0]);
	size_t n = 0;

	buf[0] = 0;
	if (chance(g, 5)) {
		snprintf(buf, len, "%s", raw[pick(g, 5)]);
		return;
	}
	for (int i = 0, k = 1 + pick(g, 3); i < k && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
			      words[pick(g, nr)]);
}

/* The kinds of action and their weights (docs/fuzzing.md lists them). */
enum gen_kind {
	G_MKDIR, G_MOUNT, G_BIND, G_MOVE, G_UMOUNT, G_MAKE, G_REMOUNT,
	G_CLONE, G_UNSHARE, G_SETNS, G_EXIT, G_SETUID, G_HOSTNAME, G_CHROOT,
	G_CHDIR, G_TOUCH, G_UNLINK, G_RMDIR, G_NSBIND, G_SETNS_PATH,
	G_PIVOT_ROOT, G_OPEN_TREE, G_MOVE_MOUNT, G_SETATTR, G_FSMOUNT,
	G_FSPICK, G_NR
};

static const int gen_weight[G_NR] = {
	[G_MKDIR] = 12, [G_MOUNT] = 12, [G_BIND] = 10, [G_MOVE] = 4,
	[G_UMOUNT] = 7, [G_MAKE] = 13, [G_REMOUNT] = 4, [G_CLONE] = 10,
	[G_UNSHARE] = 6, [G_SETNS] = 6, [G_EXIT] = 3, [G_SETUID] = 3,
	[G_HOSTNAME] = 2, [G_CHROOT] = 4, [G_CHDIR] = 8, [G_TOUCH] = 5,
	[G_UNLINK] = 2, [G_RMDIR] = 2, [G_NSBIND] = 4, [G_SETNS_PATH] = 3,
	[G_PIVOT_ROOT] = 2, [G_OPEN_TREE] = 5, [G_MOVE_MOUNT] = 3,
	[G_SETATTR] = 6, [G_FSMOUNT] = 3, [G_FSPICK] = 2,
};

static enum gen_kind gen_kind(struct gen *g)
{
	int total = 0, w;

	for (int k = 0; k < G_NR; k++)
		total += gen_weight[k];
	w = pick(g, total);
	for (int k = 0; k < G_NR; k++) {
		if (w < gen_weight[k])
			return k;
		w -= gen_weight[k];
	}
	return G_CHDIR;
}

/*
 * Half the time, a look at the tree behind the descriptor %NAME that @t
 * holds: "\nshow T tree %NAME" (a line of its own); else "".
 */
static char *fd_view(struct gen *g, const char *t, const char *name)
{
	return chance(g, 50) ? xasprintf("\nshow %s tree %%%s", t, name) :
			       xstrdup("");
}

/* Generate one action into @a; returns 0, or -1 to draw again. */
static int gen_act(struct gen *g, struct act *a)
{
	static const char *const props[] = {
		"shared", "slave", "private", "unbindable",
	};
	char t[16], o[16], fl[128];
	int task = live_task(g);

	memset(a, 0, sizeof(*a));
	a->task = task;
	a->other = -1;
	task_name(task, t, sizeof(t));

	switch (gen_kind(g)) {
	case G_MKDIR:
		a->text = xasprintf("mkdir %s %s", t, any_path(g));
		break;
	case G_MOUNT:
		/* rule: tmpfs-only */
		fl[0] = 0;
		if (chance(g, 20))
			mount_opts(g, fl, sizeof(fl));
		a->text = xasprintf("mount %s tmpfs m%d %s%s%s", t,
				    ++g->nmount, any_path(g), fl[0] ? " " : "",
				    fl);
		break;
	case G_BIND:
		a->text = xasprintf("bind %s %s %s%s", t, any_path(g),
				    any_path(g), chance(g, 40) ? " -r" : "");
		break;
	case G_MOVE:
		a->text = xasprintf("move %s %s %s", t, any_path(g),
				    any_path(g));
		break;
	case G_UMOUNT:
		a->text = xasprintf("umount %s %s%s", t, any_path(g),
				    chance(g, 40) ? " -l" : "");
		break;
	case G_MAKE:
		a->text = xasprintf("make %s %s %s%s", t, props[pick(g, 4)],
				    any_path(g), chance(g, 30) ? " -r" : "");
		break;
	case G_REMOUNT:
		mount_opts(g, fl, sizeof(fl));
		a->text = xasprintf("remount %s %s %s%s", t, any_path(g), fl,
				    chance(g, 60) ? " -b" : "");
		break;
	case G_CLONE:
		if (g->ntask >= FUZZ_MAX_TASKS)
			return -1;
		a->is_clone = 1;
		a->other = g->ntask;
		clone_flags(g, fl, sizeof(fl), 1);
		a->text = xasprintf("clone %s %s%s%s", t,
				    task_name(g->ntask, o, sizeof(o)),
				    fl[0] ? " " : "", fl);
		g->alive[g->ntask++] = 1;
		break;
	case G_UNSHARE:
		clone_flags(g, fl, sizeof(fl), 0);
		a->text = xasprintf("unshare %s %s", t, fl);
		break;
	case G_SETNS:
		a->other = live_task(g);
		setns_kinds(g, fl, sizeof(fl));
		a->text = xasprintf("setns %s %s %s", t,
				    task_name(a->other, o, sizeof(o)), fl);
		break;
	case G_EXIT:
		if (!task)
			return -1;	/* rule: init-never-exits */
		a->is_exit = 1;
		a->text = xasprintf("exit %s", t);
		g->alive[task] = 0;
		break;
	case G_SETUID:
		a->text = xasprintf("setuid %s %d", t, chance(g, 50) ? 0 : 1000);
		break;
	case G_HOSTNAME:
		a->text = xasprintf("hostname %s h%d", t, pick(g, 4));
		break;
	case G_CHROOT:
		a->text = xasprintf("chroot %s %s", t, any_path(g));
		break;
	case G_TOUCH:
		a->text = xasprintf("touch %s %s", t, any_file(g));
		break;
	case G_UNLINK:
		a->text = xasprintf("unlink %s %s", t,
				    chance(g, 70) ? any_file(g) : any_path(g));
		break;
	case G_RMDIR:
		a->text = xasprintf("rmdir %s %s", t, any_path(g));
		break;
	case G_NSBIND:
		/* rule: nsbind-absolute-path (the first three files) */
		a->other = live_task(g);
		a->text = xasprintf("nsbind %s %s %s %s", t,
				    task_name(a->other, o, sizeof(o)),
				    fuzz_kinds[chance(g, 50) ? pick(g, 2) * 4 :
					       pick(g, 8)],
				    fuzz_files[pick(g, 3)]);
		break;
	case G_SETNS_PATH:
		a->text = xasprintf("setns %s @%s %s", t, any_file(g),
				    fuzz_kinds[chance(g, 50) ? pick(g, 2) * 4 :
					       pick(g, 8)]);
		break;
	case G_PIVOT_ROOT:
		/* "pivot_root T . ." is the container idiom: half the time */
		if (chance(g, 50))
			a->text = xasprintf("pivot_root %s . .", t);
		else
			a->text = xasprintf("pivot_root %s %s %s", t,
					    any_path(g), any_path(g));
		break;
	case G_OPEN_TREE: {
		/*
		 * One action: the descriptor is made, used and closed, so
		 * that shrinking never leaves a use without its open_tree;
		 * a third of the time there is no move_mount (the close
		 * dissolves the tree).
		 */
		static const char *const ot[] = { "", " -c", " -c -r", " -r" };
		static const char *const mm[] = { "", "", " -b", " -g" };
		char *open = xasprintf("open_tree %s %%h %s%s", t, any_path(g),
				       ot[pick(g, 4)]);
		char *view = fd_view(g, t, "h");

		if (chance(g, 33)) {
			a->text = xasprintf("%s%s\nclose %s %%h", open, view, t);
		} else {
			char *mv = xasprintf("move_mount %s %%h %s%s", t,
					     any_path(g), mm[pick(g, 4)]);
			char *view2 = fd_view(g, t, "h");

			a->text = xasprintf("%s%s\n%s%s\nclose %s %%h", open,
					    view, mv, view2, t);
			free(mv);
			free(view2);
		}
		free(open);
		free(view);
		break;
	}
	case G_FSMOUNT: {
		/*
		 * As open_tree: made, maybe attached, closed in one action.
		 * The options include two that fsconfig refuses.
		 */
		static const char *const o[] = {
			"", " size=1m", " ro", " mode=0700,nr_inodes=8",
			" nosuid", " source=again",
		};
		char *mk0 = xasprintf("fsmount %s %%f tmpfs f%d%s", t,
				      ++g->nmount, o[pick(g, 6)]);
		char *view = fd_view(g, t, "f");
		char *mk = xasprintf("%s%s", mk0, view);

		free(mk0);
		free(view);

		if (chance(g, 33))
			a->text = xasprintf("%s\nclose %s %%f", mk, t);
		else
			a->text = xasprintf("%s\nmove_mount %s %%f %s\n"
					    "close %s %%f", mk, t,
					    any_path(g), t);
		free(mk);
		break;
	}
	case G_FSPICK: {
		/*
		 * Nothing that would change a superblock outside the world
		 * (an nsfs file's is the system's, and a task on the hidden
		 * root picks the runner's root): rw, and an inode limit that
		 * a superblock in use refuses.
		 */
		static const char *const c[] = { "flag rw", "set nr_inodes 1" };

		a->text = xasprintf("fspick %s %%p %s\nfsconfig %s %%p %s\n"
				    "fsconfig %s %%p reconfigure\n"
				    "close %s %%p", t, any_path(g), t,
				    c[pick(g, 2)], t, t);
		break;
	}
	case G_MOVE_MOUNT: {
		static const char *const mm[] = { "", "", " -b", " -g" };

		a->text = xasprintf("move_mount %s %s %s%s", t, any_path(g),
				    any_path(g), mm[pick(g, 4)]);
		break;
	}
	case G_SETATTR:
		setattr_attrs(g, fl, sizeof(fl));
		a->text = xasprintf("setattr %s %s %s%s", t, any_path(g), fl,
				    chance(g, 40) ? " -r" : "");
		break;
	default:
		a->text = xasprintf("chdir %s %s", t, any_path(g));
		break;
	}
	return 0;
}

static int gen_scenario(uint64_t seed, int steps, struct act *acts)
{
	struct gen g = { .s = seed * 0x9E3779B97F4A7C15ULL | 1, .ntask = 1 };
	int n = 0;

	g.alive[0] = 1;
	while (n < steps)
		if (!gen_act(&g, &acts[n]))
			n++;
	return n;
}

/* ---- rendering: actions, each followed by every live task's views ----- */

static const char *const fuzz_views[] = {
	"mounts", "ns", "pid", "cwd", "hostname",
	/* the tree view: the same normal form, drawn by libsmartcols */
	"tree -o +ID,PARENT,PEER,MASTER",
};

/*
 * Render the actions that @keep marks (all when NULL) as a scenario.  An
 * action whose task does not exist (its clone was dropped, or it exited)
 * is left out, so that a shrunk scenario stays one the generator could
 * have made.
 */
static char *render(const struct act *acts, int n, const char *keep)
{
	int alive[FUZZ_MAX_TASKS] = { 1 };
	struct sbuf b = { 0 };
	char name[16];

	for (int i = 0; i < n; i++) {
		const struct act *a = &acts[i];

		if (keep && !keep[i])
			continue;
		if (!alive[a->task] || (a->other >= 0 && !a->is_clone &&
					!alive[a->other]))
			continue;
		if (a->is_clone && alive[a->other])
			continue;	/* a name is made once */
		sb_printf(&b, "%s\n", a->text);
		if (a->is_clone)
			alive[a->other] = 1;
		if (a->is_exit)
			alive[a->task] = 0;
		for (int t = 0; t < FUZZ_MAX_TASKS; t++) {
			if (!alive[t])
				continue;
			task_name(t, name, sizeof(name));
			for (size_t v = 0; v < sizeof(fuzz_views) /
			     sizeof(fuzz_views[0]); v++)
				sb_printf(&b, "show %s %s\n", name, fuzz_views[v]);
		}
	}
	if (!b.s)
		sb_add(&b, "");
	return sb_take(&b);
}

/* ---- running and comparing -------------------------------------------- */

struct verdict {
	int differ;		/* 1: the backends disagree */
	int line;		/* the first command where they do */
	char *cmd;		/* its text */
	char *what;		/* what differs, for the report */
	char *out_a, *out_b;	/* each backend's output of that command */
};

static void verdict_free(struct verdict *v)
{
	free(v->cmd);
	free(v->what);
	free(v->out_a);
	free(v->out_b);
	memset(v, 0, sizeof(*v));
}

static char *rname(int r)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	return (char *)result_name(r, buf[i], sizeof(buf[i]));
}

/* Run @text on both backends and find the first difference. */
static int run_both(const char *text, const struct backend_ops *a,
		    const struct backend_ops *b, struct verdict *v)
{
	struct scenario sc = { 0 };
	struct run_result ra, rb;
	int n;

	memset(v, 0, sizeof(*v));
	if (scenario_parse("fuzz", text, &sc, stderr))
		return -1;	/* a generator bug: nothing to compare */
	engine_run(a, &sc, &ra);
	engine_run(b, &sc, &rb);
	n = ra.nr_run < rb.nr_run ? ra.nr_run : rb.nr_run;
	for (int i = 0; i < n && !v->differ; i++) {
		const struct cmd_result *x = &ra.r[i], *y = &rb.r[i];
		const struct cmd *c = &sc.cmds[i];

		if (x->res != y->res) {
			v->what = xasprintf("%s: %s, %s: %s", a->name,
					    rname(x->res), b->name,
					    rname(y->res));
		} else if (x->out && y->out && strcmp(x->out, y->out)) {
			char *d = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&d, &len);

			unified_diff(f, x->out, y->out, a->name, b->name);
			fclose(f);
			v->what = d;
			v->out_a = xstrdup(x->out);
			v->out_b = xstrdup(y->out);
		} else {
			continue;
		}
		v->differ = 1;
		v->line = c->line;
		v->cmd = xstrdup(c->text);
	}
	if (!v->differ && (ra.abort_msg || rb.abort_msg ||
			   ra.nr_run != rb.nr_run)) {
		v->differ = 1;
		v->line = 0;
		v->cmd = xstrdup("");
		v->what = xasprintf("%s: %s; %s: %s", a->name,
				    ra.abort_msg ? ra.abort_msg : "ran to the end",
				    b->name,
				    rb.abort_msg ? rb.abort_msg : "ran to the end");
	}
	run_result_free(&ra, sc.nr);
	run_result_free(&rb, sc.nr);
	scenario_free(&sc);
	return 0;
}

/* Does the scenario @keep makes still differ at the same command? */
static int still_differs(const struct act *acts, int n, const char *keep,
			 const char *cmd, const struct backend_ops *a,
			 const struct backend_ops *b)
{
	char *text = render(acts, n, keep);
	struct verdict v;
	int same = 0;

	if (!run_both(text, a, b, &v) && v.differ)
		same = !strcmp(v.cmd, cmd);
	verdict_free(&v);
	free(text);
	return same;
}

/*
 * Shrink: drop chunks of actions, halving the chunk size down to one, while
 * the first difference stays at the same command.  A simplified ddmin: it
 * finds a 1-minimal scenario (no single action can be dropped) for the
 * differences seen in practice, in O(n log n) runs when most actions are
 * irrelevant.
 */
static char *shrink(const struct act *acts, int n, const char *cmd,
		    const struct backend_ops *a, const struct backend_ops *b)
{
	char *keep = xmalloc(n), *text;
	int chunk = n / 2 > 0 ? n / 2 : 1, progress;

	memset(keep, 1, n);
	for (;;) {
		progress = 0;
		for (int start = 0; start < n; start += chunk) {
			char saved[FUZZ_MAX_STEPS];
			int any = 0;

			for (int i = start; i < n && i < start + chunk; i++) {
				saved[i - start] = keep[i];
				any |= keep[i];
				keep[i] = 0;
			}
			if (any && still_differs(acts, n, keep, cmd, a, b)) {
				progress = 1;
				continue;
			}
			for (int i = start; i < n && i < start + chunk; i++)
				keep[i] = saved[i - start];
		}
		if (chunk == 1 && !progress)
			break;
		if (chunk > 1)
			chunk /= 2;
	}
	text = render(acts, n, keep);
	free(keep);
	return text;
}

/* The actions of a rendered scenario only (its show lines dropped). */
static char *actions_only(const char *text)
{
	struct sbuf b = { 0 };
	const char *s = text;

	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (strncmp(s, "show ", 5))
			sb_printf(&b, "%.*s\n", (int)len, s);
		s += len + (e != NULL);
	}
	if (!b.s)
		sb_add(&b, "");
	return sb_take(&b);
}

/* Write TEXT as comment lines, each behind PREFIX. */
static void comment_lines(FILE *f, const char *prefix, const char *text)
{
	for (const char *s = text, *e; s && *s; s = e + 1) {
		e = strchr(s, '\n');
		fprintf(f, "#%s%.*s\n", prefix, (int)(e ? e - s : (long)strlen(s)),
			s);
		if (!e)
			break;
	}
}

/* Write the shrunk scenario, with what each backend said, under @dir. */
static char *write_found(const char *dir, const struct fuzz_opts *o,
			 uint64_t seed, const char *text,
			 const struct verdict *v, const char *na,
			 const char *nb)
{
	char *path = xasprintf("%s/seed-%" PRIu64 ".nsm", dir, seed);
	FILE *f;

	mkdir(dir, 0755);
	f = fopen(path, "w");
	if (!f) {
		warnx_nsm("%s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	fprintf(f, "# Found by nsmctl fuzz --seed %" PRIu64 " --count 1 "
		"--steps %d, shrunk.\n# The backends differ at line %d: %s\n",
		seed, o->steps, v->line, v->cmd);
	comment_lines(f, "   ", v->what);
	if (v->out_a) {
		fprintf(f, "# %s printed:\n", na);
		comment_lines(f, "   ", v->out_a);
		fprintf(f, "# %s printed:\n", nb);
		comment_lines(f, "   ", v->out_b);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* ---- the command ------------------------------------------------------ */

static void usage_fuzz(FILE *f)
{
	fprintf(f,
"Usage:\n"
" nsmctl fuzz [options]\n"
"\n"
"Generate random scenarios and run each on the model and on the real\n"
"kernel, comparing every command's result and, after every action, the\n"
"views of every live task.  A scenario that differs is shrunk to a minimal\n"
"one and written to the --out directory (seed-S.nsm).\n"
"\n"
"Options:\n"
" -s, --seed S        the first scenario's seed (default: 1); scenario i\n"
"                     has seed S+i, so any one can be run again alone\n"
" -n, --count N       how many scenarios (default: 100)\n"
" -k, --steps K       actions per scenario (default: 12, at most %d)\n"
"     --kernel-only   run each scenario twice on the kernel backend and\n"
"                     compare the runs (no device needed)\n"
"     --both          the model against the kernel (the default)\n"
" -o, --out DIR       where to write shrunk scenarios (default: found)\n"
" -j, --json          a JSON report on stdout\n"
"     --print         print the actions of each generated scenario (after\n"
"                     a '# seed S' line) and run nothing\n"
"     --rules         list what the generator leaves out on purpose\n"
"                     (docs/divergences.md) and exit\n"
" -h, --help          display this help\n"
"\n"
"A progress line goes to stderr every 100 scenarios.  The last line is\n"
"'N passed, N failed' (a scenario passes when the backends agree).\n"
"\n"
"Exit status: 0 all agreed, 1 some differed, 2 usage, 3 environment.\n",
		FUZZ_MAX_STEPS);
}

static int parse_opts(int argc, char **argv, struct fuzz_opts *o)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "steps", required_argument, NULL, 'k' },
		{ "kernel-only", no_argument, NULL, 'K' },
		{ "both", no_argument, NULL, 'B' },
		{ "out", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "print", no_argument, NULL, 'p' },
		{ "rules", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *end;
	int c;

	*o = (struct fuzz_opts){ .seed = 1, .count = 100, .steps = 12,
				 .out = "found" };
	optind = 0;	/* glibc: start over (nsmctl's main parsed with "+") */
	while ((c = getopt_long(argc, argv, "s:n:k:o:jh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg)
				goto bad;
			break;
		case 'n':
			o->count = (int)strtol(optarg, &end, 0);
			if (*end || o->count < 0)
				goto bad;
			break;
		case 'k':
			o->steps = (int)strtol(optarg, &end, 0);
			if (*end || o->steps < 1 || o->steps > FUZZ_MAX_STEPS)
				goto bad;
			break;
		case 'K':
			o->kernel_only = 1;
			break;
		case 'B':
			o->kernel_only = 0;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'p':
			o->print = 1;
			break;
		case 'r':
			for (size_t i = 0; i < NR(gen_rules); i++)
				printf("%-24s %s\n", gen_rules[i].name,
				       gen_rules[i].what);
			return 1;
		case 'h':
			usage_fuzz(stdout);
			return 1;
		default:
			return errtryhelp_nsm("fuzz");
		}
	}
	if (optind == argc)
		return 0;
	warnx_nsm("fuzz: unexpected argument '%s'", argv[optind]);
	return errtryhelp_nsm("fuzz");
bad:
	warnx_nsm("fuzz: bad value '%s' for -%c", optarg, c);
	return errtryhelp_nsm("fuzz");
}

static void json_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* Fuzz one seed: 0 agreed, 1 differed (reported), -1 generator bug. */
static int fuzz_one(const struct fuzz_opts *o, uint64_t seed,
		    const struct backend_ops *a, const struct backend_ops *b,
		    int *first_json)
{
	struct act acts[FUZZ_MAX_STEPS];
	int n = gen_scenario(seed, o->steps, acts), ret = 0;
	char *text = render(acts, n, NULL), *small, *path, *shown;
	struct verdict v, sv;

	if (run_both(text, a, b, &v)) {
		fprintf(stderr, "nsmctl: fuzz: seed %" PRIu64 ": the generated "
			"scenario does not parse\n", seed);
		ret = -1;
		goto out;
	}
	if (!v.differ)
		goto out;
	ret = 1;
	small = shrink(acts, n, v.cmd, a, b);
	/* the shrunk scenario's own first difference, for the report */
	if (run_both(small, a, b, &sv) || !sv.differ) {
		verdict_free(&sv);
		sv.line = v.line;
		sv.cmd = xstrdup(v.cmd);
		sv.what = xstrdup(v.what);
	}
	path = write_found(o->out, o, seed, small, &sv, a->name, b->name);
	shown = actions_only(small);
	if (o->json) {
		printf("%s\n  {\"seed\": %" PRIu64 ", \"line\": %d, "
		       "\"command\": ", *first_json ? "" : ",", seed, sv.line);
		json_text(stdout, sv.cmd);
		printf(", \"difference\": ");
		json_text(stdout, sv.what);
		printf(", \"file\": ");
		json_text(stdout, path ? path : "");
		printf(", \"actions\": ");
		json_text(stdout, shown);
		printf("}");
		*first_json = 0;
	} else {
		printf("DIFF seed %" PRIu64 " (%s): line %d: %s\n", seed,
		       path ? path : "not written", sv.line, sv.cmd);
		for (char *s = sv.what, *e; s && *s; s = e + 1) {
			e = strchr(s, '\n');
			printf("    %.*s\n", (int)(e ? e - s : (long)strlen(s)), s);
			if (!e)
				break;
		}
		printf("  actions of the shrunk scenario:\n");
		for (char *s = shown, *e; *s; s = e + 1) {
			e = strchr(s, '\n');
			printf("    %.*s\n", (int)(e ? e - s : (long)strlen(s)), s);
			if (!e)
				break;
		}
	}
	fflush(stdout);
	verdict_free(&sv);
	free(shown);
	free(path);
	free(small);
out:
	verdict_free(&v);
	free(text);
	for (int i = 0; i < n; i++)
		free(acts[i].text);
	return ret;
}

/* --print: the generated actions, seed by seed, without the views */
static int print_scenarios(const struct fuzz_opts *o)
{
	struct act acts[FUZZ_MAX_STEPS];

	for (int i = 0; i < o->count; i++) {
		int n = gen_scenario(o->seed + i, o->steps, acts);

		printf("# seed %" PRIu64 "\n", o->seed + i);
		for (int j = 0; j < n; j++) {
			printf("%s\n", acts[j].text);
			free(acts[j].text);
		}
	}
	return 0;
}

int cmd_fuzz(int argc, char **argv)
{
	const struct backend_ops *a = &kernel_backend, *b;
	struct fuzz_opts o;
	struct timespec t0, t1;
	int r = parse_opts(argc, argv, &o), passed = 0, failed = 0, first = 1;

	if (r)
		return r == 1 ? 0 : r;
	if (o.print)
		return print_scenarios(&o);
	b = o.kernel_only ? &kernel_backend : model_ops();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o.json)
		printf("{\"seed\": %" PRIu64 ", \"count\": %d, \"steps\": %d, "
		       "\"differences\": [", o.seed, o.count, o.steps);
	for (int i = 0; i < o.count; i++) {
		r = fuzz_one(&o, o.seed + i, a, b, &first);
		if (r < 0)
			return NSMCTL_EXIT_ENV;
		if (r)
			failed++;
		else
			passed++;
		if ((i + 1) % 100 == 0 || i + 1 == o.count) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			fprintf(stderr, "nsmctl: fuzz: %d/%d scenarios, %d "
				"differ, %.1f s\n", i + 1, o.count, failed,
				(t1.tv_sec - t0.tv_sec) +
				(t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
	}
	if (o.json)
		printf("%s], \"passed\": %d, \"failed\": %d}\n",
		       first ? "" : "\n", passed, failed);
	else
		printf("%d passed, %d failed\n", passed, failed);
	return failed ? NSMCTL_EXIT_FAIL : 0;
}
