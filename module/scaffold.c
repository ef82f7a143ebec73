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

/*
 * Mount side, kept here to stay out of the mount part's way: delete when
 * namespace.c defines the real current_chrooted().
 */
bool nsm_current_chrooted(struct nsm_task *task)
{
	return false;
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
