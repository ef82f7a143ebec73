// SPDX-License-Identifier: GPL-2.0
/*
 * "nsmctl show [-f FILE] TASK|PID tree [%FD]": the tree view (views.c) on
 * the command line, of a process or of a world as a scenario leaves it, or
 * of the tree behind one of their mount descriptors (fdtree.c); and
 * that world itself, kept open for the views of its end state (lsns.c,
 * graph.c use it too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nsmctl.h"

const struct backend_ops *backend_named(const char *s)
{
	if (!strcmp(s, "model"))
		return model_ops();
	if (!strcmp(s, "kernel"))
		return &kernel_backend;
	return NULL;
}

/*
 * Loads @file (NULL: none) and runs it on a fresh world of @ops, kept
 * open in *@bp; then @task must be one of its tasks.  0 or an exit code.
 */
int view_world(const struct backend_ops *ops, const char *file,
	       struct scenario *sc, struct backend **bp)
{
	int r;

	memset(sc, 0, sizeof(*sc));
	if (file) {
		r = scenario_load(file, sc, stderr);
		if (r == -2)
			return NSMCTL_EXIT_USAGE;
		if (r)
			return NSMCTL_EXIT_FAIL;
	}
	return engine_world_open(ops, file ? sc : NULL, bp, stderr);
}

int view_has_task(const char *task)
{
	char **names;
	int n = engine_world_tasks(&names);

	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], task))
			return 1;
	return 0;
}

/*
 * The tree behind descriptor %N of process PID: a copy of it taken with
 * pidfd_getfd(2) (the same open file: closing the copy dissolves nothing),
 * walked.  0 or an exit code.
 */
static int pid_fd_tree(long pid, const char *n, char **text)
{
	char *end;
	long nr = strtol(n, &end, 10);
	int pidfd, fd, r;

	if (*end || nr < 0 || end == n) {
		warnx_nsm("show: with a PID, %%FD is a descriptor number, "
			  "not '%%%s'", n);
		return NSMCTL_EXIT_USAGE;
	}
	pidfd = syscall(SYS_pidfd_open, (pid_t)pid, 0);
	fd = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, (int)nr, 0);
	r = fd < 0 ? errno : fdtree_walk(fd, text);
	if (fd >= 0)
		close(fd);
	if (pidfd >= 0)
		close(pidfd);
	if (r) {
		warnx_nsm("show: descriptor %ld of process %ld: %s", nr, pid,
			  strerror(r));
		return NSMCTL_EXIT_ENV;
	}
	return 0;
}

static void usage_show_tree(FILE *f)
{
	fputs("Usage:\n"
" nsmctl show [options] TASK|PID tree [%FD] [-o LIST] [--json|--raw]\n"
"\n"
"The mount tree of a task as findmnt --tree draws it, from the normal form\n"
"of its mountinfo (ids and peer groups renumbered).  With a PID, that\n"
"process's /proc/PID/mountinfo; with a task name, the task of a fresh\n"
"world, after FILE has run in it when -f is given.\n"
"\n"
"With %FD, the tree behind a mount descriptor instead (open_tree, fsmount;\n"
"detached or not), as a walk of its directories finds it: the task's\n"
"%NAME, or a process's descriptor number (%3 of PID).  Its columns are\n"
"TARGET FSTYPE OPTIONS (default) and MAJ:MIN ID PARENT.\n"
"\n"
"Options:\n"
" -f, --file FILE             run the scenario FILE first\n"
" -b, --backend model|kernel  the world for a task name (default: model)\n"
" -o, --output LIST           columns (+LIST: added to the default)\n"
" -J, --json                  JSON output, shaped as findmnt --json\n"
" -r, --raw                   raw output (a list), as findmnt --raw\n"
" -h, --help                  this help\n"
"\n", f);
	view_tree_columns_help(f);
}

int cmd_show_tree(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "backend", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct backend_ops *ops = model_ops();
	const char *file = NULL, *columns = NULL, *who, *fdname = NULL;
	unsigned int flags = 0;
	struct backend *b = NULL;
	struct scenario sc;
	char err[160], *text = NULL, *out;
	int c, r;
	long pid;
	char *end;

	optind = 0;	/* 0: glibc starts over (the "+" of main's getopt is forgotten) */
	while ((c = getopt_long(argc, argv, "f:b:o:Jrh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 'b':
			ops = backend_named(optarg);
			if (!ops) {
				warnx_nsm("unknown backend '%s'",
					optarg);
				return NSMCTL_EXIT_USAGE;
			}
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
			usage_show_tree(stdout);
			return 0;
		default:
			return errtryhelp_nsm("show");
		}
	}
	if ((argc - optind != 2 && argc - optind != 3) ||
	    strcmp(argv[optind + 1], "tree") ||
	    (argc - optind == 3 && argv[optind + 2][0] != '%')) {
		warnx_nsm("show: want TASK|PID tree [%%FD]");
		return errtryhelp_nsm("show");
	}
	if (argc - optind == 3) {
		fdname = argv[optind + 2] + 1;
		flags |= VIEW_FD;
	}
	if (view_tree_check(columns, flags, err, sizeof(err))) {
		warnx_nsm("show: %s", err);
		return NSMCTL_EXIT_USAGE;
	}
	who = argv[optind];
	pid = strtol(who, &end, 10);
	if (!*end && pid > 0 && !file && fdname) {
		r = pid_fd_tree(pid, fdname, &text);
		if (r)
			return r;
	} else if (!*end && pid > 0 && !file) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%ld/mountinfo", pid);
		r = sb_read_file(path, &text);
		if (r) {
			warnx_nsm("%s: %s", path, strerror(r));
			return NSMCTL_EXIT_ENV;
		}
	} else {
		r = view_world(ops, file, &sc, &b);
		if (r) {
			scenario_free(&sc);
			return r;
		}
		if (!view_has_task(who)) {
			warnx_nsm("show: no task '%s'%s%s", who,
				file ? " at the end of " : "",
				file ? file : " outside a scenario (only init)");
			r = NSMCTL_EXIT_USAGE;
		} else {
			r = fdname ? ops->fd_tree(b, who, fdname, &text) :
			    ops->mountinfo(b, who, &text);
			if (r) {
				char buf[32];

				warnx_nsm("show: %s",
					result_name(r, buf, sizeof(buf)));
				r = NSMCTL_EXIT_ENV;
			}
		}
		engine_world_close(ops, b);
		scenario_free(&sc);
		if (r)
			return r;
	}
	out = view_tree(text, columns, flags);
	free(text);
	if (!out) {
		warnx_nsm("show: the tree could not be drawn");
		return NSMCTL_EXIT_ENV;
	}
	fputs(out, stdout);
	free(out);
	return 0;
}
