// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: semantics profiles, the kernel version a world follows.
 *
 * Linux answers some system calls differently from one version to the
 * next (the order of mountinfo, an errno, what copy_mnt_ns() does with an
 * unbindable mount).  Each such difference is one NSM_FEAT_* bit; a
 * profile is the set of bits of one kernel version, and a world follows
 * exactly one profile, chosen before its first operation.  The model's
 * code asks nsm_feat(world, NSM_FEAT_...) where the versions part ways,
 * so one module build can lay any two versions side by side.
 *
 * Adding a difference: give it the next NSM_FEAT_* bit in
 * include/uapi/linux/nsmodel.h (with the first version that has it),
 * add the bit to the profiles below that have it, and test nsm_feat() at
 * the place in the model where the behaviour parts.  compat.h keeps only
 * what differs in the kernel API the module is built against.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/version.h>

#include "nsmodel.h"

#define NSM_FEATS_6_12 (NSM_FEAT_MNT_RBTREE | NSM_FEAT_LOCK_MOUNT_ENOENT | \
			NSM_FEAT_COPY_SKIPS_SUBTREE |			     \
			NSM_FEAT_UMOUNT_CHAIN_BUSY | NSM_FEAT_TMPFS_NOSWAP | \
			NSM_FEAT_TMPFS_INODES_BOUND |			     \
			NSM_FEAT_MOVE_MOUNT_BENEATH |			     \
			NSM_FEAT_FSCONFIG_CREATE_EXCL)

static const struct nsm_profile nsm_profiles[NSM_PROFILE_MAX] = {
	[NSM_PROFILE_6_1] = {
		.id = NSM_PROFILE_6_1,
		.name = "6.1",
		.version = KERNEL_VERSION(6, 1, 0),
		.features = 0,
	},
	[NSM_PROFILE_6_12] = {
		.id = NSM_PROFILE_6_12,
		.name = "6.12",
		.version = KERNEL_VERSION(6, 12, 0),
		.features = NSM_FEATS_6_12 | NSM_FEAT_MNTNS_INSTALL_CURRENT_FS,
	},
	[NSM_PROFILE_6_18] = {
		.id = NSM_PROFILE_6_18,
		.name = "6.18",
		.version = KERNEL_VERSION(6, 18, 0),
		.features = NSM_FEATS_6_12 | NSM_FEAT_CLONE_DROPS_UNBINDABLE,
	},
	/*
	 * The seed: Linux 2.4.19, where copy_namespace() first appeared.
	 * Checked against its source, not a running kernel
	 * (docs/copy-namespace-2.4.19.md); none of the 6.x bits, whose
	 * differences are all from after it, where 6.1's answer is also
	 * 2.4.19's (the mount list order, EINVAL from check_mnt()).
	 */
	[NSM_PROFILE_2_4_19] = {
		.id = NSM_PROFILE_2_4_19,
		.name = "2.4.19",
		.version = KERNEL_VERSION(2, 4, 19),
		.features = NSM_FEAT_SEED_CLONE | NSM_FEAT_SEED_SYSCALLS |
			    NSM_FEAT_SEED_MOUNT,
	},
};

/**
 * nsm_profile_auto - the profile of the kernel the module runs on
 *
 * The newest 6.x profile not newer than the running kernel's release
 * (uname -r), and 6.1 for anything older (2.4.19 is never a default: no
 * kernel the module loads on answers as it): decided at run time, so a
 * module built for 6.1 but loaded on 6.12 follows 6.12.
 */
const struct nsm_profile *nsm_profile_auto(void)
{
	unsigned int major = 0, minor = 0, version;
	const struct nsm_profile *best = &nsm_profiles[NSM_PROFILE_6_1];
	int i;

	if (sscanf(init_utsname()->release, "%u.%u", &major, &minor) != 2)
		return best;
	version = KERNEL_VERSION(major, min(minor, 255U), 0);
	for (i = NSM_PROFILE_6_1; i < NSM_PROFILE_MAX; i++) {
		const struct nsm_profile *p = &nsm_profiles[i];

		if (p->version <= version && p->version > best->version)
			best = p;
	}
	return best;
}

/**
 * nsm_syscall_exists - had the world's kernel the system call asked for?
 * @w: the world
 *
 * For the calls the 2.4.19 profile lacks (NSM_FEAT_SEED_SYSCALLS):
 * unshare, setns, open_tree, move_mount, fsopen, fsconfig, fsmount,
 * fspick and mount_setattr, all younger than 2.4.19.  Their ioctls ask this before anything else, as the
 * kernel's system call table answers before any argument is looked at.
 *
 * Returns 0, or -ENOSYS (the one place the model says it: make
 * checkpatch lets this file through with ENOSYS).
 */
int nsm_syscall_exists(const struct nsm_world *w)
{
	return nsm_feat(w, NSM_FEAT_SEED_SYSCALLS) ? -ENOSYS : 0;
}

/**
 * nsm_profile_get - a profile by id
 * @id: enum nsm_profile_id; NSM_PROFILE_AUTO is resolved
 *
 * Returns NULL for an unknown id.
 */
const struct nsm_profile *nsm_profile_get(u32 id)
{
	if (id == NSM_PROFILE_AUTO)
		return nsm_profile_auto();
	if (id >= NSM_PROFILE_MAX)
		return NULL;
	return &nsm_profiles[id];
}

/**
 * nsm_ioctl_profile - NSM_IOC_PROFILE: set (before first use) or get
 * @w: the world, locked
 * @a: the arguments
 *
 * Returns 0, -EINVAL for unknown flags or profile, -EBUSY when the world
 * has already been used.
 */
long nsm_ioctl_profile(struct nsm_world *w, struct nsm_profile_args *a)
{
	const struct nsm_profile *p;

	if (a->flags & ~NSM_PROFILE_SET)
		return -EINVAL;
	if (a->flags & NSM_PROFILE_SET) {
		p = nsm_profile_get(a->profile);
		if (!p)
			return -EINVAL;
		if (w->used)
			return -EBUSY;
		w->profile = p;
	}
	p = w->profile;
	a->profile = p->id;
	a->version = p->version;
	a->features = p->features;
	memset(a->name, 0, sizeof(a->name));
	strscpy(a->name, p->name, sizeof(a->name));
	return 0;
}
