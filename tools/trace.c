// SPDX-License-Identifier: GPL-2.0
/*
 * nsmctl trace: run a scenario on the model with the module's tracepoints
 * on (module/trace.h, the "nsmodel" system of tracefs), keep what each
 * copy_mnt_ns() did, and write it as a capture (plain text, to be read
 * again anywhere) or as one self-contained HTML page that steps through
 * every copy: the old tree, pass one's copies, pass two's pairs and skips,
 * where the task's root and cwd went, and the new tree.
 *
 * The tracepoints exist only where the module is loaded (the test VM), so
 * the capture is the interface between the two halves: "nsmctl trace
 * FILE.nsm -o FILE.trace" there, "nsmctl trace FILE.trace --html OUT"
 * anywhere (no device needed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/sched.h>

#include "nsmctl.h"

#define CAPTURE_MAGIC "# nsmctl trace capture v1"

/* One command that copied a mount namespace (clone or unshare NEWNS). */
struct tcopy {
	int line;
	char *command;		/* as written */
	char *task;		/* whose namespace was copied */
	char *newtask;		/* who got the copy */
	char *result;		/* "ok" or the errno name */
	struct sbuf before;	/* task's mountinfo before (raw) */
	struct sbuf after;	/* newtask's mountinfo after (raw) */
	struct sbuf events;	/* "nsm_NAME: fields" lines */
};

struct capture {
	char *scenario;
	struct tcopy *c;
	int nr;
};

void usage_trace(FILE *f)
{
	fprintf(f,
"Usage:\n"
" nsmctl trace [options] FILE\n"
"\n"
"Run the scenario FILE ('-': standard input) on the model with the\n"
"module's tracepoints on, and keep what every copy_mnt_ns() did (each\n"
"clone or unshare with NEWNS): the mount table before, the events of its\n"
"two passes, the mount table after.  FILE may also be such a capture\n"
"(from -o), read again without the device.\n"
"\n"
"Options:\n"
"     --html OUT.html   write one self-contained page that steps through\n"
"                       each copy (buttons, or the arrow keys)\n"
" -o, --output CAPTURE  write the capture to CAPTURE ('-': stdout; the\n"
"                       default when --html is not given)\n"
"     --tracefs DIR     where tracefs is mounted (default:\n"
"                       /sys/kernel/tracing, then /sys/kernel/debug/tracing)\n"
" -h, --help            display this help\n"
"\n"
"Exit status: 0, 1 a command did not do what the scenario says (the capture\n"
"and page are still written), 2 usage, 3 environment (no device, no\n"
"tracefs, the module's events missing), 4 a file could not be read or\n"
"written.\n");
}

static void capture_free(struct capture *cap)
{
	for (int i = 0; i < cap->nr; i++) {
		struct tcopy *t = &cap->c[i];

		free(t->command);
		free(t->task);
		free(t->newtask);
		free(t->result);
		free(t->before.s);
		free(t->after.s);
		free(t->events.s);
	}
	free(cap->c);
	free(cap->scenario);
	memset(cap, 0, sizeof(*cap));
}

static struct tcopy *capture_add(struct capture *cap)
{
	struct tcopy *t;

	cap->c = xrealloc(cap->c, (cap->nr + 1) * sizeof(*cap->c));
	t = &cap->c[cap->nr++];
	memset(t, 0, sizeof(*t));
	return t;
}

static void trace_html(FILE *f, const struct capture *cap);

/* ---- the capture as text ------------------------------------------------ */

static void put_block(FILE *f, const char *name, const char *text)
{
	fprintf(f, "%s\n", name);
	for (const char *s = text, *e; s && *s; s = e + 1) {
		e = strchr(s, '\n');
		fprintf(f, "  %.*s\n", (int)(e ? e - s : (long)strlen(s)), s);
		if (!e)
			break;
	}
}

static void capture_write(FILE *f, const struct capture *cap)
{
	fprintf(f, "%s\nscenario %s\n", CAPTURE_MAGIC, cap->scenario);
	for (int i = 0; i < cap->nr; i++) {
		const struct tcopy *t = &cap->c[i];

		fprintf(f, "copy %d %s %s %s\nresult %s\n", t->line, t->task,
			t->newtask, t->command, t->result);
		put_block(f, "before", t->before.s);
		put_block(f, "after", t->after.s);
		put_block(f, "events", t->events.s);
		fprintf(f, "end\n");
	}
}

