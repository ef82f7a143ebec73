// SPDX-License-Identifier: GPL-2.0
/*
 * nsmctl - run nsmodel scenarios on the model and on the real kernel,
 * compare them, and look at namespaces and mounts.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <json-c/json.h>
#include <linux/nsmodel.h>

#include "nsmctl.h"

#define NSMCTL_VERSION "1.0"

int model_version(FILE *f);
int model_counters(FILE *f, int json);
const char *model_device(void);

static const char *prog = "nsmctl";

/* ---- messages, util-linux style -------------------------------------- */

/* A diagnostic on stderr, behind the one prefix "nsmctl: ". */
void warnx_nsm(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Each line of TEXT (messages of the parser, say) as a diagnostic. */
void warn_lines(const char *text)
{
	for (const char *l = text, *e; l && *l; l = e + 1) {
		e = strchr(l, '\n');
		if (!e)
			e = l + strlen(l);
		fprintf(stderr, "%s: %.*s\n", prog, (int)(e - l), l);
		if (!*e)
			break;
	}
}

/*
 * After a one-line usage error, where to read more (as util-linux's
 * errtryhelp() says it); CMD is the command whose --help to name, or NULL.
 */
int errtryhelp_nsm(const char *cmd)
{
	fprintf(stderr, "Try '%s%s%s --help' for more information.\n", prog,
		cmd ? " " : "", cmd ? cmd : "");
	return NSMCTL_EXIT_USAGE;
}

/*
 * --color=auto|always|never.  "auto" (the default) colors only a terminal
 * and only when NO_COLOR is unset or empty (no-color.org) and TERM is set
 * and not "dumb" (the test VM's console says dumb); "always" colors even
 * a pipe.
 */
static int color_when = -1;	/* -1 auto, 0 never, 1 always */
static int color_on = -1;	/* decided at the first use */

int color_set(const char *when)
{
	if (!when || !strcmp(when, "auto"))
		color_when = -1;
	else if (!strcmp(when, "always"))
		color_when = 1;
	else if (!strcmp(when, "never"))
		color_when = 0;
	else
		return -1;
	color_on = -1;
	return 0;
}

const char *color_seq(enum color_kind k)
{
	static const char *const seq[] = {
		[COLOR_OFF] = "\033[0m", [COLOR_OK] = "\033[32m",
		[COLOR_FAIL] = "\033[1;31m", [COLOR_PENDING] = "\033[33m",
		[COLOR_DEL] = "\033[31m", [COLOR_ADD] = "\033[32m",
		[COLOR_HEAD] = "\033[1m",
	};

	if (color_on < 0) {
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

		if (color_when >= 0)
			color_on = color_when;
		else
			color_on = isatty(STDOUT_FILENO) && !(nc && *nc) &&
				   term && *term && strcmp(term, "dumb");
	}
	return color_on ? seq[k] : "";
}

/* The option --color of a command: 0, or the usage error's exit code. */
static int color_opt(const char *cmd, const char *arg)
{
	if (!color_set(arg))
		return 0;
	warnx_nsm("unsupported color mode '%s' (auto, always or never)", arg);
	return errtryhelp_nsm(cmd);
}

static void usage_main(FILE *f)
{
	fprintf(f,
"Usage:\n"
" %s [options] <command> [command options] [arguments]\n"
"\n"
"Run nsmodel scenarios on the model (/dev/nsmodel) and on the real kernel,\n"
"and look at the namespaces and mounts of tasks and processes.\n"
"\n"
"Commands:\n"
" run [--backend model|kernel|both] [--profile P] [--against K.json]\n"
"     [--json] FILE...      run scenario files ('-': standard input) and\n"
"                           compare the backends\n"
" compare --profiles P,P... [--json] FILE...\n"
"                           run scenario files on the model under several\n"
"                           kernel profiles, print where they differ\n"
" show TASK|PID mounts|ns|pid|hostname|cwd [--raw]\n"
"                           print a view of a process or of a fresh world\n"
" show [-f FILE] TASK|PID tree [%%FD] [-o LIST] [--json|--raw]\n"
"                           the mount tree, as findmnt draws it; with\n"
"                           %%FD, the tree behind a mount descriptor\n"
" graph [--task T]... [--format dot|svg|png] [-o OUT] FILE\n"
"                           draw the mount trees of a scenario's end state\n"
" lsns [-T[owner|parent]] [-t TYPE] [--json] [FILE]\n"
"                           list a world's (or the system's) namespaces\n"
" shell [--backend model|kernel]\n"
"                           keep a world open, read commands from stdin\n"
" trace FILE [--html OUT.html] [-o CAPTURE]\n"
"                           run a scenario on the model with its tracepoints\n"
"                           on; a step-through page of each copy_mnt_ns\n"
" fuzz [--seed S] [--count N] [--steps K] [--kernel-only|--both] [--json]\n"
"                           random scenarios on both backends, differences\n"
"                           shrunk to minimal scenarios\n"
" version                  nsmctl's version, the device's ABI version and build\n"
" counters [--json]        the module's live-object counters\n"
" help [command]           this text, or a command's\n"
"\n"
"Options:\n"
"     --color[=WHEN]       color ok and FAIL: auto (default), always or never\n"
" -h, --help               display this help\n"
" -V, --version            display version\n"
"\n"
"Exit status:\n"
" 0  success, every scenario passed\n"
" 1  a scenario failed (an expectation, an errno, a difference between\n"
"    the backends, or a syntax error in the file)\n"
" 2  usage error on the command line\n"
" 3  environment error: no device, not root, cannot create a world\n"
" 4  a file could not be read or written (missing, a directory, a device)\n"
"\n"
"Run '%s <command> --help' for a command's options, and see nsmctl(1).\n",
		prog, prog);
}

static void usage_run(FILE *f)
{
	fprintf(f,
"Usage:\n"
" %s run [options] FILE...\n"
"\n"
"Run scenario files (language v1, see docs/language.md) on one or both backends;\n"
"'-' reads one from standard input.  Prints 'ok FILE' or 'FAIL FILE' and each\n"
"problem as FILE:LINE: COMMAND: WHAT, then 'N passed, N failed'.\n"
"\n"
"Options:\n"
" -b, --backend model|kernel|both   where to run (default: both)\n"
" -j, --json                        machine-readable report\n"
" -a, --all                         ignore the PENDING lists\n"
" -t, --timeout SECONDS             per-command timeout of the kernel\n"
"                                   backend (default: 10)\n"
" -v, --verbose                     also print every show output\n"
"     --color[=WHEN]                color ok, FAIL and diffs: auto, always\n"
"                                   or never\n"
" -p, --profile P                   the model follows kernel P: 6.1, 6.12,\n"
"                                   6.18, 2.4.19 or auto (the running\n"
"                                   kernel's, the default); expectations\n"
"                                   are read for P (CMD@RANGE lines)\n"
" -A, --against K.json              compare the model's results with a\n"
"                                   kernel run recorded by 'run --json'\n"
"                                   (implies --backend model; without\n"
"                                   FILEs, the files recorded there)\n"
" -S, --save-json FILE              also write the JSON report to FILE\n"
" -h, --help                        display this help\n"
"\n"
"A file listed in the PENDING file of its directory needs model features\n"
"that are not built yet: with 'both' it runs on the kernel only, with\n"
"'model' it is skipped (reported as pending).  A file that cannot be read\n"
"(missing, a directory, a device) is an error on stderr, not a scenario.\n"
"\n"
"Exit status: 0 all passed, 1 some failed, 2 usage, 3 environment,\n"
"4 a file could not be read (the others still run).\n", prog);
}

static void usage_show(FILE *f)
{
	fprintf(f,
"Usage:\n"
" %s show TASK|PID mounts|ns|pid|hostname|cwd [options]\n"
"\n"
"With a PID, show that process's view from /proc.  With a task name\n"
"(only 'init' exists outside a scenario), show it in a fresh world.\n"
"mounts: the normal form (docs/language.md); ns: the namespaces (a PID's as\n"
"/proc/PID/ns names them, a world's renumbered); pid: the NSpid line;\n"
"hostname: the nodename of its uts namespace; cwd: its working directory\n"
"as getcwd(2) names it from its root (\"(unreachable)/...\" when the root\n"
"cannot reach it).\n"
"\n"
"Options:\n"
" -r, --raw                 mounts: the mountinfo text exactly\n"
" -b, --backend model|kernel  the world for a task name (default: model)\n"
" -h, --help                display this help\n"
"\n"
"The tree view, findmnt's (-f FILE, -o LIST, -J, -r): see\n"
"'%s show PID tree --help'.\n", prog, prog);
}

static void usage_shell(FILE *f)
{
	fprintf(f,
"Usage:\n"
" %s shell [options]\n"
"\n"
"Keep one world open and run scenario commands read from standard input,\n"
"printing each result ('ok', 'FAIL <stdin>:LINE: ...', or the output of\n"
"show).  On a terminal it prompts 'nsmctl> '.  'help' lists the commands\n"
"of the language, 'quit' (or end of input) leaves.\n"
"\n"
"Options:\n"
" -b, --backend model|kernel  the world (default: model)\n"
"     --color[=WHEN]          color ok and FAIL: auto, always or never\n"
" -h, --help                  display this help\n"
"\n"
"Exit status: 0 every command did what it said, 1 some did not (or a line\n"
"had a syntax error), 2 usage, 3 environment.\n", prog);
}

static void usage_counters(FILE *f)
{
	fprintf(f,
"Usage:\n"
" %s counters [options]\n"
"\n"
"Print the module's live objects per type, module-wide and in the world\n"
"opened to ask (which holds one world and its init task).\n"
"\n"
"Options:\n"
" -j, --json      machine-readable output\n"
" -h, --help      display this help\n"
"\n"
"Exit status: 0, 2 usage, 3 no device.\n", prog);
}

static void usage_version(FILE *f)
{
	fprintf(f,
"Usage:\n"
" %s version\n"
"\n"
"Print nsmctl's version, then the device's ABI version and build (which\n"
"needs the device; '%s --version' does not).\n"
"\n"
"Exit status: 0, 2 usage, 3 no device.\n", prog, prog);
}

/*
 * For nsmctl's own tests of the comparison, without the module:
 * NSMCTL_TEST_FAKE_MODEL=unshared makes the "model" a second kernel world
 * whose mountinfo loses its shared:N fields, as a model that forgot to
 * join copies to their peer groups would print.
 */
static int fake_mountinfo(struct backend *b, const char *task, char **text)
{
	int r = kernel_backend.mountinfo(b, task, text);
	char *p;

	if (r)
		return r;
	while ((p = strstr(*text, " shared:"))) {
		size_t n = 8 + strspn(p + 8, "0123456789");

		memmove(p, p + n, strlen(p + n) + 1);
	}
	return 0;
}

const struct backend_ops *model_ops(void)
{
	static struct backend_ops fake;
	const char *t = getenv("NSMCTL_TEST_FAKE_MODEL");

	if (!t || strcmp(t, "unshared"))
		return &model_backend;
	fake = kernel_backend;
	fake.name = "fake-model";
	fake.mountinfo = fake_mountinfo;
	return &fake;
}

static const struct backend_ops *backend_by_name(const char *s)
{
	if (!strcmp(s, "model"))
		return model_ops();
	if (!strcmp(s, "kernel"))
		return &kernel_backend;
	return NULL;
}

/* ---- the PENDING lists ----------------------------------------------- */

/* Is FILE listed in the PENDING file of its directory? */
static int is_pending(const char *file)
{
	char *d = xstrdup(file), *b = xstrdup(file), *p;
	char line[1024];
	FILE *f;
	int hit = 0;

	p = xasprintf("%s/PENDING", dirname(d));
	f = fopen(p, "r");
	if (f) {
		const char *base = basename(b);

		while (!hit && fgets(line, sizeof(line), f)) {
			char *s = line, *e;

			if ((e = strchr(s, '#')))
				*e = 0;
			while (isspace((unsigned char)*s))
				s++;
			for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); )
				*--e = 0;
			if (*s && !strcmp(s, base))
				hit = 1;
		}
		fclose(f);
	}
	free(p);
	free(d);
	free(b);
	return hit;
}

