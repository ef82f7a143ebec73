// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: a task's mount table in the /proc/PID/mountinfo format, after
 * fs/proc_namespace.c (show_mountinfo()) and the listing order of
 * fs/namespace.c (m_start()/m_next()).
 *
 * NSM_IOC_MOUNTINFO returns an fd; its read() gives the table as it was
 * when the fd was made.  /proc/PID/mountinfo re-reads the namespace as
 * the reader goes; a snapshot is what a test or a student comparing two
 * moments wants, and it keeps reads from ever taking the world lock.
 * The fd holds a reference on the world, so that the counters it is
 * accounted to outlive it.
 */
#include <linux/fs.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "nsmodel.h"
#include "mount.h"

/* the text of one snapshot, grown as it is written */
struct nsm_mountinfo_buf {
	struct nsm_world *world;
	char *buf;
	size_t len;
	size_t size;
	int err;
	char *tmp;		/* scratch room for the two paths of a line */
	int tmplen;
};

/*
 * The longest pair of paths one line may need (a mount point can be
 * longer than PATH_MAX: it is built across many mounts).
 */
#define NSM_MI_TMP_MAX	(16 << 20)

/*
 * Make room for @need more bytes, doubling, but never past mountinfo_max
 * bytes of text: a snapshot that would be larger fails with ENOMEM, the
 * errno the kernel's seq_file read gives when it cannot grow its buffer.
 */
static bool nsm_mi_grow(struct nsm_mountinfo_buf *b, size_t need)
{
	size_t size = max_t(size_t, b->size ? b->size : PAGE_SIZE, 64);
	size_t limit = READ_ONCE(nsm_mountinfo_max);
	char *nbuf;

	if (b->err)
		return false;
	if (need > limit || b->len > limit - need) {
		b->err = -ENOMEM;
		return false;
	}
	while (size - b->len < need)
		size *= 2;
	size = max(min(size, limit), b->len + need);
	if (size <= b->size)
		return true;
	if (nsm_should_fail(b->world) ||
	    !nsm_world_may_grow(b->world, (long)size - (long)b->size)) {
		b->err = -ENOMEM;
		return false;
	}
	nbuf = kvmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!nbuf) {
		b->err = -ENOMEM;
		return false;
	}
	if (b->buf)
		memcpy(nbuf, b->buf, b->len);
	kvfree(b->buf);
	nsm_account(b->world, NSM_OBJ_MOUNTINFO, 0,
		    (long)size - (long)b->size);
	b->buf = nbuf;
	b->size = size;
	return true;
}

static void nsm_mi_write(struct nsm_mountinfo_buf *b, const char *s,
			 size_t n)
{
	if (!nsm_mi_grow(b, n))
		return;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

static void nsm_mi_puts(struct nsm_mountinfo_buf *b, const char *s)
{
	nsm_mi_write(b, s, strlen(s));
}

static __printf(2, 3)
void nsm_mi_printf(struct nsm_mountinfo_buf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, args);
	va_end(args);
	nsm_mi_write(b, tmp, min_t(int, n, sizeof(tmp) - 1));
}

/*
 * models: mangle() / seq_escape(): the runs between characters of @esc
 * as they are, each of those characters as \ooo
 */
static void nsm_mi_escape(struct nsm_mountinfo_buf *b, const char *s,
			  const char *esc)
{
	size_t n;
	char o[5];

	while (*s) {
		n = strcspn(s, esc);
		nsm_mi_write(b, s, n);
		s += n;
		if (!*s)
			break;
		snprintf(o, sizeof(o), "\\%03o", (unsigned char)*s);
		nsm_mi_write(b, o, 4);
		s++;
	}
}

