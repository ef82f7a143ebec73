// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nsmctl's pure parts: the unified diff, the normal form of
 * mountinfo, lexical paths, the tree behind a descriptor.  Built and run by "make -C tools check".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/*
 * What a walk from a handle reaches, from the model's list of the tree
 * behind it (NSM_MOUNTINFO_HANDLE: the handle's mount first, at "/").
 */
static void test_fdtree(void)
{
	const char *list =
		/* the handle's mount, with a mount on its own root (21) */
		"10 10 0:40 / / rw,relatime - tmpfs s rw\n"
		"21 10 0:49 / / rw - tmpfs over rw\n"
		"22 21 0:49 / /q rw - tmpfs overq rw\n"
		/* a stack on /a: 11, 12 on it, 13 on 12 */
		"11 10 0:41 / /a rw,relatime - tmpfs a rw\n"
		"12 11 0:42 / /a rw,nosuid,relatime - tmpfs a2 rw\n"
		"13 12 0:43 / /a ro,relatime - tmpfs a3 ro\n"
		/* under the covered 11 and 12: out of reach */
		"14 11 0:44 / /a/b rw - tmpfs b rw\n"
		"15 12 0:45 / /a/c rw - tmpfs c rw\n"
		/* on the top of the stack: reached, its parent the stack's */
		"16 13 0:46 / /a/d rw,noexec - tmpfs d rw\n"
		/* under /e, a mount made before /e was mounted over */
		"17 10 0:47 / /e/f rw - tmpfs f rw\n"
		"18 10 0:48 / /e rw - tmpfs e ro\n"
		"19 10 0:40 / /e\\040x rw - tmpfs s rw\n";
	char *t = fdtree_from_mountinfo(list);

	check("fdtree-reach", t ? t : "(null)\n",
	      "10 10 0:40 / / rw,relatime - tmpfs none rw\n"
	      "13 10 0:43 / /a ro,relatime - tmpfs none rw\n"
	      "16 13 0:46 / /a/d rw,noexec - tmpfs none rw\n"
	      "18 10 0:48 / /e ro - tmpfs none rw\n"
	      "19 10 0:40 / /e\\040x rw - tmpfs none rw\n");
	free(t);
	t = fdtree_from_mountinfo("");
	check("fdtree-empty", t ? t : "(null)", "(null)");
	free(t);
}

/* A walk of a plain directory tree: one mount, whatever its entries. */
static void test_fdtree_walk(void)
{
	char dir[] = "/tmp/nsmctl-unit-XXXXXX", path[64], *text = NULL;
	int fd, r, lines = 0;

	if (!mkdtemp(dir)) {
		check("fdtree-walk", "mkdtemp failed\n", "");
		return;
	}
	snprintf(path, sizeof(path), "%s/d", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/d/f", dir);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	fd = open(dir, O_PATH | O_DIRECTORY);
	r = fdtree_walk(fd, &text);
	close(fd);
	for (const char *p = text; r == 0 && p && *p; p++)
		lines += *p == '\n';
	check("fdtree-walk-one-mount", r ? strerror(r) : lines == 1 ?
	      "1\n" : text, "1\n");
	/* its mount point is "/", its parent itself */
	if (!r) {
		int id, parent;

		sscanf(text, "%d %d", &id, &parent);
		check("fdtree-walk-root", strstr(text, " / / ") && id == parent ?
		      "ok\n" : text, "ok\n");
	}
	free(text);
	unlink(path);
	snprintf(path, sizeof(path), "%s/d", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	test_diff();
	test_normalize();
	test_paths();
	test_fdtree();
	test_fdtree_walk();
	printf("%d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
