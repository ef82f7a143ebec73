// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: filesystem contexts as files, after fs/fsopen.c and the parts
 * of fs/fs_context.c it drives.
 *
 * fsopen() makes a context to create a new superblock, fspick() one to
 * reconfigure the superblock of an existing mount; fsconfig() feeds the
 * context parameters and commands, each allowed only in some phases:
 *
 *   CREATE_PARAMS --create--> CREATING --> AWAITING_MOUNT --fsmount-->
 *   AWAITING_RECONF --(next fsconfig)--> RECONF_PARAMS --reconfigure-->
 *   RECONFIGURING --> AWAITING_RECONF ...
 *
 * and a create or reconfigure that fails in its filesystem part leaves
 * the context FAILED, where every later command is EBUSY.  fsmount()
 * (namespace_fd.c) takes the created superblock and moves the context to
 * AWAITING_RECONF, as after an fspick() of the new mount.
 *
 * The model's context file is an anonymous-inode file of the device, like
 * a mount handle; it holds a reference on its world (so that closing the
 * world fd first is fine), on the user namespace the context belongs to,
 * and, once it has one, an active reference on its superblock (fc->root).
 * Only tmpfs exists; its parameters are namespace.c's, shared with
 * mount(2)'s data string.  Everything runs under world->lock.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <uapi/linux/mount.h>

#include "nsmodel.h"
#include "mount.h"

/* 6.6's fsconfig() command, missing from older headers */
#ifndef FSCONFIG_CMD_CREATE_EXCL
#define FSCONFIG_CMD_CREATE_EXCL	8
#endif

#define NSM_FSPICK_FLAGS						\
	(FSPICK_CLOEXEC | FSPICK_SYMLINK_NOFOLLOW | FSPICK_NO_AUTOMOUNT |	\
	 FSPICK_EMPTY_PATH)

static int nsm_fscontext_release(struct inode *inode, struct file *file);

static const struct file_operations nsm_fscontext_fops = {
	.owner		= THIS_MODULE,
	.release	= nsm_fscontext_release,
	.llseek		= noop_llseek,
};

/* models: put_fs_context(), from the last fput() of the context file */
static int nsm_fscontext_release(struct inode *inode, struct file *file)
{
	struct nsm_fscontext *ctx = file->private_data;
	struct nsm_world *w = ctx->world;

	mutex_lock(&w->lock);
	if (ctx->sb)
		nsm_deactivate_super(ctx->sb);
	nsm_put_user_ns(ctx->fc.user_ns);
	nsm_strfree(ctx->source);
	nsm_free(w, NSM_OBJ_FS_CONTEXT, ctx, sizeof(*ctx));
	mutex_unlock(&w->lock);
	nsm_world_put(w);
	return 0;
}

/*
 * models: alloc_fs_context() and fscontext_create_fd(): a context of
 * @user_ns (referenced here) in @phase, and the file that holds it, its
 * fd reserved.  On success the file owns @sb's active reference (NULL
 * for fsopen()); on failure the caller keeps it.
 */
