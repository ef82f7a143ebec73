// SPDX-License-Identifier: GPL-2.0
/*
 * A small unified diff (longest common subsequence over lines) for the
 * outputs of "show", which are a few dozen lines at most.  The hunks keep
 * up to three lines of context, as diff -u does.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "nsmctl.h"

static char **split(const char *s, int *nr)
{
	char **v = NULL;
	int n = 0;

	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		v = xrealloc(v, (n + 1) * sizeof(char *));
		v[n] = xmalloc(len + 1);
		memcpy(v[n], s, len);
		v[n][len] = 0;
		n++;
		s += len + (e ? 1 : 0);
	}
	*nr = n;
	return v;
}

void unified_diff(FILE *f, const char *a, const char *b, const char *la,
		  const char *lb)
{
	int na, nb, i, j, k = 0;
	char **A = split(a, &na), **B = split(b, &nb);
	int *L = xcalloc((size_t)(na + 1) * (nb + 1), sizeof(int));
	/* the edit script: ' ', '-' or '+' with the line */
	char *op = xmalloc(na + nb + 1);
	char **line = xmalloc((na + nb + 1) * sizeof(char *));
	int *ia = xmalloc((na + nb + 1) * sizeof(int));
	int *ib = xmalloc((na + nb + 1) * sizeof(int));

#define LCS(x, y) L[(x) * (nb + 1) + (y)]
	for (i = na - 1; i >= 0; i--)
		for (j = nb - 1; j >= 0; j--)
			LCS(i, j) = !strcmp(A[i], B[j]) ? LCS(i + 1, j + 1) + 1 :
				    LCS(i + 1, j) > LCS(i, j + 1) ? LCS(i + 1, j) :
				    LCS(i, j + 1);
	for (i = 0, j = 0; i < na || j < nb; ) {
		ia[k] = i;
		ib[k] = j;
		if (i < na && j < nb && !strcmp(A[i], B[j])) {
			op[k] = ' ';
			line[k++] = A[i++];
			j++;
		} else if (i < na && (j == nb || LCS(i + 1, j) >= LCS(i, j + 1))) {
			op[k] = '-';
			line[k++] = A[i++];
		} else {
			op[k] = '+';
			line[k++] = B[j++];
		}
	}
#undef LCS
	fprintf(f, "--- %s\n+++ %s\n", la, lb);
	for (int s = 0; s < k; ) {
		int start, end, ca = 0, cb = 0;

		while (s < k && op[s] == ' ')
			s++;
		if (s == k)
			break;
		start = s > 3 ? s - 3 : 0;
		/* extend over changes closer than 7 context lines */
		end = s;
		for (int t = s, gap = 0; t < k; t++) {
			if (op[t] == ' ') {
				if (++gap > 6)
					break;
			} else {
				gap = 0;
				end = t;
			}
		}
		end = end + 3 < k - 1 ? end + 3 : k - 1;
		for (int t = start; t <= end; t++) {
			ca += op[t] != '+';
			cb += op[t] != '-';
		}
		fprintf(f, "@@ -%d,%d +%d,%d @@\n", ia[start] + (ca ? 1 : 0), ca,
			ib[start] + (cb ? 1 : 0), cb);
		for (int t = start; t <= end; t++)
			fprintf(f, "%c%s\n", op[t], line[t]);
		s = end + 1;
	}
	for (i = 0; i < na; i++)
		free(A[i]);
	for (j = 0; j < nb; j++)
		free(B[j]);
	free(A);
	free(B);
	free(L);
	free(op);
	free(line);
	free(ia);
	free(ib);
}
