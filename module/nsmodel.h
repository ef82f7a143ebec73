/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel: the model's shared structures.
 *
 * Each struct here models one kernel struct and keeps its field names where
 * the field means the same thing.  Mount-side structures (struct nsm_mount,
 * struct nsm_mnt_namespace, superblocks and dentries) live in mount.h, as
 * fs/mount.h keeps them away from the rest of the kernel.
 *
 * LOCKING
 *
 * A world is the unit of isolation and of locking.  Every model object
 * belongs to exactly one world, and world->lock (a mutex) protects all of
 * them: the task table, every nsproxy, namespace, cred, fs_struct, pid,
 * mount, superblock and dentry, and all their refcounts.  Every ioctl on a
 * world fd runs entirely under that mutex (dev.c takes it), and so do the
 * release paths of handle and mountinfo fds.  Nothing sleeps on another
 * world's lock, so separate worlds never contend; the only module-wide
 * state is the array of atomic counters and the world id allocator.
 *
 * The ioctl paths wait for world->lock with mutex_lock_killable(), so a
 * task stuck behind a long holder can still be killed (-EINTR, which the
 * dying task never sees); the release and teardown paths, which cannot
 * fail, use mutex_lock().
 *
 * Lock order: world->lock, then nothing else of ours.  Allocation under
 * world->lock uses GFP_KERNEL_ACCOUNT, which may sleep (fine for a mutex).
 * A handle fd's release takes its world's lock, so it must never run
 * under it: setns() holds the handle with fget() while the lock is held,
 * and the fput() that may follow is deferred by the VFS to the caller's
 * return to user space (task work), after dev.c has dropped the lock.
 * Handles of one world never take another world's lock (EINVAL first).
 *
 * The refcount_t fields mirror the kernel's so that their arithmetic can
 * be studied and tested; under the world lock they need no atomicity, but
 * refcount_t also catches underflow and overflow for us.
 *
 * LIFETIME
 *
 * struct nsm_world is itself refcounted (kref): the world fd holds one
 * reference and every handle or mountinfo fd holds another.  The world
 * holds its initial namespaces (world->init_nsproxy, ->init_user_ns) from
 * the creation of its init task until the world fd closes, so they outlive
 * their last task as the kernel's never die.  Closing the world fd makes
 * every task exit, which drops the nsproxies, creds and fs_structs, and
 * then drops the world's hold on the initial namespaces; a namespace that a handle still pins survives until that
 * handle closes, exactly as a real namespace outlives its last task while a
 * /proc/PID/ns file is open.  When the last kref goes, every counter of the
 * world must be zero: dev.c warns if not, and the selftests check it.
 */
#ifndef _NSMODEL_H
#define _NSMODEL_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/idr.h>
#include <linux/refcount.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/utsname.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <uapi/linux/nsmodel.h>

#include "compat.h"

struct nsm_world;
struct nsm_task;
struct nsm_mount;
struct nsm_dentry;
struct nsm_mnt_namespace;
struct nsm_user_namespace;
struct nsm_nsset;
struct nsm_nsproxy;
struct nsm_fs_struct;
struct nsm_pid_namespace;
struct file;

/* Module parameters (dev.c). */
extern unsigned int nsm_max_tasks;
extern unsigned int nsm_max_namespaces;
extern unsigned int nsm_mount_max;
extern unsigned int nsm_mountinfo_max;
extern unsigned long nsm_world_bytes_max;
extern unsigned int nsm_mountinfo_files_max;

/* ---- world.c: worlds, accounting, fault injection, ids ---- */

#define NSM_MOUNT_HASH_MIN_BITS	6
#define NSM_MOUNT_HASH_MAX_BITS	20

/* models: nothing in the kernel; the model's unit of isolation */
struct nsm_world {
	struct mutex lock;
	struct kref kref;
	u64 id;
	bool dead;			/* world fd closed */

	struct idr tasks;		/* task id -> struct nsm_task */
	unsigned int nr_tasks;
	unsigned int nr_namespaces;	/* all kinds, for nsm_max_namespaces */
	u32 next_nsproxy_id;

	struct ida ns_inums;		/* proc_alloc_inum() */
	struct ida mnt_ids;		/* mnt_alloc_id() */
	struct ida group_ids;		/* mnt_alloc_group_id() */
	u64 mnt_id_ctr;			/* 6.12's mnt_id_unique, per world */
	struct ida anon_devs;		/* get_anon_bdev() */
	u64 event;			/* the mount namespaces' event counter */

