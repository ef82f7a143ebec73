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

static void jstr(FILE *f, const char *s)
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

/* Print one file's differences; returns how many lines differ. */
static int report_file(const char *file, struct prun *runs, int nr, int json,
		       int first)
{
	int nlines, *lines = all_lines(runs, nr, &nlines), ndiff = 0;

	if (json) {
		printf("%s\n  {\"file\": ", first ? "" : ",");
		jstr(stdout, file);
		printf(", \"status\": {");
		for (int p = 0; p < nr; p++) {
			printf("%s", p ? ", " : "");
			jstr(stdout, runs[p].p->name);
			printf(": ");
			jstr(stdout, runs[p].err ? runs[p].err :
			     passed(&runs[p]) ? "ok" : "FAIL");
		}
		printf("}, \"differences\": [");
	}
	for (int l = 0; l < nlines; l++) {
		const struct cmd_result *x[MAX_PROFILES];
		const struct cmd *c[MAX_PROFILES], *any = NULL;
		int differ = 0;

		for (int p = 0; p < nr; p++) {
			x[p] = at_line(&runs[p], lines[l], &c[p]);
			if (c[p])
				any = c[p];
			if (p && !same_result(x[0], x[p]))
				differ = 1;
		}
		if (!differ || !any)
			continue;
		if (json) {
			printf("%s\n    {\"line\": %d, \"command\": ",
			       ndiff ? "," : "", lines[l]);
			jstr(stdout, any->text);
			printf(", \"profiles\": {");
			for (int p = 0; p < nr; p++) {
				char *d = NULL;
				size_t len = 0;
				FILE *f = open_memstream(&d, &len);

				describe(f, any, x[p]);
				fclose(f);
				printf("%s", p ? ", " : "");
				jstr(stdout, runs[p].p->name);
				printf(": {\"result\": ");
				jstr(stdout, d);
				free(d);
				if (x[p] && x[p]->out) {
					printf(", \"out\": ");
					jstr(stdout, x[p]->out);
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
" -h, --help             this text\n"
"\n"
"Exit status: 0 the runs were made (whether they differ or not), 2 usage,\n"
"3 environment (no device).\n");
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profiles", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct profile *plist[MAX_PROFILES];
	const char *spec = "6.1,6.12,6.18";
	int nr = 0, json = 0, c, files_differ = 0, lines_differ = 0;
	int env = 0, ran = 0;
	char *s, *tok, *save = NULL;

	while ((c = getopt_long(argc, argv, "P:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'P':
			spec = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			usage_compare(stdout);
			return 0;
		default:
			usage_compare(stderr);
			return NSMCTL_EXIT_USAGE;
		}
	}
	s = xstrdup(spec);
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct profile *p = profile_by_name(tok);

		if (!p || nr == MAX_PROFILES) {
			fprintf(stderr, "nsmctl compare: %s profile '%s'\n",
				p ? "too many profiles at" : "unknown", tok);
			free(s);
			return NSMCTL_EXIT_USAGE;
		}
		plist[nr++] = p;
	}
	free(s);
	if (nr < 2 || optind >= argc) {
		fprintf(stderr, "nsmctl compare: %s\n", nr < 2 ?
			"give at least two profiles" : "no scenario files");
		usage_compare(stderr);
		return NSMCTL_EXIT_USAGE;
	}
	if (json) {
		printf("{\"profiles\": [");
		for (int p = 0; p < nr; p++) {
			printf("%s", p ? ", " : "");
			jstr(stdout, plist[p]->name);
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
		n = report_file(argv[i], runs, nr, json, i == optind);
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
	if (json)
		printf("\n], \"files_differ\": %d, \"lines_differ\": %d}\n",
		       files_differ, lines_differ);
	else
		printf("%d files, %d differ between the profiles (%d lines)\n",
		       argc - optind, files_differ, lines_differ);
	scenario_set_version(0);
	model_profile = &profiles[0];
	return env && !ran ? NSMCTL_EXIT_ENV : NSMCTL_EXIT_OK;
}