/* ---- run ------------------------------------------------------------- */

struct problem {
	int line;
	char *command;
	char *backend;		/* NULL: the file's backends */
	char *message;
	char *diff;		/* a show that differed */
};

struct file_report {
	const char *file;	/* as named in messages ("<stdin>" for -) */
	const char *status;	/* ok, FAIL, pending, error */
	const char *note;
	const char *backends;	/* what ran: "kernel", "model" or "both" */
	struct problem *p;
	int nr;
	/* the JSON report's "results": one backend's run of the file */
	const struct scenario *sc;
	const struct run_result *rr;
};

static void add_problem(struct file_report *fr, int line, const char *cmd,
			const char *backend, char *msg, char *diff)
{
	struct problem *p;

	fr->p = xrealloc(fr->p, (fr->nr + 1) * sizeof(*fr->p));
	p = &fr->p[fr->nr++];
	p->line = line;
	p->command = xstrdup(cmd ? cmd : "");
	p->backend = backend ? xstrdup(backend) : NULL;
	p->message = msg;
	p->diff = diff;
}

/*
 * The parser's messages, one "FILE:LINE: what" a line, as problems of
 * their own lines (so --json gives each its line).
 */
static void add_parse_errors(struct file_report *fr, const char *text)
{
	size_t plen = strlen(fr->file);

	for (const char *s = text, *e; *s; s = e + 1) {
		const char *m = s;
		char *end;
		long line = 0;

		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		if (!strncmp(s, fr->file, plen) && s[plen] == ':') {
			line = strtol(s + plen + 1, &end, 10);
			if (*end == ':' && end[1] == ' ' && line > 0)
				m = end + 2;
			else
				line = 0;
		}
		add_problem(fr, (int)line, NULL, NULL,
			    xasprintf("%.*s", (int)(e - m), m), NULL);
		if (!*e)
			break;
	}
}

