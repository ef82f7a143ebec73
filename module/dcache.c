// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: the model VFS - superblocks, directory dentries and the path walk.
 *
 * The kernel spreads this over fs/super.c (superblocks and their anonymous
 * device numbers), fs/dcache.c (the dentry tree) and fs/namei.c (the path
 * walk).  The model needs only what mount namespaces can observe: a tree
 * of named directories per superblock, a device number for mountinfo, and
 * a walk that crosses mounts exactly where the kernel's does - down into
 * the topmost mount on every component it steps onto, and up through
 * mountpoints on "..", never above the walker's root.
 *
 * Dentries are owned by their superblock and live until it dies (tmpfs
 * pins its dentries the same way); a path pins the superblock through the
 * mount it holds, so no dentry reference count is needed.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <kunit/visibility.h>

#include "nsmodel.h"
#include "mount.h"

static struct nsm_dentry *nsm_d_alloc(struct nsm_super_block *sb,
				      struct nsm_dentry *parent,
				      const char *name, size_t len)
{
	struct nsm_dentry *d;

	d = nsm_alloc(sb->world, NSM_OBJ_DENTRY, sizeof(*d) + len + 1);
	if (!d)
		return NULL;
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_sb = sb;
	d->d_parent = parent ? parent : d;
	d->d_subdirs = RB_ROOT;
	RB_CLEAR_NODE(&d->d_child);
	d->d_ino = sb->next_ino++;
	sb->nr_dentries++;
	sb->inodes_used++;
	return d;
}

void nsm_d_free(struct nsm_dentry *d)
{
	struct nsm_super_block *sb = d->d_sb;

	WARN_ON_ONCE(d->d_mounted);
	sb->nr_dentries--;
	if (!d->d_deleted)
		sb->inodes_used--;
	nsm_free(sb->world, NSM_OBJ_DENTRY, d, sizeof(*d) + strlen(d->d_name) + 1);
}

static int nsm_d_cmp(const char *name, size_t len, const struct nsm_dentry *d)
{
	int c = strncmp(name, d->d_name, len);

	if (c)
		return c;
	return d->d_name[len] ? -1 : 0;
}