	/*
	 * The mount hash (namespace.c): attached mounts by (parent,
	 * mountpoint), as the kernel's mount_hashtable.  It starts as the
	 * inline table and doubles while the world grows, so lookups stay
	 * O(1) when thousands of mounts share one mountpoint dentry.
	 */
	struct hlist_head *mount_hashtable;
	unsigned int mount_hash_bits;
	unsigned int mount_hash_count;
	struct hlist_head mount_hash_inline[1 << NSM_MOUNT_HASH_MIN_BITS];
	struct hlist_head unmounted;	/* namespace.c: mntput at unlock */

	/*
	 * The initial namespaces, held for the world's whole life as the
	 * kernel's init_nsproxy and init_cred hold theirs (which never die):
	 * a reference on init's first nsproxy and one on the first user
	 * namespace, dropped by nsm_world_kill() after the last task, the
	 * nsproxy first (its mounts' superblocks hold the user namespace).
	 */
	struct nsm_nsproxy *init_nsproxy;

	/* nsfs.c: the internal nsfs mount, and dentries awaiting their put */
	struct nsm_mount *nsfs_mnt;
	struct nsm_dentry *nsfs_dead;
	bool nsfs_reaping;

	struct nsm_user_namespace *init_user_ns;

	/*
	 * profile.c: the kernel version whose semantics the world follows,
	 * settable until the first operation marks the world used.
	 */
	const struct nsm_profile *profile;
	bool used;
	/* dev.c: the ioctl whose handler runs now (under the lock), or NULL */
	struct nsm_call *call;

	/* fault injection: fail the fail_nth-th allocation, counting from 1 */
	unsigned int fail_nth;
	u64 nr_allocs;

	atomic_long_t count[NSM_OBJ_MAX];
	atomic_long_t bytes;
};

/* profile.c: one kernel version's semantics (NSM_FEAT_* bits) */
struct nsm_profile {
	enum nsm_profile_id id;
	const char *name;
	u32 version;			/* KERNEL_VERSION() */
	u64 features;			/* NSM_FEAT_* */
};

const struct nsm_profile *nsm_profile_auto(void);
const struct nsm_profile *nsm_profile_get(u32 id);
long nsm_ioctl_profile(struct nsm_world *w, struct nsm_profile_args *a);

int nsm_syscall_exists(const struct nsm_world *w);

/* Does @w's profile have the behaviour @feat (one NSM_FEAT_* bit)? */
static inline bool nsm_feat(const struct nsm_world *w, u64 feat)
{
	return w->profile->features & feat;
}

void *nsm_alloc(struct nsm_world *w, enum nsm_obj_type type, size_t size);
void nsm_free(struct nsm_world *w, enum nsm_obj_type type, void *p,
	      size_t size);
struct kmem_cache;
void *nsm_cache_alloc(struct nsm_world *w, enum nsm_obj_type type,
		      struct kmem_cache *cache);
void nsm_cache_free(struct nsm_world *w, enum nsm_obj_type type,
		    struct kmem_cache *cache, void *p);
bool nsm_should_fail(struct nsm_world *w);
bool nsm_world_may_grow(struct nsm_world *w, long bytes);
void nsm_account(struct nsm_world *w, enum nsm_obj_type type, long delta,
		 long bytes);
void nsm_world_get(struct nsm_world *w);
void nsm_world_put(struct nsm_world *w);
struct nsm_world *nsm_world_create(void);
void nsm_world_kill(struct nsm_world *w);
struct nsm_world *nsm_world_open(void);
void nsm_world_close(struct nsm_world *w);
void nsm_global_counts(u64 *count, u64 *bytes);
void nsm_world_counts(struct nsm_world *w, u64 *count, u64 *bytes);
struct nsm_task *nsm_find_task(struct nsm_world *w, u32 id);
void nsm_mount_hash_init(struct nsm_world *w);
int nsm_mnt_cache_init(void);
void nsm_mnt_cache_exit(void);
int nsm_accounting_init(void);
void nsm_accounting_exit(void);
void nsm_mount_hash_destroy(struct nsm_world *w);

/* ---- namespaces common to every kind (nsfs.c) ---- */

