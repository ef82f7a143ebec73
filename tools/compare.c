// SPDX-License-Identifier: GPL-2.0
/*
 * compare.c: "nsmctl compare", the same scenarios on the model under
 * several kernel profiles (NSM_IOC_PROFILE), and where they part: per
 * line, what each version answered (the errno, a show's output, an
 * expectation's verdict, or that the line is not for that version).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "nsmctl.h"

#define MAX_PROFILES 8

struct prun {
	const struct profile *p;
	struct scenario sc;
	struct run_result rr;
	int loaded, envfail;
	char *err;		/* why the file could not be read or run */
};

/* What profile @r said at line @line: NULL when the line was not run. */
static const struct cmd_result *at_line(const struct prun *r, int line,
					const struct cmd **c)
{
	for (int i = 0; r->loaded && i < r->rr.nr_run; i++)
		if (r->sc.cmds[i].line == line) {
			*c = &r->sc.cmds[i];
			return &r->rr.r[i];
		}
	*c = NULL;
	return NULL;
}

static int same_result(const struct cmd_result *a, const struct cmd_result *b)
{
	if (!a || !b)
		return a == b;
	if (a->res != b->res)
		return 0;
	if (!a->out != !b->out || (a->out && strcmp(a->out, b->out)))
		return 0;
	return !a->msg == !b->msg && (!a->msg || !strcmp(a->msg, b->msg));
}

/* Did profile @r pass the file, as "run" would judge it? */
static int passed(const struct prun *r)
{
	if (!r->loaded || r->envfail || r->rr.abort_msg)
		return 0;
	for (int i = 0; i < r->rr.nr_run; i++) {
		const struct cmd *c = &r->sc.cmds[i];
		const struct cmd_result *x = &r->rr.r[i];

		if (c->op == OP_EXPECT || c->op == OP_SHOW) {
			if (x->res || x->msg)
				return 0;
		} else if (x->res != c->want) {
			return 0;
		}
	}
	return r->rr.nr_run == r->sc.nr;
}

static void describe(FILE *f, const struct cmd *c, const struct cmd_result *x)
{
	char buf[32];

	if (!x)
		fputs("not for this version", f);
	else if (c->op == OP_EXPECT)
		fprintf(f, "%s%s", x->msg ? "fails: " : x->res ? "" : "holds",
			x->msg ? x->msg : x->res ? result_name(x->res, buf,
							      sizeof(buf)) : "");
	else if (c->op == OP_SHOW)
		fputs(x->res ? result_name(x->res, buf, sizeof(buf)) : "output",
		      f);
	else
		fputs(result_name(x->res, buf, sizeof(buf)), f);
}

/* Every line number any profile's version of the file has, in order. */
static int *all_lines(const struct prun *runs, int nr, int *nlines)
{
	int *lines = NULL, n = 0;

	for (int p = 0; p < nr; p++)
		for (int i = 0; runs[p].loaded && i < runs[p].sc.nr; i++) {
			int l = runs[p].sc.cmds[i].line, j;

			for (j = 0; j < n && lines[j] != l; j++)
				;
			if (j < n)
				continue;
			lines = xrealloc(lines, (n + 1) * sizeof(*lines));
			for (j = n; j > 0 && lines[j - 1] > l; j--)
				lines[j] = lines[j - 1];
			lines[j] = l;
			n++;
		}
	*nlines = n;
	return lines;
}

/* ---- --markdown: the docs page, with the cause of each difference ---- */

struct cause {
	char *file;		/* a scenario's base name */
	char *text;
	int used;
};

static struct cause *causes;
static int nr_causes;

