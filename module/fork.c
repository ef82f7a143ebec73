// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: making tasks (clone) and unsharing (unshare).
 *
 * Models the namespace-related parts of kernel/fork.c: copy_process() with
 * its flag checks and the order in which it copies credentials, fs_struct
 * and namespaces and allocates the pid; ksys_unshare() with its implied
 * flags; and the world's init task, which stands for the kernel's init
 * with init_nsproxy, init_cred and init_fs.
 *
 * Debian's kernels have the kernel.unprivileged_userns_clone sysctl, on by
 * default; the model behaves as with the default (no extra check).
 */
#include <linux/err.h>
#include <linux/sched/coredump.h>
#include <kunit/visibility.h>

#include "nsmodel.h"

/* The clone3() flags the model accepts; any other bit is EINVAL. */
#define NSM_CLONE_FLAGS		(NSM_CLONE_NEWNS_ALL | CLONE_NEWUSER | \
				 CLONE_FS | CLONE_SYSVSEM)

/* The unshare() flags the kernel accepts (check_unshare_flags()). */
#define NSM_UNSHARE_FLAGS	(CLONE_THREAD | CLONE_FS | CLONE_NEWNS |      \
				 CLONE_SIGHAND | CLONE_VM | CLONE_FILES |     \
				 CLONE_SYSVSEM | CLONE_NEWUTS | CLONE_NEWIPC | \
				 CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWPID | \
				 CLONE_NEWCGROUP | CLONE_NEWTIME)

/*
 * Task ids are the model's names for tasks (what the ABI and the scenario
 * runner use); they are world-wide and, like pids, handed out cyclically
 * so that a freed id is not reused at once.  The entry stays NULL until the
 * task is complete.
 */
static int nsm_alloc_task_id(struct nsm_world *w, struct nsm_task *p)
{
	int id;

	if (nsm_should_fail(w))
		return -ENOMEM;
	id = idr_alloc_cyclic(&w->tasks, NULL, NSM_INIT_TASK, INT_MAX,
			      GFP_KERNEL_ACCOUNT);
	if (id < 0)
		return id == -ENOSPC ? -EAGAIN : id;
	p->id = id;
	return 0;
}

/* models: dup_task_struct(): the child starts with the parent's pointers */
static struct nsm_task *nsm_dup_task_struct(struct nsm_task *orig)
{
	struct nsm_world *w = orig->world;
	struct nsm_task *p;

	p = nsm_alloc(w, NSM_OBJ_TASK, sizeof(*p));
	if (!p)
		return NULL;
	p->world = w;
	p->nsproxy = orig->nsproxy;
	p->fs = orig->fs;
	p->cred = orig->cred;
	p->dumpable = orig->dumpable;	/* dup_mm() copies mm->flags */
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	return p;
}

/* models: free_task() of a task that never ran */
static void nsm_free_task(struct nsm_task *p)
{
	struct nsm_world *w = p->world;

	if (p->id)
		idr_remove(&w->tasks, p->id);
	nsm_free(w, NSM_OBJ_TASK, p, sizeof(*p));
}

/*
 * models: copy_creds(): the child always gets its own cred (the model has
 * no CLONE_THREAD), and CLONE_NEWUSER puts it in a new user namespace.
 */
static int nsm_copy_creds(struct nsm_task *me, struct nsm_task *p,
			  u64 clone_flags)
{
	struct nsm_cred *new;
	int ret;

	new = nsm_prepare_creds(me->cred);
	if (!new)
		return -ENOMEM;
	if (clone_flags & CLONE_NEWUSER) {
		ret = nsm_create_user_ns(me, new);
		if (ret < 0) {
			nsm_put_cred(new);
			return ret;
		}
	}
	p->cred = new;
	return 0;
}

/*
 * models: copy_fs(): CLONE_FS shares the parent's fs_struct (one more
 * user), else the child gets a copy.  No exec in the model, so no EAGAIN
 * for an fs_struct in the middle of one.
 */
