// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: the nsproxy, and setns().
 *
 * Models kernel/nsproxy.c.  An nsproxy bundles a task's namespaces of every
 * kind except user (which lives in the cred) and the active pid namespace
 * (which is fixed by the task's pid).  Tasks share one nsproxy, refcounted,
 * until one of them clones with, unshares or enters a namespace: then it
 * gets a new nsproxy in which each kind is either a new namespace or the
 * old one with one more reference.  So the refcount of an nsproxy counts
 * tasks (and setns in progress), and the refcount of a namespace counts
 * nsproxies, creds, handles, child namespaces and the objects it owns.
 *
 * 6.12 differs only where the model does not go: exec_task_namespaces()
 * (a pending time namespace entered at exec; the model has no exec), and
 * the CLONE_VM case of copy_namespaces().
 */
#include <linux/err.h>
#include <linux/file.h>
#include <linux/ptrace.h>
#include <linux/string.h>

#include "nsmodel.h"
#include "mount.h"

/* models: create_nsproxy() */
static struct nsm_nsproxy *nsm_create_nsproxy(struct nsm_world *w)
{
	struct nsm_nsproxy *nsproxy;

	nsproxy = nsm_alloc(w, NSM_OBJ_NSPROXY, sizeof(*nsproxy));
	if (nsproxy) {
		refcount_set(&nsproxy->count, 1);
		nsproxy->id = ++w->next_nsproxy_id;
	}
	return nsproxy;
}

/**
 * nsm_create_new_namespaces - a new nsproxy with new or shared namespaces
 * @flags: CLONE_NEW* flags of the namespaces to create
 * @me: the calling task; its nsproxy is the one copied (in clone the
 *           child's nsproxy pointer is still its parent's at this point)
 * @user_ns: the user namespace that will own the new namespaces
 * @new_fs: the fs_struct that copy_mnt_ns() moves onto the new mounts
 *
 * models: create_new_namespaces(), in the kernel's order (mnt, uts, ipc,
 * pid for children, cgroup, net, time for children; the active time
 * namespace is shared), unwinding in reverse through the ladder below when
 * a step fails.  Returns the nsproxy (refcount 1) or ERR_PTR.
 */
struct nsm_nsproxy *nsm_create_new_namespaces(u64 flags,
					      struct nsm_task *me,
					      struct nsm_user_namespace *user_ns,
					      struct nsm_fs_struct *new_fs)
{
	struct nsm_nsproxy *old = me->nsproxy;
	struct nsm_nsproxy *new_nsp;
	int err;

	new_nsp = nsm_create_nsproxy(me->world);
	if (!new_nsp)
		return ERR_PTR(-ENOMEM);

	new_nsp->mnt_ns = nsm_copy_mnt_ns(flags, old->mnt_ns, user_ns, new_fs);
	if (IS_ERR(new_nsp->mnt_ns)) {
		err = PTR_ERR(new_nsp->mnt_ns);
		goto out_ns;
	}

	new_nsp->uts_ns = nsm_copy_utsname(flags, user_ns, old->uts_ns);
	if (IS_ERR(new_nsp->uts_ns)) {
		err = PTR_ERR(new_nsp->uts_ns);
		goto out_uts;
	}

	new_nsp->ipc_ns = nsm_copy_ipcs(flags, user_ns, old->ipc_ns);
	if (IS_ERR(new_nsp->ipc_ns)) {
		err = PTR_ERR(new_nsp->ipc_ns);
		goto out_ipc;
	}

	new_nsp->pid_ns_for_children =
		nsm_copy_pid_ns(flags, me, user_ns,
				old->pid_ns_for_children);
	if (IS_ERR(new_nsp->pid_ns_for_children)) {
		err = PTR_ERR(new_nsp->pid_ns_for_children);
		goto out_pid;
	}

	new_nsp->cgroup_ns = nsm_copy_cgroup_ns(flags, me, user_ns,
						old->cgroup_ns);
	if (IS_ERR(new_nsp->cgroup_ns)) {
		err = PTR_ERR(new_nsp->cgroup_ns);
		goto out_cgroup;
	}

	new_nsp->net_ns = nsm_copy_net_ns(flags, user_ns, old->net_ns);
	if (IS_ERR(new_nsp->net_ns)) {
		err = PTR_ERR(new_nsp->net_ns);
		goto out_net;
	}

	new_nsp->time_ns_for_children =
		nsm_copy_time_ns(flags, user_ns, old->time_ns_for_children);
	if (IS_ERR(new_nsp->time_ns_for_children)) {
		err = PTR_ERR(new_nsp->time_ns_for_children);
		goto out_time;
	}
	new_nsp->time_ns = nsm_get_time_ns(old->time_ns);

	return new_nsp;

out_time:
	nsm_put_net(new_nsp->net_ns);
out_net:
	nsm_put_cgroup_ns(new_nsp->cgroup_ns);
out_cgroup:
	nsm_put_pid_ns(new_nsp->pid_ns_for_children);
out_pid:
	nsm_put_ipc_ns(new_nsp->ipc_ns);
out_ipc:
	nsm_put_uts_ns(new_nsp->uts_ns);
out_uts:
	if (new_nsp->mnt_ns)
		nsm_put_mnt_ns(new_nsp->mnt_ns);
out_ns:
	me->world->next_nsproxy_id--;
	nsm_free(me->world, NSM_OBJ_NSPROXY, new_nsp, sizeof(*new_nsp));
	return ERR_PTR(err);
}

/**
 * nsm_copy_namespaces - give a new task its nsproxy
 * @flags: the clone flags
 * @me: the parent, doing the clone (its cred is the one checked)
 * @tsk: the child, whose cred (possibly in a new user namespace) already
 *       exists and whose nsproxy pointer is still the parent's
 *
 * models: copy_namespaces().  The fast path, no CLONE_NEW* flag and no
 * pending time namespace, only takes a reference on the parent's nsproxy.
 * Otherwise new namespaces need CAP_SYS_ADMIN over the child's user
 * namespace (EPERM), which a parent has over a user namespace it creates
 * in the same call; and CLONE_NEWIPC excludes CLONE_SYSVSEM (EINVAL).
 * 6.12 also shares the nsproxy, and skips timens_on_fork(), for CLONE_VM,
 * which the model does not take.
 */
int nsm_copy_namespaces(u64 flags, struct nsm_task *me,
			struct nsm_task *tsk)
{
	struct nsm_nsproxy *old_ns = tsk->nsproxy;
	struct nsm_user_namespace *user_ns = tsk->cred->user_ns;
	struct nsm_nsproxy *new_ns;

	if (!(flags & NSM_CLONE_NEWNS_ALL)) {
		if (old_ns->time_ns_for_children == old_ns->time_ns) {
			nsm_get_nsproxy(old_ns);
			return 0;
		}
	} else if (!nsm_ns_capable(me->cred, user_ns, CAP_SYS_ADMIN)) {
		return -EPERM;
	}

	/* SysV semaphore undo lists cannot be shared across IPC namespaces. */
	if ((flags & (CLONE_NEWIPC | CLONE_SYSVSEM)) ==
	    (CLONE_NEWIPC | CLONE_SYSVSEM))
		return -EINVAL;

	new_ns = nsm_create_new_namespaces(flags, me, user_ns, tsk->fs);
	if (IS_ERR(new_ns))
		return PTR_ERR(new_ns);

	nsm_timens_on_fork(new_ns, tsk);
	tsk->nsproxy = new_ns;
	return 0;
}

/**
 * nsm_free_nsproxy - free an nsproxy and drop each of its namespaces
 * @ns: the nsproxy
 *
 * models: free_nsproxy()
 */
void nsm_free_nsproxy(struct nsm_nsproxy *ns)
{
	struct nsm_world *w = ns->uts_ns->ns.world;

	if (ns->mnt_ns)
		nsm_put_mnt_ns(ns->mnt_ns);
	nsm_put_uts_ns(ns->uts_ns);
	nsm_put_ipc_ns(ns->ipc_ns);
	nsm_put_pid_ns(ns->pid_ns_for_children);
	nsm_put_time_ns(ns->time_ns);
	nsm_put_time_ns(ns->time_ns_for_children);
	nsm_put_cgroup_ns(ns->cgroup_ns);
	nsm_put_net(ns->net_ns);
	nsm_free(w, NSM_OBJ_NSPROXY, ns, sizeof(*ns));
}

/* models: get_nsproxy() */
void nsm_get_nsproxy(struct nsm_nsproxy *ns)
{
	refcount_inc(&ns->count);
}

/* models: put_nsproxy() */
void nsm_put_nsproxy(struct nsm_nsproxy *ns)
{
	if (refcount_dec_and_test(&ns->count))
		nsm_free_nsproxy(ns);
}

/**
 * nsm_unshare_nsproxy_namespaces - the namespace step of unshare()
 * @me: the calling task
 * @unshare_flags: the unshare flags
 * @new_nsp: set to the new nsproxy, if any namespace is unshared
 * @new_cred: the new cred if CLONE_NEWUSER made one, else NULL
 * @new_fs: the private fs_struct unshare_fs() made, else NULL
 *
 * models: unshare_nsproxy_namespaces(): CAP_SYS_ADMIN over the user
 * namespace that will own the new namespaces (the new one, with
 * CLONE_NEWUSER), checked with the caller's current cred.
 */
int nsm_unshare_nsproxy_namespaces(struct nsm_task *me, u64 unshare_flags,
				   struct nsm_nsproxy **new_nsp,
				   struct nsm_cred *new_cred,
				   struct nsm_fs_struct *new_fs)
{
	struct nsm_user_namespace *user_ns;

	if (!(unshare_flags & NSM_CLONE_NEWNS_ALL))
		return 0;

	user_ns = new_cred ? new_cred->user_ns : me->cred->user_ns;
	if (!nsm_ns_capable(me->cred, user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	*new_nsp = nsm_create_new_namespaces(unshare_flags, me, user_ns,
					     new_fs ? new_fs : me->fs);
	if (IS_ERR(*new_nsp)) {
		int err = PTR_ERR(*new_nsp);

		*new_nsp = NULL;
		return err;
	}
	return 0;
}

/**
 * nsm_switch_task_namespaces - give a task another nsproxy
 * @p: the task
 * @new: the nsproxy, whose reference the task takes over, or NULL
 *
 * models: switch_task_namespaces()
 */
void nsm_switch_task_namespaces(struct nsm_task *p, struct nsm_nsproxy *new)
{
	struct nsm_nsproxy *ns = p->nsproxy;

	p->nsproxy = new;
	if (ns)
		nsm_put_nsproxy(ns);
}

/* models: exit_task_namespaces() */
void nsm_exit_task_namespaces(struct nsm_task *p)
{
	nsm_switch_task_namespaces(p, NULL);
}

/* ---- setns() ---- */

/* models: check_setns_flags(): every kind is configured in the model */
static int nsm_check_setns_flags(u64 flags)
{
	if (!flags || (flags & ~(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
				 CLONE_NEWNET | CLONE_NEWTIME | CLONE_NEWUSER |
				 CLONE_NEWPID | CLONE_NEWCGROUP)))
		return -EINVAL;
	return 0;
}

/* models: put_nsset() */
static void nsm_put_nsset(struct nsm_nsset *nsset)
{
	unsigned int flags = nsset->flags;

	if (flags & CLONE_NEWUSER)
		nsm_put_cred(nsset->cred);
	/* Only a setns of more than the mount namespace made a copy. */
	if (nsset->fs && (flags & CLONE_NEWNS) && (flags & ~CLONE_NEWNS))
		nsm_free_fs_struct(nsset->fs);
	if (nsset->nsproxy)
		nsm_free_nsproxy(nsset->nsproxy);
}

/*
 * models: prepare_nsset(): a private nsproxy sharing every namespace, a
 * private cred if the user namespace changes, and a private fs_struct if
 * the mount namespace changes together with something else (alone, it
 * works on the task's own fs_struct).
 *
 * The kernel sets nsset->flags only at the end, so when copy_fs_struct()
 * fails after prepare_creds() (setns with CLONE_NEWUSER|CLONE_NEWNS and
 * more) its put_nsset() does not put the new cred: a leak, in 6.1 and
 * 6.12 alike.  The model frees it, since a leak would break its counters.
 */
static int nsm_prepare_nsset(struct nsm_task *me, unsigned int flags,
			     struct nsm_nsset *nsset)
{
	nsset->task = me;
	nsset->nsproxy = nsm_create_new_namespaces(0, me, me->cred->user_ns,
						   me->fs);
	if (IS_ERR(nsset->nsproxy)) {
		int err = PTR_ERR(nsset->nsproxy);

		nsset->nsproxy = NULL;
		return err;
	}

	if (flags & CLONE_NEWUSER)
		nsset->cred = nsm_prepare_creds(me->cred);
	else
		nsset->cred = me->cred;
	if (!nsset->cred)
		goto out;

	if (flags == CLONE_NEWNS) {
		nsset->fs = me->fs;
	} else if (flags & CLONE_NEWNS) {
		nsset->fs = nsm_copy_fs_struct(me->world, me->fs);
		if (!nsset->fs)
			goto out;
	}

	nsset->flags = flags;
	return 0;

out:
	nsset->flags = flags & CLONE_NEWUSER;	/* see above: no leak */
	nsm_put_nsset(nsset);
	return -ENOMEM;
}

static int nsm_validate_ns(struct nsm_nsset *nsset, struct nsm_ns_common *ns)
{
	return ns->ops->install(nsset, ns);
}

/*
 * models: validate_nsset(): enter every requested namespace of the target
 * task, in the order of unshare and clone (user first, so that the other
 * checks see the new user namespace), into the private nsproxy.  Nothing
 * is visible to the task until commit.  First of all the caller must be
 * allowed to inspect the target (ptrace_may_access(), EPERM).
 */
static int nsm_validate_nsset(struct nsm_nsset *nsset, struct nsm_world *w,
			      u32 target)
{
	unsigned int flags = nsset->flags;
	struct nsm_user_namespace *user_ns = NULL;
	struct nsm_pid_namespace *pid_ns = NULL;
	struct nsm_nsproxy *nsp;
	struct nsm_task *tsk;
	int ret = 0;

	/* Take a "snapshot" of the target's namespaces. */
	tsk = nsm_find_task(w, target);
	if (!tsk)
		return -ESRCH;
	if (!nsm_ptrace_may_access(nsset->task, tsk,
				   PTRACE_MODE_READ_REALCREDS))
		return -EPERM;
	nsp = tsk->nsproxy;
	nsm_get_nsproxy(nsp);
	if (flags & CLONE_NEWPID)
		pid_ns = nsm_get_pid_ns(nsm_task_active_pid_ns(tsk));
	if (flags & CLONE_NEWUSER)
		user_ns = nsm_get_user_ns(tsk->cred->user_ns);

	if (flags & CLONE_NEWUSER) {
		ret = nsm_validate_ns(nsset, &user_ns->ns);
		if (ret)
			goto out;
	}
	if (flags & CLONE_NEWNS) {
		ret = nsm_validate_ns(nsset, &nsp->mnt_ns->ns);
		if (ret)
			goto out;
	}
	if (flags & CLONE_NEWUTS) {
		ret = nsm_validate_ns(nsset, &nsp->uts_ns->ns);
		if (ret)
			goto out;
	}
	if (flags & CLONE_NEWIPC) {
		ret = nsm_validate_ns(nsset, &nsp->ipc_ns->ns);
		if (ret)
			goto out;
	}
	if (flags & CLONE_NEWPID) {
		ret = nsm_validate_ns(nsset, &pid_ns->ns);
		if (ret)
			goto out;
	}
	if (flags & CLONE_NEWCGROUP) {
		ret = nsm_validate_ns(nsset, &nsp->cgroup_ns->ns);
		if (ret)
			goto out;
	}
	if (flags & CLONE_NEWNET) {
		ret = nsm_validate_ns(nsset, &nsp->net_ns->ns);
		if (ret)
			goto out;
	}
	if (flags & CLONE_NEWTIME) {
		ret = nsm_validate_ns(nsset, &nsp->time_ns->ns);
		if (ret)
			goto out;
	}
out:
	if (pid_ns)
		nsm_put_pid_ns(pid_ns);
	nsm_put_nsproxy(nsp);
	nsm_put_user_ns(user_ns);
	return ret;
}

/*
 * models: commit_nsset(), the point of no return: the new cred, the new
 * root and cwd (when a private fs_struct was used), the time namespace,
 * then the nsproxy.  Nothing here can fail.
 */
static void nsm_commit_nsset(struct nsm_nsset *nsset)
{
	unsigned int flags = nsset->flags;
	struct nsm_task *me = nsset->task;

	if (flags & CLONE_NEWUSER) {
		nsm_commit_creds(me, (struct nsm_cred *)nsset->cred);
		nsset->cred = NULL;
	}
	if ((flags & CLONE_NEWNS) && (flags & ~CLONE_NEWNS)) {
		nsm_set_fs_root(me->fs, &nsset->fs->root);
		nsm_set_fs_pwd(me->fs, &nsset->fs->pwd);
	}
	if (flags & CLONE_NEWTIME)
		nsm_timens_commit(me, nsset->nsproxy->time_ns);

	nsm_switch_task_namespaces(me, nsset->nsproxy);
	nsset->nsproxy = NULL;
}

/**
 * nsm_ioctl_setns - NSM_IOC_SETNS: setns(fd, nstype) from a task
 * @w: the world, locked
 * @args: the task, and a handle fd with an optional kind, or a target task
 *        with a mask of kinds (fd == -1, as a pidfd)
 *
 * models: the setns() system call: a handle's kind must match @nstype if
 * given (EINVAL); a mask must be non-empty and known (EINVAL); anything
 * but a handle of this world or -1 is EINVAL (EBADF if not an open fd).
 * Then prepare, validate every kind, and commit all or nothing.  ENOSYS
 * under the 2.4.19 profile, before anything else.
 */
long nsm_ioctl_setns(struct nsm_world *w, struct nsm_setns_args *args)
{
	struct nsm_task *me;
	struct nsm_ns_common *ns = NULL;
	struct nsm_nsset nsset = {};
	struct file *file = NULL;
	u64 flags = args->nstype;
	int err = 0;

	/* setns(2) is from 3.0 */
	err = nsm_syscall_exists(w);
	if (err)
		return err;
	me = nsm_find_task(w, args->task);
	if (!me)
		return -ESRCH;

	if (args->fd >= 0) {
		file = fget(args->fd);
		if (!file)
			return -EBADF;
		ns = nsm_ns_handle_ns(file, w);
		if (IS_ERR(ns)) {
			err = PTR_ERR(ns);
			goto out;
		}
		if (flags && ns->ops->type != flags)
			err = -EINVAL;
		flags = ns->ops->type;
	} else if (args->fd == -1) {
		err = nsm_check_setns_flags(flags);
	} else {
		return -EBADF;
	}
	if (err)
		goto out;

	err = nsm_prepare_nsset(me, flags, &nsset);
	if (err)
		goto out;

	if (ns)
		err = nsm_validate_ns(&nsset, ns);
	else
		err = nsm_validate_nsset(&nsset, w, args->target);
	if (!err)
		nsm_commit_nsset(&nsset);
	nsm_put_nsset(&nsset);
out:
	if (file)
		fput(file);
	return err;
}

/* ---- views ---- */

/**
 * nsm_ioctl_task_info - NSM_IOC_TASK_INFO: what /proc would say of a task
 * @w: the world, locked
 * @args: the task; everything else is output (__pad must be 0: EINVAL)
 *
 * Namespace ids are those "ls -l /proc/PID/ns" shows (0 where the link
 * cannot be read, as pid_for_children before its init exists); the
 * refcounts are the model's own, for study.
 */
long nsm_ioctl_task_info(struct nsm_world *w, struct nsm_task_info *args)
{
	struct nsm_task *task = nsm_find_task(w, args->task);
	const struct nsm_cred *cred;
	struct nsm_pid *pid;
	unsigned int i;

	if (!task)
		return -ESRCH;
	if (memchr_inv(args->__pad, 0, sizeof(args->__pad)))
		return -EINVAL;
	cred = task->cred;
	pid = task->thread_pid;

	args->parent = task->parent_id;
	args->uid = nsm_from_kuid(cred->user_ns, cred->uid);
	args->cap_effective = cred->cap_effective;
	args->nsproxy_id = task->nsproxy->id;
	args->nsproxy_count = refcount_read(&task->nsproxy->count);
	args->fs_users = task->fs->users;
	args->cred_count = refcount_read(&cred->usage);
	memset(args->ns_id, 0, sizeof(args->ns_id));
	memset(args->ns_count, 0, sizeof(args->ns_count));
	for (i = 0; i < NSM_NS_KIND_MAX; i++) {
		struct nsm_ns_common *ns = nsm_task_ns(task, i);

		if (!ns)
			continue;
		args->ns_id[i] = ns->inum;
		args->ns_count[i] = refcount_read(&ns->count);
	}
	args->level = pid->level;
	memset(args->nspid, 0, sizeof(args->nspid));
	for (i = 0; i <= pid->level; i++)
		args->nspid[i] = pid->numbers[i].nr;
	args->root_mnt_id = nsm_path_mnt_id(&task->fs->root);
	args->pwd_mnt_id = nsm_path_mnt_id(&task->fs->pwd);
	memset(args->hostname, 0, sizeof(args->hostname));
	memcpy(args->hostname, task->nsproxy->uts_ns->name.nodename,
	       min(sizeof(args->hostname) - 1,
		   sizeof(task->nsproxy->uts_ns->name.nodename)));
	memset(args->__pad, 0, sizeof(args->__pad));
	return 0;
}