static char *rn(int r)
{
	static char buf[8][32];
	static int i;

	i = (i + 1) % 8;
	return (char *)result_name(r, buf[i], sizeof(buf[i]));
}

/* Check one backend's run against the scenario. */
static void judge(struct file_report *fr, const struct scenario *sc,
		  const struct run_result *rr, const char *bname)
{
	int missing = 0, first_missing = 0;

	for (int i = 0; i < rr->nr_run; i++) {
		const struct cmd *c = &sc->cmds[i];
		const struct cmd_result *r = &rr->r[i];

		/* the one that ended the run is in abort_msg */
		if (rr->abort_msg && i == rr->nr_run - 1 &&
		    (r->res == R_DEAD || r->res == R_TIMEOUT ||
		     r->res == R_INTERNAL))
			continue;
		/* after a failed clone, say it once, not for every command */
		if (r->res == R_NOTASK) {
			if (missing++)
				continue;
			first_missing = c->line;
		}

		if (c->op == OP_EXPECT || c->op == OP_SHOW) {
			if (r->res)
				add_problem(fr, c->line, c->text, bname,
					    xasprintf("could not %s: %s",
						      c->op == OP_SHOW ? "show" :
						      "check", rn(r->res)), NULL);
			else if (r->msg)
				add_problem(fr, c->line, c->text, bname,
					    xstrdup(r->msg), NULL);
			continue;
		}
		if (r->res != c->want)
			add_problem(fr, c->line, c->text, bname,
				    xasprintf("expected %s, got %s", rn(c->want),
					      rn(r->res)), NULL);
	}
	if (missing > 1)
		add_problem(fr, 0, NULL, bname,
			    xasprintf("and %d more commands on tasks that do not "
				      "exist (the first at line %d)", missing - 1,
				      first_missing), NULL);
	if (rr->abort_msg)
		add_problem(fr, 0, NULL, bname, xstrdup(rr->abort_msg), NULL);
}

/* Compare the show outputs of two runs. */
static void compare(struct file_report *fr, const struct scenario *sc,
		    const struct run_result *k, const struct run_result *m)
{
	int n = k->nr_run < m->nr_run ? k->nr_run : m->nr_run;

	for (int i = 0; i < n; i++) {
		const struct cmd *c = &sc->cmds[i];
		const char *a = k->r[i].out, *b = m->r[i].out;
		char *d = NULL;
		size_t len = 0;
		FILE *f;

		if (c->op != OP_SHOW || !a || !b || !strcmp(a, b))
			continue;
		f = open_memstream(&d, &len);
		unified_diff(f, a, b, "kernel", "model");
		fclose(f);
		add_problem(fr, c->line, c->text, NULL,
			    xstrdup("the backends differ"), d);
	}
}

/* @s as a JSON string (NULL: ""), on @f */
void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* The show outputs of one backend's run, as members of "shows". */
static int json_shows(FILE *jf, const struct scenario *sc,
		      const struct run_result *rr, const char *bname, int n)
{
	for (int i = 0; rr && i < rr->nr_run; i++) {
		if (sc->cmds[i].op != OP_SHOW || !rr->r[i].out)
			continue;
		fprintf(jf, "%s\n    {\"line\": %d, \"command\": ", n++ ? "," : "",
		       sc->cmds[i].line);
		json_str(jf, sc->cmds[i].text);
		fprintf(jf, ", \"backend\": ");
		json_str(jf, bname);
		fprintf(jf, ", \"output\": ");
		json_str(jf, rr->r[i].out);
		fprintf(jf, "}");
	}
	return n;
}

/*
 * What each command of one backend's run answered, in the JSON report:
 * what "run --against" compares another run with.  "res" is 0, the
 * errno or a negative R_* code; "out" a show's normal form; "msg" why
 * an expect failed.
 */
static void print_results(FILE *jf, const struct scenario *sc,
			  const struct run_result *rr)
{
	char buf[32];

	fprintf(jf, ", \"results\": [");
	for (int i = 0; i < rr->nr_run; i++) {
		const struct cmd_result *r = &rr->r[i];

		fprintf(jf, "%s\n    {\"line\": %d, \"res\": %d, \"result\": ",
			i ? "," : "", sc->cmds[i].line, r->res);
		json_str(jf, result_name(r->res, buf, sizeof(buf)));
		if (r->out) {
			fprintf(jf, ", \"out\": ");
			json_str(jf, r->out);
		}
		if (r->msg) {
			fprintf(jf, ", \"msg\": ");
			json_str(jf, r->msg);
		}
		fprintf(jf, "}");
	}
	fprintf(jf, "%s]", rr->nr_run ? "\n  " : "");
}

/*
 * One file's verdict: as JSON on @jf (the --json report, or the file of
 * --save-json), and as text on stdout unless --json.  @sc with the runs
 * @rk and @rm (either may be NULL) adds every show's output ("shows")
 * and one backend's answers ("results": the kernel's when it ran).
 */
