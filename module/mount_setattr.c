// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: mount_setattr(2), the part of fs/namespace.c that changes the
 * flags and the propagation of a mount, or of a whole tree, at once.
 *
 * The system call works in three steps, and so does the model:
 *  1. build_mount_kattr(): the user's struct mount_attr becomes a set of
 *     MNT_* flags to clear and to raise, a propagation type and the lookup
 *     flags; everything that can be checked without the tree is checked
 *     here (EINVAL), before the path is even looked up;
 *  2. mount_setattr_prepare(): every mount of the tree is checked against
 *     the change (locked flags: EPERM; idmapping: EINVAL) before any of
 *     them changes;
 *  3. mount_setattr_commit(): only then is each mount changed, so that a
 *     recursive call changes the whole tree or nothing.
 * The model has no writers (mnt_hold_writers() never fails) and no
 * idmapped mounts (see nsm_can_idmap_mount()).
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/uaccess.h>
#include <uapi/linux/mount.h>

#include "mount.h"

/* models: FSMOUNT_VALID_FLAGS, MOUNT_SETATTR_VALID_FLAGS */
#define NSM_FSMOUNT_VALID_FLAGS						\
	(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |	\
	 MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME |\
	 MOUNT_ATTR_NOSYMFOLLOW)
#define NSM_MOUNT_SETATTR_VALID_FLAGS					\
	(NSM_FSMOUNT_VALID_FLAGS | MOUNT_ATTR_IDMAP)
#define NSM_MOUNT_SETATTR_PROPAGATION_FLAGS				\
	(MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED)

/* models: struct mount_kattr */
struct nsm_mount_kattr {
	unsigned int attr_set;		/* MNT_* to raise */
	unsigned int attr_clr;		/* MNT_* to clear */
	unsigned int propagation;	/* one MS_* type, or 0 */
	unsigned int lookup_flags;	/* AT_EMPTY_PATH as LOOKUP_EMPTY */
	bool recurse;
	/* the user namespace handle of MOUNT_ATTR_IDMAP, held */
	struct file *userns_file;
	struct nsm_user_namespace *mnt_userns;
};

/**
 * nsm_attr_flags_to_mnt_flags - MOUNT_ATTR_* bits as MNT_* flags
 * @attr_flags: MOUNT_ATTR_* of mount_setattr() or fsmount()
 *
 * models: attr_flags_to_mnt_flags(); the atime values are not bits and
 * are left to the caller.
 */
unsigned int nsm_attr_flags_to_mnt_flags(u64 attr_flags)
{
	unsigned int mnt_flags = 0;

	if (attr_flags & MOUNT_ATTR_RDONLY)
		mnt_flags |= MNT_READONLY;
	if (attr_flags & MOUNT_ATTR_NOSUID)
		mnt_flags |= MNT_NOSUID;
	if (attr_flags & MOUNT_ATTR_NODEV)
		mnt_flags |= MNT_NODEV;
	if (attr_flags & MOUNT_ATTR_NOEXEC)
		mnt_flags |= MNT_NOEXEC;
	if (attr_flags & MOUNT_ATTR_NODIRATIME)
		mnt_flags |= MNT_NODIRATIME;
	if (attr_flags & MOUNT_ATTR_NOSYMFOLLOW)
		mnt_flags |= MNT_NOSYMFOLLOW;
	return mnt_flags;
}

/* models: recalc_flags(): what @mnt's flags become */
static unsigned int nsm_recalc_flags(const struct nsm_mount_kattr *kattr,
				     const struct nsm_mount *mnt)
{
	return (mnt->mnt_flags & ~kattr->attr_clr) | kattr->attr_set;
}

/*
 * models: can_idmap_mount().  Its first answer for a mount of the
 * filesystem's own user namespace is EINVAL, and so is the next one that
 * can apply in the model: no filesystem of the model sets FS_ALLOW_IDMAP
 * (as tmpfs did not before 6.3), so no mount of it can be idmapped.
 */
static int nsm_can_idmap_mount(const struct nsm_mount_kattr *kattr,
			       const struct nsm_mount *mnt)
{
	if (!kattr->mnt_userns)
		return 0;
	return -EINVAL;
}

/*
 * models: mount_setattr_prepare(): check every mount the change reaches
 * before any of them changes.  The kernel also holds the writers of a
 * mount that becomes read-only here (EBUSY if there are any); the model
 * has no open files, so there is nothing to hold or to release.
 */
static int nsm_mount_setattr_prepare(const struct nsm_mount_kattr *kattr,
				     struct nsm_mount *mnt)
{
	struct nsm_mount *m;
	int err;

	for (m = mnt; m; m = nsm_next_mnt(m, mnt)) {
		if (!nsm_can_change_locked_flags(m, nsm_recalc_flags(kattr, m)))
			return -EPERM;
		err = nsm_can_idmap_mount(kattr, m);
		if (err)
			return err;
		if (!kattr->recurse)
			break;
	}
	return 0;
}

