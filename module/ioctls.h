/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: the table of world ioctls, included twice by dev.c.
 *
 * NSM_IOCTL(command, argument struct, its version-0 size, handler,
 *	     first output field, last output field)
 *	the fields from first to last are the struct's outputs, written back
 *	(up to the caller's size) when the handler succeeds;
 * NSM_IOCTL_IN(command, argument struct, its version-0 size, handler)
 *	an input-only struct: nothing is written back;
 * NSM_IOCTL_FD(command, argument struct, its version-0 size, handler)
 *	the handler makes a file and reserves an fd for it; the only output
 *	is the struct's @fd, and the fd is installed only once that is
 *	written back.
 * The handler runs with the world's lock held.
 */
NSM_IOCTL(NSM_IOC_VERSION, struct nsm_version, NSM_VERSION_SIZE_VER0,
	  nsm_ioctl_version, abi_version, build)
NSM_IOCTL(NSM_IOC_COUNTERS, struct nsm_counters, NSM_COUNTERS_SIZE_VER0,
	  nsm_ioctl_counters, nr_types, world_bytes)
NSM_IOCTL(NSM_IOC_PROFILE, struct nsm_profile_args, NSM_PROFILE_ARGS_SIZE_VER0,
	  nsm_ioctl_profile, profile, name)
NSM_IOCTL(NSM_IOC_FAULT, struct nsm_fault_args, NSM_FAULT_ARGS_SIZE_VER0,
	  nsm_ioctl_fault, nr_allocs, nr_allocs)
NSM_IOCTL(NSM_IOC_CLONE, struct nsm_clone_args, NSM_CLONE_ARGS_SIZE_VER0,
	  nsm_ioctl_clone, child, child)
NSM_IOCTL_IN(NSM_IOC_UNSHARE, struct nsm_unshare_args,
	     NSM_UNSHARE_ARGS_SIZE_VER0, nsm_ioctl_unshare)
NSM_IOCTL_IN(NSM_IOC_SETNS, struct nsm_setns_args, NSM_SETNS_ARGS_SIZE_VER0,
	     nsm_ioctl_setns)
NSM_IOCTL_IN(NSM_IOC_EXIT, struct nsm_task_args, NSM_TASK_ARGS_SIZE_VER0,
	     nsm_ioctl_exit)
NSM_IOCTL_IN(NSM_IOC_SETUID, struct nsm_task_args, NSM_TASK_ARGS_SIZE_VER0,
	     nsm_ioctl_setuid)
NSM_IOCTL_IN(NSM_IOC_SETHOSTNAME, struct nsm_hostname_args,
	     NSM_HOSTNAME_ARGS_SIZE_VER0, nsm_ioctl_sethostname)
NSM_IOCTL(NSM_IOC_TASK_INFO, struct nsm_task_info, NSM_TASK_INFO_SIZE_VER0,
	  nsm_ioctl_task_info, parent, hostname)
NSM_IOCTL_FD(NSM_IOC_NS_OPEN, struct nsm_ns_open_args,
	     NSM_NS_OPEN_ARGS_SIZE_VER0, nsm_ioctl_ns_open)
NSM_IOCTL_IN(NSM_IOC_MKDIR, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	     nsm_ioctl_mkdir)
NSM_IOCTL_IN(NSM_IOC_CHDIR, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	     nsm_ioctl_chdir)
NSM_IOCTL_IN(NSM_IOC_CHROOT, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	     nsm_ioctl_chroot)
NSM_IOCTL_IN(NSM_IOC_MOUNT, struct nsm_mount_args, NSM_MOUNT_ARGS_SIZE_VER0,
	     nsm_ioctl_mount)
NSM_IOCTL_IN(NSM_IOC_UMOUNT, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	     nsm_ioctl_umount)
NSM_IOCTL(NSM_IOC_STAT, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_stat, mnt_id, mode)
NSM_IOCTL_FD(NSM_IOC_MOUNTINFO, struct nsm_mountinfo_args,
	     NSM_MOUNTINFO_ARGS_SIZE_VER0, nsm_ioctl_mountinfo)
NSM_IOCTL_IN(NSM_IOC_GETCWD, struct nsm_getcwd_args,
	     NSM_GETCWD_ARGS_SIZE_VER0, nsm_ioctl_getcwd)
NSM_IOCTL_IN(NSM_IOC_TOUCH, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	     nsm_ioctl_touch)
NSM_IOCTL_IN(NSM_IOC_UNLINK, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	     nsm_ioctl_unlink)
NSM_IOCTL_IN(NSM_IOC_RMDIR, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	     nsm_ioctl_rmdir)
NSM_IOCTL_IN(NSM_IOC_PIVOT_ROOT, struct nsm_pivot_root_args,
	     NSM_PIVOT_ROOT_ARGS_SIZE_VER0, nsm_ioctl_pivot_root)
NSM_IOCTL_IN(NSM_IOC_NS_BIND, struct nsm_ns_bind_args,
	     NSM_NS_BIND_ARGS_SIZE_VER0, nsm_ioctl_ns_bind)
NSM_IOCTL_FD(NSM_IOC_OPEN_TREE, struct nsm_open_tree_args,
	     NSM_OPEN_TREE_ARGS_SIZE_VER0, nsm_ioctl_open_tree)
NSM_IOCTL_IN(NSM_IOC_MOVE_MOUNT, struct nsm_move_mount_args,
	     NSM_MOVE_MOUNT_ARGS_SIZE_VER0, nsm_ioctl_move_mount)
NSM_IOCTL_FD(NSM_IOC_FSOPEN, struct nsm_fsopen_args,
	     NSM_FSOPEN_ARGS_SIZE_VER0, nsm_ioctl_fsopen)
NSM_IOCTL_IN(NSM_IOC_FSCONFIG, struct nsm_fsconfig_args,
	     NSM_FSCONFIG_ARGS_SIZE_VER0, nsm_ioctl_fsconfig)
NSM_IOCTL_FD(NSM_IOC_FSMOUNT, struct nsm_fsmount_args,
	     NSM_FSMOUNT_ARGS_SIZE_VER0, nsm_ioctl_fsmount)
NSM_IOCTL_FD(NSM_IOC_FSPICK, struct nsm_fspick_args,
	     NSM_FSPICK_ARGS_SIZE_VER0, nsm_ioctl_fspick)
NSM_IOCTL_IN(NSM_IOC_MOUNT_SETATTR, struct nsm_mount_setattr_args,
	     NSM_MOUNT_SETATTR_ARGS_SIZE_VER0, nsm_ioctl_mount_setattr)