static int is_capture(const char *text)
{
	return !strncmp(text, CAPTURE_MAGIC "\n", strlen(CAPTURE_MAGIC) + 1);
}

/* Parse a capture; 0, or -1 after a "FILE:LINE: what" on stderr. */
static int capture_parse(const char *path, const char *text,
			 struct capture *cap)
{
	struct sbuf *blk = NULL;
	struct tcopy *t = NULL;
	int line = 0, ret = 0;

	memset(cap, 0, sizeof(*cap));
	for (const char *s = text, *e; *s && !ret; s = e + 1) {
		char *l;
		int n = 0;

		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		l = xasprintf("%.*s", (int)(e - s), s);
		line++;
		if (line == 1) {
			/* is_capture() checked it */
		} else if (!strncmp(l, "  ", 2) && blk) {
			sb_add(blk, l + 2);
			sb_add(blk, "\n");
		} else if (!strncmp(l, "scenario ", 9) && !cap->scenario) {
			cap->scenario = xstrdup(l + 9);
		} else if (!strncmp(l, "copy ", 5) && !t) {
			char task[256], newtask[256];

			t = capture_add(cap);
			blk = NULL;
			if (sscanf(l + 5, "%d %255s %255s %n", &t->line, task,
				   newtask, &n) < 3 || !n) {
				ret = -1;
			} else {
				t->task = xstrdup(task);
				t->newtask = xstrdup(newtask);
				t->command = xstrdup(l + 5 + n);
			}
		} else if (t && !strncmp(l, "result ", 7) && !t->result) {
			t->result = xstrdup(l + 7);
		} else if (t && !strcmp(l, "before")) {
			blk = &t->before;
		} else if (t && !strcmp(l, "after")) {
			blk = &t->after;
		} else if (t && !strcmp(l, "events")) {
			blk = &t->events;
		} else if (t && !strcmp(l, "end") && t->result) {
			t = NULL;
			blk = NULL;
		} else if (l[0]) {
			ret = -1;
		}
		if (ret)
			warnx_nsm("%s:%d: not a line of a trace capture: '%s'",
				  path, line, l);
		free(l);
		if (!*e)
			break;
	}
	if (!ret && (t || !cap->scenario)) {
		warnx_nsm("%s:%d: the capture ends early", path, line);
		ret = -1;
	}
	if (ret)
		capture_free(cap);
	return ret;
}

/* ---- running with the tracepoints on ---------------------------------- */

struct tracefs {
	char dir[512];
	char *old_enable;	/* events/nsmodel/enable before we set it */
	char *old_on;		/* tracing_on before */
};

static int tfs_write(const struct tracefs *t, const char *file,
		     const char *val, int flags)
{
	char *p = xasprintf("%s/%s", t->dir, file);
	int fd = open(p, O_WRONLY | O_CLOEXEC | flags), e = 0;

	free(p);
	if (fd < 0)
		return errno;
	if (val && write(fd, val, strlen(val)) < 0)
		e = errno;
	close(fd);
	return e;
}

static int tfs_read(const struct tracefs *t, const char *file, char **out)
{
	char *p = xasprintf("%s/%s", t->dir, file);
	int r = sb_read_file(p, out);

	free(p);
	return r;
}

/* Find tracefs and turn the nsmodel events on; 0 or the exit code. */
static int tfs_open(struct tracefs *t, const char *dir)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	struct stat st;
	char *p;
	int r;

	memset(t, 0, sizeof(*t));
	for (int i = 0; !dir && i < 2; i++) {
		p = xasprintf("%s/trace", dirs[i]);
		if (!stat(p, &st))
			dir = dirs[i];
		free(p);
	}
	if (!dir) {
		warnx_nsm("no tracefs at /sys/kernel/tracing (mount -t tracefs "
			  "nodev /sys/kernel/tracing)");
		return NSMCTL_EXIT_ENV;
	}
	snprintf(t->dir, sizeof(t->dir), "%s", dir);
	r = tfs_read(t, "events/nsmodel/enable", &t->old_enable);
	if (r) {
		warnx_nsm("%s/events/nsmodel/enable: %s (is the module loaded?)",
			  t->dir, strerror(r));
		return NSMCTL_EXIT_ENV;
	}
	r = tfs_read(t, "tracing_on", &t->old_on);
	if (!r)
		r = tfs_write(t, "events/nsmodel/enable", "1", 0);
	if (!r)
		r = tfs_write(t, "tracing_on", "1", 0);
	if (r) {
		warnx_nsm("%s: cannot turn the nsmodel events on: %s", t->dir,
			  strerror(r));
		return NSMCTL_EXIT_ENV;
	}
	return 0;
}