/* models: struct ns_common */
struct nsm_ns_common {
	refcount_t count;
	unsigned int inum;
	const struct nsm_proc_ns_operations *ops;
	struct nsm_world *world;
};

/* models: struct proc_ns_operations */
struct nsm_proc_ns_operations {
	const char *name;
	int type;			/* CLONE_NEW* */
	enum nsm_ns_kind kind;
	struct nsm_ns_common *(*get)(struct nsm_task *task);
	void (*put)(struct nsm_ns_common *ns);
	int (*install)(struct nsm_nsset *nsset, struct nsm_ns_common *ns);
	struct nsm_user_namespace *(*owner)(struct nsm_ns_common *ns);
	struct nsm_ns_common *(*get_parent)(struct nsm_ns_common *ns);
};

int nsm_ns_alloc_inum(struct nsm_world *w, struct nsm_ns_common *ns,
		      const struct nsm_proc_ns_operations *ops);
void nsm_ns_free_inum(struct nsm_ns_common *ns);

/* ---- credentials and user namespaces (cred.c, user_ns.c) ---- */

/* models: struct uid_gid_extent (one extent is all the model writes) */
struct nsm_uid_gid_extent {
	u32 first;
	u32 lower_first;
	u32 count;
};

/* models: struct uid_gid_map */
struct nsm_uid_gid_map {
	u32 nr_extents;
	struct nsm_uid_gid_extent extent[1];
};

/* models: struct user_namespace */
struct nsm_user_namespace {
	struct nsm_ns_common ns;
	struct nsm_uid_gid_map uid_map;
	struct nsm_uid_gid_map gid_map;
	struct nsm_user_namespace *parent;
	int level;
	u32 owner;			/* kuid of the creator */
	u32 group;
};

/* models: struct cred (uids are global "kuids") */
struct nsm_cred {
	refcount_t usage;
	struct nsm_world *world;
	u32 uid, euid, suid, fsuid;
	u32 gid, egid;
	u64 cap_inheritable;
	u64 cap_permitted;
	u64 cap_effective;
	u64 cap_bset;
	struct nsm_user_namespace *user_ns;
};

#define NSM_CAP_FULL_SET	((1ULL << (CAP_LAST_CAP + 1)) - 1)
#define NSM_OVERFLOWUID		65534

#define NSM_INVALID_UID		((u32)-1)

bool nsm_ns_capable(const struct nsm_cred *cred,
		    struct nsm_user_namespace *ns, int cap);
bool nsm_in_userns(const struct nsm_user_namespace *ancestor,
		   const struct nsm_user_namespace *child);
bool nsm_current_in_userns(const struct nsm_cred *cred,
			   const struct nsm_user_namespace *target);
u32 nsm_from_kuid(struct nsm_user_namespace *ns, u32 kuid);
u32 nsm_make_kuid(struct nsm_user_namespace *ns, u32 uid);
struct nsm_user_namespace *nsm_get_user_ns(struct nsm_user_namespace *ns);
void nsm_put_user_ns(struct nsm_user_namespace *ns);
struct nsm_cred *nsm_get_cred(const struct nsm_cred *cred);
void nsm_put_cred(const struct nsm_cred *cred);
struct nsm_cred *nsm_prepare_creds(const struct nsm_cred *old);
void nsm_commit_creds(struct nsm_task *task, struct nsm_cred *new);
void nsm_abort_creds(struct nsm_cred *new);
int nsm_create_user_ns(struct nsm_task *me, struct nsm_cred *new);
int nsm_unshare_userns(struct nsm_task *me, u64 unshare_flags,
		       struct nsm_cred **new_cred);
struct nsm_user_namespace *nsm_create_init_user_ns(struct nsm_world *w);
extern const struct nsm_proc_ns_operations nsm_userns_operations;

/* ---- the other namespace kinds (uts_ns.c, ipc_ns.c, ...) ---- */

/* models: struct uts_namespace */
struct nsm_uts_namespace {
	struct nsm_ns_common ns;
	struct new_utsname name;
	struct nsm_user_namespace *user_ns;
};

/* models: struct ipc_namespace (no IPC objects: identity and owner only) */
struct nsm_ipc_namespace {
	struct nsm_ns_common ns;
	struct nsm_user_namespace *user_ns;
};

/* models: struct net (identity and owner only) */
struct nsm_net {
	struct nsm_ns_common ns;
	struct nsm_user_namespace *user_ns;
};

