/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: differences in the kernel API the module is built against.
 *
 * Only the interfaces of the kernel the module calls belong here (an
 * #if on LINUX_VERSION_CODE around a kernel function whose name or
 * signature changed).  What the model *does* never depends on the build:
 * the semantics of each kernel version are a property of the world, its
 * profile (profile.c, NSM_IOC_PROFILE), so that any profile runs on any
 * build.  A new behaviour that differs between versions gets an NSM_FEAT_*
 * bit (see profile.c), not a switch here.
 *
 * Nothing differs today between Debian's 6.1 and 6.12 in what the module
 * calls.
 */
#ifndef _NSMODEL_COMPAT_H
#define _NSMODEL_COMPAT_H

#include <linux/version.h>

#endif /* _NSMODEL_COMPAT_H */