/* Put back what tfs_open() changed. */
static void tfs_close(struct tracefs *t)
{
	/* "X" (some events on) cannot be written back: leave them on */
	if (t->old_enable && t->old_enable[0] == '0')
		tfs_write(t, "events/nsmodel/enable", "0", 0);
	if (t->old_on && t->old_on[0] == '0')
		tfs_write(t, "tracing_on", "0", 0);
	free(t->old_enable);
	free(t->old_on);
}

/*
 * The nsmodel events of the trace buffer, "nsm_NAME: fields" a line, of
 * the world of the first copy_mnt_ns start among them (other worlds may
 * be traced at the same time).
 */
static void take_events(const char *trace, struct sbuf *out)
{
	char world[32] = "";

	for (const char *s = trace, *e; s && *s; s = e + 1) {
		const char *ev, *w;
		size_t wl;

		e = strchr(s, '\n');
		if (!e)
			e = s + strlen(s);
		ev = strstr(s, ": nsm_");
		if (*s != '#' && ev && ev < e) {
			ev += 2;
			w = strstr(ev, "world=");
			if (w && w < e) {
				wl = strcspn(w, " \n");
				if (!world[0] && !strncmp(ev, "nsm_copy_mnt_ns_start:",
							  22) &&
				    wl < sizeof(world))
					snprintf(world, sizeof(world), "%.*s",
						 (int)wl, w);
				if (!world[0] || (strlen(world) == wl &&
						  !strncmp(w, world, wl))) {
					sb_printf(out, "%.*s\n", (int)(e - ev), ev);
				}
			}
		}
		if (!*e)
			break;
	}
}

/* Run SC on the model, capturing each copy; 0, 1 (a command failed) or 3. */
static int trace_run(const struct scenario *sc, const char *tdir,
		     struct capture *cap)
{
	const struct backend_ops *ops = &model_backend;
	struct backend *b = NULL;
	struct tracefs t;
	char err[512] = "", rbuf[32];
	int ret = 0, r;

	memset(cap, 0, sizeof(*cap));
	cap->scenario = xstrdup(sc->path);
	engine_begin();
	if (ops->open(&b, err, sizeof(err))) {
		warnx_nsm("%s", err);
		return NSMCTL_EXIT_ENV;
	}
	r = tfs_open(&t, tdir);
	if (r) {
		tfs_close(&t);
		ops->close(b);
		return r;
	}
	for (int i = 0; i < sc->nr; i++) {
		const struct cmd *c = &sc->cmds[i];
		int copies = (c->op == OP_CLONE || c->op == OP_UNSHARE) &&
			     (c->flags & CLONE_NEWNS);
		struct cmd_result res;
		struct tcopy *tc = NULL;
		char *text = NULL;

		if (copies) {
			tc = capture_add(cap);
			tc->line = c->line;
			tc->command = xstrdup(c->text);
			tc->task = xstrdup(c->task);
			tc->newtask = xstrdup(c->op == OP_CLONE ? c->task2 :
					      c->task);
			if (!ops->mountinfo(b, c->task, &text))
				sb_add(&tc->before, text);
			free(text);
			text = NULL;
			r = tfs_write(&t, "trace", NULL, O_TRUNC);
			if (r) {
				warnx_nsm("%s/trace: %s", t.dir, strerror(r));
				ret = NSMCTL_EXIT_ENV;
				break;
			}
		}
		engine_cmd(ops, b, c, &res);
		if (c->op == OP_SHOW || c->op == OP_EXPECT ?
		    res.res || res.msg : res.res != c->want) {
			warnx_nsm("%s:%d: %s: %s", sc->path, c->line, c->text,
				  res.msg ? res.msg :
				  result_name(res.res, rbuf, sizeof(rbuf)));
			ret = NSMCTL_EXIT_FAIL;
		}
		if (tc) {
			tc->result = xstrdup(res.res ? result_name(res.res, rbuf,
						sizeof(rbuf)) : "ok");
			if (!tfs_read(&t, "trace", &text))
				take_events(text, &tc->events);
			free(text);
			text = NULL;
			if (!res.res && !ops->mountinfo(b, tc->newtask, &text))
				sb_add(&tc->after, text);
			free(text);
		}
		free(res.out);
		free(res.msg);
	}
	tfs_close(&t);
	ops->close(b);
	return ret;
}