/* models: mount_setattr_commit(): nothing here can fail */
static void nsm_mount_setattr_commit(const struct nsm_mount_kattr *kattr,
				     struct nsm_mount *mnt)
{
	struct nsm_mount *m;

	for (m = mnt; m; m = nsm_next_mnt(m, mnt)) {
		m->mnt_flags = nsm_recalc_flags(kattr, m);
		if (kattr->propagation)
			nsm_change_mnt_propagation(m, kattr->propagation);
		if (!kattr->recurse)
			break;
	}
	nsm_touch_mnt_namespace(mnt->mnt_ns);
}

/*
 * The mount may be changed by @task: it is mounted (is_mounted()), and
 * one that is attached, or the root of a namespace that is not
 * anonymous, is in @task's own namespace (check_mnt()).  A detached tree
 * (the root of an anonymous namespace) may be changed from anywhere.
 */
static bool nsm_setattr_may_reach(struct nsm_task *task,
				  struct nsm_mount *mnt)
{
	if (!mnt->mnt_ns)
		return false;
	if ((nsm_mnt_has_parent(mnt) || !nsm_is_anon_ns(mnt->mnt_ns)) &&
	    !nsm_check_mnt(task, mnt))
		return false;
	return true;
}

/**
 * nsm_do_mount_setattr - change the mount at @path (and its tree)
 * @task: the caller
 * @path: the looked-up path
 * @kattr: the change, checked by nsm_build_mount_kattr()
 *
 * models: do_mount_setattr(): EINVAL unless @path is a mount's root and
 * the mount is one @task may change; for MS_SHARED, the new peer groups
 * get their ids first (the only step that can fail for want of memory),
 * and are given back if the change is refused.
 */
static int nsm_do_mount_setattr(struct nsm_task *task,
				const struct nsm_path *path,
				const struct nsm_mount_kattr *kattr)
{
	struct nsm_mount *mnt = path->mnt;
	int err;

	if (path->dentry != mnt->mnt_root)
		return -EINVAL;

	if (kattr->propagation) {
		/* invent_group_ids() walks the tree: only a mounted one */
		if (!nsm_setattr_may_reach(task, mnt))
			return -EINVAL;
		if (kattr->propagation == MS_SHARED) {
			err = nsm_invent_group_ids(mnt, kattr->recurse);
			if (err)
				return err;
		}
	}

	/*
	 * The kernel checks again here, under mount_lock, for the calls
	 * that did not take namespace_sem above; the world lock is held
	 * throughout in the model, so the first answer still holds.
	 */
	err = -EINVAL;
	if (nsm_setattr_may_reach(task, mnt)) {
		err = nsm_mount_setattr_prepare(kattr, mnt);
		if (!err)
			nsm_mount_setattr_commit(kattr, mnt);
	}

	if (kattr->propagation && err)
		nsm_cleanup_group_ids(mnt, NULL);
	return err;
}

/*
 * models: build_mount_idmapped(): MOUNT_ATTR_IDMAP names a user
 * namespace by a descriptor.  Clearing it is EINVAL, a number past
 * INT_MAX EINVAL, a descriptor that is not open EBADF, one that is not a
 * namespace handle of this world (proc_ns_file()) or not of a user
 * namespace EINVAL; the world's initial user namespace (the initial
 * idmapping) is EPERM, and so is one over which @task is not admin.  On
 * success @kattr holds the handle until nsm_finish_mount_kattr().
 */
static int nsm_build_mount_idmapped(struct nsm_task *task,
				    const struct mount_attr *attr,
				    struct nsm_mount_kattr *kattr)
{
	struct nsm_user_namespace *userns;
	struct nsm_ns_common *ns;
	struct file *file;
	int err;

	if (!((attr->attr_set | attr->attr_clr) & MOUNT_ATTR_IDMAP))
		return 0;
	if (attr->attr_clr & MOUNT_ATTR_IDMAP)
		return -EINVAL;
	if (attr->userns_fd > INT_MAX)
		return -EINVAL;

	file = fget(attr->userns_fd);
	if (!file)
		return -EBADF;
	ns = nsm_ns_handle_ns(file, task->world);
	err = -EINVAL;
	if (IS_ERR(ns) || ns->ops->type != CLONE_NEWUSER)
		goto out_fput;
	userns = container_of(ns, struct nsm_user_namespace, ns);
	err = -EPERM;
	if (!userns->level)
		goto out_fput;
	if (!nsm_ns_capable(task->cred, userns, CAP_SYS_ADMIN))
		goto out_fput;
	kattr->userns_file = file;
	kattr->mnt_userns = userns;
	return 0;

out_fput:
	fput(file);
	return err;
}

/*
 * models: build_mount_kattr(): the checks that need no mount, in the
 * kernel's order.  The MOUNT_ATTR_<atime> values are an enum, not bits:
 * a new one in @attr_set must come with all of MOUNT_ATTR__ATIME in
 * @attr_clr, and clearing only part of that mask is EINVAL.
 */