static int nsm_copy_fs(u64 clone_flags, struct nsm_task *tsk)
{
	struct nsm_fs_struct *fs = tsk->fs;

	if (clone_flags & CLONE_FS) {
		fs->users++;
		return 0;
	}
	tsk->fs = nsm_copy_fs_struct(tsk->world, fs);
	if (!tsk->fs)
		return -ENOMEM;
	return 0;
}

/* Link a finished task into its world: the ids, the family, the count. */
static void nsm_attach_task(struct nsm_task *p, struct nsm_task *parent,
			    struct nsm_pid *pid)
{
	struct nsm_world *w = p->world;

	idr_replace(&w->tasks, p, p->id);
	nsm_attach_pid(p, pid);
	p->real_parent = parent;
	p->parent_id = parent ? parent->id : 0;
	if (parent)
		list_add_tail(&p->sibling, &parent->children);
	w->nr_tasks++;
}

/*
 * models: 2.4.19's do_fork() (profile bit NSM_FEAT_SEED_CLONE), which
 * checked no unknown clone flag: of the bits the model takes, 2.4.19 knew
 * CLONE_FS and CLONE_NEWNS; the later CLONE_NEW* bits, CLONE_NEWUSER and
 * CLONE_SYSVSEM meant nothing to it, so the child simply shares those
 * namespaces.  Other profiles take the flags as they are.
 */
static u64 nsm_seed_clone_flags(struct nsm_world *w, u64 clone_flags)
{
	if (!nsm_feat(w, NSM_FEAT_SEED_CLONE))
		return clone_flags;
	return clone_flags & (CLONE_FS | CLONE_NEWNS);
}

/**
 * nsm_copy_process - make a child of @me
 * @me: the parent
 * @clone_flags: clone3() flags, already checked against NSM_CLONE_FLAGS
 *
 * models: copy_process(), with its checks in its order: CLONE_NEWNS and
 * CLONE_NEWUSER each exclude CLONE_FS (EINVAL: a shared root cannot be in
 * two mount or user namespaces); then the task (plus its model id), the
 * cred (and a new user namespace), the task limit (ENOSPC; the kernel's
 * max_threads and RLIMIT_NPROC give EAGAIN here), the fs_struct, the
 * namespaces, and last the pid in the child's pid namespace.  Each
 * failure unwinds what was done before it.  The CLONE_THREAD, CLONE_VM and
 * CLONE_PARENT checks concern flags the model does not take.  Under the
 * 2.4.19 profile the flags are first cut to what 2.4.19 knew, and any
 * failure of the namespace copy (its EPERM too) is ENOMEM, as 2.4.19's
 * do_fork() returned it.
 */
static struct nsm_task *nsm_copy_process(struct nsm_task *me,
					 u64 clone_flags)
{
	struct nsm_world *w = me->world;
	struct nsm_task *p;
	struct nsm_pid *pid;
	int retval;

	clone_flags = nsm_seed_clone_flags(w, clone_flags);
	if ((clone_flags & (CLONE_NEWNS | CLONE_FS)) ==
	    (CLONE_NEWNS | CLONE_FS))
		return ERR_PTR(-EINVAL);
	if ((clone_flags & (CLONE_NEWUSER | CLONE_FS)) ==
	    (CLONE_NEWUSER | CLONE_FS))
		return ERR_PTR(-EINVAL);

	p = nsm_dup_task_struct(me);
	if (!p)
		return ERR_PTR(-ENOMEM);
	retval = nsm_alloc_task_id(w, p);
	if (retval)
		goto bad_fork_free;

	retval = nsm_copy_creds(me, p, clone_flags);
	if (retval < 0)
		goto bad_fork_free;

	retval = -ENOSPC;
	if (w->nr_tasks >= nsm_max_tasks)
		goto bad_fork_cleanup_count;

	retval = nsm_copy_fs(clone_flags, p);
	if (retval)
		goto bad_fork_cleanup_count;
	retval = nsm_copy_namespaces(clone_flags, me, p);
	if (retval) {
		/* 2.4.19's do_fork() kept the -ENOMEM it had set before */
		if (nsm_feat(w, NSM_FEAT_SEED_CLONE))
			retval = -ENOMEM;
		goto bad_fork_cleanup_fs;
	}

	pid = nsm_alloc_pid(w, p->nsproxy->pid_ns_for_children);
	if (IS_ERR(pid)) {
		retval = PTR_ERR(pid);
		goto bad_fork_cleanup_namespaces;
	}

	nsm_attach_task(p, me, pid);
	return p;

bad_fork_cleanup_namespaces:
	/* the fast path took a reference on the parent's nsproxy too */
	nsm_exit_task_namespaces(p);
bad_fork_cleanup_fs:
	nsm_exit_fs(p);
bad_fork_cleanup_count:
	nsm_put_cred(p->cred);
bad_fork_free:
	nsm_free_task(p);
	return ERR_PTR(retval);
}

