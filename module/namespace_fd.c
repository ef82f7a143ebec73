// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: the file-descriptor side of the new mount API, after the
 * open_tree(2) and move_mount(2) parts of fs/namespace.c.
 *
 * The kernel's open_tree() returns an O_PATH file: a path (mount and
 * dentry) and nothing else.  With OPEN_TREE_CLONE the path is the root of
 * a copy made as a bind mount makes one (__do_loopback()), put in an
 * anonymous mount namespace of its own (alloc_mnt_ns(..., true)) and
 * marked FMODE_NEED_UNMOUNT, so that the last fput() unmounts it with
 * dissolve_on_fput() - unless move_mount() attached it somewhere in the
 * meantime, which takes it out of the anonymous namespace and frees that.
 *
 * The model's file is a "mount handle": an anonymous-inode file of the
 * device whose private data holds the path with its reference and the
 * need-unmount mark.  Like a namespace handle (nsfs.c) it holds a
 * reference on its world, so that a detached tree can still be dissolved
 * after the world fd is closed.  Handles are the model's only files, so
 * they are also the only directory fds its *at() paths accept
 * (nsm_user_path_at()).  fsmount() makes its handles through
 * nsm_mnt_handle_file() too, on the first mount of the superblock of an
 * fs context (fsopen.c), alone in a new anonymous namespace.
 *
 * Anonymous namespaces follow the kernel's rules where they live, in
 * namespace.c and pnode.c: is_anon_ns() (a zero sequence number, no
 * inode number), no setns() into one (mntns_install()), nothing
 * propagates into one (IS_MNT_NEW()), do_move_mount() accepts the root of
 * one as what it moves.
 *
 * Everything runs under world->lock, as in namespace.c.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <uapi/linux/mount.h>

#include "nsmodel.h"
#include "mount.h"
#include "trace.h"

#ifndef MOVE_MOUNT_BENEATH
#define MOVE_MOUNT_BENEATH	0x00000200
#endif

/* move_mount(2)'s flags every profile takes; MOVE_MOUNT_BENEATH is 6.5's */
#define NSM_MOVE_MOUNT_MASK						\
	(MOVE_MOUNT_F_SYMLINKS | MOVE_MOUNT_F_AUTOMOUNTS |		\
	 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS |		\
	 MOVE_MOUNT_T_AUTOMOUNTS | MOVE_MOUNT_T_EMPTY_PATH |		\
	 MOVE_MOUNT_SET_GROUP)

#define NSM_OPEN_TREE_FLAGS						\
	(AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_RECURSIVE |		\
	 AT_SYMLINK_NOFOLLOW | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)

/* models: the O_PATH struct file of open_tree(), with its f_mode bit */
struct nsm_mnt_handle {
	struct nsm_world *world;
	struct nsm_path path;		/* referenced */
	bool need_unmount;		/* FMODE_NEED_UNMOUNT */
};

/* models: __fput() of such a file: dissolve_on_fput(), then path_put() */
static int nsm_mnt_handle_release(struct inode *inode, struct file *file)
{
	struct nsm_mnt_handle *h = file->private_data;
	struct nsm_world *w = h->world;

	mutex_lock(&w->lock);
	if (h->need_unmount)
		nsm_dissolve_on_fput(h->path.mnt);
	nsm_path_put(&h->path);
	nsm_free(w, NSM_OBJ_MNT_HANDLE, h, sizeof(*h));
	mutex_unlock(&w->lock);
	nsm_world_put(w);
	return 0;
}

static const struct file_operations nsm_mnt_handle_fops = {
	.owner		= THIS_MODULE,
	.release	= nsm_mnt_handle_release,
	.llseek		= noop_llseek,
};

/**
 * nsm_mnt_handle_file - a new mount handle file on @path
 * @w: the world, locked
 * @path: the path; the handle takes a reference of its own
 * @need_unmount: dissolve the tree of @path->mnt when the file goes
 *                (FMODE_NEED_UNMOUNT)
 *
 * models: dentry_open(path, O_PATH, ...) and the f_mode bit that
 * open_tree() and fsmount() set.  Returns the file or an ERR_PTR; on
 * failure nothing is held and the caller still owns its tree.
 */
