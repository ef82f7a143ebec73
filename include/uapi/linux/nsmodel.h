/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nsmodel: a runnable model of how Linux hands namespaces to tasks.
 *
 * This is the whole user-space ABI of /dev/nsmodel.  Every open() of the
 * device creates an independent "world" (its own init task, namespaces and
 * root mount); every ioctl below acts on the world of the fd it is issued on,
 * except NSM_IOC_NS_INFO, which is issued on a namespace handle fd.
 *
 * Extensibility rules (the same as for clone3() and openat2()):
 *  - every argument struct starts with a __u32 @size that user space sets to
 *    sizeof() the struct it was compiled with;
 *  - the module reads it with copy_struct_from_user() semantics: a shorter
 *    struct (but at least the *_SIZE_VER0 size) is zero-extended, a longer one
 *    is accepted only if the extra bytes are zero (else E2BIG);
 *  - only the fields marked "out" are written back, and only up to the
 *    caller's @size; a struct without them (UNSHARE, SETNS, EXIT, SETUID,
 *    SETHOSTNAME, MKDIR, CHDIR, CHROOT, MOUNT, UMOUNT, GETCWD, MOVE_MOUNT)
 *    is never written, so it may sit in read-only memory;
 *  - EFAULT means nothing happened: the out fields are probed for writing
 *    before the operation, and a new fd (NS_OPEN, MOUNTINFO, OPEN_TREE) is
 *    installed only once its number has been written back (a tree that
 *    OPEN_TREE copied for it is dissolved again).  Only if the memory stops
 *    being writable during the call (another thread's mprotect) can a
 *    CLONE fail with EFAULT after making its child, as clone3() keeps a
 *    child whose CLONE_PARENT_SETTID write faults; its id is then still
 *    the ioctl's return value;
 *  - __reserved and __pad fields must be zero (else EINVAL), so that they
 *    can be given a meaning later;
 *  - unknown flag bits give EINVAL; bad pointers EFAULT; strings longer than
 *    NSM_PATH_MAX give ENAMETOOLONG; unknown task ids ESRCH.
 *
 * Task and namespace flags are the kernel's own CLONE_* and MS_* and MNT_*
 * values, so a scenario reads like the system calls it models.  No kernel
 * pointer ever crosses this interface: objects are named by ids.
 */
#ifndef _UAPI_LINUX_NSMODEL_H
#define _UAPI_LINUX_NSMODEL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define NSM_DEVICE_NAME		"nsmodel"
#define NSM_ABI_VERSION		1

/* Longest path or string argument, including the terminating NUL. */
#define NSM_PATH_MAX		4096
/* Longest hostname, as __NEW_UTS_LEN. */
#define NSM_HOSTNAME_MAX	64
/* Deepest nesting of user and pid namespaces, as the kernel's 32 levels. */
#define NSM_MAX_LEVEL		32

/* The id of the init task every world starts with. */
#define NSM_INIT_TASK		1

/* Object types whose live instances the module counts. */
enum nsm_obj_type {
	NSM_OBJ_WORLD,
	NSM_OBJ_TASK,
	NSM_OBJ_NSPROXY,
	NSM_OBJ_FS_STRUCT,
	NSM_OBJ_CRED,
	NSM_OBJ_PID,
	NSM_OBJ_MNT_NS,
	NSM_OBJ_UTS_NS,
	NSM_OBJ_IPC_NS,
	NSM_OBJ_PID_NS,
	NSM_OBJ_NET_NS,
	NSM_OBJ_CGROUP_NS,
	NSM_OBJ_TIME_NS,
	NSM_OBJ_USER_NS,
	NSM_OBJ_MOUNT,
	NSM_OBJ_SUPER,
	NSM_OBJ_DENTRY,
	NSM_OBJ_NS_HANDLE,
	NSM_OBJ_MOUNTINFO,	/* open mountinfo fds */
	NSM_OBJ_OTHER,		/* small bookkeeping objects (peer group ids, ...) */
	NSM_OBJ_MNT_HANDLE,	/* open mount handle fds (OPEN_TREE) */
	NSM_OBJ_FS_CONTEXT,	/* open fs context fds (FSOPEN, FSPICK) */
	NSM_OBJ_MAX
};

/* Room reserved in the counter arrays; NSM_OBJ_MAX may grow up to this. */
#define NSM_OBJ_SLOTS		32

/* Namespace kinds, in the order /proc/PID/ns lists them. */
enum nsm_ns_kind {
	NSM_NS_CGROUP,
	NSM_NS_IPC,
	NSM_NS_MNT,
	NSM_NS_NET,
	NSM_NS_PID,
	NSM_NS_PID_FOR_CHILDREN,
	NSM_NS_TIME,
	NSM_NS_TIME_FOR_CHILDREN,
	NSM_NS_USER,
	NSM_NS_UTS,
	NSM_NS_KIND_MAX
};

#define NSM_NS_SLOTS		16

/* NSM_IOC_VERSION: ABI version and what the module was built from. */
struct nsm_version {
	__u32 size;
	__u32 abi_version;		/* out: NSM_ABI_VERSION */
	__u32 nr_obj_types;		/* out: NSM_OBJ_MAX */
	__u32 nr_ns_kinds;		/* out: NSM_NS_KIND_MAX */
	char release[65];		/* out: utsname release it runs on */
	char build[127];		/* out: "nsmodel <ver> built for <rel>" */
};
#define NSM_VERSION_SIZE_VER0	208

/*
 * NSM_IOC_COUNTERS: live objects per type, module-wide and in this world.
 * The module-wide part (@global, @global_bytes) is reported only to a
 * caller with CAP_SYS_ADMIN in the initial user namespace; anyone else
 * (a process that dropped it, or in a child user namespace) gets zeros
 * there and its own world's counts as usual.
 */
struct nsm_counters {
	__u32 size;
	__u32 nr_types;			/* out: NSM_OBJ_MAX */
	__u64 global[NSM_OBJ_SLOTS];	/* out: all worlds (or 0, above) */
	__u64 world[NSM_OBJ_SLOTS];	/* out: this world */
	__u64 global_bytes;		/* out: bytes held by live objects */
	__u64 world_bytes;		/* out */
};
#define NSM_COUNTERS_SIZE_VER0	536

/*
 * NSM_IOC_CLONE: @parent clones a new task, as clone3() with @flags
 * (CLONE_NEW*, CLONE_FS, CLONE_SYSVSEM).  The new task's id is returned in
 * @child and as the ioctl's return value.
 */
struct nsm_clone_args {
	__u32 size;
	__u32 parent;
	__u64 flags;
	__u32 child;			/* out */
	__u32 __reserved;		/* must be 0 */
};
#define NSM_CLONE_ARGS_SIZE_VER0	24

/* NSM_IOC_UNSHARE: @task calls unshare(@flags). */
struct nsm_unshare_args {
	__u32 size;
	__u32 task;
	__u64 flags;
};
#define NSM_UNSHARE_ARGS_SIZE_VER0	16

/*
 * NSM_IOC_SETNS: @task calls setns().  With @fd >= 0, @fd is a namespace
 * handle from NSM_IOC_NS_OPEN and @nstype is 0 or the CLONE_NEW* flag of its
 * kind, as setns(2) on a /proc/PID/ns file.  With @fd == -1, the target is
 * the task @target and @nstype a mask of CLONE_NEW* kinds to enter at once,
 * as setns(2) on a pidfd.
 */
struct nsm_setns_args {
	__u32 size;
	__u32 task;
	__s32 fd;
	__u32 target;
	__u64 nstype;
};
#define NSM_SETNS_ARGS_SIZE_VER0	24

/* NSM_IOC_EXIT: @task exits.  NSM_IOC_SETUID: setresuid(@uid, @uid, @uid). */
struct nsm_task_args {
	__u32 size;
	__u32 task;
	__u32 uid;			/* NSM_IOC_SETUID only (EXIT: ignored) */
	__u32 __reserved;		/* must be 0 */
};
#define NSM_TASK_ARGS_SIZE_VER0	16

/* NSM_IOC_SETHOSTNAME: sethostname(@name, @len) from @task. */
struct nsm_hostname_args {
	__u32 size;
	__u32 task;
	__u64 name;			/* pointer to chars (no NUL needed) */
	__u32 len;
	__u32 __reserved;		/* must be 0 */
};
#define NSM_HOSTNAME_ARGS_SIZE_VER0	24

/*
 * Path operations of @task, resolved from its root (absolute @path) or its
 * cwd (relative @path), crossing mounts as the kernel's path walk does.
 *   NSM_IOC_MKDIR   mkdir -p @path           (@flags: 0)
 *   NSM_IOC_CHDIR   chdir(@path)              (@flags: 0)
 *   NSM_IOC_CHROOT  chroot(@path)             (@flags: 0)
 *   NSM_IOC_UMOUNT  umount2(@path, @flags)    (@flags: MNT_FORCE, MNT_DETACH,
 *                                              MNT_EXPIRE, UMOUNT_NOFOLLOW)
 *   NSM_IOC_STAT    look @path up; fills the out fields, ENOENT if absent
 *   NSM_IOC_TOUCH   open(@path, O_WRONLY | O_CREAT, 0666): creates an
 *                   empty regular file, or opens an existing one (@flags: 0)
 *   NSM_IOC_UNLINK  unlink(@path)             (@flags: 0)
 *   NSM_IOC_RMDIR   rmdir(@path)              (@flags: 0)
 * Removing a name that is a mountpoint in @task's mount namespace is
 * EBUSY; the mounts on it in other namespaces are unmounted with it.
 */
struct nsm_path_args {
	__u32 size;
	__u32 task;
	__u64 path;			/* pointer to a NUL-terminated string */
	__u32 flags;
	__u32 mnt_id;			/* out (STAT): mount the path lands on */
	__u64 ino;			/* out (STAT): the dentry's inode number */
	__u32 dev;			/* out (STAT): its superblock's dev_t */
	__u32 is_root;			/* out (STAT): it is the root of mnt_id */
	__u32 mode;			/* out (STAT): st_mode (S_IFDIR, S_IFREG) */
	__u32 __reserved;		/* must be 0 */
};
#define NSM_PATH_ARGS_SIZE_VER0	40

/*
 * NSM_IOC_MOUNT: mount(@source, @target, @fstype, @flags, @data) from @task.
 * @flags are MS_* from <linux/mount.h>: a new mount (fstype "tmpfs"), MS_BIND
 * (with MS_REC), MS_MOVE, MS_SHARED / MS_SLAVE / MS_PRIVATE / MS_UNBINDABLE
 * (with MS_REC), MS_REMOUNT; MS_RDONLY and friends as mount options.
 * Unused pointers are 0.  As mount(2): an @fstype or @source of
 * NSM_PATH_MAX bytes or more is EINVAL (strndup_user()), a @target that
 * long ENAMETOOLONG, and @data is cut after NSM_PATH_MAX - 1 bytes (one
 * page, copy_mount_options()).
 */
struct nsm_mount_args {
	__u32 size;
	__u32 task;
	__u64 source;
	__u64 target;
	__u64 fstype;
	__u64 flags;
	__u64 data;
};
#define NSM_MOUNT_ARGS_SIZE_VER0	48

/*
 * NSM_IOC_TASK_INFO: what /proc/PID/{ns/,status,mountinfo} would say of
 * @task, plus the reference counts a student wants to watch.  Namespace
 * arrays are indexed by enum nsm_ns_kind; unused slots are 0.
 */
struct nsm_task_info {
	__u32 size;
	__u32 task;
	__u32 parent;			/* out: parent task id, 0 for init */
	__u32 uid;			/* out: uid as seen in its user ns */
	__u64 cap_effective;		/* out: CAP_* bit mask */
	__u32 nsproxy_id;		/* out: identity of its nsproxy */
	__u32 nsproxy_count;		/* out: refcount of its nsproxy */
	__u32 fs_users;			/* out: users of its fs_struct */
	__u32 cred_count;		/* out: refcount of its cred */
	__u64 ns_id[NSM_NS_SLOTS];	/* out: inode-like id of each ns */
	__u32 ns_count[NSM_NS_SLOTS];	/* out: refcount of each ns */
	__u32 level;			/* out: depth of its pid ns (init: 0) */
	__u32 nspid[NSM_MAX_LEVEL + 1];	/* out: pid at each level, outer first */
	__u32 root_mnt_id;		/* out: mount of its fs root */
	__u32 pwd_mnt_id;		/* out: mount of its cwd */
	char hostname[NSM_HOSTNAME_MAX + 1];	/* out: its uts nodename */
	char __pad[7];			/* must be 0 */
};
#define NSM_TASK_INFO_SIZE_VER0	448

/*
 * NSM_IOC_NS_OPEN: open a handle on @task's namespace of @kind, as open() of
 * /proc/PID/ns/KIND.  The new fd is returned in @fd and as the ioctl's
 * return value; it holds a reference on the namespace until it is closed.
 * With @path (a user pointer to a NUL-terminated string, @kind 0): open the
 * namespace file bound at that path in @task's view (NSM_IOC_NS_BIND), as
 * open(2) of /run/netns/NAME: the path walk's errors, EACCES, and EINVAL
 * when the file there is no namespace file (what setns(2) answers then).
 */
struct nsm_ns_open_args {
	__u32 size;
	__u32 task;
	__u32 kind;			/* enum nsm_ns_kind */
	__s32 fd;			/* out */
	__u64 path;			/* 0, or the path of a namespace file */
	__u32 __reserved;		/* must be 0 */
	__u32 __pad;
};
#define NSM_NS_OPEN_ARGS_SIZE_VER0	16

/*
 * NSM_IOC_NS_BIND: @task mounts the namespace file of @kind of the task
 * @target on @path, as mount --bind /proc/TARGET/ns/KIND PATH (mount(2)
 * with MS_BIND).  @path must be a regular file (ENOTDIR otherwise).  The
 * mount (and every copy of it) holds a reference on the namespace until
 * it is freed.  Binding a mount namespace that is not newer than @task's
 * own is EINVAL (mnt_ns_loop()); copies of mount namespace files are left
 * out of copy_mnt_ns() and of propagation.  Its mountinfo line shows fs
 * type and source "nsfs" and the root "KIND:[INUM]".  @flags: 0.
 */
struct nsm_ns_bind_args {
	__u32 size;
	__u32 task;
	__u32 target;			/* the task whose namespace is bound */
	__u32 kind;			/* enum nsm_ns_kind */
	__u64 path;			/* pointer to a NUL-terminated string */
	__u32 flags;
	__u32 __reserved;		/* must be 0 */
};
#define NSM_NS_BIND_ARGS_SIZE_VER0	32

/*
 * NSM_IOC_NS_INFO, on a handle fd: which namespace it holds.  @world_id is
 * a module-wide sequence number: it tells only how many worlds were opened
 * before this one, harmless on a device only root can open.
 */
struct nsm_ns_info {
	__u32 size;
	__u32 kind;			/* out: enum nsm_ns_kind */
	__u64 ns_id;			/* out */
	__u64 owner_id;			/* out: owning user ns (0 for none) */
	__u64 parent_id;		/* out: parent ns (user, pid; else 0) */
	__u32 level;			/* out: nesting level (user, pid) */
	__u32 count;			/* out: the namespace's refcount */
	__u64 world_id;			/* out: the world it lives in */
};
#define NSM_NS_INFO_SIZE_VER0	48

/*
 * NSM_IOC_MOUNTINFO: an fd whose read() gives @task's mount table in
 * exactly the /proc/PID/mountinfo format, as a snapshot taken at this call.
 * The snapshot is held in memory whole, so it is bounded: past the module
 * parameter mountinfo_max (bytes, default 64 MiB) the call fails with
 * ENOMEM, as a read of /proc/PID/mountinfo does when seq_file cannot grow
 * its buffer (nothing was too big in the caller's request: not E2BIG).
 * A world holds at most mountinfo_files_max (default 256) snapshots open
 * at once: past it ENFILE, as a full file table gives.
 *
 * With NSM_MOUNTINFO_HANDLE in @flags (version 1), the snapshot is of the
 * tree behind the mount handle @handle (NSM_IOC_OPEN_TREE, NSM_IOC_FSMOUNT)
 * instead, attached or detached: the handle's mount first, with mount point
 * "/", then every mount below it, in the order of a walk of its subtree,
 * each line as mountinfo prints it for a reader whose root is the handle's
 * path (mount points relative to it; a mount outside it has no line).
 * Covered mounts are listed too, as mountinfo lists them.  EBADF when
 * @handle is no mount handle of this world.  @task is still the caller.
 */
struct nsm_mountinfo_args {
	__u32 size;
	__u32 task;
	__s32 fd;			/* out */
	__u32 flags;			/* 0 or NSM_MOUNTINFO_HANDLE */
	__s32 handle;			/* with NSM_MOUNTINFO_HANDLE */
	__u32 __reserved;		/* must be 0 */
};
#define NSM_MOUNTINFO_ARGS_SIZE_VER0	16
#define NSM_MOUNTINFO_ARGS_SIZE_VER1	24

#define NSM_MOUNTINFO_HANDLE		0x1

/*
 * NSM_IOC_FAULT: make the @fail_nth-th allocation from now on in this world
 * fail (1 = the next one; 0 = stop injecting).  @nr_allocs reports how many
 * allocations the world made since the last NSM_IOC_FAULT, so a test can
 * step N = 1, 2, ... until an operation succeeds, as with fail-nth.
 */
struct nsm_fault_args {
	__u32 size;
	__u32 fail_nth;
	__u64 nr_allocs;		/* out */
};
#define NSM_FAULT_ARGS_SIZE_VER0	16

/*
 * NSM_IOC_GETCWD: getcwd(@buf, @len) from @task: the path of its cwd as
 * seen from its root, written to the @len bytes at the user pointer @buf
 * with its NUL.  The ioctl returns that length (the NUL included), as the
 * system call does.  A cwd that its root cannot reach (a chroot elsewhere,
 * a lazily unmounted mount) is shown from the top of the tree it hangs in,
 * prefixed with "(unreachable)".  ERANGE when @len is too small (@buf
 * untouched), ENAMETOOLONG past PATH_MAX (NSM_PATH_MAX).
 */
struct nsm_getcwd_args {
	__u32 size;
	__u32 task;
	__u64 buf;			/* pointer to @len bytes */
	__u32 len;
	__u32 __reserved;		/* must be 0 */
};
#define NSM_GETCWD_ARGS_SIZE_VER0	24

/*
 * NSM_IOC_PIVOT_ROOT: pivot_root(@new_root, @put_old) from @task: the
 * task's root mount moves onto @put_old (which must be at or under
 * @new_root), the mount of @new_root takes its place, and every task of
 * the world whose root or cwd was the old root is moved to @new_root.
 * The errnos and their order are the system call's: EPERM without
 * CAP_SYS_ADMIN over the mount namespace's owner, the lookup errors of
 * @new_root then of @put_old (EFAULT for a bad pointer), EINVAL for
 * mounts outside the task's namespace, shared parents, a locked
 * @new_root, a root or @new_root that is not a mount's root or not
 * attached, and an unreachable @put_old or @new_root; EBUSY when
 * @new_root or @put_old is on the root's own mount.
 * "pivot_root(".", ".")" stacks the old root on the new one.
 */
struct nsm_pivot_root_args {
	__u32 size;
	__u32 task;
	__u64 new_root;			/* pointer to a NUL-terminated string */
	__u64 put_old;			/* pointer to a NUL-terminated string */
};
#define NSM_PIVOT_ROOT_ARGS_SIZE_VER0	24

/*
 * Mount handles: the fds of NSM_IOC_OPEN_TREE (and, later, of the other
 * calls of the new mount API) stand for the O_PATH files the kernel's
 * open_tree(2) returns: each holds a path (a mount and a dentry of it).
 * A handle of OPEN_TREE_CLONE owns a detached tree in an anonymous mount
 * namespace of its own, which the last close unmounts and frees
 * (dissolve_on_fput()) unless move_mount attached it meanwhile.  dup(2)
 * and fork(2) share one handle, as they share one file.
 *
 * Where a call takes a directory fd and a path (@dfd with @path, as the
 * *at() system calls), @dfd is AT_FDCWD (-100: relative paths start at
 * the task's cwd) or a mount handle of the same world; an absolute
 * @path ignores it, and an empty one (with AT_EMPTY_PATH, or
 * MOVE_MOUNT_F_EMPTY_PATH / MOVE_MOUNT_T_EMPTY_PATH) means @dfd itself.
 * The errnos are the path walk's: ENOENT for an empty @path without the
 * flag, EBADF when @dfd is needed and is neither AT_FDCWD nor a mount
 * handle of this world (the model knows no other files), ENOTDIR when a
 * relative @path starts at a handle on a regular file.
 */

/*
 * NSM_IOC_OPEN_TREE: open_tree(@dfd, @path, @flags) from @task.  @flags:
 * OPEN_TREE_CLONE (a copy of the mount at @path, or with AT_RECURSIVE of
 * its whole subtree, made as a bind mount would make it, detached in a
 * new anonymous mount namespace), OPEN_TREE_CLOEXEC, AT_RECURSIVE (only
 * with OPEN_TREE_CLONE), AT_EMPTY_PATH, AT_NO_AUTOMOUNT and
 * AT_SYMLINK_NOFOLLOW (accepted; the model has neither automounts nor
 * symlinks).  Without OPEN_TREE_CLONE the handle is an O_PATH file on
 * the path, holding a reference on its mount (which makes the mount busy
 * for umount) and nothing else.  The new fd is returned in @fd and as
 * the ioctl's return value.  Errnos in the system call's order: EINVAL
 * for unknown flags and for AT_RECURSIVE without OPEN_TREE_CLONE, EPERM
 * for a clone without CAP_SYS_ADMIN over the task's mount namespace's
 * owner, EMFILE, the lookup's errnos, then ENOSPC and ENOMEM for the new
 * namespace and the errnos of a bind: EINVAL for an unbindable mount, a
 * mount outside the task's namespace, a non-recursive clone of a mount
 * with locked mounts under the path; EPERM when a recursive clone meets
 * a mount both unbindable and locked.
 */
struct nsm_open_tree_args {
	__u32 size;
	__u32 task;
	__s32 dfd;			/* AT_FDCWD or a mount handle */
	__u32 flags;			/* OPEN_TREE_*, AT_* */
	__u64 path;			/* pointer to a NUL-terminated string */
	__s32 fd;			/* out */
	__u32 __reserved;		/* must be 0 */
};
#define NSM_OPEN_TREE_ARGS_SIZE_VER0	32

/*
 * NSM_IOC_MOVE_MOUNT: move_mount(@from_dfd, @from_path, @to_dfd,
 * @to_path, @flags) from @task.  @flags are MOVE_MOUNT_* of
 * <linux/mount.h>: MOVE_MOUNT_F_EMPTY_PATH and MOVE_MOUNT_T_EMPTY_PATH
 * (an empty path names the fd itself), MOVE_MOUNT_SET_GROUP (@to joins
 * the peer group and master of @from instead of moving), the symlink
 * and automount flags (accepted, nothing to follow), and on kernels that
 * have it (6.5 and later) MOVE_MOUNT_BENEATH (the mount goes under the
 * topmost mount at @to instead of on top of it); the world takes the
 * flags of its profile's kernel (NSM_FEAT_MOVE_MOUNT_BENEATH), EINVAL for
 * the others.  What
 * moves is the mount at @from: an attached mount of the task's own
 * namespace, or the root of a detached tree (a handle of
 * OPEN_TREE_CLONE), which is attached and propagated as a bind mount
 * would be and whose anonymous namespace is then freed.  Errnos in the
 * system call's order: EPERM without CAP_SYS_ADMIN over the mount
 * namespace's owner, EINVAL for bad flags, the lookup of @from, then of
 * @to, then do_move_mount()'s (or do_set_group()'s) EINVAL, ELOOP, ENOENT
 * and EPERM cases.
 */
struct nsm_move_mount_args {
	__u32 size;
	__u32 task;
	__s32 from_dfd;			/* AT_FDCWD or a mount handle */
	__s32 to_dfd;			/* AT_FDCWD or a mount handle */
	__u64 from_path;		/* pointer to a NUL-terminated string */
	__u64 to_path;			/* pointer to a NUL-terminated string */
	__u32 flags;			/* MOVE_MOUNT_* */
	__u32 __reserved;		/* must be 0 */
};
#define NSM_MOVE_MOUNT_ARGS_SIZE_VER0	40

/*
 * The fs-context half of the new mount API.  An fs context fd (of
 * NSM_IOC_FSOPEN or NSM_IOC_FSPICK) stands for the file fsopen(2) and
 * fspick(2) return: a filesystem configuration with its phase.  fsopen
 * starts it to make a new superblock (FS_CONTEXT_CREATE_PARAMS), fspick
 * to reconfigure the superblock of an existing mount
 * (FS_CONTEXT_RECONF_PARAMS); NSM_IOC_FSCONFIG sets parameters and runs
 * the commands; NSM_IOC_FSMOUNT makes the first mount of the created
 * superblock, detached in an anonymous mount namespace of its own, and
 * returns a mount handle on it that dissolves it on its last close
 * unless move_mount attached it.  The only filesystem type is "tmpfs"
 * (ENODEV for any other), whose parameters are those of mount(2)'s data
 * (see NSM_IOC_MOUNT), plus "source".  The calls' errnos and their order
 * are the system calls'.
 */

/*
 * NSM_IOC_FSOPEN: fsopen(@fs_name, @flags) from @task.  @flags:
 * FSOPEN_CLOEXEC.  EPERM without CAP_SYS_ADMIN over the task's mount
 * namespace's owner, EINVAL for other flags and for a name of PAGE_SIZE
 * bytes or more, ENODEV for a type other than "tmpfs".  The new fd is
 * returned in @fd and as the ioctl's return value.
 */
struct nsm_fsopen_args {
	__u32 size;
	__u32 task;
	__u64 fs_name;			/* pointer to a NUL-terminated string */
	__u32 flags;			/* FSOPEN_CLOEXEC */
	__s32 fd;			/* out */
};
#define NSM_FSOPEN_ARGS_SIZE_VER0	24

/*
 * NSM_IOC_FSCONFIG: fsconfig(@fd, @cmd, @key, @value, @aux) from @task.
 * @cmd: FSCONFIG_SET_FLAG (@key, no @value), FSCONFIG_SET_STRING (@key
 * and @value, each shorter than 256 bytes, else EINVAL),
 * FSCONFIG_CMD_CREATE (the superblock is made: the phase moves to
 * awaiting mount, or to failed if that fails), FSCONFIG_CMD_CREATE_EXCL
 * where the profile has it (6.6 and later, NSM_FEAT_FSCONFIG_CREATE_EXCL;
 * for tmpfs the same as CMD_CREATE), FSCONFIG_CMD_RECONFIGURE (an fspick
 * context's superblock takes the parameters, as a remount).  Errnos in
 * the system call's order: EINVAL for a negative @fd and for arguments
 * that do not fit @cmd, EOPNOTSUPP for an unknown @cmd, EBADF, EINVAL
 * when @fd is no fs context of this world, EBUSY for a command or
 * parameter in the wrong phase, EPERM for CMD_CREATE without
 * CAP_SYS_ADMIN over the context's user namespace and for
 * CMD_RECONFIGURE without it over the superblock's owner, then the
 * parameter's errnos (EINVAL).  FSCONFIG_SET_BINARY, _SET_PATH,
 * _SET_PATH_EMPTY and _SET_FD are not modelled: after the checks of
 * their arguments they fail with EOPNOTSUPP (the kernel's tmpfs takes
 * them only for the generic superblock flags).
 */
struct nsm_fsconfig_args {
	__u32 size;
	__u32 task;
	__s32 fd;			/* an fs context */
	__u32 cmd;			/* FSCONFIG_* */
	__u64 key;			/* 0, or a NUL-terminated string */
	__u64 value;			/* 0, or a NUL-terminated string */
	__s32 aux;
	__u32 __reserved;		/* must be 0 */
};
#define NSM_FSCONFIG_ARGS_SIZE_VER0	40

/*
 * NSM_IOC_FSMOUNT: fsmount(@fs_fd, @flags, @attr_flags) from @task.
 * @flags: FSMOUNT_CLOEXEC; @attr_flags: MOUNT_ATTR_RDONLY, _NOSUID,
 * _NODEV, _NOEXEC, _NODIRATIME, _NOSYMFOLLOW and one of the atime
 * values (_RELATIME, _NOATIME, _STRICTATIME).  Errnos in the system
 * call's order: EPERM without CAP_SYS_ADMIN over the task's mount
 * namespace's owner, EINVAL for bad flags or attributes, EBADF, EINVAL
 * when @fs_fd is no fs context or no superblock was created, EBUSY when
 * the context is not awaiting its mount (it was mounted already), then
 * ENOMEM, ENOSPC for the new namespace and EMFILE.  The context is then
 * as after fspick of the new mount.  The new mount handle's fd is
 * returned in @fd and as the ioctl's return value.
 */
struct nsm_fsmount_args {
	__u32 size;
	__u32 task;
	__s32 fs_fd;			/* an fs context */
	__u32 flags;			/* FSMOUNT_CLOEXEC */
	__u32 attr_flags;		/* MOUNT_ATTR_* */
	__s32 fd;			/* out */
};
#define NSM_FSMOUNT_ARGS_SIZE_VER0	24

/*
 * NSM_IOC_FSPICK: fspick(@dfd, @path, @flags) from @task: an fs context
 * to reconfigure the superblock of the mount at @path.  @flags:
 * FSPICK_CLOEXEC, FSPICK_SYMLINK_NOFOLLOW, FSPICK_NO_AUTOMOUNT (accepted;
 * nothing to follow), FSPICK_EMPTY_PATH; @dfd and @path as for the *at()
 * calls above.  Errnos in order: EPERM (as fsopen), EINVAL for other
 * flags, the lookup's, EINVAL when @path is not the root of its mount.
 * The context of an nsfs file's superblock takes the generic superblock
 * flags and "source" only.
 */
struct nsm_fspick_args {
	__u32 size;
	__u32 task;
	__s32 dfd;			/* AT_FDCWD or a mount handle */
	__u32 flags;			/* FSPICK_* */
	__u64 path;			/* pointer to a NUL-terminated string */
	__s32 fd;			/* out */
	__u32 __reserved;		/* must be 0 */
};
#define NSM_FSPICK_ARGS_SIZE_VER0	32

/*
 * NSM_IOC_MOUNT_SETATTR: mount_setattr(@dfd, @path, @flags, @uattr, @usize)
 * from @task.  @uattr points to a struct mount_attr of <linux/mount.h>
 * (@usize bytes, read with copy_struct_from_user() as the system call
 * reads it: E2BIG past one page or for non-zero bytes beyond the known
 * struct, EINVAL below MOUNT_ATTR_SIZE_VER0).  @flags: AT_EMPTY_PATH,
 * AT_RECURSIVE, AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT; @dfd and @path as
 * for the other *at() calls above (AT_EMPTY_PATH and a mount handle: the
 * handle's mount, attached or the root of a detached tree).
 * The checks and their errnos are the system call's, in its order; the
 * whole tree (AT_RECURSIVE) changes or nothing does.  MOUNT_ATTR_IDMAP:
 * @userns_fd is a user namespace handle (NSM_IOC_NS_OPEN); every check
 * of the user namespace is made, but the model's tmpfs cannot be
 * idmapped (EINVAL), as the kernel's could not before 6.3.
 */
struct nsm_mount_setattr_args {
	__u32 size;
	__u32 task;
	__s32 dfd;			/* AT_FDCWD or a mount handle */
	__u32 flags;			/* AT_* */
	__u64 path;			/* pointer to a NUL-terminated string */
	__u64 uattr;			/* pointer to a struct mount_attr */
	__u64 usize;			/* its size, as the caller says */
};
#define NSM_MOUNT_SETATTR_ARGS_SIZE_VER0	40

/*
 * NSM_IOC_PROFILE: which kernel's semantics the world follows.  Where
 * Linux versions answer the same system calls differently, the model
 * follows the world's profile, whatever kernel the module was built for
 * or runs on.  A world starts with NSM_PROFILE_AUTO: the profile of the
 * running kernel (the newest 6.x profile not newer than it, and at least
 * 6.1; never 2.4.19, which is only ever chosen).
 *
 * With NSM_PROFILE_SET in @flags the world takes @profile; only before
 * its first operation (any ioctl other than VERSION, COUNTERS, FAULT and
 * PROFILE): EBUSY after that, EINVAL for an unknown profile.  Without it
 * nothing changes.  Either way the out fields describe the world's
 * profile: @profile (never NSM_PROFILE_AUTO), @version (as
 * KERNEL_VERSION(), 0x060c00 for 6.12), @features (the NSM_FEAT_* bits
 * it has; new bits only ever add to this list) and @name ("6.12").
 */
enum nsm_profile_id {
	NSM_PROFILE_AUTO,
	NSM_PROFILE_6_1,
	NSM_PROFILE_6_12,
	NSM_PROFILE_6_18,
	NSM_PROFILE_2_4_19,		/* the seed: copy_namespace() */
	NSM_PROFILE_MAX
};

#define NSM_PROFILE_SET			(1U << 0)

/* The semantics a profile has (6.1 has none of them). */
#define NSM_FEAT_MNT_RBTREE		(1ULL << 0)	/* 6.12 */
#define NSM_FEAT_LOCK_MOUNT_ENOENT	(1ULL << 1)	/* 6.12 */
#define NSM_FEAT_COPY_SKIPS_SUBTREE	(1ULL << 2)	/* 6.12 */
#define NSM_FEAT_UMOUNT_CHAIN_BUSY	(1ULL << 3)	/* 6.12 */
#define NSM_FEAT_TMPFS_NOSWAP		(1ULL << 4)	/* 6.12 */
#define NSM_FEAT_TMPFS_INODES_BOUND	(1ULL << 5)	/* 6.12 */
#define NSM_FEAT_MNTNS_INSTALL_CURRENT_FS (1ULL << 6)	/* 6.12 only */
#define NSM_FEAT_CLONE_DROPS_UNBINDABLE	(1ULL << 7)	/* 6.18 */
#define NSM_FEAT_MOVE_MOUNT_BENEATH	(1ULL << 8)	/* 6.12 (since 6.5) */
/*
 * What Linux 2.4.19 lacked or did otherwise (the 2.4.19 profile alone):
 * SEED_CLONE: clone() knows CLONE_NEWNS only (the other CLONE_NEW* bits
 * are ignored, no user namespaces), and a failed copy_namespace() is
 * reported as ENOMEM; SEED_SYSCALLS: no unshare, setns, open_tree,
 * move_mount, mount_setattr or fs contexts (ENOSYS) and no /proc/PID/ns (ENOENT);
 * SEED_MOUNT: mount(2) and umount(2) as 2.4.19's do_mount() and
 * sys_umount() (no shared subtrees, no per-mount ro or atime defaults,
 * their order of checks).
 */
#define NSM_FEAT_SEED_CLONE		(1ULL << 9)	/* 2.4.19 */
#define NSM_FEAT_SEED_SYSCALLS		(1ULL << 10)	/* 2.4.19 */
#define NSM_FEAT_SEED_MOUNT		(1ULL << 11)	/* 2.4.19 */
#define NSM_FEAT_FSCONFIG_CREATE_EXCL	(1ULL << 12)	/* 6.12 (since 6.6) */

struct nsm_profile_args {
	__u32 size;
	__u32 flags;			/* NSM_PROFILE_SET or 0 */
	__u32 profile;			/* in (SET), out: enum nsm_profile_id */
	__u32 version;			/* out */
	__u64 features;			/* out: NSM_FEAT_* */
	char name[16];			/* out */
};
#define NSM_PROFILE_ARGS_SIZE_VER0	40

#define NSM_IOC_MAGIC		0xB8

#define NSM_IOC_VERSION		_IO(NSM_IOC_MAGIC, 0x00)
#define NSM_IOC_COUNTERS	_IO(NSM_IOC_MAGIC, 0x01)
#define NSM_IOC_CLONE		_IO(NSM_IOC_MAGIC, 0x02)
#define NSM_IOC_UNSHARE		_IO(NSM_IOC_MAGIC, 0x03)
#define NSM_IOC_SETNS		_IO(NSM_IOC_MAGIC, 0x04)
#define NSM_IOC_EXIT		_IO(NSM_IOC_MAGIC, 0x05)
#define NSM_IOC_SETUID		_IO(NSM_IOC_MAGIC, 0x06)
#define NSM_IOC_SETHOSTNAME	_IO(NSM_IOC_MAGIC, 0x07)
#define NSM_IOC_TASK_INFO	_IO(NSM_IOC_MAGIC, 0x08)
#define NSM_IOC_NS_OPEN		_IO(NSM_IOC_MAGIC, 0x09)
#define NSM_IOC_NS_INFO		_IO(NSM_IOC_MAGIC, 0x0a)
#define NSM_IOC_MKDIR		_IO(NSM_IOC_MAGIC, 0x0b)
#define NSM_IOC_CHDIR		_IO(NSM_IOC_MAGIC, 0x0c)
#define NSM_IOC_CHROOT		_IO(NSM_IOC_MAGIC, 0x0d)
#define NSM_IOC_MOUNT		_IO(NSM_IOC_MAGIC, 0x0e)
#define NSM_IOC_UMOUNT		_IO(NSM_IOC_MAGIC, 0x0f)
#define NSM_IOC_STAT		_IO(NSM_IOC_MAGIC, 0x10)
#define NSM_IOC_MOUNTINFO	_IO(NSM_IOC_MAGIC, 0x11)
#define NSM_IOC_FAULT		_IO(NSM_IOC_MAGIC, 0x12)
#define NSM_IOC_GETCWD		_IO(NSM_IOC_MAGIC, 0x13)
#define NSM_IOC_TOUCH		_IO(NSM_IOC_MAGIC, 0x14)
#define NSM_IOC_UNLINK		_IO(NSM_IOC_MAGIC, 0x15)
#define NSM_IOC_RMDIR		_IO(NSM_IOC_MAGIC, 0x16)
#define NSM_IOC_PIVOT_ROOT	_IO(NSM_IOC_MAGIC, 0x17)
#define NSM_IOC_NS_BIND		_IO(NSM_IOC_MAGIC, 0x18)
#define NSM_IOC_OPEN_TREE	_IO(NSM_IOC_MAGIC, 0x19)
#define NSM_IOC_MOVE_MOUNT	_IO(NSM_IOC_MAGIC, 0x1a)
#define NSM_IOC_FSOPEN		_IO(NSM_IOC_MAGIC, 0x1b)
#define NSM_IOC_FSCONFIG	_IO(NSM_IOC_MAGIC, 0x1c)
#define NSM_IOC_FSMOUNT		_IO(NSM_IOC_MAGIC, 0x1d)
#define NSM_IOC_FSPICK		_IO(NSM_IOC_MAGIC, 0x1e)
#define NSM_IOC_MOUNT_SETATTR	_IO(NSM_IOC_MAGIC, 0x1f)
#define NSM_IOC_PROFILE		_IO(NSM_IOC_MAGIC, 0x20)

#endif /* _UAPI_LINUX_NSMODEL_H */