/* models: d_lookup() of one name in a directory */
struct nsm_dentry *nsm_d_lookup(struct nsm_dentry *dir,
				       const char *name, size_t len)
{
	struct rb_node *n = dir->d_subdirs.rb_node;

	while (n) {
		struct nsm_dentry *d = rb_entry(n, struct nsm_dentry, d_child);
		int c = nsm_d_cmp(name, len, d);

		if (!c)
			return d;
		n = c < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

/*
 * models: vfs_mkdir() or vfs_create() of one missing name, as shmem's
 * mknod instantiates it: @mode is S_IFDIR | 0755 or S_IFREG | 0644 (the
 * 0777 of mkdir(2) and the 0666 of open(2) less the usual umask 022, as
 * the scenario runner's tasks create them), owned by the creator's fsuid
 * and fsgid (the model's creds have no fsgid: egid stands in), or by the
 * directory's group if it is set-group-ID (inode_init_owner(), which
 * passes the bit on to directories only).
 *
 * The new inode counts against a tmpfs's nr_inodes (shmem_reserve_inode():
 * ENOSPC when none is left; 0 is no limit).  Returns the dentry or an
 * ERR_PTR: -ENOSPC, -ENOMEM.
 */
static struct nsm_dentry *nsm_d_create(const struct nsm_cred *cred,
				       struct nsm_dentry *dir,
				       const char *name, size_t len,
				       umode_t mode)
{
	struct nsm_super_block *sb = dir->d_sb;
	struct nsm_dentry *d;

	if (sb->max_inodes && sb->inodes_used >= sb->max_inodes &&
	    !strcmp(sb->s_type, "tmpfs"))
		return ERR_PTR(-ENOSPC);
	d = nsm_d_insert(dir, name, len, mode);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->i_uid = cred->fsuid;
	d->i_gid = cred->egid;
	if (dir->i_mode & S_ISGID) {
		d->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			d->i_mode |= S_ISGID;
	}
	return d;
}

/**
 * nsm_d_insert - a new child @name of @dir, which has none by that name
 * @dir: the directory
 * @name: the name (not NUL-terminated)
 * @len: its length
 * @mode: the new inode's type and mode; owner and group are root's
 *
 * models: d_alloc() + d_instantiate().  Returns NULL on ENOMEM.
 */
struct nsm_dentry *nsm_d_insert(struct nsm_dentry *dir, const char *name,
				size_t len, umode_t mode)
{
	struct rb_node **link = &dir->d_subdirs.rb_node, *parent = NULL;
	struct nsm_dentry *d;

	while (*link) {
		int c;

		parent = *link;
		c = nsm_d_cmp(name, len,
			      rb_entry(parent, struct nsm_dentry, d_child));
		link = c < 0 ? &parent->rb_left : &parent->rb_right;
	}
	d = nsm_d_alloc(dir->d_sb, dir, name, len);
	if (!d)
		return NULL;
	d->i_mode = mode;
	rb_link_node(&d->d_child, parent, link);
	rb_insert_color(&d->d_child, &dir->d_subdirs);
	return d;
}

/* take @d out of its directory (its name no longer resolves) */
void nsm_d_remove(struct nsm_dentry *d)
{
	rb_erase(&d->d_child, &d->d_parent->d_subdirs);
	RB_CLEAR_NODE(&d->d_child);
}

/*
 * models: d_delete() after simple_unlink() or simple_rmdir(): the name
 * leaves its directory and the dentry is unlinked (d_unlinked() is true
 * from now on), but whoever still points at it - a mount showing it as
 * its root, a task's cwd - keeps a valid dentry.  The model has no dentry
 * reference counts, so an unlinked dentry stays on its superblock's
 * s_deleted list until the superblock dies.
 */
static void nsm_d_delete(struct nsm_dentry *d)
{
	struct nsm_super_block *sb = d->d_sb;

	nsm_d_remove(d);
	d->d_deleted = true;
	/*
	 * shmem_free_inode() comes at the inode's eviction: at once unless
	 * something still holds it (a cwd, a mount on it), which the model,
	 * without reference counts, does not know; it frees it here
	 */
	sb->inodes_used--;
	d->d_next_deleted = sb->s_deleted;
	sb->s_deleted = d;
}

/**
 * nsm_alloc_super - make a new tmpfs-like superblock with an empty root
 * @w: the world
 * @type: the filesystem type name shown in mountinfo
 * @user_ns: the user namespace that owns it (sb->s_user_ns)
 *
 * models: sget_fc() + set_anon_super() + shmem_fill_super().  The device
 * number comes from the world's anon_devs ida as get_anon_bdev() takes it
 * from unnamed_dev_ida: major 0, minors from 1 up, lowest free first.
 * Returns the superblock with s_active == 1 (the reference the first mount
 * takes over), or an ERR_PTR.
 */
struct nsm_super_block *nsm_alloc_super(struct nsm_world *w,
					const char *type,
					struct nsm_user_namespace *user_ns)
{
	struct nsm_super_block *sb;
	int minor;

	sb = nsm_alloc(w, NSM_OBJ_SUPER, sizeof(*sb));
	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->world = w;
	sb->s_type = type;
	INIT_LIST_HEAD(&sb->s_mounts);
	sb->next_ino = 1;
	sb->mode = 0777 | S_ISVTX;
	/* shmem_default_max_blocks() and shmem_default_max_inodes() */
	sb->max_blocks = totalram_pages() / 2;
	sb->max_inodes = min(totalram_pages() - totalhigh_pages(),
			     totalram_pages() / 2);
	/* shmem's default: 64-bit inode numbers if CONFIG_TMPFS_INODE64 */
	sb->full_inums = IS_ENABLED(CONFIG_TMPFS_INODE64);

	if (nsm_should_fail(w)) {
		minor = -ENOMEM;
	} else {
		minor = ida_alloc_range(&w->anon_devs, 1, (1 << MINORBITS) - 1,
					GFP_KERNEL_ACCOUNT);
	}
	if (minor < 0) {
		nsm_free(w, NSM_OBJ_SUPER, sb, sizeof(*sb));
		return ERR_PTR(minor == -ENOSPC ? -EMFILE : minor);
	}
	sb->s_dev = MKDEV(0, minor);

	sb->s_root = nsm_d_alloc(sb, NULL, "/", 1);
	if (!sb->s_root) {
		ida_free(&w->anon_devs, minor);
		nsm_free(w, NSM_OBJ_SUPER, sb, sizeof(*sb));
		return ERR_PTR(-ENOMEM);
	}
	sb->s_root->i_mode = S_IFDIR | sb->mode;
	sb->s_user_ns = nsm_get_user_ns(user_ns);
	sb->s_active = 1;
	return sb;
}

/* Free a dentry tree bottom-up without recursion (trees can be deep). */
static void nsm_shrink_dcache_sb(struct nsm_super_block *sb)
{
	struct nsm_dentry *d = sb->s_root;

	while (sb->s_deleted) {
		struct nsm_dentry *next = sb->s_deleted->d_next_deleted;

		nsm_d_free(sb->s_deleted);
		sb->s_deleted = next;
	}

	while (d) {
		struct rb_node *n = rb_first(&d->d_subdirs);
		struct nsm_dentry *parent;

		if (n) {
			d = rb_entry(n, struct nsm_dentry, d_child);
			continue;
		}
		parent = d->d_parent;
		if (parent == d) {
			nsm_d_free(d);
			break;
		}
		rb_erase(&d->d_child, &parent->d_subdirs);
		nsm_d_free(d);
		d = parent;
	}
	sb->s_root = NULL;
}

/**
 * nsm_deactivate_super - drop an active reference to a superblock
 * @sb: the superblock
 *
 * models: deactivate_super(); the last reference kills the superblock as
 * kill_litter_super() does for tmpfs: every dentry goes, then the anon
 * device number is given back (free_anon_bdev()).
 */
void nsm_deactivate_super(struct nsm_super_block *sb)
{
	struct nsm_world *w = sb->world;

	if (--sb->s_active)
		return;
	WARN_ON_ONCE(!list_empty(&sb->s_mounts));
	nsm_shrink_dcache_sb(sb);
	WARN_ON_ONCE(sb->nr_dentries);
	ida_free(&w->anon_devs, MINOR(sb->s_dev));
	nsm_put_user_ns(sb->s_user_ns);
	nsm_free(w, NSM_OBJ_SUPER, sb, sizeof(*sb));
}

/**
 * nsm_is_subdir - is @d at or below @ancestor in its dentry tree?
 * @d: the dentry
 * @ancestor: the candidate ancestor
 *
 * models: is_subdir()
 */
bool nsm_is_subdir(struct nsm_dentry *d, struct nsm_dentry *ancestor)
{
	if (d->d_sb != ancestor->d_sb)
		return false;
	for (;;) {
		if (d == ancestor)
			return true;
		if (d->d_parent == d)
			return false;
		d = d->d_parent;
	}
}

/**
 * nsm_dentry_path - the path of a dentry from its superblock's root
 * @d: the dentry
 * @buf: output buffer
 * @len: its size
 *
 * models: dentry_path(), which mountinfo's root field shows (through
 * seq_dentry()): an unlinked dentry gets "//deleted" after its path.
 * Returns the offset of the NUL-terminated path inside @buf (built
 * backwards from its end), or -ENAMETOOLONG.
 */
int nsm_dentry_path(struct nsm_dentry *d, char *buf, int len)
{
	static const char deleted[] = "//deleted";
	int pos = len - 1;

	buf[pos] = '\0';
	if (d->d_deleted) {
		if (pos < (int)sizeof(deleted) - 1)
			return -ENAMETOOLONG;
		pos -= sizeof(deleted) - 1;
		memcpy(buf + pos, deleted, sizeof(deleted) - 1);
	}
	if (d->d_parent == d) {
		if (pos < 1)
			return -ENAMETOOLONG;
		buf[--pos] = '/';
		return pos;
	}
	while (d->d_parent != d) {
		int n = strlen(d->d_name);

		if (pos < n + 1)
			return -ENAMETOOLONG;
		pos -= n;
		memcpy(buf + pos, d->d_name, n);
		buf[--pos] = '/';
		d = d->d_parent;
	}
	return pos;
}

/*
 * models: struct prepend_buffer.  A path is built backwards from the end
 * of a buffer: @buf points at the text built so far, @len is the room
 * left in front of it, and -1 once something did not fit (the callers
 * then report ENAMETOOLONG, as extract_string() and getcwd do).
 */
struct nsm_prepend_buffer {
	char *buf;
	int len;
};

/* models: prepend() (what is written after an overflow does not matter) */
static bool nsm_prepend(struct nsm_prepend_buffer *p, const char *str,
			int namelen)
{
	if (p->len < 0)
		return false;
	if (p->len < namelen) {
		p->len = -1;
		return false;
	}
	p->len -= namelen;
	p->buf -= namelen;
	memcpy(p->buf, str, namelen);
	return true;
}

/* models: prepend_name(): "/" and the name */
static bool nsm_prepend_name(struct nsm_prepend_buffer *p,
			     const struct nsm_dentry *d)
{
	return nsm_prepend(p, d->d_name, strlen(d->d_name)) &&
	       nsm_prepend(p, "/", 1);
}

/*
 * models: __prepend_path().  Climb from (@mnt, @dentry) to @root, one name
 * per dentry, leaving each mount through its mountpoint.  Returns 0 on
 * reaching @root (or when the buffer ran out), else why the climb stopped
 * short: 1 at the top of a mounted namespace's tree, 2 at the top of a
 * detached (or not yet attached) tree, 3 at the root of a dentry tree that
 * was not the mount's root.  The names climbed so far stay in @p.
 */
static int __nsm_prepend_path(const struct nsm_dentry *dentry,
			      struct nsm_mount *mnt,
			      const struct nsm_path *root,
			      struct nsm_prepend_buffer *p)
{
	while (dentry != root->dentry || mnt != root->mnt) {
		if (dentry == mnt->mnt_root) {
			struct nsm_mnt_namespace *mnt_ns;

			if (nsm_mnt_has_parent(mnt)) {
				dentry = mnt->mnt_mountpoint;
				mnt = mnt->mnt_parent;
				continue;
			}
			/* is_mounted(), with a namespace that is not anon */
			mnt_ns = mnt->mnt_ns;
			if (mnt_ns && !nsm_is_anon_ns(mnt_ns))
				return 1;
			return 2;
		}
		if (dentry->d_parent == dentry)
			return 3;
		if (!nsm_prepend_name(p, dentry))
			break;
		dentry = dentry->d_parent;
	}
	return 0;
}

/*
 * models: prepend_path().  An escape (3) keeps nothing of the climb; an
 * empty result becomes "/".  The kernel retries under mount_lock and
 * rename_lock here; the model's tree cannot change under world->lock.
 */
static int nsm_prepend_path(const struct nsm_path *path,
			    const struct nsm_path *root,
			    struct nsm_prepend_buffer *p)
{
	struct nsm_prepend_buffer b = *p;
	int error;

	error = __nsm_prepend_path(path->dentry, path->mnt, root, &b);
	if (error == 3)
		b = *p;
	if (b.len == p->len)
		nsm_prepend(&b, "/", 1);
	*p = b;
	return error;
}

/**
 * nsm_d_path - the path of @path as seen from @root
 * @path: the mount and dentry to name
 * @root: the root to name it from
 * @buf: output buffer
 * @buflen: its size
 *
 * models: __d_path(), which mountinfo's mount point field uses through
 * seq_path_root().  Returns the NUL-terminated path (built backwards, so
 * it ends at the end of @buf), NULL when @root cannot reach @path (the
 * mountinfo line is then skipped), or ERR_PTR(-ENAMETOOLONG).
 */
char *nsm_d_path(const struct nsm_path *path, const struct nsm_path *root,
		 char *buf, int buflen)
{
	struct nsm_prepend_buffer b = { .buf = buf + buflen, .len = buflen };

	nsm_prepend(&b, "", 1);		/* the NUL: prepend_char(p, 0) */
	if (nsm_prepend_path(path, root, &b) > 0)
		return NULL;
	if (b.len < 0)
		return ERR_PTR(-ENAMETOOLONG);
	return b.buf;
}

/*
 * models: __follow_mount_rcu()/traverse_mounts(): while something is
 * mounted on the dentry we stand on, step onto the root of the topmost
 * such mount.  The walker holds no reference while it moves: everything is
 * under world->lock, and only the final path is pinned.
 */
static void nsm_follow_mounts(struct nsm_path *path)
{
	struct nsm_mount *m;

	while ((m = nsm_lookup_mnt(path->mnt, path->dentry))) {
		path->mnt = m;
		path->dentry = m->mnt_root;
		/* a stack can be thousands of mounts high */
		cond_resched();
	}
}

/*
 * models: choose_mountpoint(): from the root of @m, climb to the mountpoint
 * that ".." must leave through.  Stops (false) at the walker's root and at
 * the top of the tree.
 */
static bool nsm_choose_mountpoint(struct nsm_mount *m,
				  const struct nsm_path *root,
				  struct nsm_path *path)
{
	while (nsm_mnt_has_parent(m)) {
		struct nsm_dentry *mountpoint = m->mnt_mountpoint;

		m = m->mnt_parent;
		if (root->dentry == mountpoint && root->mnt == m)
			break;
		if (mountpoint != m->mnt_root) {
			path->mnt = m;
			path->dentry = mountpoint;
			return true;
		}
	}
	return false;
}

/* models: follow_dotdot() followed by step_into() */
static void nsm_follow_dotdot(struct nsm_path *path,
			      const struct nsm_path *root)
{
	if (path->mnt == root->mnt && path->dentry == root->dentry)
		goto in_root;
	if (path->dentry == path->mnt->mnt_root) {
		struct nsm_path mp;

		if (!nsm_choose_mountpoint(path->mnt, root, &mp))
			goto in_root;
		*path = mp;
	}
	path->dentry = path->dentry->d_parent;
in_root:
	nsm_follow_mounts(path);
}

/* models: kuid_has_mapping() / kgid_has_mapping() */
static bool nsm_kid_mapped(const struct nsm_uid_gid_map *map, u32 kid)
{
	u32 i;

	for (i = 0; i < map->nr_extents; i++) {
		const struct nsm_uid_gid_extent *e = &map->extent[i];

		if (kid >= e->lower_first &&
		    (u64)kid < (u64)e->lower_first + e->count)
			return true;
	}
	return false;
}

/* models: capable_wrt_inode_uidgid() */
static bool nsm_capable_wrt_inode(const struct nsm_cred *cred,
				  const struct nsm_dentry *d, int cap)
{
	struct nsm_user_namespace *ns = cred->user_ns;

	return nsm_ns_capable(cred, ns, cap) &&
	       nsm_kid_mapped(&ns->uid_map, d->i_uid) &&
	       nsm_kid_mapped(&ns->gid_map, d->i_gid);
}

/*
 * models: generic_permission() on a directory without ACLs: the owner,
 * group or other bits, then CAP_DAC_READ_SEARCH (search only) and
 * CAP_DAC_OVERRIDE over an inode whose owner is mapped in the caller's
 * user namespace.
 */
static int nsm_inode_permission(const struct nsm_cred *cred,
				const struct nsm_dentry *d, int mask)
{
	unsigned int mode = d->i_mode;

	if (cred->fsuid == d->i_uid)
		mode >>= 6;
	else if (cred->egid == d->i_gid)
		mode >>= 3;
	if (!(mask & ~mode & (MAY_READ | MAY_WRITE | MAY_EXEC)))
		return 0;
	if (!(mask & MAY_WRITE) &&
	    nsm_capable_wrt_inode(cred, d, CAP_DAC_READ_SEARCH))
		return 0;
	if (nsm_capable_wrt_inode(cred, d, CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

/*
 * models: may_create() for mkdir: write and search permission on the
 * directory, and the creator's ids mapped in the filesystem's owner
 * (fsuidgid_has_mapping(), else EOVERFLOW).
 */
static int nsm_may_create(const struct nsm_cred *cred,
			  struct nsm_dentry *dir)
{
	struct nsm_user_namespace *s_user_ns = dir->d_sb->s_user_ns;

	if (!nsm_kid_mapped(&s_user_ns->uid_map, cred->fsuid) ||
	    !nsm_kid_mapped(&s_user_ns->gid_map, cred->egid))
		return -EOVERFLOW;
	return nsm_inode_permission(cred, dir, MAY_WRITE | MAY_EXEC);
}

static bool nsm_mnt_is_readonly(struct nsm_mount *mnt)
{
	return (mnt->mnt_flags & MNT_READONLY) ||
	       (mnt->mnt_sb->s_flags & SB_RDONLY);
}

/**
 * nsm_vfs_path_lookup - walk @name from a given start
 * @task: the walker (its root bounds "..")
 * @start: where a relative @name starts
 * @name: the path
 * @flags: NSM_LOOKUP_CREATE to create missing directories (mkdir -p),
 *         NSM_LOOKUP_DOWN to step onto mounts covering the start point,
 *         NSM_LOOKUP_MOUNTPOINT to step onto mounts covering the end point
 * @path: on success, the result, with a reference (nsm_path_put() it)
 *
 * models: path_lookupat() with link_path_walk(): absolute names start at
 * the task's root, "." stays, ".." climbs as follow_dotdot() does, every
 * other component steps into the child and onto the topmost mount on it.
 * Errors as the kernel's: ENOENT for a missing component or an empty name,
 * ENAMETOOLONG for a component longer than NAME_MAX, EACCES without search
 * permission on a directory walked through (may_lookup()) or write
 * permission where a directory is created, ENOTDIR when a component
 * followed by a slash is not a directory (link_path_walk()'s
 * d_can_lookup() check, and LOOKUP_DIRECTORY for a trailing slash),
 * ENOENT when creating in a removed directory (IS_DEADDIR), EROFS when
 * creating on a read-only mount, ENOMEM.
 *
 * A walk steps onto the mounts on every component it enters, ".."
 * included, but not onto those on a start point it stays on ("/", ".",
 * a relative name of only "." components) or on a "." it ends with:
 * that is what NSM_LOOKUP_MOUNTPOINT adds at the end, as umount2() asks.
 */
int nsm_vfs_path_lookup(struct nsm_task *task, const struct nsm_path *start,
			const char *name, unsigned int flags,
			struct nsm_path *path)
{
	const struct nsm_path *root = &task->fs->root;
	struct nsm_path cur;
	int err;

	if (!*name)
		return -ENOENT;
	if (*name == '/') {
		cur = *root;
		while (*name == '/')
			name++;
	} else {
		cur = *start;
	}
	if (flags & NSM_LOOKUP_DOWN)
		nsm_follow_mounts(&cur);

	while (*name) {
		const char *c = name;
		size_t len;
		struct nsm_dentry *d;
		bool slash;

		while (*name && *name != '/')
			name++;
		len = name - c;
		slash = *name == '/';
		while (*name == '/')
			name++;
		/* a killed walker stops (each step may climb a tall stack) */
		err = nsm_resched_killable();
		if (err)
			return err;
		/* may_lookup(): search permission on the directory */
		err = nsm_inode_permission(task->cred, cur.dentry, MAY_EXEC);
		if (err)
			return err;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (len == 1 && c[0] == '.')
			continue;
		if (len == 2 && c[0] == '.' && c[1] == '.') {
			nsm_follow_dotdot(&cur, root);
			continue;
		}
		d = nsm_d_lookup(cur.dentry, c, len);
		if (!d) {
			if (!(flags & NSM_LOOKUP_CREATE))
				return -ENOENT;
			/*
			 * filename_create(): __lookup_hash() refuses a dead
			 * directory, then EROFS, then may_create()
			 */
			if (cur.dentry->d_deleted)
				return -ENOENT;
			if (nsm_mnt_is_readonly(cur.mnt))
				return -EROFS;
			err = nsm_may_create(task->cred, cur.dentry);
			if (err)
				return err;
			d = nsm_d_create(task->cred, cur.dentry, c, len,
					 S_IFDIR | 0755);
			if (IS_ERR(d))
				return PTR_ERR(d);
		}
		cur.dentry = d;
		nsm_follow_mounts(&cur);
		if (slash && !S_ISDIR(cur.dentry->i_mode))
			return -ENOTDIR;
	}
	/* path_lookupat(): LOOKUP_MOUNTPOINT's handle_lookup_down() */
	if (flags & NSM_LOOKUP_MOUNTPOINT)
		nsm_follow_mounts(&cur);
	*path = cur;
	nsm_path_get(path);
	return 0;
}

/**
 * nsm_path_lookup - walk @name from @task's root or cwd
 * @task: the walker
 * @name: absolute (from its root) or relative (from its cwd)
 * @flags: as for nsm_vfs_path_lookup()
 * @path: the result, referenced
 *
 * models: user_path_at(AT_FDCWD, ...)
 */
int nsm_path_lookup(struct nsm_task *task, const char *name,
		    unsigned int flags, struct nsm_path *path)
{
	if (!task->fs || !task->fs->root.mnt)
		return -ENOENT;
	return nsm_vfs_path_lookup(task, &task->fs->pwd, name, flags, path);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_path_lookup);

/* LOOKUP_DIRECTORY at the end of a walk (chdir, chroot) */
static int nsm_lookup_directory(const struct nsm_dentry *d)
{
	return S_ISDIR(d->i_mode) ? 0 : -ENOTDIR;
}

/* the task an ioctl acts for: it must have namespaces and an fs_struct */
static struct nsm_task *nsm_path_task(struct nsm_world *w, u32 id)
{
	struct nsm_task *task = nsm_find_task(w, id);

	if (!task || !task->nsproxy || !task->fs || !task->cred)
		return NULL;
	return task;
}

/* the task and the copied-in name of a path ioctl, or an ERR_PTR */
static char *nsm_user_path_name(struct nsm_world *w, struct nsm_path_args *args,
				struct nsm_task **taskp)
{
	*taskp = nsm_path_task(w, args->task);
	if (!*taskp)
		return ERR_PTR(-ESRCH);
	if (args->flags || args->__reserved)
		return ERR_PTR(-EINVAL);
	return nsm_strndup_user(w, args->path, NSM_PATH_MAX);
}

/* look up args->path for args->task; a referenced path on success */
static int nsm_user_path(struct nsm_world *w, struct nsm_path_args *args,
			 unsigned int flags, struct nsm_task **taskp,
			 struct nsm_path *path)
{
	struct nsm_task *task;
	char *name;
	int ret;

	name = nsm_user_path_name(w, args, &task);
	if (IS_ERR(name))
		return PTR_ERR(name);
	ret = nsm_path_lookup(task, name, flags, path);
	nsm_strfree(name);
	*taskp = task;
	return ret;
}

/**
 * nsm_ioctl_mkdir - NSM_IOC_MKDIR: mkdir -p from a task
 * @w: the world, locked
 * @args: task and path (flags 0)
 *
 * models: vfs_mkdir() for each missing component.  EROFS on a read-only
 * mount or superblock; existing directories are fine, an existing file
 * as the last component is EEXIST (mkdir(2) says so, and "mkdir -p"
 * passes it on when what is there is no directory).
 */
long nsm_ioctl_mkdir(struct nsm_world *w, struct nsm_path_args *args)
{
	struct nsm_task *task;
	struct nsm_path path;
	int ret;

	ret = nsm_user_path(w, args, NSM_LOOKUP_CREATE, &task, &path);
	if (ret)
		return ret;
	if (!S_ISDIR(path.dentry->i_mode))
		ret = -EEXIST;
	nsm_path_put(&path);
	return ret;
}

/**
 * nsm_ioctl_chdir - NSM_IOC_CHDIR: chdir(path) from a task
 * @w: the world, locked
 * @args: task and path (flags 0)
 *
 * models: the chdir syscall: the lookup (LOOKUP_DIRECTORY: ENOTDIR for a
 * file), then search permission (EACCES)
 */
long nsm_ioctl_chdir(struct nsm_world *w, struct nsm_path_args *args)
{
	struct nsm_task *task;
	struct nsm_path path;
	int ret;

	ret = nsm_user_path(w, args, 0, &task, &path);
	if (ret)
		return ret;
	ret = nsm_lookup_directory(path.dentry);
	if (!ret)
		ret = nsm_inode_permission(task->cred, path.dentry, MAY_EXEC);
	if (ret) {
		nsm_path_put(&path);
		return ret;
	}
	nsm_set_fs_pwd(task->fs, &path);
	nsm_path_put(&path);
	return 0;
}

/**
 * nsm_ioctl_chroot - NSM_IOC_CHROOT: chroot(path) from a task
 * @w: the world, locked
 * @args: task and path (flags 0)
 *
 * models: the chroot syscall: the lookup first (ENOTDIR for a file), then
 * search permission (EACCES), then CAP_SYS_CHROOT in the caller's own user
 * namespace (EPERM).  The cwd stays where it is.
 */
long nsm_ioctl_chroot(struct nsm_world *w, struct nsm_path_args *args)
{
	struct nsm_task *task;
	struct nsm_path path;
	int ret;

	ret = nsm_user_path(w, args, 0, &task, &path);
	if (ret)
		return ret;
	ret = nsm_lookup_directory(path.dentry);
	if (!ret)
		ret = nsm_inode_permission(task->cred, path.dentry, MAY_EXEC);
	if (!ret && !nsm_ns_capable(task->cred, task->cred->user_ns,
				    CAP_SYS_CHROOT))
		ret = -EPERM;
	if (ret) {
		nsm_path_put(&path);
		return ret;
	}
	nsm_set_fs_root(task->fs, &path);
	nsm_path_put(&path);
	return 0;
}

/**
 * nsm_ioctl_stat - NSM_IOC_STAT: look a path up and describe it
 * @w: the world, locked
 * @args: task and path (flags 0); out: mnt_id, ino, dev (as stat's
 *        st_dev encodes it), is_root, mode (st_mode)
 */
long nsm_ioctl_stat(struct nsm_world *w, struct nsm_path_args *args)
{
	struct nsm_task *task;
	struct nsm_path path;
	int ret;

	ret = nsm_user_path(w, args, 0, &task, &path);
	if (ret)
		return ret;
	args->mnt_id = path.mnt->mnt_id;
	args->ino = path.dentry->d_ino;
	args->dev = new_encode_dev(path.dentry->d_sb->s_dev);
	args->is_root = path.dentry == path.mnt->mnt_root;
	args->mode = path.dentry->i_mode;
	nsm_path_put(&path);
	return 0;
}

/**
 * nsm_ioctl_getcwd - NSM_IOC_GETCWD: getcwd(buf, len) from a task
 * @w: the world, locked
 * @args: task, user buffer and its length (__reserved 0)
 *
 * models: the getcwd syscall of fs/d_path.c (the same in 6.1 and 6.12):
 * the cwd named from the task's root, with "(unreachable)" in front when
 * the climb ends anywhere but at that root - a cwd outside a chroot, or on
 * a lazily unmounted mount - keeping what was climbed.  The model has no
 * unlink, so the ENOENT of a deleted cwd cannot happen.  The checks come
 * in the syscall's order: ENAMETOOLONG past PATH_MAX, ERANGE when @len is
 * too small, EFAULT from the copy.  Returns the length written, NUL
 * included.
 */
long nsm_ioctl_getcwd(struct nsm_world *w, struct nsm_getcwd_args *args)
{
	struct nsm_prepend_buffer b;
	struct nsm_task *task;
	char *page;
	long ret;
	int len;

	task = nsm_path_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (args->__reserved)
		return -EINVAL;
	if (task->fs->pwd.dentry->d_deleted)
		return -ENOENT;
	/* __getname(): a PATH_MAX scratch page */
	page = nsm_alloc(w, NSM_OBJ_OTHER, PATH_MAX);
	if (!page)
		return -ENOMEM;
	b.buf = page + PATH_MAX;
	b.len = PATH_MAX;
	nsm_prepend(&b, "", 1);		/* the NUL: prepend_char(p, 0) */
	if (nsm_prepend_path(&task->fs->pwd, &task->fs->root, &b) > 0)
		nsm_prepend(&b, "(unreachable)", 13);

	len = PATH_MAX - b.len;
	if (len > PATH_MAX)
		ret = -ENAMETOOLONG;
	else if ((u32)len > args->len)
		ret = -ERANGE;
	else	/* dev.c copies it out (EFAULT) after the lock, frees page */
		return nsm_copy_out_unlocked(w, args->buf, b.buf, len, page,
					     PATH_MAX);
	nsm_free(w, NSM_OBJ_OTHER, page, PATH_MAX);
	return ret;
}

/* ---- files: creat, unlink, rmdir ---- */

/* models: the last_type of struct nameidata */
enum nsm_last_type { NSM_LAST_NORM, NSM_LAST_ROOT, NSM_LAST_DOT,
		     NSM_LAST_DOTDOT };

/* the last component of a name, as filename_parentat() leaves it */
struct nsm_last {
	const char *name;
	size_t len;
	enum nsm_last_type type;
	bool slash;		/* trailing slashes follow it */
};

/*
 * models: filename_parentat(): walk every component of @name but the
 * last (which must all be directories), check search permission on the
 * parent as link_path_walk() does for the last component too, and say
 * what the last one is.  @name is modified during the walk and restored.
 * On success @parent holds a reference.
 */
static int nsm_path_parentat(struct nsm_task *task, char *name,
			     struct nsm_path *parent, struct nsm_last *last)
{
	char *end = name + strlen(name), *base, save;
	int err;

	if (!*name)
		return -ENOENT;
	while (end > name && end[-1] == '/')
		end--;
	last->slash = *end == '/';
	if (end == name) {
		/* nothing but slashes: "/" itself */
		*parent = task->fs->root;
		nsm_path_get(parent);
		last->name = end;
		last->len = 0;
		last->type = NSM_LAST_ROOT;
		return 0;
	}
	base = end;
	while (base > name && base[-1] != '/')
		base--;
	last->name = base;
	last->len = end - base;
	last->type = NSM_LAST_NORM;
	if (last->len == 1 && base[0] == '.')
		last->type = NSM_LAST_DOT;
	else if (last->len == 2 && base[0] == '.' && base[1] == '.')
		last->type = NSM_LAST_DOTDOT;

	if (base == name) {
		*parent = task->fs->pwd;
		nsm_path_get(parent);
	} else {
		/* the prefix keeps its slash: each part must be a directory */
		save = *base;
		*base = '\0';
		err = nsm_vfs_path_lookup(task, &task->fs->pwd, name, 0, parent);
		*base = save;
		if (err)
			return err;
	}
	err = nsm_inode_permission(task->cred, parent->dentry, MAY_EXEC);
	if (err)
		nsm_path_put(parent);
	return err;
}

/* models: __lookup_hash() of the last component, mounts not followed */
static struct nsm_dentry *nsm_lookup_last(const struct nsm_path *parent,
					  const struct nsm_last *last)
{
	if (last->len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	if (parent->dentry->d_deleted)
		return ERR_PTR(-ENOENT);
	return nsm_d_lookup(parent->dentry, last->name, last->len);
}

/*
 * The name do_unlinkat() and do_rmdir() remove: mnt_want_write() on the
 * parent's mount first (EROFS), then the lookup (ENOENT if none).
 */
static struct nsm_dentry *nsm_lookup_victim(const struct nsm_path *parent,
					    const struct nsm_last *last)
{
	struct nsm_dentry *d;

	if (nsm_mnt_is_readonly(parent->mnt))
		return ERR_PTR(-EROFS);
	d = nsm_lookup_last(parent, last);
	return d ? d : ERR_PTR(-ENOENT);
}

/*
 * models: may_delete(): write and search permission on the directory,
 * the sticky bit (check_sticky(): the owner of the file or of the
 * directory, or CAP_FOWNER over the file), then the type of the victim.
 */
static int nsm_may_delete(const struct nsm_cred *cred, struct nsm_dentry *dir,
			  struct nsm_dentry *victim, bool isdir)
{
	int err;

	err = nsm_inode_permission(cred, dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if ((dir->i_mode & S_ISVTX) && cred->fsuid != victim->i_uid &&
	    cred->fsuid != dir->i_uid &&
	    !nsm_capable_wrt_inode(cred, victim, CAP_FOWNER))
		return -EPERM;
	if (isdir && !S_ISDIR(victim->i_mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(victim->i_mode))
		return -EISDIR;
	return 0;
}

/* copy the path argument in and split it; a referenced parent on success */
static int nsm_user_parentat(struct nsm_world *w, struct nsm_path_args *args,
			     struct nsm_task **taskp, char **namep,
			     struct nsm_path *parent, struct nsm_last *last)
{
	struct nsm_task *task;
	char *name;
	int ret;

	name = nsm_user_path_name(w, args, &task);
	if (IS_ERR(name))
		return PTR_ERR(name);
	ret = nsm_path_parentat(task, name, parent, last);
	if (ret) {
		nsm_strfree(name);
		return ret;
	}
	*taskp = task;
	*namep = name;
	return 0;
}

/*
 * models: the rest of open(O_WRONLY | O_CREAT) on a name that exists:
 * do_open() (EISDIR for a directory), may_open() (EROFS on a read-only
 * superblock, EPERM for an immutable inode, then write permission), and
 * the write access that do_dentry_open() takes on the mount (EROFS).
 * The only immutable inodes are the namespace files: __ns_get_path()
 * makes each nsfs inode S_IMMUTABLE, so even root cannot open a bound
 * namespace file for writing.
 */
static int nsm_open_existing(const struct nsm_cred *cred,
			     struct nsm_path *path)
{
	int err;

	nsm_follow_mounts(path);
	if (S_ISDIR(path->dentry->i_mode))
		return -EISDIR;
	if (path->dentry->d_sb->s_flags & SB_RDONLY)
		return -EROFS;
	if (path->dentry->d_ns)
		return -EPERM;
	err = nsm_inode_permission(cred, path->dentry, MAY_WRITE);
	if (err)
		return err;
	return nsm_mnt_is_readonly(path->mnt) ? -EROFS : 0;
}

/**
 * nsm_ioctl_touch - NSM_IOC_TOUCH: open(path, O_WRONLY | O_CREAT, 0666)
 * @w: the world, locked
 * @args: task and path (flags 0)
 *
 * models: open_last_lookups() and lookup_open() for O_CREAT without
 * O_EXCL: a trailing slash or a last component that is "/", "." or ".."
 * is EISDIR; a missing name is created as an empty regular file (ENOENT
 * in a removed directory, EROFS on a read-only mount, then may_o_create());
 * an existing one is opened for writing as nsm_open_existing() says.
 */
long nsm_ioctl_touch(struct nsm_world *w, struct nsm_path_args *args)
{
	struct nsm_path parent, path;
	struct nsm_task *task;
	struct nsm_last last;
	struct nsm_dentry *d;
	char *name;
	int ret;

	ret = nsm_user_parentat(w, args, &task, &name, &parent, &last);
	if (ret)
		return ret;
	ret = -EISDIR;
	if (last.type != NSM_LAST_NORM || last.slash)
		goto out;
	d = nsm_lookup_last(&parent, &last);
	ret = PTR_ERR_OR_ZERO(d);
	if (ret)
		goto out;
	if (d) {
		path.mnt = parent.mnt;
		path.dentry = d;
		ret = nsm_open_existing(task->cred, &path);
		goto out;
	}
	ret = -EROFS;
	if (nsm_mnt_is_readonly(parent.mnt))
		goto out;
	ret = nsm_may_create(task->cred, parent.dentry);
	if (ret)
		goto out;
	d = nsm_d_create(task->cred, parent.dentry, last.name, last.len,
			 S_IFREG | 0644);
	ret = PTR_ERR_OR_ZERO(d);
out:
	nsm_path_put(&parent);
	nsm_strfree(name);
	return ret;
}

/*
 * The common tail of unlink and rmdir once vfs_unlink() / vfs_rmdir()
 * decided: a mountpoint in the caller's namespace is EBUSY, else the name
 * goes and the mounts on it in other namespaces with it.
 */
static int nsm_vfs_remove(struct nsm_task *task, struct nsm_dentry *victim)
{
	if (nsm_is_local_mountpoint(task, victim))
		return -EBUSY;
	if (!RB_EMPTY_ROOT(&victim->d_subdirs))
		return -ENOTEMPTY;	/* simple_rmdir(): !simple_empty() */
	nsm_d_delete(victim);
	nsm_detach_mounts(victim);
	return 0;
}

/**
 * nsm_ioctl_unlink - NSM_IOC_UNLINK: unlink(path) from a task
 * @w: the world, locked
 * @args: task and path (flags 0)
 *
 * models: do_unlinkat() and vfs_unlink(), in their order: EISDIR for a
 * last component that is not a plain name, EROFS (mnt_want_write() on
 * the parent's mount), ENOENT, a trailing slash (EISDIR on a directory,
 * else ENOTDIR), may_delete() (EACCES, EPERM for the sticky bit, EISDIR),
 * EBUSY for a mountpoint in the caller's namespace.
 */
long nsm_ioctl_unlink(struct nsm_world *w, struct nsm_path_args *args)
{
	struct nsm_task *task;
	struct nsm_path parent;
	struct nsm_last last;
	struct nsm_dentry *d;
	char *name;
	int ret;

	ret = nsm_user_parentat(w, args, &task, &name, &parent, &last);
	if (ret)
		return ret;
	ret = -EISDIR;
	if (last.type != NSM_LAST_NORM)
		goto out;
	d = nsm_lookup_victim(&parent, &last);
	ret = PTR_ERR_OR_ZERO(d);
	if (ret)
		goto out;
	if (last.slash) {
		ret = S_ISDIR(d->i_mode) ? -EISDIR : -ENOTDIR;
		goto out;
	}
	ret = nsm_may_delete(task->cred, parent.dentry, d, false);
	if (!ret)
		ret = nsm_vfs_remove(task, d);
out:
	nsm_path_put(&parent);
	nsm_strfree(name);
	return ret;
}

/**
 * nsm_ioctl_rmdir - NSM_IOC_RMDIR: rmdir(path) from a task
 * @w: the world, locked
 * @args: task and path (flags 0)
 *
 * models: do_rmdir() and vfs_rmdir(), in their order: ".." is ENOTEMPTY,
 * "." EINVAL, "/" EBUSY; EROFS; ENOENT; may_delete() (EACCES, EPERM for
 * the sticky bit, ENOTDIR for a file); EBUSY for a mountpoint in the
 * caller's namespace; ENOTEMPTY.  A removed directory may still be some
 * task's cwd: getcwd(2) then says ENOENT.
 */
long nsm_ioctl_rmdir(struct nsm_world *w, struct nsm_path_args *args)
{
	struct nsm_task *task;
	struct nsm_path parent;
	struct nsm_last last;
	struct nsm_dentry *d;
	char *name;
	int ret;

	ret = nsm_user_parentat(w, args, &task, &name, &parent, &last);
	if (ret)
		return ret;
	switch (last.type) {
	case NSM_LAST_DOTDOT:
		ret = -ENOTEMPTY;
		goto out;
	case NSM_LAST_DOT:
		ret = -EINVAL;
		goto out;
	case NSM_LAST_ROOT:
		ret = -EBUSY;
		goto out;
	case NSM_LAST_NORM:
		break;
	}
	d = nsm_lookup_victim(&parent, &last);
	ret = PTR_ERR_OR_ZERO(d);
	if (ret)
		goto out;
	ret = nsm_may_delete(task->cred, parent.dentry, d, true);
	if (!ret)
		ret = nsm_vfs_remove(task, d);
out:
	nsm_path_put(&parent);
	nsm_strfree(name);
	return ret;
}

/**
 * nsm_open_ns_path - the namespace bound at a path, for a handle
 * @task: the task that opens it
 * @name: the path, from its root or cwd
 *
 * models: open(2) of @name for reading, as "nsenter --net=/run/netns/x"
 * does before setns(2): the walk, read permission (EACCES), and then
 * what setns() asks of the file: a namespace file, else EINVAL.  Returns
 * the namespace with a new reference (the handle's) or an ERR_PTR.
 */
struct nsm_ns_common *nsm_open_ns_path(struct nsm_task *task, const char *name)
{
	struct nsm_ns_common *ns;
	struct nsm_path path;
	int err;

	if (!task->nsproxy || !task->fs || !task->cred)
		return ERR_PTR(-ESRCH);
	err = nsm_path_lookup(task, name, 0, &path);
	if (err)
		return ERR_PTR(err);
	ns = path.dentry->d_ns;
	err = nsm_inode_permission(task->cred, path.dentry, MAY_READ);
	if (!err && !ns)
		err = -EINVAL;
	if (!err)
		refcount_inc(&ns->count);
	nsm_path_put(&path);
	return err ? ERR_PTR(err) : ns;
}