struct file *nsm_mnt_handle_file(struct nsm_world *w,
				 const struct nsm_path *path,
				 bool need_unmount)
{
	struct nsm_mnt_handle *h;
	struct file *file;

	h = nsm_alloc(w, NSM_OBJ_MNT_HANDLE, sizeof(*h));
	if (!h)
		return ERR_PTR(-ENOMEM);
	h->world = w;
	h->path = *path;
	file = anon_inode_getfile("[nsmodel-mnt]", &nsm_mnt_handle_fops, h,
				  O_RDONLY);
	if (IS_ERR(file)) {
		nsm_free(w, NSM_OBJ_MNT_HANDLE, h, sizeof(*h));
		return file;
	}
	nsm_path_get(&h->path);
	h->need_unmount = need_unmount;
	/* the file's reference on the world, dropped by its release */
	nsm_world_get(w);
	return file;
}

/**
 * nsm_mnt_handle_fd_path - the path a mount handle fd holds
 * @w: the world the caller acts in
 * @fd: a file descriptor of the calling process
 * @path: out: the path, referenced (nsm_path_put() it)
 *
 * Returns 0, or -EBADF when @fd is no mount handle of @w (the model has
 * no other files a path could start at).
 */
int nsm_mnt_handle_fd_path(struct nsm_world *w, int fd, struct nsm_path *path)
{
	struct nsm_mnt_handle *h;
	struct file *file;
	int err = -EBADF;

	file = fget(fd);
	if (!file)
		return -EBADF;
	if (file->f_op == &nsm_mnt_handle_fops) {
		h = file->private_data;
		if (h->world == w) {
			*path = h->path;
			nsm_path_get(path);
			err = 0;
		}
	}
	fput(file);
	return err;
}

/**
 * nsm_user_path_at - look a path up as user_path_at(@dfd, @name) would
 * @task: the walker
 * @dfd: AT_FDCWD or a mount handle fd
 * @name: the path, copied in
 * @empty: LOOKUP_EMPTY (AT_EMPTY_PATH, MOVE_MOUNT_*_EMPTY_PATH): an empty
 *         @name means @dfd itself
 * @path: out: the result, referenced
 *
 * models: getname_flags()'s ENOENT for an empty name, then path_init():
 * an absolute name starts at the root whatever @dfd is, a relative one at
 * the cwd or at @dfd (EBADF if it is no handle, ENOTDIR if a non-empty
 * name would walk from a file), then the walk.
 */
int nsm_user_path_at(struct nsm_task *task, int dfd, const char *name,
		     bool empty, struct nsm_path *path)
{
	struct nsm_path start;
	int err;

	if (!*name && !empty)
		return -ENOENT;
	if (*name == '/')
		return nsm_path_lookup(task, name, 0, path);
	if (dfd == AT_FDCWD) {
		if (*name)
			return nsm_path_lookup(task, name, 0, path);
		*path = task->fs->pwd;
		nsm_path_get(path);
		return 0;
	}
	err = nsm_mnt_handle_fd_path(task->world, dfd, &start);
	if (err)
		return err;
	if (!*name) {
		*path = start;
		return 0;
	}
	if (!S_ISDIR(start.dentry->i_mode))
		err = -ENOTDIR;
	else
		err = nsm_vfs_path_lookup(task, &start, name, 0, path);
	nsm_path_put(&start);
	return err;
}

/*
 * models: open_detached_copy(): a copy of @path's mount (with @recursive,
 * of its subtree) in a new anonymous namespace owned by the caller's
 * mount namespace's owner, and a handle on its root that dissolves it.
 * On success @path is moved onto the copy's root (the reference on the
 * original is dropped).
 */
static struct file *nsm_open_detached_copy(struct nsm_task *task,
					   struct nsm_path *path,
					   bool recursive)
{
	struct nsm_user_namespace *user_ns = task->nsproxy->mnt_ns->user_ns;
	struct nsm_world *w = task->world;
	struct nsm_mnt_namespace *ns;
	struct nsm_mount *mnt, *p, *orig;
	struct file *file;

	ns = nsm_alloc_mnt_ns(w, user_ns, true);
	if (IS_ERR(ns))
		return ERR_CAST(ns);

	if (recursive)
		trace_nsm_copy_tree_call(w->id, NSM_COPY_TREE_OPEN_TREE,
					 path->mnt->mnt_id);
	mnt = __nsm_do_loopback(task, path, recursive);
	if (IS_ERR(mnt)) {
		nsm_namespace_unlock(w);
		nsm_free_mnt_ns(ns);
		return ERR_CAST(mnt);
	}

	for (p = mnt; p; p = nsm_next_mnt(p, mnt)) {
		p->mnt_ns = ns;
		ns->mounts++;
	}
	ns->root = mnt;
	list_add_tail(&ns->list, &mnt->mnt_list);
	nsm_mntget(mnt);
	nsm_namespace_unlock(w);

	orig = path->mnt;
	path->mnt = mnt;
	nsm_mntput(orig);
	file = nsm_mnt_handle_file(w, path, true);
	if (IS_ERR(file))
		nsm_dissolve_on_fput(mnt);
	return file;
}