/**
 * nsm_ioctl_clone - NSM_IOC_CLONE: a task clones a child
 * @w: the world, locked
 * @args: the parent and clone3()-style flags; the child's id is returned
 *
 * Unknown flag bits are EINVAL, as clone3_args_valid() has it; CLONE_NEWTIME
 * (0x80, in the CSIGNAL range) is valid here as it is for clone3().  The
 * 2.4.19 profile keeps that check of the ABI (the bits stand for flags the
 * model cannot act on) and ignores the bits 2.4.19 did not know.
 */
long nsm_ioctl_clone(struct nsm_world *w, struct nsm_clone_args *args)
{
	struct nsm_task *parent, *p;

	if (args->flags & ~(u64)NSM_CLONE_FLAGS || args->__reserved)
		return -EINVAL;
	parent = nsm_find_task(w, args->parent);
	if (!parent)
		return -ESRCH;
	p = nsm_copy_process(parent, args->flags);
	if (IS_ERR(p))
		return PTR_ERR(p);
	args->child = p->id;
	return p->id;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_ioctl_clone);

/*
 * models: unshare_fs(): a private fs_struct when CLONE_FS is asked for and
 * the current one is shared, and always for CLONE_NEWNS, whose copy_mnt_ns()
 * moves the new fs_struct's root and cwd onto the copied mounts.
 */
static int nsm_unshare_fs(struct nsm_task *me, u64 unshare_flags,
			  struct nsm_fs_struct **new_fsp)
{
	struct nsm_fs_struct *fs = me->fs;

	if (!(unshare_flags & CLONE_FS) || !fs)
		return 0;
	if (!(unshare_flags & CLONE_NEWNS) && fs->users == 1)
		return 0;
	*new_fsp = nsm_copy_fs_struct(me->world, fs);
	if (!*new_fsp)
		return -ENOMEM;
	return 0;
}

/**
 * nsm_ksys_unshare - a task calls unshare(@unshare_flags)
 * @me: the task
 * @unshare_flags: CLONE_* flags
 *
 * models: ksys_unshare(): CLONE_NEWUSER implies CLONE_THREAD and CLONE_FS,
 * CLONE_VM implies CLONE_SIGHAND which implies CLONE_THREAD, CLONE_NEWNS
 * implies CLONE_FS; unknown flags are EINVAL (check_unshare_flags(); the
 * thread, signal and VM flags pass, as for any single-threaded task, and
 * CLONE_FILES and CLONE_SYSVSEM have nothing to act on).  Then, in order:
 * the fs_struct, the user namespace (a new cred), the other namespaces
 * (a new nsproxy), and the commit, which cannot fail.  A pid or time
 * namespace unshared here is only for the task's future children.
 */