/* "FILE: TEXT" lines ("#" comments, blank lines ignored); -1 on error */
static int load_causes(const char *path)
{
	char *text, *s, *save = NULL;

	if (sb_read_file(path, &text)) {
		warnx_nsm("compare: %s: %s", path, strerror(errno));
		return -1;
	}
	for (s = strtok_r(text, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		char *colon = strstr(s, ": ");

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		if (!colon) {
			warnx_nsm("compare: %s: no 'FILE: cause' in '%s'",
				path, s);
			free(text);
			return -1;
		}
		*colon = 0;
		causes = xrealloc(causes, (nr_causes + 1) * sizeof(*causes));
		causes[nr_causes].file = xstrdup(s);
		causes[nr_causes].text = xstrdup(colon + 2);
		causes[nr_causes++].used = 0;
	}
	free(text);
	return 0;
}

/* a table cell: no "|" or newline may break the row */
static void md_cell(const char *s)
{
	for (; *s; s++)
		if (*s == '|')
			fputs("\\|", stdout);
		else if (*s == '\n')
			putchar(' ');
		else
			putchar(*s);
}

/* Returns how many lines differ; *uncaused when the file has no cause. */
/*
 * Each profile's result at @line (in @x, its command in @c); the command
 * when the profiles differ there, NULL when they agree or none ran it.
 */
static const struct cmd *line_results(const struct prun *runs, int nr,
				      int line, const struct cmd_result **x,
				      const struct cmd **c)
{
	const struct cmd *any = NULL;
	int differ = 0;

	for (int p = 0; p < nr; p++) {
		x[p] = at_line(&runs[p], line, &c[p]);
		if (c[p])
			any = c[p];
		if (p && !same_result(x[0], x[p]))
			differ = 1;
	}
	return differ ? any : NULL;
}

static int markdown_file(const char *file, struct prun *runs, int nr,
			 int *uncaused)
{
	int nlines, *lines = all_lines(runs, nr, &nlines), ndiff = 0;
	const char *base = strrchr(file, '/');
	struct sbuf diffs = { 0 };

	base = base ? base + 1 : file;
	for (int l = 0; l < nlines; l++) {
		const struct cmd_result *x[MAX_PROFILES];
		const struct cmd *c[MAX_PROFILES], *any;
		int group[MAX_PROFILES], ngroups = 0;

		any = line_results(runs, nr, lines[l], x, c);
		if (!any)
			continue;
		if (!ndiff) {
			printf("\n## %s\n\n", base);
			for (int i = 0; i < nr_causes; i++)
				if (!strcmp(causes[i].file, base)) {
					printf("%s\n\n", causes[i].text);
					causes[i].used = 1;
					*uncaused = 0;
				}
			printf("| line | command |");
			for (int p = 0; p < nr; p++)
				printf(" %s |", runs[p].p->name);
			printf("\n|---|---|");
			for (int p = 0; p < nr; p++)
				printf("---|");
			putchar('\n');
		}
		printf("| %d | `", lines[l]);
		md_cell(any->text);
		printf("` |");
		/* show outputs: the same letter for the same output */
		for (int p = 0; p < nr; p++) {
			group[p] = -1;
			if (x[p] && x[p]->out && !x[p]->res) {
				int q;

				for (q = 0; q < p; q++)
					if (group[q] >= 0 &&
					    !strcmp(x[q]->out, x[p]->out))
						break;
				group[p] = q < p ? group[q] : ngroups++;
			}
		}
		for (int p = 0; p < nr; p++) {
			char *d = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&d, &len);

			if (group[p] >= 0)
				fprintf(f, "output %c", 'A' + group[p]);
			else
				describe(f, any, x[p]);
			fclose(f);
			putchar(' ');
			md_cell(d);
			printf(" |");
			free(d);
		}
		putchar('\n');
		for (int g = 1; g < ngroups; g++) {
			int a = -1, b = -1;
			char *d = NULL;
			size_t len = 0;
			FILE *f;

			for (int p = 0; p < nr; p++) {
				if (group[p] == 0 && a < 0)
					a = p;
				if (group[p] == g && b < 0)
					b = p;
			}
			f = open_memstream(&d, &len);
			unified_diff(f, x[a]->out, x[b]->out, runs[a].p->name,
				     runs[b].p->name);
			fclose(f);
			sb_printf(&diffs, "\nLine %d, output A (%s) against %c (%s):\n\n"
				  "```diff\n%s```\n", lines[l], runs[a].p->name,
				  'A' + g, runs[b].p->name, d);
			free(d);
		}
		ndiff++;
	}
	if (diffs.s)
		fputs(diffs.s, stdout);
	free(diffs.s);
	free(lines);
	return ndiff;
}

