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