static int nsm_ksys_unshare(struct nsm_task *me, u64 unshare_flags)
{
	struct nsm_fs_struct *fs, *new_fs = NULL;
	struct nsm_nsproxy *new_nsproxy = NULL;
	struct nsm_cred *new_cred = NULL;
	int err;

	if (unshare_flags & CLONE_NEWUSER)
		unshare_flags |= CLONE_THREAD | CLONE_FS;
	if (unshare_flags & CLONE_VM)
		unshare_flags |= CLONE_SIGHAND;
	if (unshare_flags & CLONE_SIGHAND)
		unshare_flags |= CLONE_THREAD;
	if (unshare_flags & CLONE_NEWNS)
		unshare_flags |= CLONE_FS;

	if (unshare_flags & ~(u64)NSM_UNSHARE_FLAGS)
		return -EINVAL;

	err = nsm_unshare_fs(me, unshare_flags, &new_fs);
	if (err)
		goto bad_unshare_out;
	err = nsm_unshare_userns(me, unshare_flags, &new_cred);
	if (err)
		goto bad_unshare_cleanup_fs;
	err = nsm_unshare_nsproxy_namespaces(me, unshare_flags,
					     &new_nsproxy, new_cred, new_fs);
	if (err)
		goto bad_unshare_cleanup_cred;

	if (new_nsproxy) {
		nsm_switch_task_namespaces(me, new_nsproxy);
		new_nsproxy = NULL;
	}
	if (new_fs) {
		fs = me->fs;
		me->fs = new_fs;
		/* the old one is freed below if we were its last user */
		new_fs = --fs->users ? NULL : fs;
	}
	if (new_cred) {
		nsm_commit_creds(me, new_cred);
		new_cred = NULL;
	}

bad_unshare_cleanup_cred:
	if (new_cred)
		nsm_put_cred(new_cred);
bad_unshare_cleanup_fs:
	if (new_fs)
		nsm_free_fs_struct(new_fs);
bad_unshare_out:
	return err;
}

/**
 * nsm_ioctl_unshare - NSM_IOC_UNSHARE: a task calls unshare()
 * @w: the world, locked
 * @args: the task and the flags
 */
long nsm_ioctl_unshare(struct nsm_world *w, struct nsm_unshare_args *args)
{
	struct nsm_task *task;
	int err;

	/* unshare(2) is from 2.6.16 */
	err = nsm_syscall_exists(w);
	if (err)
		return err;
	task = nsm_find_task(w, args->task);
	if (!task)
		return -ESRCH;
	return nsm_ksys_unshare(task, args->flags);
}

/* models: init_cred: uid 0 with every capability, in the first user ns */
static struct nsm_cred *nsm_create_init_cred(struct nsm_world *w,
					     struct nsm_user_namespace *user_ns)
{
	struct nsm_cred *cred;

	cred = nsm_alloc(w, NSM_OBJ_CRED, sizeof(*cred));
	if (!cred)
		return NULL;
	refcount_set(&cred->usage, 1);
	cred->world = w;
	cred->cap_permitted = NSM_CAP_FULL_SET;
	cred->cap_effective = NSM_CAP_FULL_SET;
	cred->cap_bset = NSM_CAP_FULL_SET;
	cred->user_ns = nsm_get_user_ns(user_ns);
	return cred;
}

/*
 * models: init_nsproxy and the initial namespace of every kind; the mount
 * namespace comes from the mount side, which also points @fs at its root.
 */
static int nsm_create_init_nsproxy(struct nsm_world *w,
				   struct nsm_user_namespace *user_ns,
				   struct nsm_fs_struct *fs,
				   struct nsm_nsproxy **nsp)
{
	struct nsm_nsproxy *ns;
	int err;