/* Print one file's differences; returns how many lines differ. */
static int report_file(const char *file, struct prun *runs, int nr, int json,
		       int first)
{
	int nlines, *lines = all_lines(runs, nr, &nlines), ndiff = 0;

	if (json) {
		printf("%s\n  {\"file\": ", first ? "" : ",");
		json_str(stdout, file);
		printf(", \"status\": {");
		for (int p = 0; p < nr; p++) {
			printf("%s", p ? ", " : "");
			json_str(stdout, runs[p].p->name);
			printf(": ");
			json_str(stdout, runs[p].err ? runs[p].err :
			     passed(&runs[p]) ? "ok" : "FAIL");
		}
		printf("}, \"differences\": [");
	}
	for (int l = 0; l < nlines; l++) {
		const struct cmd_result *x[MAX_PROFILES];
		const struct cmd *c[MAX_PROFILES], *any;

		any = line_results(runs, nr, lines[l], x, c);
		if (!any)
			continue;
		if (json) {
			printf("%s\n    {\"line\": %d, \"command\": ",
			       ndiff ? "," : "", lines[l]);
			json_str(stdout, any->text);
			printf(", \"profiles\": {");
			for (int p = 0; p < nr; p++) {
				char *d = NULL;
				size_t len = 0;
				FILE *f = open_memstream(&d, &len);

				describe(f, any, x[p]);
				fclose(f);
				printf("%s", p ? ", " : "");
				json_str(stdout, runs[p].p->name);
				printf(": {\"result\": ");
				json_str(stdout, d);
				free(d);
				if (x[p] && x[p]->out) {
					printf(", \"out\": ");
					json_str(stdout, x[p]->out);
				}
				printf("}");
			}
			printf("}}");
		} else {
			if (!ndiff)
				printf("%s\n", file);
			printf("  line %d: %s\n", lines[l], any->text);
			for (int p = 0; p < nr; p++) {
				printf("    %-7s ", runs[p].p->name);
				describe(stdout, any, x[p]);
				putchar('\n');
			}
			/* a show: each other output against the first one */
			for (int p = 1; p < nr; p++) {
				int q;

				if (!x[p] || !x[p]->out)
					continue;
				for (q = 0; q < p; q++)
					if (x[q] && x[q]->out &&
					    !strcmp(x[q]->out, x[p]->out))
						break;
				if (q < p)
					continue;
				for (q = 0; q < p && !(x[q] && x[q]->out); q++)
					;
				if (q == p)
					continue;
				unified_diff(stdout, x[q]->out, x[p]->out,
					     runs[q].p->name, runs[p].p->name);
			}
		}
		ndiff++;
	}
	for (int p = 0; p < nr; p++)
		if (runs[p].err && !json)
			printf("%s: %s: %s\n", file, runs[p].p->name, runs[p].err);
	if (json)
		printf("%s]}", ndiff ? "\n  " : "");
	free(lines);
	return ndiff;
}

