/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: the table of world ioctls, included twice by dev.c.
 * NSM_IOCTL(command, argument struct, its version-0 size, handler)
 * The handler runs with the world's lock held.
 */
NSM_IOCTL(NSM_IOC_VERSION, struct nsm_version, NSM_VERSION_SIZE_VER0,
	  nsm_ioctl_version)
NSM_IOCTL(NSM_IOC_COUNTERS, struct nsm_counters, NSM_COUNTERS_SIZE_VER0,
	  nsm_ioctl_counters)
NSM_IOCTL(NSM_IOC_FAULT, struct nsm_fault_args, NSM_FAULT_ARGS_SIZE_VER0,
	  nsm_ioctl_fault)
NSM_IOCTL(NSM_IOC_CLONE, struct nsm_clone_args, NSM_CLONE_ARGS_SIZE_VER0,
	  nsm_ioctl_clone)
NSM_IOCTL(NSM_IOC_UNSHARE, struct nsm_unshare_args,
	  NSM_UNSHARE_ARGS_SIZE_VER0, nsm_ioctl_unshare)
NSM_IOCTL(NSM_IOC_SETNS, struct nsm_setns_args, NSM_SETNS_ARGS_SIZE_VER0,
	  nsm_ioctl_setns)
NSM_IOCTL(NSM_IOC_EXIT, struct nsm_task_args, NSM_TASK_ARGS_SIZE_VER0,
	  nsm_ioctl_exit)
NSM_IOCTL(NSM_IOC_SETUID, struct nsm_task_args, NSM_TASK_ARGS_SIZE_VER0,
	  nsm_ioctl_setuid)
NSM_IOCTL(NSM_IOC_SETHOSTNAME, struct nsm_hostname_args,
	  NSM_HOSTNAME_ARGS_SIZE_VER0, nsm_ioctl_sethostname)
NSM_IOCTL(NSM_IOC_TASK_INFO, struct nsm_task_info, NSM_TASK_INFO_SIZE_VER0,
	  nsm_ioctl_task_info)
NSM_IOCTL(NSM_IOC_NS_OPEN, struct nsm_ns_open_args,
	  NSM_NS_OPEN_ARGS_SIZE_VER0, nsm_ioctl_ns_open)
NSM_IOCTL(NSM_IOC_MKDIR, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_mkdir)
NSM_IOCTL(NSM_IOC_CHDIR, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_chdir)
NSM_IOCTL(NSM_IOC_CHROOT, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_chroot)
NSM_IOCTL(NSM_IOC_MOUNT, struct nsm_mount_args, NSM_MOUNT_ARGS_SIZE_VER0,
	  nsm_ioctl_mount)
NSM_IOCTL(NSM_IOC_UMOUNT, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_umount)
NSM_IOCTL(NSM_IOC_STAT, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_stat)
NSM_IOCTL(NSM_IOC_MOUNTINFO, struct nsm_mountinfo_args,
	  NSM_MOUNTINFO_ARGS_SIZE_VER0, nsm_ioctl_mountinfo)
NSM_IOCTL(NSM_IOC_GETCWD, struct nsm_getcwd_args,
	  NSM_GETCWD_ARGS_SIZE_VER0, nsm_ioctl_getcwd)
NSM_IOCTL(NSM_IOC_TOUCH, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_touch)
NSM_IOCTL(NSM_IOC_UNLINK, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_unlink)
NSM_IOCTL(NSM_IOC_RMDIR, struct nsm_path_args, NSM_PATH_ARGS_SIZE_VER0,
	  nsm_ioctl_rmdir)
NSM_IOCTL(NSM_IOC_PIVOT_ROOT, struct nsm_pivot_root_args,
	  NSM_PIVOT_ROOT_ARGS_SIZE_VER0, nsm_ioctl_pivot_root)
NSM_IOCTL(NSM_IOC_NS_BIND, struct nsm_ns_bind_args,
	  NSM_NS_BIND_ARGS_SIZE_VER0, nsm_ioctl_ns_bind)
