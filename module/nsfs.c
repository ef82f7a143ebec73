// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: namespace handles, the model's /proc/PID/ns/KIND files.
 *
 * Models fs/nsfs.c and fs/proc/namespaces.c.  Opening a handle on a task's
 * namespace gives an anonymous-inode fd that holds one reference on the
 * namespace, so the namespace outlives every task in it for as long as the
 * fd stays open, exactly as an open /proc/PID/ns file or a bind mount of
 * one does.  The fd also holds a reference on its world, so that the
 * namespace (which belongs to the world and is protected by its lock) can
 * still be released after the world fd has been closed.
 *
 * The NS_GET_* ioctls are folded into one NSM_IOC_NS_INFO; the mount
 * namespace ioctls that 6.12 adds (NS_MNT_GET_INFO, ...) are not modelled.
 *
 * Namespace files can also be bind-mounted (NSM_IOC_NS_BIND, as "mount
 * --bind /proc/PID/ns/net /run/netns/x"): each world has an nsfs
 * superblock with one internal mount, as the kernel's nsfs_mnt, made when
 * first needed; a namespace has at most one dentry in it, named
 * "KIND:[INUM]" as nsfs_show_path() shows the root of such a mount.  The
 * dentry holds one reference on the namespace, and lives while a mount
 * shows it (d_count, the dentry's reference count, taken by clone_mnt()
 * and dropped by cleanup_mnt()); the namespace reference then goes as
 * nsfs_evict() drops it.  That put can free a mount namespace, whose
 * umount frees more mounts: nsm_nsfs_reap() does those puts one after the
 * other from the outermost mntput(), never nested, as the kernel defers
 * them to task work.
 *
 * Lock order and ownership: everything here runs under world->lock.  The
 * world owns the internal mount (w->nsfs_mnt, one reference, dropped when
 * the world is released); the superblock lives while that mount or any
 * bind of a namespace file does.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/uaccess.h>

#include "nsmodel.h"
#include "mount.h"

/* what a handle fd's private_data points at */
struct nsm_ns_handle {
	struct nsm_world *world;
	struct nsm_ns_common *ns;
};

/* models: ns_entries[] of fs/proc/namespaces.c, by enum nsm_ns_kind */
const struct nsm_proc_ns_operations *nsm_ns_entry(unsigned int kind)
{
	switch (kind) {
	case NSM_NS_CGROUP:		return &nsm_cgroupns_operations;
	case NSM_NS_IPC:		return &nsm_ipcns_operations;
	case NSM_NS_MNT:		return &nsm_mntns_operations;
	case NSM_NS_NET:		return &nsm_netns_operations;
	case NSM_NS_PID:		return &nsm_pidns_operations;
	case NSM_NS_PID_FOR_CHILDREN:	return &nsm_pidns_for_children_operations;
	case NSM_NS_TIME:		return &nsm_timens_operations;
	case NSM_NS_TIME_FOR_CHILDREN:	return &nsm_timens_for_children_operations;
	case NSM_NS_USER:		return &nsm_userns_operations;
	case NSM_NS_UTS:		return &nsm_utsns_operations;
	}
	return NULL;
}

/**
 * nsm_task_ns - a task's namespace of one kind, without a reference
 * @task: the task
 * @kind: enum nsm_ns_kind
 *
 * What the ops->get() of @kind would return, for the views: NULL where
 * /proc/PID/ns/KIND could not be opened (pid_for_children of a pid
 * namespace that has had no init yet; any kind the model lacks).
 */
struct nsm_ns_common *nsm_task_ns(struct nsm_task *task, unsigned int kind)
{
	struct nsm_nsproxy *nsp = task->nsproxy;
	struct nsm_pid_namespace *pid_ns;

	switch (kind) {
	case NSM_NS_CGROUP:
		return &nsp->cgroup_ns->ns;
	case NSM_NS_IPC:
		return &nsp->ipc_ns->ns;
	case NSM_NS_MNT:
		return &nsp->mnt_ns->ns;
	case NSM_NS_NET:
		return &nsp->net_ns->ns;
	case NSM_NS_PID:
		return &nsm_task_active_pid_ns(task)->ns;
	case NSM_NS_PID_FOR_CHILDREN:
		pid_ns = nsp->pid_ns_for_children;
		if (!pid_ns->child_reaper && !pid_ns->reaper_exited)
			return NULL;
		return &pid_ns->ns;
	case NSM_NS_TIME:
		return &nsp->time_ns->ns;
	case NSM_NS_TIME_FOR_CHILDREN:
		return &nsp->time_ns_for_children->ns;
	case NSM_NS_USER:
		return &task->cred->user_ns->ns;
	case NSM_NS_UTS:
		return &nsp->uts_ns->ns;
	}
	return NULL;
}

/**
 * nsm_nsfs_mnt - the world's nsfs mount, made on first use
 * @w: the world, locked
 *
 * models: nsfs_init()'s kern_mount(): a mount in no namespace, with no
 * mount flags (kern_mount()'s MNT_INTERNAL is cleared by clone_mnt()), so
 * that binds of its files show "rw" alone.  Returns the mount (no new
 * reference) or an ERR_PTR.
 */
struct nsm_mount *nsm_nsfs_mnt(struct nsm_world *w)
{
	struct nsm_super_block *sb;
	struct nsm_mount *mnt;

	if (w->nsfs_mnt)
		return w->nsfs_mnt;
	sb = nsm_alloc_super(w, "nsfs", w->init_user_ns);
	if (IS_ERR(sb))
		return ERR_CAST(sb);
	mnt = nsm_vfs_create_mount(sb, "nsfs");
	if (IS_ERR(mnt)) {
		nsm_deactivate_super(sb);
		return mnt;
	}
	w->nsfs_mnt = mnt;
	return mnt;
}

/**
 * nsm_nsfs_kern_unmount - drop the world's nsfs mount
 * @w: the world being released: no task, handle or mount of a namespace
 *     file is left, so this is the last mount of the nsfs superblock
 *
 * models: kern_unmount(), which the kernel never does for nsfs.
 */
void nsm_nsfs_kern_unmount(struct nsm_world *w)
{
	if (w->nsfs_mnt)
		nsm_mntput(w->nsfs_mnt);
	w->nsfs_mnt = NULL;
}

/**
 * nsm_ns_get_dentry - the nsfs dentry of a namespace, with a reference
 * @w: the world, locked; its nsfs mount exists
 * @ns: the namespace
 *
 * models: __ns_get_path(): the namespace's stashed dentry if it has one,
 * else a new one (a read-only regular file, S_IFREG | 0444, owned by
 * root) that takes a reference on @ns.  Drop with nsm_nsfs_dput().
 */
struct nsm_dentry *nsm_ns_get_dentry(struct nsm_world *w,
				     struct nsm_ns_common *ns)
{
	struct nsm_dentry *root = w->nsfs_mnt->mnt_sb->s_root, *d;
	char name[48];
	int len;

	len = snprintf(name, sizeof(name), "%s:[%u]", ns->ops->name, ns->inum);
	d = nsm_d_lookup(root, name, len);
	if (!d) {
		d = nsm_d_insert(root, name, len, S_IFREG | 0444);
		if (!d)
			return ERR_PTR(-ENOMEM);
		refcount_inc(&ns->count);	/* every kind counts here */
		d->d_ns = ns;
	}
	d->d_count++;
	return d;
}

/**
 * nsm_nsfs_dput - drop a reference on an nsfs dentry
 * @d: the dentry
 *
 * models: dput() of a namespace file: the last one unhashes it (a later
 * bind of the namespace makes a new one) and queues it for
 * nsm_nsfs_reap(), which frees it and drops its namespace.
 */
void nsm_nsfs_dput(struct nsm_dentry *d)
{
	struct nsm_world *w = d->d_sb->world;

	if (WARN_ON_ONCE(!d->d_count) || --d->d_count)
		return;
	nsm_d_remove(d);
	d->d_next_deleted = w->nsfs_dead;
	w->nsfs_dead = d;
}

/**
 * nsm_nsfs_reap - free the nsfs dentries nsm_nsfs_dput() let go
 * @w: the world, locked
 *
 * models: nsfs_evict(): each dead dentry drops its namespace's reference.
 * A put that frees mounts comes back here and returns at once; the
 * outermost call goes on until the list is empty.
 */
void nsm_nsfs_reap(struct nsm_world *w)
{
	if (w->nsfs_reaping)
		return;
	w->nsfs_reaping = true;
	while (w->nsfs_dead) {
		struct nsm_dentry *d = w->nsfs_dead;
		struct nsm_ns_common *ns = d->d_ns;

		w->nsfs_dead = d->d_next_deleted;
		nsm_d_free(d);
		ns->ops->put(ns);
		cond_resched();
	}
	w->nsfs_reaping = false;
}

/**
 * nsm_is_mnt_ns_file - is @d the nsfs file of a mount namespace?
 * @d: any dentry
 *
 * models: is_mnt_ns_file()
 */
bool nsm_is_mnt_ns_file(const struct nsm_dentry *d)
{
	return d->d_ns && d->d_ns->ops == &nsm_mntns_operations;
}

static int nsm_ns_handle_release(struct inode *inode, struct file *file)
{
	struct nsm_ns_handle *h = file->private_data;
	struct nsm_world *w = h->world;

	mutex_lock(&w->lock);
	h->ns->ops->put(h->ns);
	nsm_free(w, NSM_OBJ_NS_HANDLE, h, sizeof(*h));
	mutex_unlock(&w->lock);
	nsm_world_put(w);
	return 0;
}

static const struct file_operations nsm_ns_handle_fops = {
	.owner		= THIS_MODULE,
	.release	= nsm_ns_handle_release,
	.unlocked_ioctl	= nsm_ns_handle_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/**
 * nsm_ns_handle_ns - the namespace a handle fd holds
 * @file: any file
 * @w: the world the caller acts in
 *
 * Returns the namespace, or ERR_PTR(-EINVAL) if @file is not a namespace
 * handle or belongs to another world (setns() on a file that is neither
 * an nsfs file nor a pidfd is EINVAL).
 */
struct nsm_ns_common *nsm_ns_handle_ns(struct file *file, struct nsm_world *w)
{
	struct nsm_ns_handle *h;

	if (file->f_op != &nsm_ns_handle_fops)
		return ERR_PTR(-EINVAL);
	h = file->private_data;
	if (h->world != w)
		return ERR_PTR(-EINVAL);
	return h->ns;
}

/*
 * The namespace a handle will hold, referenced: @task's of @args->kind,
 * or the one bound at @args->path in @task's view.
 */
static struct nsm_ns_common *nsm_ns_open_get(struct nsm_world *w,
					     struct nsm_task *task,
					     struct nsm_ns_open_args *args)
{
	const struct nsm_proc_ns_operations *ops;
	struct nsm_ns_common *ns;
	char *name;

	if (args->path) {
		name = nsm_strndup_user(w, args->path, NSM_PATH_MAX);
		if (IS_ERR(name))
			return ERR_CAST(name);
		ns = nsm_open_ns_path(task, name);
		nsm_strfree(name);
		return ns;
	}
	ops = nsm_ns_entry(args->kind);
	ns = ops->get(task);
	return ns ? ns : ERR_PTR(-ENOENT);
}

/**
 * nsm_ioctl_ns_open - NSM_IOC_NS_OPEN: open /proc/PID/ns/KIND, or a path
 * @w: the world, locked
 * @args: task and kind, or task and path (kind 0); the new fd is
 *        returned in @args->fd
 * @filep: out: the handle's file, for dev.c to install at @args->fd
 *
 * models: ns_get_path() through the kind's ops->get(): ENOENT when the
 * task has no such namespace to show (pid_for_children before the init of
 * a new pid namespace exists).  Unknown kinds are EINVAL.  With @path,
 * open(2) of that path by the task: the errors of the walk, EACCES
 * without read permission, and EINVAL when what is there is no namespace
 * file (setns(2) would refuse the fd).  The fd is only reserved here;
 * dev.c installs it once @args->fd has reached the caller, or puts it and
 * the file back (nsm_ns_handle_release() then drops the namespace after
 * the world lock is released).
 */
long nsm_ioctl_ns_open(struct nsm_world *w, struct nsm_ns_open_args *args,
		       struct file **filep)
{
	struct nsm_task *task;
	struct nsm_ns_handle *h;
	struct nsm_ns_common *ns;
	struct file *file;
	int fd;

	if (!nsm_ns_entry(args->kind) || (args->path && args->kind) ||
	    args->__reserved)
		return -EINVAL;
	task = nsm_find_task(w, args->task);
	if (!task)
		return -ESRCH;

	h = nsm_alloc(w, NSM_OBJ_NS_HANDLE, sizeof(*h));
	if (!h)
		return -ENOMEM;
	ns = nsm_ns_open_get(w, task, args);
	if (IS_ERR(ns)) {
		nsm_free(w, NSM_OBJ_NS_HANDLE, h, sizeof(*h));
		return PTR_ERR(ns);
	}
	h->world = w;
	h->ns = ns;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		goto out_put;
	file = anon_inode_getfile("[nsmodel-ns]", &nsm_ns_handle_fops, h,
				  O_RDWR | O_CLOEXEC);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto out_put;
	}
	/* the file's reference on the world, dropped by its release */
	nsm_world_get(w);
	*filep = file;
	args->fd = fd;
	return fd;

out_put:
	ns->ops->put(ns);
	nsm_free(w, NSM_OBJ_NS_HANDLE, h, sizeof(*h));
	return fd;
}

/* models: the NS_GET_* ioctls of ns_ioctl(), all at once */
static void nsm_ns_fill_info(struct nsm_ns_common *ns, struct nsm_ns_info *info)
{
	const struct nsm_proc_ns_operations *ops = ns->ops;
	struct nsm_user_namespace *owner = ops->owner ? ops->owner(ns) : NULL;
	struct nsm_ns_common *parent = ops->get_parent ?
				       ops->get_parent(ns) : NULL;

	info->kind = ops->kind;
	info->ns_id = ns->inum;
	info->owner_id = owner ? owner->ns.inum : 0;
	info->parent_id = parent ? parent->inum : 0;
	info->level = 0;
	if (ops->kind == NSM_NS_USER)
		info->level = container_of(ns, struct nsm_user_namespace,
					   ns)->level;
	else if (ops->kind == NSM_NS_PID)
		info->level = container_of(ns, struct nsm_pid_namespace,
					   ns)->level;
	info->count = refcount_read(&ns->count);
	info->world_id = ns->world->id;
}

/**
 * nsm_ns_handle_ioctl - ioctls on a handle fd (NSM_IOC_NS_INFO)
 * @file: the handle
 * @cmd: the command
 * @arg: user pointer to struct nsm_ns_info
 *
 * The kind reported is that of the namespace: a pid_for_children handle
 * holds a pid namespace and says NSM_NS_PID, as NS_GET_NSTYPE says
 * CLONE_NEWPID.  Works after the world fd is closed.
 */
long nsm_ns_handle_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct nsm_ns_handle *h = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct nsm_ns_info info;
	u32 usize;
	int ret;

	if (cmd != NSM_IOC_NS_INFO)
		return -ENOTTY;
	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < NSM_NS_INFO_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(&info, sizeof(info), uarg, usize);
	if (ret)
		return ret;

	ret = mutex_lock_killable(&h->world->lock);
	if (ret)
		return ret;
	nsm_ns_fill_info(h->ns, &info);
	mutex_unlock(&h->world->lock);

	if (copy_to_user(uarg, &info, min_t(size_t, usize, sizeof(info))))
		return -EFAULT;
	return 0;
}