static void print_report(const struct file_report *fr, int json, FILE *jf,
			 int first, const struct scenario *sc,
			 const struct run_result *rk,
			 const struct run_result *rm)
{
	const char *st = color_seq(!strcmp(fr->status, "ok") ? COLOR_OK :
				   !strcmp(fr->status, "pending") ?
				   COLOR_PENDING : COLOR_FAIL);
	const char *off = color_seq(COLOR_OFF);

	if (jf) {
		const struct run_result *rr = rk ? rk : rm;
		int n = 0;

		fprintf(jf, "%s\n  {\"file\": ", first ? "" : ",");
		json_str(jf, fr->file);
		fprintf(jf, ", \"status\": ");
		json_str(jf, fr->status);
		if (fr->note) {
			fprintf(jf, ", \"note\": ");
			json_str(jf, fr->note);
		}
		fprintf(jf, ", \"problems\": [");
		for (int i = 0; i < fr->nr; i++) {
			const struct problem *p = &fr->p[i];

			fprintf(jf, "%s\n    {\"line\": %d, \"command\": ", i ? "," : "",
			       p->line);
			json_str(jf, p->command);
			fprintf(jf, ", \"backend\": ");
			json_str(jf, p->backend ? p->backend : fr->backends);
			fprintf(jf, ", \"message\": ");
			json_str(jf, p->message);
			if (p->diff) {
				fprintf(jf, ", \"diff\": ");
				json_str(jf, p->diff);
			}
			fprintf(jf, "}");
		}
		fprintf(jf, "%s]", fr->nr ? "\n  " : "");
		if (sc) {
			fprintf(jf, ", \"shows\": [");
			n = json_shows(jf, sc, rk, "kernel", n);
			n = json_shows(jf, sc, rm, "model", n);
			fprintf(jf, "%s]", n ? "\n  " : "");
		}
		if (sc && rr)
			print_results(jf, sc, rr);
		fprintf(jf, "}");
	}
	if (json)
		return;
	printf("%s%s%s %s%s%s%s\n", st, fr->status, off, fr->file,
	       fr->note ? " (" : "", fr->note ? fr->note : "",
	       fr->note ? ")" : "");
	for (int i = 0; i < fr->nr; i++) {
		const struct problem *p = &fr->p[i];

		if (p->line && p->command[0])
			printf("  %s:%d: %s: %s", fr->file, p->line, p->command,
			       p->message);
		else if (p->line)
			printf("  %s:%d: %s", fr->file, p->line, p->message);
		else if (!strncmp(p->message, fr->file, strlen(fr->file)) &&
			 p->message[strlen(fr->file)] == ':')
			printf("  %s", p->message);
		else
			printf("  %s: %s", fr->file, p->message);
		printf("%s%s%s\n", p->backend ? " [" : "",
		       p->backend ? p->backend : "", p->backend ? "]" : "");
		if (p->diff) {
			char *s = p->diff, *e;

			while (*s) {
				int len;

				e = strchr(s, '\n');
				len = (int)(e ? e - s : (long)strlen(s));
				printf("    %s%.*s%s\n",
				       color_seq(*s == '-' ? COLOR_DEL :
						 *s == '+' ? COLOR_ADD :
						 *s == '@' ? COLOR_HEAD :
						 COLOR_OFF),
				       len, s, *s == '-' || *s == '+' ||
				       *s == '@' ? off : "");
				if (!e)
					break;
				s = e + 1;
			}
		}
	}
}

static void free_report(struct file_report *fr)
{
	for (int i = 0; i < fr->nr; i++) {
		free(fr->p[i].command);
		free(fr->p[i].backend);
		free(fr->p[i].message);
		free(fr->p[i].diff);
	}
	free(fr->p);
}

static void print_shows(const struct scenario *sc, const struct run_result *rr,
			const char *bname)
{
	for (int i = 0; i < rr->nr_run; i++)
		if (sc->cmds[i].op == OP_SHOW && rr->r[i].out)
			printf("# %s:%d: %s [%s]\n%s", sc->path,
			       sc->cmds[i].line, sc->cmds[i].text, bname,
			       rr->r[i].out);
}

/* ---- run --against: a kernel run recorded elsewhere ------------------ */

/* @o's member @key, or NULL (also when @o is NULL or not an object) */
static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* @o's member @key if it is a string, or NULL */
static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : NULL;
}

/* @o's member @key if it is an array, or NULL */
static struct json_object *jarray(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return json_object_is_type(v, json_type_array) ? v : NULL;
}

/* A report of "nsmctl run --json" (json-c's tree), or NULL with a message. */
static struct json_object *load_json_report(const char *path)
{
	enum json_tokener_error jerr = json_tokener_success;
	struct json_object *j;
	char *text;

	if (sb_read_file(path, &text)) {
		warnx_nsm("%s: %s", path, strerror(errno));
		return NULL;
	}
	j = json_tokener_parse_verbose(text, &jerr);
	free(text);
	if (!j || !jarray(j, "files")) {
		warnx_nsm("%s: not an nsmctl JSON report (%s)", path,
			  j ? "no files" : json_tokener_error_desc(jerr));
		json_object_put(j);
		return NULL;
	}
	return j;
}

/* The report's entry for FILE: the same path, else the same base name. */
static struct json_object *against_entry(struct json_object *rep,
					 const char *file)
{
	struct json_object *files = jarray(rep, "files");
	size_t n = json_object_array_length(files);
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(files, i);
			const char *f = jstr(e, "file");
			const char *b;

			if (!f)
				continue;
			b = strrchr(f, '/');
			b = b ? b + 1 : f;
			if (!strcmp(f, file) || (pass && !strcmp(b, base)))
				return e;
		}
	return NULL;
}

/*
 * Compare the model's run @m of @sc with the kernel's recorded @e: every
 * command's result, every show's output, every expect's verdict, and the
 * commands one side ran that the other did not.
 */
static void against_check(struct file_report *fr, const struct scenario *sc,
			  const struct run_result *m, struct json_object *e,
			  const char *kname)
{
	struct json_object *res = jarray(e, "results");
	const char *st = jstr(e, "status");
	int nres = res ? (int)json_object_array_length(res) : 0;
	int i = 0, k = 0;

	if (!res) {
		add_problem(fr, 0, NULL, kname,
			    xstrdup("the recorded run has no results (was it "
				    "made with --json by this nsmctl?)"), NULL);
		return;
	}
	if (st && strcmp(st, "ok"))
		add_problem(fr, 0, NULL, kname,
			    xasprintf("the recorded kernel run says %s", st), NULL);
	while (i < m->nr_run || k < nres) {
		struct json_object *r = k < nres ?
			json_object_array_get_idx(res, k) : NULL;
		struct json_object *jl = jget(r, "line");
		int kline = jl ? json_object_get_int(jl) : 0;
		int mline = i < m->nr_run ? sc->cmds[i].line : 0;
		const struct cmd *c = i < m->nr_run ? &sc->cmds[i] : NULL;

		if (!r || (c && mline < kline)) {
			add_problem(fr, mline, c->text, kname,
				    xstrdup("run on the model only (the kernel's "
					    "run stopped or skipped it)"), NULL);
			i++;
			continue;
		}
		if (!c || kline < mline) {
			add_problem(fr, kline, "", kname,
				    xstrdup("run on the kernel only (is the file "
					    "the same?)"), NULL);
			k++;
			continue;
		}
		{
			const struct cmd_result *mr = &m->r[i];
			struct json_object *jr = jget(r, "res");
			int kres = jr ? json_object_get_int(jr) : R_INTERNAL;
			const char *kout = jstr(r, "out");
			const char *kmsg = jstr(r, "msg");

			if (kres != mr->res)
				add_problem(fr, mline, c->text, NULL,
					    xasprintf("the kernel (%s) answered %s, "
						      "the model %s", kname,
						      rn(kres), rn(mr->res)), NULL);
			else if (c->op == OP_SHOW && kout && mr->out &&
				 strcmp(kout, mr->out)) {
				char *d = NULL;
				size_t len = 0;
				FILE *f = open_memstream(&d, &len);

				unified_diff(f, kout, mr->out, "kernel", "model");
				fclose(f);
				add_problem(fr, mline, c->text, NULL,
					    xasprintf("the model differs from the "
						      "kernel (%s)", kname), d);
			} else if (c->op == OP_EXPECT && !kmsg != !mr->msg)
				add_problem(fr, mline, c->text, NULL,
					    xasprintf("held on the %s only%s%s",
						      kmsg ? "model" : "kernel",
						      kmsg ? ": the kernel: " : "",
						      kmsg ? kmsg : ""), NULL);
		}
		i++;
		k++;
	}
}