/* models: struct cgroup_namespace (identity and owner only) */
struct nsm_cgroup_namespace {
	struct nsm_ns_common ns;
	struct nsm_user_namespace *user_ns;
};

/* models: struct time_namespace (offsets are not modelled) */
struct nsm_time_namespace {
	struct nsm_ns_common ns;
	struct nsm_user_namespace *user_ns;
	bool frozen_offsets;
};

/* models: struct upid */
struct nsm_upid {
	int nr;
	struct nsm_pid_namespace *ns;
};

/* models: struct pid */
struct nsm_pid {
	refcount_t count;
	unsigned int level;
	struct nsm_upid numbers[];
};

/* models: PIDNS_ADDING, the "may still allocate pids" bit of pid_allocated */
#define NSM_PIDNS_ADDING	(1U << 31)
/* models: pid_max; the value systemd sets, so big worlds fit */
#define NSM_PID_MAX		4194304
/* models: RESERVED_PIDS, where pid numbers restart after wrapping */
#define NSM_RESERVED_PIDS	300

/* models: struct pid_namespace */
struct nsm_pid_namespace {
	struct nsm_ns_common ns;
	struct idr idr;			/* pid number -> struct nsm_task */
	unsigned int pid_allocated;
	struct nsm_task *child_reaper;
	/* child_reaper has exited (the kernel keeps a stale pointer) */
	bool reaper_exited;
	unsigned int level;
	struct nsm_pid_namespace *parent;
	struct nsm_user_namespace *user_ns;
};

struct nsm_uts_namespace *nsm_copy_utsname(u64 flags,
					   struct nsm_user_namespace *user_ns,
					   struct nsm_uts_namespace *old_ns);
void nsm_put_uts_ns(struct nsm_uts_namespace *ns);
struct nsm_uts_namespace *nsm_create_init_uts_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns);
struct nsm_ipc_namespace *nsm_copy_ipcs(u64 flags,
					struct nsm_user_namespace *user_ns,
					struct nsm_ipc_namespace *ns);
void nsm_put_ipc_ns(struct nsm_ipc_namespace *ns);
struct nsm_net *nsm_copy_net_ns(u64 flags, struct nsm_user_namespace *user_ns,
				struct nsm_net *old_net);
void nsm_put_net(struct nsm_net *net);
struct nsm_cgroup_namespace *nsm_copy_cgroup_ns(u64 flags,
					struct nsm_task *me,
					struct nsm_user_namespace *user_ns,
					struct nsm_cgroup_namespace *old_ns);
void nsm_put_cgroup_ns(struct nsm_cgroup_namespace *ns);
struct nsm_ipc_namespace *nsm_create_init_ipc_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns);
struct nsm_net *nsm_create_init_net(struct nsm_world *w,
				    struct nsm_user_namespace *user_ns);
struct nsm_cgroup_namespace *nsm_create_init_cgroup_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns);
struct nsm_time_namespace *nsm_create_init_time_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns);
struct nsm_pid_namespace *nsm_create_init_pid_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns);
struct nsm_time_namespace *nsm_copy_time_ns(u64 flags,
					struct nsm_user_namespace *user_ns,
					struct nsm_time_namespace *old_ns);
struct nsm_time_namespace *nsm_get_time_ns(struct nsm_time_namespace *ns);
void nsm_put_time_ns(struct nsm_time_namespace *ns);
void nsm_timens_commit(struct nsm_task *tsk, struct nsm_time_namespace *ns);
void nsm_timens_on_fork(struct nsm_nsproxy *nsproxy, struct nsm_task *tsk);

struct nsm_pid_namespace *nsm_copy_pid_ns(u64 flags, struct nsm_task *me,
					  struct nsm_user_namespace *user_ns,
					  struct nsm_pid_namespace *old_ns);
struct nsm_pid_namespace *nsm_get_pid_ns(struct nsm_pid_namespace *ns);
void nsm_put_pid_ns(struct nsm_pid_namespace *ns);
struct nsm_pid_namespace *nsm_task_active_pid_ns(struct nsm_task *tsk);
struct nsm_pid *nsm_alloc_pid(struct nsm_world *w,
			      struct nsm_pid_namespace *ns);
