// SPDX-License-Identifier: GPL-2.0
/*
 * "show TASK tree %FD": the tree of mounts behind a mount descriptor (an
 * open_tree or fsmount fd, detached or not), as a walk of its directories
 * finds it.
 *
 * Linux 6.1 and 6.12 have no file that lists a detached tree: mountinfo
 * lists a namespace, and an anonymous one has no task to read it from
 * (statmount() and listmount() of 6.8 only see the caller's namespace).
 * What user space can learn without changing the tree is what a walk from
 * the descriptor finds: readdir(3) of each directory, statx(2)'s
 * STATX_MNT_ID on each entry (a new id is a new mount, whose parent is the
 * mount of the directory holding it), its st_dev (the superblock) and
 * statfs(2)'s type and flags.  So the view has those columns only, the
 * same on both backends:
 *
 *  - the kernel backend walks the real descriptor (fdtree_walk());
 *  - the model lists the tree behind its handle (NSM_IOC_MOUNTINFO with
 *    NSM_MOUNTINFO_HANDLE, every mount below the handle's, covered ones
 *    too) and fdtree_from_mountinfo() keeps what a walk would reach.
 *
 * Both write the same pseudo-mountinfo text, one line per mount found:
 * "ID PARENT MAJ:MIN / POINT OPTIONS - FSTYPE none rw", POINT relative to
 * the descriptor ("/" for its own mount, whose PARENT is its own ID), and
 * OPTIONS as statfs(2)'s f_flags give them: rw or ro (the mount's or the
 * superblock's), then nosuid, nodev, noexec, noatime, nodiratime,
 * relatime, nosymfollow.  The tree view normalizes it as any mountinfo.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "nsmctl.h"

#ifndef STATX_MNT_ID
#define STATX_MNT_ID		0x00001000U
#endif
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW		0x2000
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC		0x01021994
#endif
#ifndef NSFS_MAGIC
#define NSFS_MAGIC		0x6e736673
#endif
#ifndef RAMFS_MAGIC
#define RAMFS_MAGIC		0x858458f6
#endif

/* How deep a walk goes: bind mounts can nest directories without end. */
#define FDTREE_MAX_DEPTH	256

/* mountinfo's escaping of a path: space, tab, newline, backslash */
static void put_escaped(struct sbuf *out, const char *s)
{
	for (; *s; s++)
		if (strchr(" \t\n\\", *s))
			sb_printf(out, "\\%03o", (unsigned char)*s);
		else
			sb_printf(out, "%c", *s);
}

/* One line of the pseudo-mountinfo text. */
static void put_line(struct sbuf *out, int id, int parent, unsigned int maj,
		     unsigned int min, const char *point, const char *opts,
		     const char *fstype)
{
	sb_printf(out, "%d %d %u:%u / ", id, parent, maj, min);
	put_escaped(out, point);
	sb_printf(out, " %s - %s none rw\n", opts, fstype);
}

/* statfs(2)'s f_flags as the OPTIONS word list; ST_SYNCHRONOUS and
 * ST_MANDLOCK are the superblock's and not per-mount options: left out. */
static void statfs_opts(unsigned long f, char *buf, size_t len)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} o[] = {
		{ ST_NOSUID, "nosuid" }, { ST_NODEV, "nodev" },
		{ ST_NOEXEC, "noexec" }, { ST_NOATIME, "noatime" },
		{ ST_NODIRATIME, "nodiratime" }, { ST_RELATIME, "relatime" },
		{ ST_NOSYMFOLLOW, "nosymfollow" },
	};
	size_t n = snprintf(buf, len, "%s", f & ST_RDONLY ? "ro" : "rw");

	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]) && n < len; i++)
		if (f & o[i].flag)
			n += snprintf(buf + n, len - n, ",%s", o[i].name);
}

static const char *fstype_name(long type, char *buf, size_t len)
{
	switch (type) {
	case TMPFS_MAGIC:
		return "tmpfs";
	case NSFS_MAGIC:
		return "nsfs";
	case RAMFS_MAGIC:
		return "ramfs";
	}
	snprintf(buf, len, "0x%lx", (unsigned long)type);
	return buf;
}

struct walk {
	struct sbuf out;
	char path[PATH_MAX * 2];
	int err;
};

/* The line of the mount whose root @fd is on, found at w->path. */
static int put_mount(struct walk *w, int fd, const struct statx *stx,
		     int parent)
{
	char opts[128], tb[32];
	struct statfs sf;

	if (fstatfs(fd, &sf))
		return errno;
	statfs_opts(sf.f_flags, opts, sizeof(opts));
	put_line(&w->out, (int)stx->stx_mnt_id, parent, stx->stx_dev_major,
		 stx->stx_dev_minor, w->path[0] ? w->path : "/", opts,
		 fstype_name(sf.f_type, tb, sizeof(tb)));
	return 0;
}

/* statx(2) of @fd itself with its mount id: 0 or an errno */
static int fd_statx(int fd, struct statx *stx)
{
	if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_MNT_ID, stx))
		return errno;
	/* STATX_MNT_ID came with 5.8 */
	return stx->stx_mask & STATX_MNT_ID ? 0 : ENOSYS;
}

static int walk_dir(struct walk *w, int dirfd, int mnt, int depth);

/*
 * The entry @name of the directory @dirfd (in mount @mnt), at w->path: a
 * new mount if statx says so, and a directory to descend into.
 */