/**
 * nsm_ioctl_open_tree - NSM_IOC_OPEN_TREE: open_tree(2) from a task
 * @w: the world, locked
 * @args: task, dfd, path, flags; the new fd is returned in @args->fd
 * @filep: out: the handle's file, for dev.c to install at @args->fd
 *
 * models: the open_tree system call, its checks in its order.  The fd is
 * reserved first (EMFILE before any lookup error), as the kernel does.
 * ENOSYS under the 2.4.19 profile.
 */
long nsm_ioctl_open_tree(struct nsm_world *w, struct nsm_open_tree_args *args,
			 struct file **filep)
{
	unsigned int flags = args->flags;
	bool detached = flags & OPEN_TREE_CLONE;
	struct nsm_task *task;
	struct nsm_path path;
	struct file *file;
	char *name;
	int fd, err, src;

	/* open_tree(2) is from 5.2 */
	err = nsm_syscall_exists(w);
	if (err)
		return err;
	if (args->__reserved)
		return -EINVAL;
	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (flags & ~NSM_OPEN_TREE_FLAGS)
		return -EINVAL;
	if ((flags & (AT_RECURSIVE | OPEN_TREE_CLONE)) == AT_RECURSIVE)
		return -EINVAL;
	if (detached && !nsm_may_mount(task))
		return -EPERM;

	fd = get_unused_fd_flags(flags & O_CLOEXEC);
	if (fd < 0)
		return fd;

	name = nsm_strndup_user(w, args->path, NSM_PATH_MAX);
	if (IS_ERR(name)) {
		err = PTR_ERR(name);
		goto out_fd;
	}
	err = nsm_user_path_at(task, args->dfd, name, flags & AT_EMPTY_PATH,
			       &path);
	nsm_strfree(name);
	if (err)
		goto out_fd;
	src = path.mnt->mnt_id;
	if (detached)
		file = nsm_open_detached_copy(task, &path,
					      flags & AT_RECURSIVE);
	else
		file = nsm_mnt_handle_file(w, &path, false);
	if (!IS_ERR(file))
		trace_nsm_open_tree(w->id, task->id, src, flags,
				    detached ? path.mnt->mnt_id : -1,
				    detached ? path.mnt->mnt_ns->mounts : 0);
	nsm_path_put(&path);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out_fd;
	}
	*filep = file;
	args->fd = fd;
	return fd;

out_fd:
	put_unused_fd(fd);
	return err;
}

/*
 * models: do_set_group(): @to_path's mount, private, joins the peer
 * group and the master of @from_path's, which shares a superblock with
 * it and whose root contains @to's.
 */
static int nsm_do_set_group(struct nsm_task *task, struct nsm_path *from_path,
			    struct nsm_path *to_path)
{
	struct nsm_mount *from = from_path->mnt, *to = to_path->mnt;
	int err;

	err = nsm_may_change_propagation(task, from);
	if (err)
		goto out;
	err = nsm_may_change_propagation(task, to);
	if (err)
		goto out;

	err = -EINVAL;
	/* both must be the roots of their mounts */
	if (from_path->dentry != from->mnt_root)
		goto out;
	if (to_path->dentry != to->mnt_root)
		goto out;
	/* only within one superblock */
	if (from->mnt_sb != to->mnt_sb)
		goto out;
	/* @from must show at least what @to shows */
	if (!nsm_is_subdir(to->mnt_root, from->mnt_root))
		goto out;
	/* and must not hide a locked mount where @to's root is */
	if (nsm_has_locked_children(from, to->mnt_root))
		goto out;
	/* @to must be private, @from not */
	if (NSM_IS_MNT_SHARED(to) || NSM_IS_MNT_SLAVE(to))
		goto out;
	if (!NSM_IS_MNT_SHARED(from) && !NSM_IS_MNT_SLAVE(from))
		goto out;