void nsm_attach_pid(struct nsm_task *task, struct nsm_pid *pid);
void nsm_free_pid(struct nsm_world *w, struct nsm_pid *pid);
void nsm_disable_pid_allocation(struct nsm_pid_namespace *ns);
void nsm_zap_pid_ns_processes(struct nsm_pid_namespace *pid_ns,
			      struct nsm_task *reaper);

/* one per namespace kind, and the two *_for_children views */
extern const struct nsm_proc_ns_operations nsm_utsns_operations;
extern const struct nsm_proc_ns_operations nsm_ipcns_operations;
extern const struct nsm_proc_ns_operations nsm_netns_operations;
extern const struct nsm_proc_ns_operations nsm_cgroupns_operations;
extern const struct nsm_proc_ns_operations nsm_pidns_operations;
extern const struct nsm_proc_ns_operations nsm_pidns_for_children_operations;
extern const struct nsm_proc_ns_operations nsm_timens_operations;
extern const struct nsm_proc_ns_operations nsm_timens_for_children_operations;

/* ---- nsproxy.c ---- */

/* models: struct nsproxy (its count is atomic_t in 6.1, refcount_t in 6.12) */
struct nsm_nsproxy {
	refcount_t count;
	u32 id;				/* for views only */
	struct nsm_uts_namespace *uts_ns;
	struct nsm_ipc_namespace *ipc_ns;
	struct nsm_mnt_namespace *mnt_ns;
	struct nsm_pid_namespace *pid_ns_for_children;
	struct nsm_net *net_ns;
	struct nsm_time_namespace *time_ns;
	struct nsm_time_namespace *time_ns_for_children;
	struct nsm_cgroup_namespace *cgroup_ns;
};

/* models: struct nsset (@task is the model's "current", the caller) */
struct nsm_nsset {
	unsigned int flags;
	struct nsm_nsproxy *nsproxy;
	struct nsm_fs_struct *fs;
	const struct nsm_cred *cred;
	struct nsm_task *task;
};

/* The CLONE_NEW* flags that make or enter a namespace held by the nsproxy. */
#define NSM_CLONE_NEWNS_ALL	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
				 CLONE_NEWPID | CLONE_NEWNET |		\
				 CLONE_NEWCGROUP | CLONE_NEWTIME)

struct nsm_nsproxy *nsm_create_new_namespaces(u64 flags,
					      struct nsm_task *me,
					      struct nsm_user_namespace *user_ns,
					      struct nsm_fs_struct *new_fs);
int nsm_copy_namespaces(u64 flags, struct nsm_task *me,
			struct nsm_task *tsk);
void nsm_free_nsproxy(struct nsm_nsproxy *ns);
void nsm_get_nsproxy(struct nsm_nsproxy *ns);
void nsm_put_nsproxy(struct nsm_nsproxy *ns);
int nsm_unshare_nsproxy_namespaces(struct nsm_task *me, u64 flags,
				   struct nsm_nsproxy **new_nsp,
				   struct nsm_cred *new_cred,
				   struct nsm_fs_struct *new_fs);
void nsm_switch_task_namespaces(struct nsm_task *p, struct nsm_nsproxy *new);
void nsm_exit_task_namespaces(struct nsm_task *p);

/* ---- fs_struct (fs_struct.c) ---- */

/* models: struct path */
struct nsm_path {
	struct nsm_mount *mnt;
	struct nsm_dentry *dentry;
};

/* models: struct fs_struct */
struct nsm_fs_struct {
	int users;
	struct nsm_world *world;
	struct nsm_path root;
	struct nsm_path pwd;
};

struct nsm_fs_struct *nsm_copy_fs_struct(struct nsm_world *w,
					 struct nsm_fs_struct *old);
void nsm_free_fs_struct(struct nsm_fs_struct *fs);
void nsm_exit_fs(struct nsm_task *tsk);
void nsm_set_fs_root(struct nsm_fs_struct *fs, const struct nsm_path *path);
void nsm_set_fs_pwd(struct nsm_fs_struct *fs, const struct nsm_path *path);
void nsm_chroot_fs_refs(struct nsm_world *w, const struct nsm_path *old_root,
			const struct nsm_path *new_root);

/* ---- tasks (fork.c, exit.c) ---- */

/*
 * models: struct task_struct, only what namespaces touch.  A model task is
 * a single-threaded process; it is reaped the moment it exits (no zombies).
 */
