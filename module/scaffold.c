// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: TEMPORARY scaffolding so that the module links while the core
 * (issue 3) and the mount side (issue 4) are written in parallel.  Each
 * function here is deleted as its real version lands in the file that
 * models its kernel counterpart; this file must be gone before release.
 */
#include <linux/errno.h>
#include <linux/slab.h>

#include "nsmodel.h"
#include "mount.h"

/* ==== core side (issue 3): fork.c, nsproxy.c, cred.c, user_ns.c, nsfs.c ==== */

int nsm_create_init_task(struct nsm_world *w)
{
	struct nsm_task *t;
	int id;

	t = nsm_alloc(w, NSM_OBJ_TASK, sizeof(*t));
	if (!t)
		return -ENOMEM;
	id = idr_alloc(&w->tasks, t, NSM_INIT_TASK, NSM_INIT_TASK + 1,
		       GFP_KERNEL_ACCOUNT);
	if (id < 0) {
		nsm_free(w, NSM_OBJ_TASK, t, sizeof(*t));
		return id;
	}
	t->id = id;
	t->world = w;
	w->nr_tasks++;
	return 0;
}

void nsm_exit_all_tasks(struct nsm_world *w)
{
	struct nsm_task *t;
	int id;

	idr_for_each_entry(&w->tasks, t, id) {
		idr_remove(&w->tasks, id);
		nsm_free(w, NSM_OBJ_TASK, t, sizeof(*t));
		w->nr_tasks--;
	}
}

long nsm_ioctl_clone(struct nsm_world *w, struct nsm_clone_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_exit(struct nsm_world *w, struct nsm_task_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_setuid(struct nsm_world *w, struct nsm_task_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_sethostname(struct nsm_world *w, struct nsm_hostname_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_unshare(struct nsm_world *w, struct nsm_unshare_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_setns(struct nsm_world *w, struct nsm_setns_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_task_info(struct nsm_world *w, struct nsm_task_info *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_ns_open(struct nsm_world *w, struct nsm_ns_open_args *a)
{
	return -EOPNOTSUPP;
}

bool nsm_ns_capable(const struct nsm_cred *cred,
		    struct nsm_user_namespace *ns, int cap)
{
	return false;
}

struct nsm_user_namespace *nsm_get_user_ns(struct nsm_user_namespace *ns)
{
	refcount_inc(&ns->ns.count);
	return ns;
}

void nsm_put_user_ns(struct nsm_user_namespace *ns)
{
	refcount_dec(&ns->ns.count);
}

/* ==== separator: keep the two sides apart so that merges stay clean ==== */









/* ==== mount side (issue 4): namespace.c, dcache.c, pnode.c, mountinfo.c ==== */

const struct nsm_proc_ns_operations nsm_mntns_operations = {
	.name	= "mnt",
	.kind	= NSM_NS_MNT,
};

int nsm_init_mnt_ns(struct nsm_world *w, struct nsm_user_namespace *user_ns,
		    struct nsm_mnt_namespace **nsp, struct nsm_fs_struct *fs)
{
	return -EOPNOTSUPP;
}

struct nsm_mnt_namespace *nsm_copy_mnt_ns(u64 flags,
					  struct nsm_mnt_namespace *ns,
					  struct nsm_user_namespace *user_ns,
					  struct nsm_fs_struct *new_fs)
{
	return ERR_PTR(-EOPNOTSUPP);
}

void nsm_get_mnt_ns(struct nsm_mnt_namespace *ns)
{
	refcount_inc(&ns->ns.count);
}

void nsm_put_mnt_ns(struct nsm_mnt_namespace *ns)
{
}

void nsm_path_get(const struct nsm_path *path)
{
}

void nsm_path_put(const struct nsm_path *path)
{
}

u32 nsm_path_mnt_id(const struct nsm_path *path)
{
	return 0;
}

long nsm_ioctl_mkdir(struct nsm_world *w, struct nsm_path_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_chdir(struct nsm_world *w, struct nsm_path_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_chroot(struct nsm_world *w, struct nsm_path_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_stat(struct nsm_world *w, struct nsm_path_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_mount(struct nsm_world *w, struct nsm_mount_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_umount(struct nsm_world *w, struct nsm_path_args *a)
{
	return -EOPNOTSUPP;
}

long nsm_ioctl_mountinfo(struct nsm_world *w, struct nsm_mountinfo_args *a)
{
	return -EOPNOTSUPP;
}