static void usage_compare(FILE *f)
{
	fprintf(f,
"Usage:\n"
" nsmctl compare [options] FILE...\n"
"\n"
"Run each scenario file on the model once per kernel profile and print,\n"
"line by line, where the versions answer differently: the errno of a\n"
"system call, the output of a show, the verdict of an expect, or a line\n"
"written for some versions only (CMD@RANGE).  Each profile reads the\n"
"file's expectations for its own version.\n"
"\n"
"Options:\n"
" -P, --profiles P,P...  the profiles (default: 6.1,6.12,6.18)\n"
" -j, --json             machine-readable report\n"
" -m, --markdown FILE    a Markdown page instead, each differing scenario\n"
"                        with its cause from FILE ('NAME.nsm: text' lines);\n"
"                        exit status 1 when a difference has no cause or a\n"
"                        cause no difference\n"
" -h, --help             display this help\n"
"\n"
"Exit status: 0 the runs were made (whether they differ or not), 2 usage,\n"
"3 environment (no device).\n");
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profiles", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "markdown", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *md = NULL;
	int bad_causes = 0;
	const struct profile *plist[MAX_PROFILES];
	const char *spec = "6.1,6.12,6.18";
	int nr = 0, json = 0, c, files_differ = 0, lines_differ = 0;
	int env = 0, ran = 0;
	char *s, *tok, *save = NULL;

	while ((c = getopt_long(argc, argv, "P:jm:h", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			spec = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'm':
			md = optarg;
			break;
		case 'h':
			usage_compare(stdout);
			return 0;
		default:
			return errtryhelp_nsm("compare");
		}
	}
	s = xstrdup(spec);
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct profile *p = profile_by_name(tok);

		if (!p || nr == MAX_PROFILES) {
			warnx_nsm("compare: %s profile '%s'",
				p ? "too many profiles at" : "unknown", tok);
			free(s);
			return errtryhelp_nsm("compare");
		}
		plist[nr++] = p;
	}
	free(s);
	if (nr < 2 || optind >= argc) {
		warnx_nsm("compare: %s", nr < 2 ?
			"give at least two profiles" : "no scenario files");
		return errtryhelp_nsm("compare");
	}
	if (md && (json || load_causes(md)))
		return NSMCTL_EXIT_USAGE;
	if (md) {
		printf("# copy_mnt_ns through the versions\n\n"
		       "<!-- generated by nsmctl compare --markdown (make "
		       "versions-page): do not edit -->\n\n"
		       "What the model answers for each scenario of the corpus "
		       "under the kernel profiles");
		for (int p = 0; p < nr; p++)
			printf("%s %s", p ? (p == nr - 1 ? " and" : ",") : "",
			       plist[p]->name);
		printf(" ([profiles.md](profiles.md)), and the kernel change "
		       "behind each difference.  Only the lines that differ are "
		       "shown; \"not for this version\" marks a line written for "
		       "other versions (`CMD@RANGE`).  Every profile passes each "
		       "file; the 6.1 and 6.12 profiles are checked against those "
		       "kernels, 6.18 against the build host's kernel "
		       "([testing.md](testing.md)).\n");
	}
	if (json) {
		printf("{\"profiles\": [");
		for (int p = 0; p < nr; p++) {
			printf("%s", p ? ", " : "");
			json_str(stdout, plist[p]->name);
		}
		printf("], \"files\": [");
	}
	for (int i = optind; i < argc; i++) {
		struct prun runs[MAX_PROFILES];
		int n;

		memset(runs, 0, sizeof(runs));
		for (int p = 0; p < nr; p++) {
			char *errtext = NULL;
			size_t errlen = 0;
			FILE *ef = open_memstream(&errtext, &errlen);

			runs[p].p = plist[p];
			model_profile = plist[p];
			scenario_set_version(profile_version(plist[p]));
			if (scenario_load(argv[i], &runs[p].sc, ef)) {
				fclose(ef);
				if (errlen && errtext[errlen - 1] == '\n')
					errtext[errlen - 1] = 0;
				runs[p].err = errtext;
				continue;
			}
			fclose(ef);
			free(errtext);
			runs[p].loaded = 1;
			runs[p].envfail = engine_run(model_ops(), &runs[p].sc,
						     &runs[p].rr);
			if (runs[p].envfail) {
				env = 1;
				runs[p].err = xstrdup(runs[p].rr.abort_msg ?
						      runs[p].rr.abort_msg :
						      "cannot run the model");
			} else {
				ran = 1;
			}
		}
		if (md) {
			int uncaused = 1;

			n = markdown_file(argv[i], runs, nr, &uncaused);
			if (n && uncaused) {
				warnx_nsm("compare: %s differs between "
					"the profiles, but %s gives no cause\n",
					argv[i], md);
				bad_causes = 1;
			}
			for (int p = 0; p < nr; p++)
				if (runs[p].err || !passed(&runs[p])) {
					warnx_nsm("compare: %s fails "
						"under profile %s\n", argv[i],
						runs[p].p->name);
					bad_causes = 1;
				}
		} else {
			n = report_file(argv[i], runs, nr, json, i == optind);
		}
		if (n) {
			files_differ++;
			lines_differ += n;
		}
		for (int p = 0; p < nr; p++) {
			if (runs[p].loaded) {
				run_result_free(&runs[p].rr, runs[p].sc.nr);
				scenario_free(&runs[p].sc);
			}
			free(runs[p].err);
		}
		fflush(stdout);
	}
	if (md) {
		printf("\n---\n\n%d scenario files, %d differ between the "
		       "profiles (%d lines).\n", argc - optind, files_differ,
		       lines_differ);
		for (int i = 0; i < nr_causes; i++) {
			if (!causes[i].used) {
				warnx_nsm("compare: %s: a cause, but "
					"no difference\n", causes[i].file);
				bad_causes = 1;
			}
			free(causes[i].file);
			free(causes[i].text);
		}
		free(causes);
		causes = NULL;
		nr_causes = 0;
	} else if (json)
		printf("\n], \"files_differ\": %d, \"lines_differ\": %d}\n",
		       files_differ, lines_differ);
	else
		printf("%d files, %d differ between the profiles (%d lines)\n",
		       argc - optind, files_differ, lines_differ);
	scenario_set_version(0);
	model_profile = &profiles[0];
	if (env && !ran)
		return NSMCTL_EXIT_ENV;
	return bad_causes ? NSMCTL_EXIT_FAIL : NSMCTL_EXIT_OK;
}