static int cmd_run(int argc, char **argv)
{
	enum { OPT_COLOR = 0x100 };
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "profile", required_argument, NULL, 'p' },
		{ "against", required_argument, NULL, 'A' },
		{ "save-json", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int use_k = 1, use_m = 1, json = 0, all = 0, verbose = 0, c;
	int passed = 0, failed = 0, pending = 0, unread = 0, env = 0;
	int nreports = 0;
	char *end;
	int backend_set = 0, nfiles = 0;
	const char *against = NULL, *kname = NULL, *save = NULL;
	struct json_object *arep = NULL;
	char **files = NULL;
	FILE *jf = NULL;
	struct utsname u;
	int ret;

	while ((c = getopt_long(argc, argv, "b:jat:vp:A:S:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			use_k = !strcmp(optarg, "kernel") || !strcmp(optarg, "both");
			use_m = !strcmp(optarg, "model") || !strcmp(optarg, "both");
			if (!use_k && !use_m) {
				warnx_nsm("unknown backend '%s'", optarg);
				return errtryhelp_nsm("run");
			}
			backend_set = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 'p':
			model_profile = profile_by_name(optarg);
			if (!model_profile) {
				warnx_nsm("unknown profile '%s' (6.1, 6.12, 6.18, "
					  "2.4.19 or auto)", optarg);
				return errtryhelp_nsm("run");
			}
			break;
		case 'A':
			against = optarg;
			break;
		case 'S':
			save = optarg;
			break;
		case 't': {
			long t = strtol(optarg, &end, 10);

			if (*end || !*optarg || t <= 0 || t > 86400) {
				warnx_nsm("bad timeout '%s'", optarg);
				return errtryhelp_nsm("run");
			}
			kernel_timeout_ms = (int)t * 1000;
			break;
		}
		case 'v':
			verbose = 1;
			break;
		case OPT_COLOR:
			if (color_opt("run", optarg))
				return NSMCTL_EXIT_USAGE;
			break;
		case 'h':
			usage_run(stdout);
			return 0;
		default:
			return errtryhelp_nsm("run");
		}
	}
	if (optind >= argc && !against) {
		warnx_nsm("run: no scenario files");
		return errtryhelp_nsm("run");
	}
	if (against) {
		if (backend_set && use_k) {
			warnx_nsm("run: --against compares the model with a "
				  "recorded kernel run: --backend model");
			return errtryhelp_nsm("run");
		}
		use_k = 0;
		use_m = 1;
		arep = load_json_report(against);
		if (!arep)
			return NSMCTL_EXIT_USAGE;
		kname = jstr(arep, "kernel");
		kname = kname ? kname : against;
		/* no files named: every file the recorded run has */
		if (optind >= argc) {
			struct json_object *fl = jarray(arep, "files");
			size_t n = json_object_array_length(fl);

			for (size_t i = 0; i < n; i++) {
				const char *f =
					jstr(json_object_array_get_idx(fl, i),
					     "file");

				if (!f)
					continue;
				files = xrealloc(files, (nfiles + 1) * sizeof(*files));
				files[nfiles++] = (char *)f;
			}
			argv = files;
			argc = nfiles;
			optind = 0;
		}
	}
	/*
	 * The kernel backend answers as the running kernel: a profile for
	 * another version only makes sense for the model alone.
	 */
	if (use_k && model_profile->version &&
	    model_profile->version != running_kernel_version()) {
		warnx_nsm("run: profile %s on this kernel: use --backend "
			  "model, and --against a run of that kernel",
			  model_profile->name);
		return errtryhelp_nsm("run");
	}
	scenario_set_version(profile_version(model_profile));
	jf = json ? stdout : NULL;
	if (save) {
		jf = fopen(save, "w");
		if (!jf) {
			warnx_nsm("%s: %s", save, strerror(errno));
			json_object_put(arep);
			free(files);
			return NSMCTL_EXIT_FILE;
		}
	}
	if (jf) {
		fprintf(jf, "{\"kernel\": ");
		json_str(jf, uname(&u) ? "" : u.release);
		fprintf(jf, ", \"profile\": ");
		json_str(jf, model_profile->name);
		fprintf(jf, ", \"files\": [");
	}
	for (int i = optind; i < argc; i++) {
		const char *file = strcmp(argv[i], "-") ? argv[i] : "<stdin>";
		struct file_report fr = { .file = file };
		struct run_result rk = { 0 }, rm = { 0 };
		struct scenario sc;
		char *errtext = NULL;
		size_t errlen = 0;
		FILE *ef = open_memstream(&errtext, &errlen);
		int pend = !all && use_m && strcmp(argv[i], "-") &&
			   is_pending(argv[i]);
		int k = use_k, m = use_m && !pend, r;

		fr.backends = use_k && use_m ? "both" : use_k ? "kernel" : "model";
		r = scenario_load(argv[i], &sc, ef);
		fclose(ef);
		if (r == -2) {
			/* not a scenario at all: an error, not a failure */
			fprintf(stderr, "%s: %s", prog, errtext);
			if (jf) {
				fr.status = "error";
				add_parse_errors(&fr, errtext);
				print_report(&fr, json, jf, !nreports++, NULL,
					     NULL, NULL);
				free_report(&fr);
			}
			free(errtext);
			unread++;
			continue;
		}
		if (r) {
			fr.status = "FAIL";
			add_parse_errors(&fr, errtext);
			free(errtext);
			print_report(&fr, json, jf, !nreports++, NULL, NULL, NULL);
			free_report(&fr);
			failed++;
			continue;
		}
		free(errtext);
		if (pend && !k) {
			fr.status = "pending";
			fr.note = "listed in PENDING, not run on the model";
			print_report(&fr, json, jf, !nreports++, NULL, NULL, NULL);
			pending++;
			scenario_free(&sc);
			continue;
		}
		if (k && engine_run(&kernel_backend, &sc, &rk))
			env = 1;
		if (m && engine_run(model_ops(), &sc, &rm))
			env = 1;
		if (k)
			judge(&fr, &sc, &rk, use_m && m ? "kernel" : NULL);
		if (m)
			judge(&fr, &sc, &rm, k ? "model" : NULL);
		if (k && m)
			compare(&fr, &sc, &rk, &rm);
		if (k && !m)
			fr.backends = "kernel";
		if (arep && m) {
			struct json_object *e = against_entry(arep, argv[i]);

			if (e)
				against_check(&fr, &sc, &rm, e, kname);
			else
				add_problem(&fr, 0, NULL, NULL,
					    xasprintf("not in %s", against), NULL);
		}
		if (pend && use_m) {
			/* try the model anyway, to say when it can leave PENDING */
			struct file_report pr = { .file = file };
			struct run_result pm = { 0 };
			int envfail = engine_run(model_ops(), &sc, &pm);

			fr.note = "pending: kernel only";
			if (!envfail) {
				judge(&pr, &sc, &pm, "model");
				if (k)
					compare(&pr, &sc, &rk, &pm);
				if (!pr.nr)
					fr.note = "pending, but the model passes "
						  "it now: remove it from PENDING";
			}
			free_report(&pr);
			run_result_free(&pm, sc.nr);
		}
		fr.status = fr.nr ? "FAIL" : "ok";
		print_report(&fr, json, jf, !nreports++, &sc, k ? &rk : NULL,
			     m ? &rm : NULL);
		if (verbose && !json) {
			if (k)
				print_shows(&sc, &rk, "kernel");
			if (m)
				print_shows(&sc, &rm, "model");
		}
		if (fr.nr)
			failed++;
		else
			passed++;
		free_report(&fr);
		run_result_free(&rk, sc.nr);
		run_result_free(&rm, sc.nr);
		scenario_free(&sc);
		fflush(stdout);
	}
	if (jf)
		fprintf(jf, "\n], \"passed\": %d, \"failed\": %d, \"pending\": %d, "
			"\"unreadable\": %d}\n", passed, failed, pending, unread);
	if (save && fclose(jf)) {
		warnx_nsm("%s: %s", save, strerror(errno));
		failed++;
	}
	if (!json) {
		printf("%d passed, %d failed", passed, failed);
		if (pending)
			printf(", %d pending", pending);
		if (unread)
			printf(", %d unreadable", unread);
		printf("\n");
	}
	ret = failed ? NSMCTL_EXIT_FAIL : NSMCTL_EXIT_OK;
	if (failed && env && !passed)
		ret = NSMCTL_EXIT_ENV;
	if (unread)
		ret = NSMCTL_EXIT_FILE;
	json_object_put(arep);
	free(files);
	return ret;
}

/* ---- show ------------------------------------------------------------ */

static int show_pid(pid_t pid, int view, int raw)
{
	char path[96], *text = NULL;
	int r = EINVAL;

	switch (view) {
	case SHOW_MOUNTS:
		snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
		r = sb_read_file(path, &text);
		if (r)
			break;
		if (raw) {
			fputs(text, stdout);
		} else {
			char *n = mountinfo_normalize(text);

			fputs(n, stdout);
			free(n);
		}
		free(text);
		return 0;
	case SHOW_NS:
		for (int k = 0; k < NS_NR; k++) {
			char link[128];
			ssize_t n;

			snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid,
				 ns_kind_names[k]);
			n = readlink(path, link, sizeof(link) - 1);
			if (n < 0) {
				if (errno != ENOENT)
					return errno;
				printf("%s -> -\n", ns_kind_names[k]);
				continue;
			}
			link[n] = 0;
			printf("%s -> %s\n", ns_kind_names[k], link);
		}
		return 0;
	case SHOW_PID: {
		char *p, *e;

		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		r = sb_read_file(path, &text);
		if (r)
			break;
		p = strstr(text, "\nNSpid:");
		if (!p) {
			free(text);
			return ENOENT;
		}
		p++;
		e = strchr(p, '\n');
		printf("%.*s\n", (int)(e ? e - p : (long)strlen(p)), p);
		free(text);
		return 0;
	}
	case SHOW_HOSTNAME: {
		/* enter its uts namespace in a child and ask */
		int fd, status;
		pid_t c;

		snprintf(path, sizeof(path), "/proc/%d/ns/uts", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno;
		fflush(stdout);
		c = fork();
		if (c == 0) {
			struct utsname u;

			if (setns(fd, CLONE_NEWUTS) || uname(&u))
				_exit(errno & 0x7f);
			printf("%s\n", u.nodename);
			fflush(stdout);
			_exit(0);
		}
		close(fd);
		if (c < 0 || waitpid(c, &status, 0) < 0)
			return errno;
		return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
	}
	case SHOW_CWD: {
		/*
		 * Take its root and cwd in a child (chroot to the one, fchdir
		 * to the other) and ask the getcwd system call, so the answer
		 * is the kernel's own, "(unreachable)/..." included, where
		 * readlink of /proc/PID/cwd would name it from our root.
		 */
		int root, cwd, status;
		char buf[4096];
		pid_t c;

		snprintf(path, sizeof(path), "/proc/%d/root", pid);
		root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return errno;
		snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
		cwd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cwd < 0) {
			r = errno;
			close(root);
			return r;
		}
		fflush(stdout);
		c = fork();
		if (c == 0) {
			if (fchdir(root) || chroot(".") || fchdir(cwd) ||
			    syscall(SYS_getcwd, buf, sizeof(buf)) < 0)
				_exit(errno & 0x7f);
			printf("%s\n", buf);
			fflush(stdout);
			_exit(0);
		}
		close(root);
		close(cwd);
		if (c < 0 || waitpid(c, &status, 0) < 0)
			return errno;
		return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
	}
	}
	return r;
}

