/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: every difference between the kernels nsmodel builds for
 * (Debian's 6.1 and 6.12) is handled here, and only here.
 */
#ifndef _NSMODEL_COMPAT_H
#define _NSMODEL_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define NSM_KERNEL_HAS_MNT_RBTREE	1	/* mnt_namespace keeps an rbtree */
#else
#define NSM_KERNEL_HAS_MNT_RBTREE	0	/* mnt_namespace keeps a list */
#endif

#endif /* _NSMODEL_COMPAT_H */