static int nsm_build_mount_kattr(struct nsm_task *task,
				 const struct mount_attr *attr,
				 unsigned int flags,
				 struct nsm_mount_kattr *kattr)
{
	*kattr = (struct nsm_mount_kattr) {
		.lookup_flags = flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0,
		.recurse = !!(flags & AT_RECURSIVE),
	};

	if (attr->propagation & ~NSM_MOUNT_SETATTR_PROPAGATION_FLAGS)
		return -EINVAL;
	if (hweight32(attr->propagation) > 1)
		return -EINVAL;
	kattr->propagation = attr->propagation;

	if ((attr->attr_set | attr->attr_clr) & ~NSM_MOUNT_SETATTR_VALID_FLAGS)
		return -EINVAL;

	kattr->attr_set = nsm_attr_flags_to_mnt_flags(attr->attr_set);
	kattr->attr_clr = nsm_attr_flags_to_mnt_flags(attr->attr_clr);

	if (attr->attr_clr & MOUNT_ATTR__ATIME) {
		if ((attr->attr_clr & MOUNT_ATTR__ATIME) != MOUNT_ATTR__ATIME)
			return -EINVAL;
		/* the atime settings exclude each other: clear them all */
		kattr->attr_clr |= MNT_RELATIME | MNT_NOATIME;
		switch (attr->attr_set & MOUNT_ATTR__ATIME) {
		case MOUNT_ATTR_RELATIME:
			kattr->attr_set |= MNT_RELATIME;
			break;
		case MOUNT_ATTR_NOATIME:
			kattr->attr_set |= MNT_NOATIME;
			break;
		case MOUNT_ATTR_STRICTATIME:
			break;
		default:
			return -EINVAL;
		}
	} else if (attr->attr_set & MOUNT_ATTR__ATIME) {
		return -EINVAL;
	}

	return nsm_build_mount_idmapped(task, attr, kattr);
}

/* models: finish_mount_kattr() */
static void nsm_finish_mount_kattr(struct nsm_mount_kattr *kattr)
{
	if (kattr->userns_file)
		fput(kattr->userns_file);
	kattr->userns_file = NULL;
	kattr->mnt_userns = NULL;
}

/**
 * nsm_ioctl_mount_setattr - NSM_IOC_MOUNT_SETATTR: mount_setattr(2)
 * @w: the world, locked
 * @args: task, dfd, path, AT_* flags, and the user's struct mount_attr
 *
 * models: the mount_setattr system call: unknown AT_* flags are EINVAL,
 * a struct larger than a page E2BIG and one smaller than its first
 * version EINVAL, then may_mount() (EPERM), then the struct is read
 * (EFAULT, or E2BIG for non-zero bytes the model does not know).  A
 * call that asks for nothing succeeds at once, without a lookup; then
 * build_mount_kattr()'s EINVALs, the lookup's errors, and
 * do_mount_setattr().  ENOSYS under the 2.4.19 profile.
 */
long nsm_ioctl_mount_setattr(struct nsm_world *w,
			     struct nsm_mount_setattr_args *args)
{
	struct nsm_mount_kattr kattr;
	struct mount_attr attr;
	struct nsm_task *task;
	struct nsm_path path;
	char *name;
	long err;

	BUILD_BUG_ON(sizeof(struct mount_attr) != MOUNT_ATTR_SIZE_VER0);

	/* mount_setattr(2) is from 5.12 */
	err = nsm_syscall_exists(w);
	if (err)
		return err;
	task = nsm_mnt_task(w, args->task);
	if (!task)
		return -ESRCH;
	if (args->flags & ~(AT_EMPTY_PATH | AT_RECURSIVE |
			    AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if (args->usize > PAGE_SIZE)
		return -E2BIG;
	if (args->usize < MOUNT_ATTR_SIZE_VER0)
		return -EINVAL;
	if (!nsm_may_mount(task))
		return -EPERM;

	err = nsm_copy_struct_user(w, &attr, sizeof(attr), args->uattr,
				   args->usize);
	if (err)
		return err;
	/* nothing to do: not even the path is looked up */
	if (!attr.attr_set && !attr.attr_clr && !attr.propagation)
		return 0;

	err = nsm_build_mount_kattr(task, &attr, args->flags, &kattr);
	if (err)
		goto out;

	/* the model has no symlinks or automounts: the other AT_* flags */
	name = nsm_strndup_user(w, args->path, NSM_PATH_MAX);
	err = PTR_ERR(name);
	if (IS_ERR(name))
		goto out;
	err = nsm_user_path_at(task, args->dfd, name,
			       kattr.lookup_flags & LOOKUP_EMPTY, &path);
	nsm_strfree(name);
	if (!err) {
		err = nsm_do_mount_setattr(task, &path, &kattr);
		nsm_path_put(&path);
	}
out:
	nsm_finish_mount_kattr(&kattr);
	return err;
}
