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
static const struct nsm_proc_ns_operations *nsm_ns_entry(unsigned int kind)
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

/**
 * nsm_ioctl_ns_open - NSM_IOC_NS_OPEN: open /proc/PID/ns/KIND
 * @w: the world, locked
 * @args: task and kind; the new fd is returned in @args->fd
 * @filep: out: the handle's file, for dev.c to install at @args->fd
 *
 * models: ns_get_path() through the kind's ops->get(): ENOENT when the
 * task has no such namespace to show (pid_for_children before the init of
 * a new pid namespace exists).  Unknown kinds are EINVAL.  The fd is only
 * reserved here; dev.c installs it once @args->fd has reached the caller,
 * or puts it and the file back (nsm_ns_handle_release() then drops the
 * namespace after the world lock is released).
 */
long nsm_ioctl_ns_open(struct nsm_world *w, struct nsm_ns_open_args *args,
		       struct file **filep)
{
	const struct nsm_proc_ns_operations *ops;
	struct nsm_task *task;
	struct nsm_ns_handle *h;
	struct nsm_ns_common *ns;
	struct file *file;
	int fd;

	ops = nsm_ns_entry(args->kind);
	if (!ops)
		return -EINVAL;
	task = nsm_find_task(w, args->task);
	if (!task)
		return -ESRCH;

	h = nsm_alloc(w, NSM_OBJ_NS_HANDLE, sizeof(*h));
	if (!h)
		return -ENOMEM;
	ns = ops->get(task);
	if (!ns) {
		nsm_free(w, NSM_OBJ_NS_HANDLE, h, sizeof(*h));
		return -ENOENT;
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