static int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "backend", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct backend_ops *ops = &model_backend;
	const char *views[] = { "mounts", "ns", "pid", "hostname", "cwd" };
	int raw = 0, view = -1, c, r;
	char *end;
	long pid;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "tree"))
			return cmd_show_tree(argc, argv);	/* views.c */
	while ((c = getopt_long(argc, argv, "rb:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			raw = 1;
			break;
		case 'b':
			ops = backend_by_name(optarg);
			if (!ops) {
				warnx_nsm("unknown backend '%s'", optarg);
				return errtryhelp_nsm("show");
			}
			break;
		case 'h':
			usage_show(stdout);
			return 0;
		default:
			return errtryhelp_nsm("show");
		}
	}
	if (argc - optind != 2) {
		if (argc - optind < 2)
			warnx_nsm("show: TASK|PID and a view expected");
		else
			warnx_nsm("show: unexpected argument '%s'",
				  argv[optind + 2]);
		return errtryhelp_nsm("show");
	}
	for (int i = 0; i < (int)(sizeof(views) / sizeof(views[0])); i++)
		if (!strcmp(argv[optind + 1], views[i]))
			view = i;
	if (view < 0) {
		warnx_nsm("show: unknown view '%s'", argv[optind + 1]);
		return errtryhelp_nsm("show");
	}
	pid = strtol(argv[optind], &end, 10);
	if (!*end && pid > 0) {
		r = show_pid(pid, view, raw);
		if (r) {
			warnx_nsm("show: pid %ld: %s", pid, strerror(r));
			return NSMCTL_EXIT_ENV;
		}
		return 0;
	}
	if (strcmp(argv[optind], "init")) {
		warnx_nsm("show: no task '%s' outside a scenario (only init; "
			  "use 'nsmctl shell' for more)", argv[optind]);
		return errtryhelp_nsm("show");
	}
	{
		struct backend *b = NULL;
		struct cmd cmd = { .op = OP_SHOW, .sub = view, .task = "init",
				   .text = "show" };
		struct cmd_result res;
		char err[512] = "";

		r = ops->open(&b, err, sizeof(err));
		if (r) {
			warnx_nsm("%s", err);
			return NSMCTL_EXIT_ENV;
		}
		if (raw && view == SHOW_MOUNTS) {
			char *text = NULL;

			r = ops->mountinfo(b, "init", &text);
			if (!r)
				fputs(text, stdout);
			free(text);
		} else {
			r = engine_cmd(ops, b, &cmd, &res);
			if (!r)
				fputs(res.out, stdout);
			free(res.out);
			free(res.msg);
		}
		ops->close(b);
		if (r) {
			char buf[32];

			warnx_nsm("show: %s", result_name(r, buf, sizeof(buf)));
			return NSMCTL_EXIT_ENV;
		}
	}
	return 0;
}