struct nsm_task {
	u32 id;				/* world-wide task id, the ABI's name */
	u32 parent_id;
	struct nsm_world *world;
	struct nsm_task *real_parent;
	struct list_head children;	/* tasks whose real_parent we are */
	struct list_head sibling;	/* in real_parent->children */
	struct nsm_nsproxy *nsproxy;
	struct nsm_fs_struct *fs;
	const struct nsm_cred *cred;
	struct nsm_pid *thread_pid;
	int dumpable;			/* mm->flags' SUID_DUMP_*, see ptrace.c */
};

/*
 * fs.suid_dumpable, what commit_creds() sets a task's dumpable flag to
 * when its ids or capabilities change: the sysctl's default, 0 (the test
 * VM's value; the kernel does not export it).
 */
#define NSM_SUID_DUMPABLE	SUID_DUMP_DISABLE

bool nsm_ptrace_may_access(const struct nsm_task *me,
			   const struct nsm_task *task, unsigned int mode);

void nsm_do_exit(struct nsm_task *tsk);

/* ---- mount-side interface used by the core (namespace.c, ...) ---- */

extern const struct nsm_proc_ns_operations nsm_mntns_operations;

int nsm_init_mnt_ns(struct nsm_world *w, struct nsm_user_namespace *user_ns,
		    struct nsm_mnt_namespace **nsp, struct nsm_fs_struct *fs);
struct nsm_mnt_namespace *nsm_copy_mnt_ns(u64 flags,
					  struct nsm_mnt_namespace *ns,
					  struct nsm_user_namespace *user_ns,
					  struct nsm_fs_struct *new_fs);
void nsm_get_mnt_ns(struct nsm_mnt_namespace *ns);
void nsm_put_mnt_ns(struct nsm_mnt_namespace *ns);
void nsm_path_get(const struct nsm_path *path);
void nsm_path_put(const struct nsm_path *path);
u32 nsm_path_mnt_id(const struct nsm_path *path);
/* models: current_chrooted(); create_user_ns() refuses a chrooted caller */
bool nsm_current_chrooted(struct nsm_task *task);

/* ---- ioctl handlers, called by dev.c with world->lock held ---- */

/* fork.c, exit.c, cred.c, uts_ns.c */
long nsm_ioctl_clone(struct nsm_world *w, struct nsm_clone_args *args);
long nsm_ioctl_exit(struct nsm_world *w, struct nsm_task_args *args);
long nsm_ioctl_setuid(struct nsm_world *w, struct nsm_task_args *args);
long nsm_ioctl_sethostname(struct nsm_world *w,
			   struct nsm_hostname_args *args);
/* nsproxy.c */
long nsm_ioctl_unshare(struct nsm_world *w, struct nsm_unshare_args *args);
long nsm_ioctl_setns(struct nsm_world *w, struct nsm_setns_args *args);
long nsm_ioctl_task_info(struct nsm_world *w, struct nsm_task_info *args);
/* nsfs.c */
long nsm_ioctl_ns_open(struct nsm_world *w, struct nsm_ns_open_args *args,
		       struct file **filep);
long nsm_ns_handle_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg);
struct nsm_ns_common *nsm_ns_handle_ns(struct file *file, struct nsm_world *w);
struct nsm_ns_common *nsm_task_ns(struct nsm_task *task, unsigned int kind);
/* namespace.c, dcache.c, mountinfo.c */
long nsm_ioctl_mkdir(struct nsm_world *w, struct nsm_path_args *args);
long nsm_ioctl_chdir(struct nsm_world *w, struct nsm_path_args *args);
long nsm_ioctl_chroot(struct nsm_world *w, struct nsm_path_args *args);
long nsm_ioctl_stat(struct nsm_world *w, struct nsm_path_args *args);
long nsm_ioctl_getcwd(struct nsm_world *w, struct nsm_getcwd_args *args);
long nsm_ioctl_touch(struct nsm_world *w, struct nsm_path_args *args);
long nsm_ioctl_unlink(struct nsm_world *w, struct nsm_path_args *args);
long nsm_ioctl_rmdir(struct nsm_world *w, struct nsm_path_args *args);
long nsm_ioctl_ns_bind(struct nsm_world *w, struct nsm_ns_bind_args *args);
const struct nsm_proc_ns_operations *nsm_ns_entry(unsigned int kind);
void nsm_nsfs_kern_unmount(struct nsm_world *w);
struct nsm_ns_common *nsm_open_ns_path(struct nsm_task *task,
				       const char *name);