	if (NSM_IS_MNT_SLAVE(from)) {
		list_add(&to->mnt_slave, &from->mnt_slave);
		to->mnt_master = from->mnt_master;
	}
	if (NSM_IS_MNT_SHARED(from)) {
		to->mnt_group_id = from->mnt_group_id;
		list_add(&to->mnt_share, &from->mnt_share);
		nsm_set_mnt_shared(to);
	}
	err = 0;
out:
	nsm_namespace_unlock(task->world);
	return err;
}

/* one side of move_mount(): copy the name in and look it up */
static int nsm_move_mount_path(struct nsm_task *task, int dfd, u64 uname,
			       bool empty, struct nsm_path *path)
{
	char *name;
	int err;

	name = nsm_strndup_user(task->world, uname, NSM_PATH_MAX);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = nsm_user_path_at(task, dfd, name, empty, path);
	nsm_strfree(name);
	return err;
}

/**
 * nsm_ioctl_move_mount - NSM_IOC_MOVE_MOUNT: move_mount(2) from a task
 * @w: the world, locked
 * @args: task, the two dfd/path pairs, flags
 *
 * models: the move_mount system call: may_mount() (EPERM), the flags
 * (EINVAL; MOVE_MOUNT_BENEATH only in a profile that has it,
 * NSM_FEAT_MOVE_MOUNT_BENEATH, and never with MOVE_MOUNT_SET_GROUP), the
 * lookup of the source, then of the target, then do_set_group() or
 * do_move_mount().  ENOSYS under the 2.4.19 profile.
 */
long nsm_ioctl_move_mount(struct nsm_world *w,
			  struct nsm_move_mount_args *args)
{
	unsigned int flags = args->flags;
	struct nsm_path from_path, to_path;
	struct nsm_task *task;
	int err;

	/* move_mount(2) is from 5.2 */
	err = nsm_syscall_exists(w);
	if (err)
		return err;
	if (args->__reserved)
		return -EINVAL;
	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (!nsm_may_mount(task))
		return -EPERM;
	if (flags & ~(NSM_MOVE_MOUNT_MASK |
		      (nsm_feat(w, NSM_FEAT_MOVE_MOUNT_BENEATH) ?
		       MOVE_MOUNT_BENEATH : 0)))
		return -EINVAL;
	if ((flags & (MOVE_MOUNT_BENEATH | MOVE_MOUNT_SET_GROUP)) ==
	    (MOVE_MOUNT_BENEATH | MOVE_MOUNT_SET_GROUP))
		return -EINVAL;

	err = nsm_move_mount_path(task, args->from_dfd, args->from_path,
				  flags & MOVE_MOUNT_F_EMPTY_PATH, &from_path);
	if (err)
		return err;
	err = nsm_move_mount_path(task, args->to_dfd, args->to_path,
				  flags & MOVE_MOUNT_T_EMPTY_PATH, &to_path);
	if (err)
		goto out_from;

	if (flags & MOVE_MOUNT_SET_GROUP)
		err = nsm_do_set_group(task, &from_path, &to_path);
	else
		err = nsm_do_move_mount(task, &from_path, &to_path,
					flags & MOVE_MOUNT_BENEATH);
	nsm_path_put(&to_path);
out_from:
	nsm_path_put(&from_path);
	return err;
}

/* fsmount(2)'s attributes: FSMOUNT_VALID_FLAGS */
#define NSM_FSMOUNT_ATTRS						\
	(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |	\
	 MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME |	\
	 MOUNT_ATTR_NOSYMFOLLOW)

/*
 * models: fsmount()'s translation of @attr_flags into mount flags: the
 * atime field must hold exactly one of its three values.  Returns the
 * flags, or -EINVAL.
 */
static int nsm_fsmount_mnt_flags(u32 attr_flags)
{
	unsigned int mnt_flags;

	if (attr_flags & ~NSM_FSMOUNT_ATTRS)
		return -EINVAL;
	mnt_flags = nsm_attr_flags_to_mnt_flags(attr_flags);
	switch (attr_flags & MOUNT_ATTR__ATIME) {
	case MOUNT_ATTR_STRICTATIME:
		break;
	case MOUNT_ATTR_NOATIME:
		mnt_flags |= MNT_NOATIME;
		break;
	case MOUNT_ATTR_RELATIME:
		mnt_flags |= MNT_RELATIME;
		break;
	default:
		return -EINVAL;
	}
	return mnt_flags;
}