/* models: show_mnt_opts() */
static void nsm_mi_mnt_opts(struct nsm_mountinfo_buf *b, int flags)
{
	static const struct { int flag; const char *str; } mnt_opts[] = {
		{ MNT_NOSUID, ",nosuid" },
		{ MNT_NODEV, ",nodev" },
		{ MNT_NOEXEC, ",noexec" },
		{ MNT_NOATIME, ",noatime" },
		{ MNT_NODIRATIME, ",nodiratime" },
		{ MNT_RELATIME, ",relatime" },
		{ MNT_NOSYMFOLLOW, ",nosymfollow" },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(mnt_opts); i++)
		if (flags & mnt_opts[i].flag)
			nsm_mi_puts(b, mnt_opts[i].str);
}

/* models: show_sb_opts() and shmem_show_options() */
static void nsm_mi_sb_opts(struct nsm_mountinfo_buf *b,
			   struct nsm_super_block *sb)
{
	static const struct { unsigned long flag; const char *str; } fs_opts[] = {
		{ SB_SYNCHRONOUS, ",sync" },
		{ SB_DIRSYNC, ",dirsync" },
		{ SB_MANDLOCK, ",mand" },
		{ SB_LAZYTIME, ",lazytime" },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(fs_opts); i++)
		if (sb->s_flags & fs_opts[i].flag)
			nsm_mi_puts(b, fs_opts[i].str);
	/* nsfs has no ->show_options(); the rest is shmem_show_options() */
	if (strcmp(sb->s_type, "tmpfs"))
		return;
	if (sb->max_blocks != totalram_pages() / 2)
		nsm_mi_printf(b, ",size=%luk",
			      sb->max_blocks << (PAGE_SHIFT - 10));
	if (sb->max_inodes != min(totalram_pages() - totalhigh_pages(),
				  totalram_pages() / 2))
		nsm_mi_printf(b, ",nr_inodes=%lu", sb->max_inodes);
	if (sb->mode != (0777 | S_ISVTX))
		nsm_mi_printf(b, ",mode=%03ho", (unsigned short)sb->mode);
	if (sb->uid)
		nsm_mi_printf(b, ",uid=%u", sb->uid);
	if (sb->gid)
		nsm_mi_printf(b, ",gid=%u", sb->gid);
	/* shown when 64-bit inums are the default (Debian), or chosen */
	if (IS_ENABLED(CONFIG_TMPFS_INODE64) || sb->full_inums)
		nsm_mi_printf(b, ",inode%d", sb->full_inums ? 64 : 32);
	if (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && sb->huge)
		nsm_mi_printf(b, ",huge=%s", nsm_shmem_format_huge(sb->huge));
	if (sb->noswap)
		nsm_mi_puts(b, ",noswap");
}

/*
 * The root field: dentry_path(), or for nsfs its show_path(),
 * nsfs_show_path(): "KIND:[INUM]", which is the model's dentry name.
 */
static int nsm_mi_root(struct nsm_dentry *d, char *buf, int len)
{
	int n;

	if (!d->d_ns)
		return nsm_dentry_path(d, buf, len);
	n = strlen(d->d_name);
	if (n >= len)
		return -ENAMETOOLONG;
	memcpy(buf + len - n - 1, d->d_name, n + 1);
	return len - n - 1;
}

/* Double the scratch room; false (and b->err set) when it cannot grow. */
static bool nsm_mi_grow_tmp(struct nsm_mountinfo_buf *b)
{
	int len = b->tmplen ? 2 * b->tmplen : 2 * PATH_MAX;
	char *tmp;

	if (len > NSM_MI_TMP_MAX) {
		b->err = -ENAMETOOLONG;
		return false;
	}
	if (nsm_should_fail(b->world)) {
		b->err = -ENOMEM;
		return false;
	}
	tmp = kvmalloc(len, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!tmp) {
		b->err = -ENOMEM;
		return false;
	}
	kvfree(b->tmp);
	b->tmp = tmp;
	b->tmplen = len;
	return true;
}

/*
 * models: show_mountinfo().  The two paths are built first: a mount point
 * outside the reader's root means no line at all (SEQ_SKIP), and a path
 * too long for the scratch room means more room and another try, as
 * seq_file retries with a bigger buffer.  @top: the top mount of a
 * handle's tree, whose mount point is "/" (NSM_MOUNTINFO_HANDLE).
 */