static int walk_entry(struct walk *w, int dirfd, const char *name, int mnt,
		      int depth)
{
	struct statx stx;
	int fd, r = 0;

	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : errno;	/* gone meanwhile */
	r = fd_statx(fd, &stx);
	if (r)
		goto out;
	if ((int)stx.stx_mnt_id != mnt) {
		r = put_mount(w, fd, &stx, mnt);
		mnt = (int)stx.stx_mnt_id;
	}
	if (!r && S_ISDIR(stx.stx_mode)) {
		int d = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (d < 0) {
			r = errno;
			goto out;
		}
		r = walk_dir(w, d, mnt, depth + 1);	/* closes d */
	}
out:
	close(fd);
	return r;
}

/* Every entry of the directory @d (in mount @mnt); closes @d. */
static int walk_dir(struct walk *w, int d, int mnt, int depth)
{
	size_t base = strlen(w->path);
	struct dirent *de;
	DIR *dir;
	int r = 0;

	if (depth > FDTREE_MAX_DEPTH) {
		close(d);
		return ELOOP;
	}
	dir = fdopendir(d);
	if (!dir) {
		r = errno;
		close(d);
		return r;
	}
	while (!r && (errno = 0, de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (base + strlen(de->d_name) + 2 > sizeof(w->path)) {
			r = ENAMETOOLONG;
			break;
		}
		snprintf(w->path + base, sizeof(w->path) - base, "/%s",
			 de->d_name);
		r = walk_entry(w, dirfd(dir), de->d_name, mnt, depth);
		w->path[base] = 0;
	}
	if (!r && errno)
		r = errno;
	closedir(dir);
	return r;
}

/**
 * fdtree_walk - the pseudo-mountinfo of the tree behind a mount fd
 * @fd: an O_PATH (open_tree, fsmount) or any other fd on a mount
 * @text: out: the text (free() it)
 *
 * Reads only: lookups, readdir, statx, statfs; @fd itself is not closed
 * nor changed.  0 or an errno.
 */
int fdtree_walk(int fd, char **text)
{
	struct walk *w = xcalloc(1, sizeof(*w));
	struct statx stx;
	int r, d;

	*text = NULL;
	r = fd_statx(fd, &stx);
	if (r)
		goto out;
	/* the descriptor's own mount: the root, its own parent */
	r = put_mount(w, fd, &stx, (int)stx.stx_mnt_id);
	if (r || !S_ISDIR(stx.stx_mode))
		goto out;
	/* "." does not cross a mount stacked on the descriptor's dentry */
	d = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0) {
		r = errno;
		goto out;
	}
	r = walk_dir(w, d, (int)stx.stx_mnt_id, 0);
out:
	if (r)
		free(sb_take(&w->out));
	else
		*text = sb_take(&w->out);
	free(w);
	return r;
}

/* Is @a a proper path prefix of @b ("/x" of "/x/y", "/" of anything)? */
static int path_below(const char *a, const char *b)
{
	size_t l = strlen(a);

	if (!strcmp(a, "/"))
		return strcmp(b, "/") != 0;
	return !strncmp(a, b, l) && b[l] == '/';
}

/* The per-mount options merged with the superblock's ro, as statfs does. */
static void merged_opts(const struct mnt *m, char *buf, size_t len)
{
	if (!strncmp(m->super, "ro", 2) && (!m->super[2] ||
	    m->super[2] == ',') && !strncmp(m->opts, "rw", 2))
		snprintf(buf, len, "ro%s", m->opts + 2);
	else
		snprintf(buf, len, "%s", m->opts);
}

/*
 * What a walk from @v (the mount on top at its mount point) reaches: its
 * children but those under another child's mount point or on its own
 * root, each replaced by the top of the stack on its mount point.
 */
static void reach(const struct mnt *m, int nr, int v, int parent,
		  struct sbuf *out, int depth)
{
	char opts[256];

	merged_opts(&m[v], opts, sizeof(opts));
	sb_printf(out, "%d %d %u:%u / %s %s - %s none rw\n", m[v].id,
		  parent, m[v].major, m[v].minor, m[v].point, opts,
		  m[v].fstype);
	if (depth > FDTREE_MAX_DEPTH)
		return;
	for (int c = 0; c < nr; c++) {
		int hidden = 0, top = c;

		if (c == v || m[c].parent != m[v].id)
			continue;
		if (!strcmp(m[c].point, m[v].point))
			continue;	/* on @v's root: a walk never enters it */
		for (int d = 0; d < nr && !hidden; d++)
			hidden = d != c && d != v && m[d].parent == m[v].id &&
				 strcmp(m[d].point, m[v].point) &&
				 path_below(m[d].point, m[c].point);
		if (hidden)
			continue;
		/* a lookup ends on the top of the stack at the mount point */
		for (int d = 0; d < nr; d++)
			if (d != top && m[d].parent == m[top].id &&
			    !strcmp(m[d].point, m[top].point)) {
				top = d;
				d = -1;
			}
		reach(m, nr, top, m[v].id, out, depth + 1);
	}
}

/**
 * fdtree_from_mountinfo - the walk's view of a handle's tree, from its list
 * @text: NSM_IOC_MOUNTINFO's text with NSM_MOUNTINFO_HANDLE (the handle's
 *        mount first, mount point "/")
 *
 * The model lists every mount below the handle; a walk from it reaches
 * only those not covered by another mount.  Returns the pseudo-mountinfo
 * text fdtree_walk() gives of the same tree on the kernel (free() it), or
 * NULL if @text has no line.
 */
char *fdtree_from_mountinfo(const char *text)
{
	struct sbuf out = { 0 };
	struct mnt *m;
	int nr;

	if (mountinfo_parse(text, &m, &nr) || !nr) {
		if (nr > 0)
			mountinfo_free(m, nr);
		return NULL;
	}
	reach(m, nr, 0, m[0].id, &out, 0);
	mountinfo_free(m, nr);
	return sb_take(&out);
}