/*
 * models: the part of fsmount() after its checks: the superblock's first
 * mount with @mnt_flags, the context cleaned (vfs_clean_context(), even
 * if what follows fails), a new anonymous namespace of the caller's
 * namespace's owner holding the mount alone, and a handle that dissolves
 * it.  Returns the handle or an ERR_PTR; on failure nothing is left.
 */
static struct file *nsm_fsmount_detached(struct nsm_task *task,
					 struct nsm_fscontext *ctx,
					 unsigned int mnt_flags)
{
	struct nsm_user_namespace *user_ns = task->nsproxy->mnt_ns->user_ns;
	struct nsm_world *w = task->world;
	struct nsm_mnt_namespace *ns;
	struct nsm_mount *mnt;
	struct nsm_path path;
	struct file *file;

	/* vfs_create_mount(): the mount's own active reference */
	ctx->sb->s_active++;
	mnt = nsm_vfs_create_mount(ctx->sb, ctx->source);
	if (IS_ERR(mnt)) {
		nsm_deactivate_super(ctx->sb);
		return ERR_CAST(mnt);
	}
	mnt->mnt_flags = mnt_flags;
	nsm_vfs_clean_context(ctx);

	ns = nsm_alloc_mnt_ns(w, user_ns, true);
	if (IS_ERR(ns)) {
		nsm_mntput(mnt);
		return ERR_CAST(ns);
	}
	mnt->mnt_ns = ns;
	ns->root = mnt;
	ns->mounts = 1;
	list_add_tail(&ns->list, &mnt->mnt_list);
	/* the namespace's reference; the path's is the one we made */
	nsm_mntget(mnt);

	path.mnt = mnt;
	path.dentry = mnt->mnt_root;
	file = nsm_mnt_handle_file(w, &path, true);
	if (IS_ERR(file))
		nsm_dissolve_on_fput(mnt);
	nsm_mntput(mnt);
	return file;
}

/**
 * nsm_ioctl_fsmount - NSM_IOC_FSMOUNT: fsmount(2) from a task
 * @w: the world, locked
 * @args: task, fs_fd, flags, attr_flags; the new fd in @args->fd
 * @filep: out: the handle's file, for dev.c to install at @args->fd
 *
 * models: the fsmount system call, its checks in its order:
 * may_mount() (EPERM), the flags and attributes (EINVAL), the fd (EBADF,
 * EINVAL for no fs context), a created superblock (EINVAL), the phase
 * (EBUSY), then the mount, its namespace and its handle; the fd is
 * reserved last (EMFILE after all that, as the kernel's).
 */
long nsm_ioctl_fsmount(struct nsm_world *w, struct nsm_fsmount_args *args,
		       struct file **filep)
{
	struct nsm_fscontext *ctx;
	struct nsm_task *task;
	struct file *ctx_file, *file;
	int mnt_flags, fd;
	long ret;

	/* fsmount(2) is from 5.2 */
	ret = nsm_syscall_exists(w);
	if (ret)
		return ret;
	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (!nsm_may_mount(task))
		return -EPERM;
	if (args->flags & ~FSMOUNT_CLOEXEC)
		return -EINVAL;
	mnt_flags = nsm_fsmount_mnt_flags(args->attr_flags);
	if (mnt_flags < 0)
		return mnt_flags;

	ctx = nsm_fscontext_fget(w, args->fs_fd, &ctx_file);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ret = -EINVAL;
	if (!ctx->sb)
		goto out;
	ret = -EBUSY;
	if (ctx->phase != NSM_FS_CONTEXT_AWAITING_MOUNT)
		goto out;

	file = nsm_fsmount_detached(task, ctx, mnt_flags);
	ret = PTR_ERR(file);
	if (IS_ERR(file))
		goto out;
	fd = get_unused_fd_flags(args->flags & FSMOUNT_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0) {
		fput(file);
		ret = fd;
		goto out;
	}
	*filep = file;
	args->fd = fd;
	ret = fd;
out:
	fput(ctx_file);
	return ret;
}
