/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: every difference between the kernels nsmodel builds for
 * (Debian's 6.1 and 6.12) is handled here, and only here.
 */
#ifndef _NSMODEL_COMPAT_H
#define _NSMODEL_COMPAT_H

#include <linux/version.h>

/*
 * Mount side (namespace.c, mountinfo.c), what 6.12 does differently:
 *  - NSM_KERNEL_HAS_MNT_RBTREE: a namespace keeps its mounts in an rbtree
 *    keyed by mnt_id_unique (mountinfo lists them in creation order, not
 *    in the order they joined the namespace), and umount_tree() gathers
 *    attached mounts in walk order (move_from_ns() adds at the tail);
 *  - NSM_KERNEL_LOCK_MOUNT_ENOENT: do_lock_mount() refuses a mountpoint
 *    on a mount that is in no namespace with ENOENT, before check_mnt()
 *    would say EINVAL;
 *  - NSM_KERNEL_COPY_MNT_NS_SKIPS_SUBTREE: copy_mnt_ns()'s second pass
 *    steps over the whole subtree of an original it finds uncopied;
 *  - NSM_KERNEL_UMOUNT_CHAIN_BUSY: propagate_mount_busy() checks whole
 *    chains of umount candidates stacked at the mountpoint (chain_busy());
 *  - NSM_KERNEL_TMPFS_NOSWAP: tmpfs knows the "noswap" option;
 *  - NSM_KERNEL_TMPFS_INODES_BOUND: tmpfs refuses nr_inodes above
 *    ULONG_MAX / BOGO_INODE_SIZE;
 *  - NSM_KERNEL_MNTNS_INSTALL_CURRENT_FS: mntns_install() checks the users
 *    of current->fs, not of the nsset's (possibly private) copy;
 *  - NSM_KERNEL_MOVE_MOUNT_BENEATH: move_mount(2) knows MOVE_MOUNT_BENEATH
 *    (since 6.5): do_lock_mount() with beneath, can_move_mount_beneath(),
 *    and BENEATH together with SET_GROUP is EINVAL.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define NSM_KERNEL_HAS_MNT_RBTREE	1	/* mnt_namespace keeps an rbtree */
#define NSM_KERNEL_LOCK_MOUNT_ENOENT	1
#define NSM_KERNEL_COPY_MNT_NS_SKIPS_SUBTREE	1
#define NSM_KERNEL_UMOUNT_CHAIN_BUSY	1
#define NSM_KERNEL_TMPFS_NOSWAP	1
#define NSM_KERNEL_TMPFS_INODES_BOUND	1
#define NSM_KERNEL_MNTNS_INSTALL_CURRENT_FS	1
#define NSM_KERNEL_MOVE_MOUNT_BENEATH	1
#else
#define NSM_KERNEL_HAS_MNT_RBTREE	0	/* mnt_namespace keeps a list */
#define NSM_KERNEL_LOCK_MOUNT_ENOENT	0
#define NSM_KERNEL_COPY_MNT_NS_SKIPS_SUBTREE	0
#define NSM_KERNEL_UMOUNT_CHAIN_BUSY	0
#define NSM_KERNEL_TMPFS_NOSWAP	0
#define NSM_KERNEL_TMPFS_INODES_BOUND	0
#define NSM_KERNEL_MNTNS_INSTALL_CURRENT_FS	0
#define NSM_KERNEL_MOVE_MOUNT_BENEATH	0
#endif

#endif /* _NSMODEL_COMPAT_H */