static long nsm_fscontext_create_fd(struct nsm_task *task,
				    struct nsm_user_namespace *user_ns,
				    struct nsm_super_block *sb,
				    enum nsm_fs_context_phase phase,
				    bool cloexec, struct file **filep)
{
	struct nsm_world *w = task->world;
	struct nsm_fscontext *ctx;
	struct file *file;
	int fd;

	ctx = nsm_alloc(w, NSM_OBJ_FS_CONTEXT, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->world = w;
	ctx->phase = phase;
	ctx->fc.user_ns = user_ns;
	/* shmem_init_fs_context(): the opener's ids own the new root */
	ctx->fc.uid = task->cred->fsuid;
	ctx->fc.gid = task->cred->egid;
	ctx->fc.uid_set = ctx->fc.gid_set = true;

	fd = get_unused_fd_flags(cloexec ? O_CLOEXEC : 0);
	if (fd < 0) {
		nsm_free(w, NSM_OBJ_FS_CONTEXT, ctx, sizeof(*ctx));
		return fd;
	}
	file = anon_inode_getfile("[nsmodel-fscontext]", &nsm_fscontext_fops,
				  ctx, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		nsm_free(w, NSM_OBJ_FS_CONTEXT, ctx, sizeof(*ctx));
		return PTR_ERR(file);
	}
	nsm_get_user_ns(user_ns);
	ctx->sb = sb;
	/* the file's reference on the world, dropped by its release */
	nsm_world_get(w);
	*filep = file;
	return fd;
}

/**
 * nsm_fscontext_fget - the fs context behind a descriptor
 * @w: the world the caller acts in
 * @fd: a descriptor of the calling process
 * @filep: out: the file, referenced (fput() it)
 *
 * models: fsconfig()'s and fsmount()'s fdget() and f_op test.  Returns
 * the context, ERR_PTR(-EBADF) for no open file, ERR_PTR(-EINVAL) for a
 * file that is no fs context of @w.
 */
struct nsm_fscontext *nsm_fscontext_fget(struct nsm_world *w, int fd,
					 struct file **filep)
{
	struct nsm_fscontext *ctx;
	struct file *file;

	file = fget(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	ctx = file->private_data;
	if (file->f_op != &nsm_fscontext_fops || ctx->world != w) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	*filep = file;
	return ctx;
}

/**
 * nsm_vfs_clean_context - a mounted context, ready for reconfiguration
 * @ctx: the context
 *
 * models: vfs_clean_context(): the parameters and the source are
 * forgotten; the superblock stays (fc->root); the next fsconfig() starts
 * a reconfiguration of it.
 */
void nsm_vfs_clean_context(struct nsm_fscontext *ctx)
{
	struct nsm_fs_context clean = {
		.user_ns = ctx->fc.user_ns,
		.uid = ctx->fc.uid,
		.gid = ctx->fc.gid,
		.uid_set = ctx->fc.uid_set,
		.gid_set = ctx->fc.gid_set,
	};

	ctx->fc = clean;
	nsm_strfree(ctx->source);
	ctx->source = NULL;
	ctx->phase = NSM_FS_CONTEXT_AWAITING_RECONF;
}

/**
 * nsm_ioctl_fsopen - NSM_IOC_FSOPEN: fsopen(2) from a task
 * @w: the world, locked
 * @args: task, fs_name, flags; the new fd is returned in @args->fd
 * @filep: out: the context's file, for dev.c to install at @args->fd
 *
 * models: the fsopen system call: may_mount(), the flags, the name
 * (strndup_user(PAGE_SIZE): EINVAL when too long), get_fs_type()'s
 * ENODEV, then a context of the caller's user namespace.
 */
long nsm_ioctl_fsopen(struct nsm_world *w, struct nsm_fsopen_args *args,
		      struct file **filep)
{
	struct nsm_task *task;
	char *name;
	long fd;

	/* fsopen(2) is from 5.2 */
	fd = nsm_syscall_exists(w);
	if (fd)
		return fd;
	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (!nsm_may_mount(task))
		return -EPERM;
	if (args->flags & ~FSOPEN_CLOEXEC)
		return -EINVAL;

	name = nsm_strndup_user(w, args->fs_name, PAGE_SIZE);
	if (IS_ERR(name))
		return PTR_ERR(name) == -ENAMETOOLONG ? -EINVAL : PTR_ERR(name);
	fd = strcmp(name, "tmpfs") ? -ENODEV : 0;
	nsm_strfree(name);
	if (fd)
		return fd;

	fd = nsm_fscontext_create_fd(task, task->cred->user_ns, NULL,
				     NSM_FS_CONTEXT_CREATE_PARAMS,
				     args->flags & FSOPEN_CLOEXEC, filep);
	if (fd >= 0)
		args->fd = fd;
	return fd;
}

/**
 * nsm_ioctl_fspick - NSM_IOC_FSPICK: fspick(2) from a task
 * @w: the world, locked
 * @args: task, dfd, path, flags; the new fd is returned in @args->fd
 * @filep: out: the context's file, for dev.c to install at @args->fd
 *
 * models: the fspick system call: may_mount(), the flags, the lookup,
 * then EINVAL unless the path is a mount's root, then
 * fs_context_for_reconfigure(): a context of the superblock's owner that
 * holds an active reference on it.  (The kernel also refuses SB_NOUSER
 * superblocks; the model has none: nsfs clears the flag for its binds.)
 */
long nsm_ioctl_fspick(struct nsm_world *w, struct nsm_fspick_args *args,
		      struct file **filep)
{
	struct nsm_super_block *sb;
	struct nsm_task *task;
	struct nsm_path path;
	char *name;
	long ret;

	/* fspick(2) is from 5.2 */
	ret = nsm_syscall_exists(w);
	if (ret)
		return ret;
	if (args->__reserved)
		return -EINVAL;
	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (!nsm_may_mount(task))
		return -EPERM;
	if (args->flags & ~NSM_FSPICK_FLAGS)
		return -EINVAL;

	name = nsm_strndup_user(w, args->path, NSM_PATH_MAX);
	if (IS_ERR(name))
		return PTR_ERR(name);
	ret = nsm_user_path_at(task, args->dfd, name,
			       args->flags & FSPICK_EMPTY_PATH, &path);
	nsm_strfree(name);
	if (ret)
		return ret;

	sb = path.mnt->mnt_sb;
	ret = -EINVAL;
	if (path.mnt->mnt_root != path.dentry)
		goto out;
	sb->s_active++;
	ret = nsm_fscontext_create_fd(task, sb->s_user_ns, sb,
				      NSM_FS_CONTEXT_RECONF_PARAMS,
				      args->flags & FSPICK_CLOEXEC, filep);
	if (ret < 0)
		nsm_deactivate_super(sb);
	else
		args->fd = ret;
out:
	nsm_path_put(&path);
	return ret;
}

/*
 * models: vfs_cmd_create(): only from CREATE_PARAMS (EBUSY), then
 * mount_capable() (EPERM, the phase unchanged), then vfs_get_tree(),
 * whose failure leaves the context FAILED.
 */
static int nsm_vfs_cmd_create(struct nsm_task *task,
			      struct nsm_fscontext *ctx)
{
	struct nsm_super_block *sb;

	if (ctx->phase != NSM_FS_CONTEXT_CREATE_PARAMS)
		return -EBUSY;
	/* tmpfs is FS_USERNS_MOUNT */
	if (!nsm_ns_capable(task->cred, ctx->fc.user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	ctx->phase = NSM_FS_CONTEXT_CREATING;
	sb = nsm_tmpfs_get_tree(task, &ctx->fc);
	if (IS_ERR(sb)) {
		ctx->phase = NSM_FS_CONTEXT_FAILED;
		return PTR_ERR(sb);
	}
	ctx->sb = sb;
	ctx->phase = NSM_FS_CONTEXT_AWAITING_MOUNT;
	return 0;
}

/*
 * models: vfs_cmd_reconfigure(): only from RECONF_PARAMS (EBUSY); the
 * caller needs CAP_SYS_ADMIN over the superblock's owner; a failure
 * (EPERM included) leaves the context FAILED, success cleans it for the
 * next reconfiguration.
 */
static int nsm_vfs_cmd_reconfigure(struct nsm_task *task,
				   struct nsm_fscontext *ctx)
{
	struct nsm_super_block *sb = ctx->sb;
	int err;

	if (ctx->phase != NSM_FS_CONTEXT_RECONF_PARAMS)
		return -EBUSY;
	ctx->phase = NSM_FS_CONTEXT_RECONFIGURING;
	if (!nsm_ns_capable(task->cred, sb->s_user_ns, CAP_SYS_ADMIN)) {
		ctx->phase = NSM_FS_CONTEXT_FAILED;
		return -EPERM;
	}
	err = nsm_reconfigure_super(sb, &ctx->fc);
	if (err) {
		ctx->phase = NSM_FS_CONTEXT_FAILED;
		return err;
	}
	nsm_vfs_clean_context(ctx);
	return 0;
}

/*
 * models: vfs_parse_fs_param() for tmpfs: the generic superblock flags
 * by key whatever the value, then shmem's parameters, then "source"
 * (a string, once); nsfs takes no parameters of its own.  @val is NULL for FSCONFIG_SET_FLAG.  On success
 * the context may keep @val as its source (*@taken).
 */
static int nsm_vfs_parse_fs_param(struct nsm_fscontext *ctx, char *key,
				  char *val, bool *taken)
{
	int err;

	if (nsm_parse_sb_flag(&ctx->fc, key))
		return 0;
	if (strcmp(key, "source")) {
		/* an nsfs context (fspick of a namespace file) has no others */
		if (ctx->sb && strcmp(ctx->sb->s_type, "tmpfs"))
			return -EINVAL;
		/* shmem_parse_one(): its errors and its "Unknown parameter" */
		err = nsm_shmem_parse_one(&ctx->fc, key, val);
		return err;
	}
	/* vfs_parse_fs_param_source() */
	if (!val || ctx->source)
		return -EINVAL;
	ctx->source = val;
	*taken = true;
	return 0;
}

/*
 * models: fsconfig()'s checks of its arguments for each command, before
 * it looks at the fd: EINVAL when they do not fit @cmd, EOPNOTSUPP for
 * an unknown one (FSCONFIG_CMD_CREATE_EXCL is unknown before 6.6).
 */
static int nsm_fsconfig_check_args(struct nsm_world *w,
				   const struct nsm_fsconfig_args *a)
{
	bool key = a->key, value = a->value;

	switch (a->cmd) {
	case FSCONFIG_SET_FLAG:
		return !key || value || a->aux ? -EINVAL : 0;
	case FSCONFIG_SET_STRING:
		return !key || !value || a->aux ? -EINVAL : 0;
	case FSCONFIG_SET_BINARY:
		return !key || !value || a->aux <= 0 ||
		       a->aux > 1024 * 1024 ? -EINVAL : 0;
	case FSCONFIG_SET_PATH:
	case FSCONFIG_SET_PATH_EMPTY:
		return !key || !value || (a->aux != AT_FDCWD && a->aux < 0) ?
		       -EINVAL : 0;
	case FSCONFIG_SET_FD:
		return !key || value || a->aux < 0 ? -EINVAL : 0;
	case FSCONFIG_CMD_CREATE_EXCL:
		if (!nsm_feat(w, NSM_FEAT_FSCONFIG_CREATE_EXCL))
			return -EOPNOTSUPP;
		fallthrough;
	case FSCONFIG_CMD_CREATE:
	case FSCONFIG_CMD_RECONFIGURE:
		return key || value || a->aux ? -EINVAL : 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* a string of fsconfig(): strndup_user(s, 256), EINVAL when too long */
static char *nsm_fsconfig_string(struct nsm_world *w, u64 uptr)
{
	char *s = nsm_strndup_user(w, uptr, NSM_FSCONFIG_STRING_MAX);

	return s == ERR_PTR(-ENAMETOOLONG) ? ERR_PTR(-EINVAL) : s;
}

/*
 * models: vfs_fsconfig_locked(): finish_clean_context() turns a mounted
 * or reconfigured context into a fresh reconfiguration, then the
 * command, or a parameter (only in CREATE_PARAMS or RECONF_PARAMS).
 */
static int nsm_vfs_fsconfig_locked(struct nsm_task *task,
				   struct nsm_fscontext *ctx,
				   unsigned int cmd, char *key, char *val,
				   bool *taken)
{
	if (ctx->phase == NSM_FS_CONTEXT_AWAITING_RECONF)
		ctx->phase = NSM_FS_CONTEXT_RECONF_PARAMS;
	switch (cmd) {
	case FSCONFIG_CMD_CREATE:
	case FSCONFIG_CMD_CREATE_EXCL:
		/* tmpfs never shares a superblock: exclusive is the same */
		return nsm_vfs_cmd_create(task, ctx);
	case FSCONFIG_CMD_RECONFIGURE:
		return nsm_vfs_cmd_reconfigure(task, ctx);
	default:
		if (ctx->phase != NSM_FS_CONTEXT_CREATE_PARAMS &&
		    ctx->phase != NSM_FS_CONTEXT_RECONF_PARAMS)
			return -EBUSY;
		return nsm_vfs_parse_fs_param(ctx, key, val, taken);
	}
}

/**
 * nsm_ioctl_fsconfig - NSM_IOC_FSCONFIG: fsconfig(2) from a task
 * @w: the world, locked
 * @args: task, fd, cmd, key, value, aux
 *
 * models: the fsconfig system call: a negative fd is EINVAL, then the
 * arguments of @cmd, the fd (EBADF, EINVAL for a file that is no
 * context), the key and the string value copied in, then
 * vfs_fsconfig_locked().  The value types the model has no files or
 * blobs for (binary, path, fd) are EOPNOTSUPP once their arguments
 * passed the checks.
 */
long nsm_ioctl_fsconfig(struct nsm_world *w, struct nsm_fsconfig_args *args)
{
	char *key = NULL, *val = NULL;
	struct nsm_fscontext *ctx;
	struct nsm_task *task;
	bool taken = false;
	struct file *file;
	long ret;

	/* fsconfig(2) is from 5.2 */
	ret = nsm_syscall_exists(w);
	if (ret)
		return ret;
	if (args->__reserved)
		return -EINVAL;
	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (args->fd < 0)
		return -EINVAL;
	ret = nsm_fsconfig_check_args(w, args);
	if (ret)
		return ret;
	ctx = nsm_fscontext_fget(w, args->fd, &file);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ret = -EOPNOTSUPP;
	if (args->cmd != FSCONFIG_SET_FLAG && args->cmd != FSCONFIG_SET_STRING &&
	    args->cmd != FSCONFIG_CMD_CREATE &&
	    args->cmd != FSCONFIG_CMD_CREATE_EXCL &&
	    args->cmd != FSCONFIG_CMD_RECONFIGURE)
		goto out;

	if (args->key) {
		key = nsm_fsconfig_string(w, args->key);
		ret = PTR_ERR(key);
		if (IS_ERR(key))
			goto out;
	}
	if (args->cmd == FSCONFIG_SET_STRING) {
		val = nsm_fsconfig_string(w, args->value);
		ret = PTR_ERR(val);
		if (IS_ERR(val))
			goto out_key;
	}
	/* shmem's parameters are read with the caller's ids, for this call */
	ctx->fc.cred = task->cred;
	ret = nsm_vfs_fsconfig_locked(task, ctx, args->cmd, key, val, &taken);
	ctx->fc.cred = NULL;
	if (!taken)
		nsm_strfree(val);
out_key:
	nsm_strfree(key);
out:
	fput(file);
	return ret;
}
