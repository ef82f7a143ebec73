/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel selftests: parse a model task's mountinfo into entries, so that
 * tests can ask "what is mounted at /a, with which parent and tags".
 */
#ifndef _MOUNTINFO_PARSE_H
#define _MOUNTINFO_PARSE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsm_helpers.h"

#define MI_MAX		512
#define MI_STR		256

struct mi_entry {
	int id, parent;
	unsigned int major, minor;
	char root[MI_STR], mp[MI_STR], opts[MI_STR], tags[MI_STR];
	char fstype[64], source[MI_STR], super[MI_STR];
	int shared, master, propagate_from, unbindable;
};

struct mi_table {
	int nr;
	struct mi_entry e[MI_MAX];
	char *text;
};

static inline int mi_tag(const char *tags, const char *name)
{
	const char *p = strstr(tags, name);

	return p ? atoi(p + strlen(name)) : 0;
}

/* Parse one mountinfo line; returns 0 or -1. */
static inline int mi_parse_line(const char *line, struct mi_entry *e)
{
	const char *dash = strstr(line, " - ");
	char head[1024];
	int n = 0;
	size_t hl;

	memset(e, 0, sizeof(*e));
	if (!dash)
		return -1;
	hl = (size_t)(dash - line);
	if (hl >= sizeof(head))
		return -1;
	memcpy(head, line, hl);
	head[hl] = '\0';
	if (sscanf(head, "%d %d %u:%u %255s %255s %255s%n", &e->id, &e->parent,
		   &e->major, &e->minor, e->root, e->mp, e->opts, &n) != 7)
		return -1;
	snprintf(e->tags, sizeof(e->tags), "%s", head[n] ? head + n + 1 : "");
	if (sscanf(dash + 3, "%63s %255s %255s", e->fstype, e->source,
		   e->super) != 3)
		return -1;
	e->shared = mi_tag(e->tags, "shared:");
	e->master = mi_tag(e->tags, "master:");
	e->propagate_from = mi_tag(e->tags, "propagate_from:");
	e->unbindable = strstr(e->tags, "unbindable") != NULL;
	return 0;
}

/* Read and parse @task's mountinfo.  Returns 0, or -errno. */
static inline int mi_read(int fd, __u32 task, struct mi_table *t)
{
	char *s, *line, *save = NULL;

	free(t->text);
	t->text = NULL;
	t->nr = 0;
	s = nsm_mountinfo(fd, task);
	if (!s)
		return -errno;
	t->text = strdup(s);
	for (line = strtok_r(s, "\n", &save); line && t->nr < MI_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		if (mi_parse_line(line, &t->e[t->nr])) {
			free(s);
			return -EPROTO;
		}
		t->nr++;
	}
	free(s);
	return 0;
}

static inline struct mi_table *mi_new(void)
{
	return calloc(1, sizeof(struct mi_table));
}

static inline void mi_free(struct mi_table *t)
{
	if (t) {
		free(t->text);
		free(t);
	}
}

/* The topmost (last listed with that mount point is not guaranteed:
 * callers that care use the id) entry mounted at @mp, or NULL. */
static inline struct mi_entry *mi_find(struct mi_table *t, const char *mp)
{
	struct mi_entry *found = NULL;
	int i;

	for (i = 0; i < t->nr; i++)
		if (!strcmp(t->e[i].mp, mp))
			found = &t->e[i];
	return found;
}

/* As mi_find(), but an empty entry with id -1 when absent: for fields. */
static inline struct mi_entry *mi_get(struct mi_table *t, const char *mp)
{
	static struct mi_entry absent = { .id = -1, .parent = -1,
					  .tags = "(absent)",
					  .root = "(absent)" };
	struct mi_entry *e = mi_find(t, mp);

	return e ? e : &absent;
}

static inline int mi_count(struct mi_table *t, const char *mp)
{
	int i, n = 0;

	for (i = 0; i < t->nr; i++)
		n += !strcmp(t->e[i].mp, mp);
	return n;
}

static inline struct mi_entry *mi_by_id(struct mi_table *t, int id)
{
	int i;

	for (i = 0; i < t->nr; i++)
		if (t->e[i].id == id)
			return &t->e[i];
	return NULL;
}

/* The mount id @path of @task lands on (-errno on failure). */
static inline long mi_mnt_id(int fd, __u32 task, const char *path)
{
	struct nsm_path_args a;
	long ret = nsm_stat(fd, task, path, &a);

	return ret < 0 ? ret : (long)a.mnt_id;
}

/*
 * Does this kernel's tmpfs show ",inode64" (CONFIG_TMPFS_INODE64, as
 * Debian's kernels have it)?  Read off a real tmpfs mount of the system.
 */
static inline int mi_kernel_shows_inode64(void)
{
	static int cached = -1;
	char line[1024];
	FILE *f;

	if (cached >= 0)
		return cached;
	cached = 1;
	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return cached;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, " - tmpfs ")) {
			cached = strstr(line, "inode64") != NULL;
			break;
		}
	}
	fclose(f);
	return cached;
}

/*
 * @s as this kernel shows it: without ",inode64" where its tmpfs does not
 * show that option.  The result lives until a few calls later.
 */
static inline const char *mi_expect(const char *s)
{
	static char ring[8][8192];
	static int next;
	char *out = ring[next++ % 8];
	const char *p;
	size_t len = 0;

	if (mi_kernel_shows_inode64())
		return s;
	while (*s && len < sizeof(ring[0]) - 1) {
		p = strstr(s, ",inode64");
		if (p == s) {
			s += strlen(",inode64");
			continue;
		}
		out[len++] = *s++;
	}
	out[len] = '\0';
	return out;
}

#endif /* _MOUNTINFO_PARSE_H */