/* ---- the command -------------------------------------------------------- */

int cmd_trace(int argc, char **argv)
{
	enum { OPT_HTML = 0x100, OPT_TRACEFS };
	static const struct option opts[] = {
		{ "html", required_argument, NULL, OPT_HTML },
		{ "output", required_argument, NULL, 'o' },
		{ "tracefs", required_argument, NULL, OPT_TRACEFS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *html = NULL, *out = NULL, *tdir = NULL, *name;
	struct capture cap;
	char *text, *errtext = NULL;
	size_t errlen = 0;
	int c, r, ret = 0;
	FILE *ef;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_HTML:
			html = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case OPT_TRACEFS:
			tdir = optarg;
			break;
		case 'h':
			usage_trace(stdout);
			return 0;
		default:
			return errtryhelp_nsm("trace");
		}
	}
	if (argc - optind != 1) {
		if (optind < argc)
			warnx_nsm("trace: unexpected argument '%s'",
				  argv[optind + 1]);
		else
			warnx_nsm("trace: no scenario file");
		return errtryhelp_nsm("trace");
	}
	if (!html && !out)
		out = "-";
	name = strcmp(argv[optind], "-") ? argv[optind] : "<stdin>";
	ef = open_memstream(&errtext, &errlen);
	r = text_read(argv[optind], &text, ef);
	fclose(ef);
	warn_lines(errtext);
	free(errtext);
	if (r)
		return NSMCTL_EXIT_FILE;
	if (is_capture(text)) {
		if (capture_parse(name, text, &cap)) {
			free(text);
			return NSMCTL_EXIT_FAIL;
		}
	} else {
		struct scenario sc;

		ef = open_memstream(&errtext, &errlen);
		r = scenario_parse(name, text, &sc, ef);
		fclose(ef);
		warn_lines(errtext);
		free(errtext);
		if (r) {
			free(text);
			return NSMCTL_EXIT_FAIL;
		}
		ret = trace_run(&sc, tdir, &cap);
		scenario_free(&sc);
		if (ret == NSMCTL_EXIT_ENV) {
			capture_free(&cap);
			free(text);
			return ret;
		}
	}
	free(text);
	if (out) {
		FILE *f = strcmp(out, "-") ? fopen(out, "w") : stdout;

		if (f)
			capture_write(f, &cap);
		if (!f || (f == stdout ? fflush(f) : fclose(f))) {
			warnx_nsm("%s: %s", out, strerror(errno));
			ret = NSMCTL_EXIT_FILE;
		}
	}
	if (html) {
		FILE *f = strcmp(html, "-") ? fopen(html, "w") : stdout;

		if (f)
			trace_html(f, &cap);
		if (!f || (f == stdout ? fflush(f) : fclose(f))) {
			warnx_nsm("%s: %s", html, strerror(errno));
			ret = NSMCTL_EXIT_FILE;
		}
	}
	capture_free(&cap);
	return ret;
}

/* ---- the page ------------------------------------------------------------ */

/* trace-page.h: tools/trace-page.html as one C string (see the Makefile) */
static const char page[] =
#include "trace-page.h"
;

/* A JSON string that is also safe inside a <script> element. */
static void json_html_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&')
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/*
 * The page is the template with the capture, as JSON, in place of its
 * one "@CAPTURE@": the script of the page reads it from there.
 */
static void trace_html(FILE *f, const struct capture *cap)
{
	const char *at = strstr(page, "@CAPTURE@");

	fwrite(page, 1, at - page, f);
	fputs("{\"scenario\": ", f);
	json_html_str(f, cap->scenario);
	fputs(", \"copies\": [", f);
	for (int i = 0; i < cap->nr; i++) {
		const struct tcopy *t = &cap->c[i];

		fprintf(f, "%s\n{\"line\": %d, \"command\": ", i ? "," : "",
			t->line);
		json_html_str(f, t->command);
		fputs(", \"task\": ", f);
		json_html_str(f, t->task);
		fputs(", \"newtask\": ", f);
		json_html_str(f, t->newtask);
		fputs(", \"result\": ", f);
		json_html_str(f, t->result);
		fputs(", \"before\": ", f);
		json_html_str(f, t->before.s);
		fputs(", \"after\": ", f);
		json_html_str(f, t->after.s);
		fputs(", \"events\": ", f);
		json_html_str(f, t->events.s);
		fputs("}", f);
	}
	fputs("]}", f);
	fputs(at + strlen("@CAPTURE@"), f);
}