static void nsm_show_mountinfo(struct nsm_mountinfo_buf *b,
			       struct nsm_mount *r,
			       const struct nsm_path *root, bool top)
{
	struct nsm_super_block *sb = r->mnt_sb;
	struct nsm_path mnt_path = { .mnt = r, .dentry = r->mnt_root };
	int root_pos, half;
	char *tmp, *mp;

	for (;;) {
		tmp = b->tmp;
		half = b->tmplen / 2;
		/* the top of a handle's tree is "/" even if its root is below */
		mp = top ? "/" : nsm_d_path(&mnt_path, root, tmp, half);
		if (!mp)
			return;
		root_pos = nsm_mi_root(r->mnt_root, tmp + half, half);
		if (!IS_ERR(mp) && root_pos >= 0)
			break;
		if (!nsm_mi_grow_tmp(b))
			return;
	}

	nsm_mi_printf(b, "%i %i %u:%u ", r->mnt_id, r->mnt_parent->mnt_id,
		      MAJOR(sb->s_dev), MINOR(sb->s_dev));
	nsm_mi_escape(b, tmp + half + root_pos, " \t\n\\");
	nsm_mi_puts(b, " ");
	nsm_mi_escape(b, mp, " \t\n\\");

	nsm_mi_puts(b, r->mnt_flags & MNT_READONLY ? " ro" : " rw");
	nsm_mi_mnt_opts(b, r->mnt_flags);

	/* tagged fields */
	if (NSM_IS_MNT_SHARED(r))
		nsm_mi_printf(b, " shared:%i", r->mnt_group_id);
	if (NSM_IS_MNT_SLAVE(r)) {
		int master = r->mnt_master->mnt_group_id;
		int dom = nsm_get_dominating_id(r, root);

		nsm_mi_printf(b, " master:%i", master);
		if (dom && dom != master)
			nsm_mi_printf(b, " propagate_from:%i", dom);
	}
	if (NSM_IS_MNT_UNBINDABLE(r))
		nsm_mi_puts(b, " unbindable");

	/* filesystem specific data */
	nsm_mi_puts(b, " - ");
	nsm_mi_escape(b, sb->s_type, " \t\n\\#");
	nsm_mi_puts(b, " ");
	nsm_mi_escape(b, r->mnt_devname ? r->mnt_devname : "none",
		      " \t\n\\#");
	nsm_mi_puts(b, sb->s_flags & SB_RDONLY ? " ro" : " rw");
	nsm_mi_sb_opts(b, sb);
	nsm_mi_puts(b, "\n");
}

static int nsm_mi_cmp(const void *a, const void *b)
{
	const struct nsm_mount *x = *(const struct nsm_mount * const *)a;
	const struct nsm_mount *y = *(const struct nsm_mount * const *)b;

	if (x->mnt_id_unique < y->mnt_id_unique)
		return -1;
	return x->mnt_id_unique > y->mnt_id_unique;
}

/*
 * The namespace's mounts in the order the world's profile lists them:
 * 6.1 walks ns->list (the order mounts joined the namespace, copies in
 * copy_tree() order); 6.12 walks an rbtree keyed by the never-reused
 * mnt_id_unique, i.e. the order the mounts were created.
 */
static int nsm_mi_collect(struct nsm_world *w, struct nsm_mnt_namespace *ns,
			  struct nsm_mount ***arrayp, unsigned int *nrp)
{
	struct nsm_mount **array, *m;
	unsigned int nr = 0, i = 0;