/* ---- shell ----------------------------------------------------------- */

/* how many lines TEXT holds (the shell's line number so far) */
static int sc_lines(const char *text)
{
	int n = 0;

	for (; text && *text; text++)
		n += *text == '\n';
	return n;
}

/* "help" in the shell: the language at a glance (docs/language.md) */
static void shell_help(FILE *f)
{
	fputs(
"Commands (one a line; '# ...' is a comment; add '=> ERRNO' to expect a failure):\n"
"  clone PARENT CHILD [FLAGS]        FLAGS: NEWNS,NEWUTS,NEWIPC,NEWPID,NEWNET,\n"
"                                    NEWCGROUP,NEWTIME,NEWUSER,FS\n"
"  unshare TASK FLAGS                setns TASK TARGET KINDS | @PATH KIND\n"
"  nsbind TASK OTHER KIND PATH       exit TASK\n"
"  setuid TASK UID                   hostname TASK NAME\n"
"  mkdir|touch|unlink|rmdir TASK PATH\n"
"  mount TASK FSTYPE SOURCE PATH [OPTIONS]\n"
"  bind TASK SRC DST [-r]            move TASK SRC DST\n"
"  umount TASK PATH [-l]             remount TASK PATH OPTIONS [-b]\n"
"  make TASK shared|slave|private|unbindable PATH [-r]\n"
"  chroot TASK PATH                  chdir TASK PATH\n"
"  pivot_root TASK NEW_ROOT PUT_OLD\n"
"  expect TASK mounted|not-mounted|exists|absent|file PATH\n"
"  expect TASK propagation PATH TYPE expect TASK same|differ KIND OTHER\n"
"  expect TASK hostname NAME         expect TASK cwd PATH\n"
"  show TASK mounts|ns|pid|hostname|cwd\n"
"Shell commands:\n"
"  help                              this list\n"
"  quit                              leave (so does end of input)\n", f);
}

