// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nsmctl's pure parts: the unified diff, the normal form of
 * mountinfo, lexical paths.  Built and run by "make -C tools check".
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../nsmctl.h"

static int pass, fail;

static void check(const char *name, const char *got, const char *want)
{
	if (!strcmp(got, want)) {
		pass++;
		printf("ok %s\n", name);
		return;
	}
	fail++;
	printf("FAIL %s\n--- want\n%s--- got\n%s---\n", name, want, got);
}

static void test_diff(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	unified_diff(f, "1 0 / /\n2 1 /a shared:1\n3 1 /b\n",
		     "1 0 / /\n2 1 /a\n3 1 /b\n", "kernel", "model");
	fclose(f);
	check("diff", out,
	      "--- kernel\n+++ model\n@@ -1,3 +1,3 @@\n 1 0 / /\n-2 1 /a shared:1\n"
	      "+2 1 /a\n 3 1 /b\n");
	free(out);
}

static void test_normalize(void)
{
	/* 6.12-like listing order (not the tree order), big ids */
	const char *raw =
		"613 600 0:50 / / rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"700 613 0:52 / /t rw,relatime master:301 - tmpfs s rw\n"
		"614 613 0:51 / /s rw,nosuid,relatime shared:301 - tmpfs s rw\n"
		"615 614 0:53 / /s/a ro,relatime shared:302 - tmpfs a ro\n"
		"701 700 0:53 / /t/a rw,relatime master:302 - tmpfs a rw\n"
		"702 613 0:54 / /p rw unbindable - tmpfs p rw\n";
	char *n = mountinfo_normalize(raw);

	check("normalize", n,
	      "1 0 0:1 / / rw,relatime - tmpfs tmpfs rw\n"
	      "2 1 0:2 / /p rw unbindable - tmpfs p rw\n"
	      "3 1 0:3 / /s rw,nosuid,relatime shared:1 - tmpfs s rw\n"
	      "4 3 0:4 / /s/a ro,relatime shared:2 - tmpfs a ro\n"
	      "5 1 0:5 / /t rw,relatime master:1 - tmpfs s rw\n"
	      "6 5 0:4 / /t/a rw,relatime master:2 - tmpfs a rw\n");
	free(n);
}

static void test_paths(void)
{
	char buf[256];

	path_normalize("/a/b", "../c/./d//", buf, sizeof(buf));
	check("path-relative", buf, "/a/c/d");
	path_normalize("/a", "/../../x", buf, sizeof(buf));
	check("path-dotdot-at-root", buf, "/x");
	path_normalize("/", ".", buf, sizeof(buf));
	check("path-root", buf, "/");
	path_unescape("/with\\040space", buf, sizeof(buf));
	check("unescape", buf, "/with space");
}

int main(void)
{
	test_diff();
	test_normalize();
	test_paths();
	printf("%d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