long nsm_ioctl_mount(struct nsm_world *w, struct nsm_mount_args *args);
long nsm_ioctl_umount(struct nsm_world *w, struct nsm_path_args *args);
long nsm_ioctl_pivot_root(struct nsm_world *w,
			  struct nsm_pivot_root_args *args);
long nsm_ioctl_mount_setattr(struct nsm_world *w,
			     struct nsm_mount_setattr_args *args);
long nsm_ioctl_mountinfo(struct nsm_world *w, struct nsm_mountinfo_args *args,
			 struct file **filep);
/* namespace_fd.c */
long nsm_ioctl_open_tree(struct nsm_world *w, struct nsm_open_tree_args *args,
			 struct file **filep);
long nsm_ioctl_move_mount(struct nsm_world *w,
			  struct nsm_move_mount_args *args);
long nsm_ioctl_fsmount(struct nsm_world *w, struct nsm_fsmount_args *args,
		       struct file **filep);
/* fsopen.c */
long nsm_ioctl_fsopen(struct nsm_world *w, struct nsm_fsopen_args *args,
		      struct file **filep);
long nsm_ioctl_fspick(struct nsm_world *w, struct nsm_fspick_args *args,
		      struct file **filep);
long nsm_ioctl_fsconfig(struct nsm_world *w, struct nsm_fsconfig_args *args);

/* world creation and teardown of the core (fork.c) */
int nsm_create_init_task(struct nsm_world *w);
void nsm_exit_all_tasks(struct nsm_world *w);

/* dev.c: argument copying with copy_struct_from_user() semantics */
/*
 * User memory an ioctl reads (dev.c).  dev.c copies every string and byte
 * range of the argument struct in before it takes the world lock, so that
 * a fault on them (userfaultfd, FUSE, swap) never stalls the world; the
 * handler then takes its copy at the point where the system call it
 * models would copy, and meets the copy's error there, so errno order and
 * fault injection are those of a copy made on the spot.
 */
enum nsm_ucopy_kind {
	NSM_UCOPY_STRING,	/* strndup_user(): NUL within @size */
	NSM_UCOPY_PAGE,		/* copy_mount_options(): one page */
	NSM_UCOPY_BYTES,	/* copy_from_user() of @size bytes */
};

#define NSM_UCOPY_MAX	4

struct nsm_ucopy {
	u64 uptr;
	size_t size;
	enum nsm_ucopy_kind kind;
	char *buf;		/* the copy, or NULL with @err */
	int err;
	bool taken;
};

/* what one ioctl copies, in before and out after the world lock */
struct nsm_call {
	unsigned int nr;
	struct nsm_ucopy in[NSM_UCOPY_MAX];
	/* GETCWD: the text to copy out, in a page the call frees */
	u64 out_uptr;
	const void *out_src;
	size_t out_len;
	void *out_page;
	size_t out_page_size;
};

/**
 * nsm_resched_killable - a step of a loop that can run long
 *
 * Every loop whose length the caller controls (mounts of a tree, peers of
 * a group, lines of a mountinfo, stacked mounts) yields here if another
 * task should run (the world lock is a mutex, so it may), and learns
 * whether its caller has been killed.  Returns -EINTR then, as the kernel's
 * killable waits do: a loop that can fail unwinds as for ENOMEM, and the
 * dying caller never sees the errno.  (The kernel's own loops of this kind
 * only reschedule; a loop that cannot fail here does the same.)
 */
static inline int nsm_resched_killable(void)
{
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

char *nsm_strndup_user(struct nsm_world *w, u64 uptr, size_t max);
char *nsm_copy_user_page(struct nsm_world *w, u64 uptr);
int nsm_copy_user_bytes(struct nsm_world *w, void *dst, u64 uptr,
			size_t size);
int nsm_copy_struct_user(struct nsm_world *w, void *dst, size_t dsize,
			 u64 uptr, size_t usize);
long nsm_copy_out_unlocked(struct nsm_world *w, u64 uptr, const void *src,
			   size_t len, void *page, size_t page_size);
void nsm_strfree(char *s);

/* fsconfig()'s keys and string values: strndup_user(s, 256) */
#define NSM_FSCONFIG_STRING_MAX	256

#endif /* _NSMODEL_H */