static int cmd_shell(int argc, char **argv)
{
	enum { OPT_COLOR = 0x100 };
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct backend_ops *ops = &model_backend;
	struct backend *b = NULL;
	struct sbuf all = { 0 };
	char err[512] = "", *line = NULL, *errtext;
	size_t cap = 0, errlen;
	int c, r, done = 0, failed = 0, tty = isatty(STDIN_FILENO);
	FILE *ef;

	while ((c = getopt_long(argc, argv, "b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			ops = backend_by_name(optarg);
			if (!ops) {
				warnx_nsm("unknown backend '%s'", optarg);
				return errtryhelp_nsm("shell");
			}
			break;
		case OPT_COLOR:
			if (color_opt("shell", optarg))
				return NSMCTL_EXIT_USAGE;
			break;
		case 'h':
			usage_shell(stdout);
			return 0;
		default:
			return errtryhelp_nsm("shell");
		}
	}
	if (optind < argc) {
		warnx_nsm("shell: unexpected argument '%s'", argv[optind]);
		return errtryhelp_nsm("shell");
	}
	engine_begin();
	if (ops->open(&b, err, sizeof(err))) {
		warnx_nsm("%s", err);
		return NSMCTL_EXIT_ENV;
	}
	if (tty)
		printf("nsmctl shell on the %s backend; 'help' lists the "
		       "commands, 'quit' leaves.\n", ops->name);
	/*
	 * Each line is parsed together with the lines before it (so task
	 * names are checked as in a file); only the new commands are run.
	 * "help" and "quit" are the shell's own: they take the place of a
	 * blank line, so line numbers stay those of the input.
	 */
	for (;;) {
		struct scenario sc;
		size_t before = all.len;
		char word[8] = "";
		int forget = 0;

		if (tty) {
			fputs("nsmctl> ", stdout);
			fflush(stdout);
		}
		if (getline(&line, &cap, stdin) <= 0)
			break;
		sscanf(line, " %7s", word);
		if (!strcmp(word, "quit") || !strcmp(word, "help")) {
			char extra[2] = "";

			if (sscanf(line, " %*s %1s", extra) == 1 && extra[0] != '#') {
				warnx_nsm("<stdin>:%d: %s takes no arguments",
					  sc_lines(all.s) + 1, word);
				failed = 1;
			} else if (!strcmp(word, "quit")) {
				break;
			} else {
				shell_help(stdout);
			}
			sb_add(&all, "\n");
			continue;
		}
		sb_add(&all, line);
		if (all.s[all.len - 1] != '\n')
			sb_add(&all, "\n");
		errtext = NULL;
		ef = open_memstream(&errtext, &errlen);
		r = scenario_parse("<stdin>", all.s, &sc, ef);
		fclose(ef);
		warn_lines(errtext);
		free(errtext);
		if (r) {
			/* forget the bad line (keep the line numbers) */
			all.len = before;
			all.s[all.len] = 0;
			sb_add(&all, "\n");
			failed = 1;
			continue;
		}
		for (int i = done; i < sc.nr; i++) {
			struct cmd_result r;

			engine_cmd(ops, b, &sc.cmds[i], &r);
			engine_print_cmd(stdout, "<stdin>", &sc.cmds[i], &r);
			if (sc.cmds[i].op == OP_SHOW ? r.res != 0 :
			    sc.cmds[i].op == OP_EXPECT ? (r.res || r.msg) :
			    r.res != sc.cmds[i].want)
				failed = 1;
			/* a clone or exit that did not do what the line said */
			if ((sc.cmds[i].op == OP_CLONE || sc.cmds[i].op == OP_EXIT) &&
			    r.res != sc.cmds[i].want)
				forget = 1;
			free(r.out);
			free(r.msg);
		}
		fflush(stdout);
		done = sc.nr;
		if (forget) {
			/* so task names follow what really exists */
			all.len = before;
			all.s[all.len] = 0;
			sb_add(&all, "\n");
			done--;
		}
		scenario_free(&sc);
	}
	if (tty)
		fputc('\n', stdout);
	free(line);
	free(all.s);
	ops->close(b);
	return failed ? NSMCTL_EXIT_FAIL : 0;
}

/* ---- main ------------------------------------------------------------ */

static void print_version(void)
{
	printf("%s from nsmodel %s (ABI %u)\n", prog, NSMCTL_VERSION,
	       NSM_ABI_VERSION);
}

/* "help COMMAND" and "COMMAND --help" */
static int help_for(const char *what)
{
	if (!what)
		usage_main(stdout);
	else if (!strcmp(what, "run"))
		usage_run(stdout);
	else if (!strcmp(what, "show"))
		usage_show(stdout);
	else if (!strcmp(what, "shell"))
		usage_shell(stdout);
	else if (!strcmp(what, "counters"))
		usage_counters(stdout);
	else if (!strcmp(what, "version"))
		usage_version(stdout);
	else if (!strcmp(what, "trace"))
		usage_trace(stdout);
	else if (!strcmp(what, "fuzz"))
		cmd_fuzz(2, (char *[]){ "nsmctl", "--help", NULL });
	else if (!strcmp(what, "compare"))
		cmd_compare(2, (char *[]){ "compare", "--help", NULL });
	else if (!strcmp(what, "graph"))
		cmd_graph(2, (char *[]){ "graph", "--help", NULL });
	else if (!strcmp(what, "lsns"))
		cmd_lsns(2, (char *[]){ "lsns", "--help", NULL });
	else if (!strcmp(what, "help"))
		printf("Usage:\n %s help [command]\n\nPrint the usage of nsmctl "
		       "or of one command.\n", prog);
	else {
		warnx_nsm("unknown command '%s'", what);
		return errtryhelp_nsm(NULL);
	}
	return 0;
}

/* "version" and "counters": only --help (and counters' --json) */
static int simple_cmd(const char *cmd, int argc, char **argv, int *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, json ? "jh" : "h", json ? opts :
				opts + 1, NULL)) != -1) {
		if (c == 'h')
			return help_for(cmd) ? NSMCTL_EXIT_USAGE : -1;
		if (c == 'j' && json)
			*json = 1;
		else
			return errtryhelp_nsm(cmd);
	}
	if (optind < argc) {
		warnx_nsm("%s: unexpected argument '%s'", cmd, argv[optind]);
		return errtryhelp_nsm(cmd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_COLOR = 0x100 };
	static const struct option opts[] = {
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd;
	int c, r, json = 0;

	/* getopt's own messages say "nsmctl: ...", whatever argv[0] is */
	argv[0] = (char *)prog;
	/* "+": the options before the command only */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case OPT_COLOR:
			if (color_opt(NULL, optarg))
				return NSMCTL_EXIT_USAGE;
			break;
		case 'h':
			usage_main(stdout);
			return 0;
		case 'V':
			print_version();
			return 0;
		default:
			return errtryhelp_nsm(NULL);
		}
	}
	if (optind >= argc) {
		warnx_nsm("no command");
		return errtryhelp_nsm(NULL);
	}
	cmd = argv[optind];
	argv += optind;
	argc -= optind;
	argv[0] = (char *)prog;
	/*
	 * 0, not 1: glibc then starts over, and forgets the "+" above (the
	 * commands' options may follow their arguments)
	 */
	optind = 0;
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc, argv);
	if (!strcmp(cmd, "shell"))
		return cmd_shell(argc, argv);
	if (!strcmp(cmd, "trace"))
		return cmd_trace(argc, argv);
	if (!strcmp(cmd, "fuzz"))
		return cmd_fuzz(argc, argv);
	if (!strcmp(cmd, "graph"))
		return cmd_graph(argc, argv);	/* graph.c */
	if (!strcmp(cmd, "lsns"))
		return cmd_lsns(argc, argv);	/* lsns.c */
	if (!strcmp(cmd, "version")) {
		r = simple_cmd(cmd, argc, argv, NULL);
		if (r)
			return r < 0 ? 0 : r;
		print_version();
		return model_version(stdout);
	}
	if (!strcmp(cmd, "compare"))
		return cmd_compare(argc, argv);
	if (!strcmp(cmd, "counters")) {
		r = simple_cmd(cmd, argc, argv, &json);
		if (r)
			return r < 0 ? 0 : r;
		return model_counters(stdout, json);
	}
	if (!strcmp(cmd, "help")) {
		if (argc > 2) {
			warnx_nsm("help: unexpected argument '%s'", argv[2]);
			return errtryhelp_nsm(NULL);
		}
		if (argc > 1 && (!strcmp(argv[1], "--help") ||
				 !strcmp(argv[1], "-h")))
			return help_for("help");
		return help_for(argc > 1 ? argv[1] : NULL);
	}
	warnx_nsm("unknown command '%s'", cmd);
	return errtryhelp_nsm(NULL);
}