	ns = nsm_alloc(w, NSM_OBJ_NSPROXY, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	refcount_set(&ns->count, 1);
	ns->id = ++w->next_nsproxy_id;

	ns->uts_ns = nsm_create_init_uts_ns(w, user_ns);
	if (IS_ERR(ns->uts_ns)) {
		err = PTR_ERR(ns->uts_ns);
		goto out_uts;
	}
	ns->ipc_ns = nsm_create_init_ipc_ns(w, user_ns);
	if (IS_ERR(ns->ipc_ns)) {
		err = PTR_ERR(ns->ipc_ns);
		goto out_ipc;
	}
	ns->pid_ns_for_children = nsm_create_init_pid_ns(w, user_ns);
	if (IS_ERR(ns->pid_ns_for_children)) {
		err = PTR_ERR(ns->pid_ns_for_children);
		goto out_pid;
	}
	ns->cgroup_ns = nsm_create_init_cgroup_ns(w, user_ns);
	if (IS_ERR(ns->cgroup_ns)) {
		err = PTR_ERR(ns->cgroup_ns);
		goto out_cgroup;
	}
	ns->net_ns = nsm_create_init_net(w, user_ns);
	if (IS_ERR(ns->net_ns)) {
		err = PTR_ERR(ns->net_ns);
		goto out_net;
	}
	ns->time_ns = nsm_create_init_time_ns(w, user_ns);
	if (IS_ERR(ns->time_ns)) {
		err = PTR_ERR(ns->time_ns);
		goto out_time;
	}
	ns->time_ns_for_children = nsm_get_time_ns(ns->time_ns);

	err = nsm_init_mnt_ns(w, user_ns, &ns->mnt_ns, fs);
	if (err)
		goto out_mnt;
	*nsp = ns;
	return 0;

out_mnt:
	nsm_put_time_ns(ns->time_ns_for_children);
	nsm_put_time_ns(ns->time_ns);
out_time:
	nsm_put_net(ns->net_ns);
out_net:
	nsm_put_cgroup_ns(ns->cgroup_ns);
out_cgroup:
	nsm_put_pid_ns(ns->pid_ns_for_children);
out_pid:
	nsm_put_ipc_ns(ns->ipc_ns);
out_ipc:
	nsm_put_uts_ns(ns->uts_ns);
out_uts:
	nsm_free(w, NSM_OBJ_NSPROXY, ns, sizeof(*ns));
	return err;
}

/**
 * nsm_create_init_task - populate a new world with its init task
 * @w: the new world, locked
 *
 * Task 1: uid 0 with every capability in the world's first user namespace,
 * pid 1 (the child reaper) of its first pid namespace, hostname "nsmodel",
 * root and cwd at the root of its first mount namespace.  On failure the
 * world is left empty.
 */
int nsm_create_init_task(struct nsm_world *w)
{
	struct nsm_user_namespace *user_ns;
	struct nsm_task *p;
	struct nsm_pid *pid;
	int err = -ENOMEM;

	user_ns = nsm_create_init_user_ns(w);
	if (IS_ERR(user_ns))
		return PTR_ERR(user_ns);

	p = nsm_alloc(w, NSM_OBJ_TASK, sizeof(*p));
	if (!p)
		goto out_user_ns;
	p->world = w;
	p->dumpable = SUID_DUMP_USER;
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	err = nsm_alloc_task_id(w, p);
	if (err)
		goto out_task;

	err = -ENOMEM;
	p->cred = nsm_create_init_cred(w, user_ns);
	if (!p->cred)
		goto out_task;
	p->fs = nsm_alloc(w, NSM_OBJ_FS_STRUCT, sizeof(*p->fs));
	if (!p->fs)
		goto out_cred;
	p->fs->users = 1;
	p->fs->world = w;

	err = nsm_create_init_nsproxy(w, user_ns, p->fs, &p->nsproxy);
	if (err)
		goto out_fs;

	pid = nsm_alloc_pid(w, p->nsproxy->pid_ns_for_children);
	if (IS_ERR(pid)) {
		err = PTR_ERR(pid);
		goto out_nsproxy;
	}
	nsm_attach_task(p, NULL, pid);
	/*
	 * init_nsproxy and init_user_ns: the world keeps a reference on both
	 * (its creation one on the user namespace) until it closes, so that
	 * they outlive init leaving them, as the kernel's never die.
	 */
	nsm_get_nsproxy(p->nsproxy);
	w->init_nsproxy = p->nsproxy;
	return 0;

out_nsproxy:
	nsm_exit_task_namespaces(p);
out_fs:
	nsm_exit_fs(p);
out_cred:
	nsm_put_cred(p->cred);
out_task:
	nsm_free_task(p);
out_user_ns:
	nsm_put_user_ns(user_ns);
	return err;
}