	list_for_each_entry(m, &ns->list, mnt_list)
		nr++;
	*nrp = nr;
	*arrayp = NULL;
	if (!nr)
		return 0;
	if (nsm_should_fail(w))
		return -ENOMEM;
	array = kvmalloc_array(nr, sizeof(*array), GFP_KERNEL_ACCOUNT);
	if (!array)
		return -ENOMEM;
	list_for_each_entry(m, &ns->list, mnt_list)
		array[i++] = m;
	if (nsm_feat(w, NSM_FEAT_MNT_RBTREE))
		sort(array, nr, sizeof(*array), nsm_mi_cmp, NULL);
	*arrayp = array;
	return 0;
}

static ssize_t nsm_mountinfo_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct nsm_mountinfo_file *mf = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, mf->buf, mf->len);
}

VISIBLE_IF_KUNIT void nsm_mountinfo_free(struct nsm_mountinfo_file *mf)
{
	struct nsm_world *w = mf->world;

	kvfree(mf->buf);
	nsm_account(w, NSM_OBJ_MOUNTINFO, 0, -(long)mf->size);
	nsm_free(w, NSM_OBJ_MOUNTINFO, mf, sizeof(*mf));
}
EXPORT_SYMBOL_IF_KUNIT(nsm_mountinfo_free);

static int nsm_mountinfo_release(struct inode *inode, struct file *file)
{
	struct nsm_mountinfo_file *mf = file->private_data;
	struct nsm_world *w = mf->world;

	mutex_lock(&w->lock);
	nsm_mountinfo_free(mf);
	mutex_unlock(&w->lock);
	nsm_world_put(w);
	return 0;
}

static const struct file_operations nsm_mountinfo_fops = {
	.owner		= THIS_MODULE,
	.read		= nsm_mountinfo_read,
	.llseek		= default_llseek,
	.release	= nsm_mountinfo_release,
};

/*
 * A new, empty snapshot, within the world's bound on open snapshots (as
 * file-max bounds open files: ENFILE), with the buffers its lines need.
 */
static struct nsm_mountinfo_file *
nsm_mi_start(struct nsm_world *w, struct nsm_mountinfo_buf *b)
{
	struct nsm_mountinfo_file *mf;

	if (atomic_long_read(&w->count[NSM_OBJ_MOUNTINFO]) >=
	    READ_ONCE(nsm_mountinfo_files_max))
		return ERR_PTR(-ENFILE);
	mf = nsm_alloc(w, NSM_OBJ_MOUNTINFO, sizeof(*mf));
	if (!mf)
		return ERR_PTR(-ENOMEM);
	mf->world = w;
	b->world = w;
	if (nsm_mi_grow_tmp(b))
		nsm_mi_grow(b, 1);
	return mf;
}

/* The text of @b becomes @mf's; @mf, or an ERR_PTR once it is freed. */
static struct nsm_mountinfo_file *
nsm_mi_finish(struct nsm_mountinfo_file *mf, struct nsm_mountinfo_buf *b)
{
	kvfree(b->tmp);
	mf->buf = b->buf;
	mf->len = b->len;
	mf->size = b->size;
	if (b->err) {
		nsm_mountinfo_free(mf);
		return ERR_PTR(b->err);
	}
	return mf;
}

/**
 * nsm_mountinfo_snapshot - @task's mount table as mountinfo text
 * @w: the world, locked
 * @task: the reader, with namespaces and an fs_struct
 *
 * models: the whole seq_file walk of show_mountinfo() over the task's
 * mount namespace, relative to the task's root.  Returns the snapshot
 * (accounted to @w; free it with nsm_mountinfo_free()) or an ERR_PTR.
 */
VISIBLE_IF_KUNIT struct nsm_mountinfo_file *
nsm_mountinfo_snapshot(struct nsm_world *w, struct nsm_task *task)
{
	struct nsm_mountinfo_buf b = { };
	struct nsm_mountinfo_file *mf;
	struct nsm_mount **array;
	unsigned int nr, i;

	mf = nsm_mi_start(w, &b);
	if (IS_ERR(mf))
		return mf;
	if (!b.err)
		b.err = nsm_mi_collect(w, task->nsproxy->mnt_ns, &array, &nr);
	if (b.err)
		return nsm_mi_finish(mf, &b);
	/* a line can climb a deep chain: yield, and stop for a killed reader */
	for (i = 0; i < nr && !b.err; i++) {
		b.err = nsm_resched_killable();
		if (!b.err)
			nsm_show_mountinfo(&b, array[i], &task->fs->root,
					   false);
	}
	kvfree(array);
	return nsm_mi_finish(mf, &b);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_mountinfo_snapshot);

