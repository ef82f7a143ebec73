/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: mounts, mount namespaces, superblocks and dentries, private to
 * the mount side of the model as fs/mount.h is to fs/.
 */
#ifndef _NSMODEL_MOUNT_H
#define _NSMODEL_MOUNT_H

#include "nsmodel.h"

/* models: struct mnt_namespace */
struct nsm_mnt_namespace {
	struct nsm_ns_common ns;
	struct nsm_mount *root;
	struct nsm_user_namespace *user_ns;
	unsigned int mounts;		/* # of mounts in the namespace */
	unsigned int pending_mounts;	/* # of mounts being added */
	u64 seq;			/* sequence number, for loop checks */
	u64 event;
};

#endif /* _NSMODEL_MOUNT_H */