/**
 * nsm_mountinfo_tree_snapshot - the tree behind a mount handle as text
 * @w: the world, locked
 * @root: the handle's path
 *
 * The kernel has no file that lists a detached tree: this is what
 * show_mountinfo() would print for a reader whose root is @root, over
 * @root's mount and the mounts below it (its subtree, walked as
 * copy_tree() walks one, not a namespace's list: a detached tree's
 * anonymous namespace and an attached one's namespace hold other mounts
 * too, and a mount unmounted lazily has none), the top one first with
 * mount point "/".  NSM_MOUNTINFO_HANDLE; an ERR_PTR or the snapshot.
 */
VISIBLE_IF_KUNIT struct nsm_mountinfo_file *
nsm_mountinfo_tree_snapshot(struct nsm_world *w, const struct nsm_path *root)
{
	struct nsm_mountinfo_buf b = { };
	struct nsm_mountinfo_file *mf;
	struct nsm_mount *m;

	mf = nsm_mi_start(w, &b);
	if (IS_ERR(mf))
		return mf;
	for (m = root->mnt; m && !b.err; m = nsm_next_mnt(m, root->mnt)) {
		b.err = nsm_resched_killable();
		if (!b.err)
			nsm_show_mountinfo(&b, m, root, m == root->mnt);
	}
	return nsm_mi_finish(mf, &b);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_mountinfo_tree_snapshot);

/**
 * nsm_ioctl_mountinfo - NSM_IOC_MOUNTINFO: open a task's mountinfo
 * @w: the world, locked
 * @args: the task, and with NSM_MOUNTINFO_HANDLE the mount handle whose
 *        tree to list; out: the new fd (also the return value)
 * @filep: out: the snapshot's file, for dev.c to install at @args->fd
 *
 * models: mountinfo_open(); the text is nsm_mountinfo_snapshot()'s.  The
 * fd is only reserved here; dev.c installs it once @args->fd has reached
 * the caller, or puts it and the file back.
 */
long nsm_ioctl_mountinfo(struct nsm_world *w, struct nsm_mountinfo_args *args,
			 struct file **filep)
{
	struct nsm_mountinfo_file *mf;
	struct nsm_task *task;
	struct file *file;
	int fd;

	task = nsm_find_task(w, args->task);
	if (!task || !task->nsproxy || !task->fs)
		return -ESRCH;
	if (args->__reserved || (args->flags & ~NSM_MOUNTINFO_HANDLE) ||
	    (!(args->flags & NSM_MOUNTINFO_HANDLE) && args->handle))
		return -EINVAL;

	if (args->flags & NSM_MOUNTINFO_HANDLE) {
		struct nsm_path root;

		fd = nsm_mnt_handle_fd_path(w, args->handle, &root);
		if (fd)
			return fd;
		mf = nsm_mountinfo_tree_snapshot(w, &root);
		nsm_path_put(&root);
	} else {
		mf = nsm_mountinfo_snapshot(w, task);
	}
	if (IS_ERR(mf))
		return PTR_ERR(mf);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto out_free;
	file = anon_inode_getfile("[nsmodel-mountinfo]", &nsm_mountinfo_fops,
				  mf, O_RDONLY | O_CLOEXEC);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto out_free;
	}
	/* the file's reference on the world, dropped by its release */
	nsm_world_get(w);
	*filep = file;
	args->fd = fd;
	return fd;

out_free:
	nsm_mountinfo_free(mf);
	return fd;
}
