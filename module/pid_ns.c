// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: pid namespaces and pid numbers.
 *
 * Models kernel/pid_namespace.c and the number allocation of kernel/pid.c.
 * A task has one number in each pid namespace from its own up to the
 * world's first one (NSpid); numbers are handed out cyclically from 1 in
 * each namespace, as idr_alloc_cyclic() does for the kernel.  The first
 * task in a namespace gets 1 and becomes its child reaper; when it exits,
 * every other task of the namespace is killed and the namespace accepts no
 * new tasks (fork then fails with ENOMEM, as in the kernel).
 *
 * A new pid namespace is only ever "for children": unshare(CLONE_NEWPID)
 * changes nsproxy->pid_ns_for_children, and the caller's next child is the
 * namespace's init.
 *
 * Left out: set_tid (clone3's chosen pids), pidfds (6.12 gives every pid a
 * pidfs inode), and pid_max per namespace; otherwise 6.1 and 6.12 agree.
 */
#include <linux/err.h>
#include <linux/overflow.h>

#include "nsmodel.h"

static struct nsm_pid_namespace *to_pid_ns(struct nsm_ns_common *ns)
{
	return container_of(ns, struct nsm_pid_namespace, ns);
}

struct nsm_pid_namespace *nsm_get_pid_ns(struct nsm_pid_namespace *ns)
{
	refcount_inc(&ns->ns.count);
	return ns;
}

/* models: destroy_pid_namespace() */
static void nsm_destroy_pid_namespace(struct nsm_pid_namespace *ns)
{
	struct nsm_world *w = ns->ns.world;

	nsm_ns_free_inum(&ns->ns);
	idr_destroy(&ns->idr);
	nsm_put_user_ns(ns->user_ns);
	nsm_free(w, NSM_OBJ_PID_NS, ns, sizeof(*ns));
}

/**
 * nsm_put_pid_ns - drop a reference on a pid namespace
 * @ns: the namespace
 *
 * models: put_pid_ns(): a namespace pins its parent, so freeing one may
 * free its ancestors in turn (a loop, not a recursion, as in the kernel).
 */
void nsm_put_pid_ns(struct nsm_pid_namespace *ns)
{
	while (ns) {
		struct nsm_pid_namespace *parent = ns->parent;

		if (!refcount_dec_and_test(&ns->ns.count))
			break;
		nsm_destroy_pid_namespace(ns);
		ns = parent;
	}
}

/*
 * models: create_pid_namespace(): the new owner must be the parent's owner
 * or below it (EINVAL), nesting stops at level 32 (ENOSPC), then the
 * namespace limit (ENOSPC, as ucounts), the allocation and the inode
 * number.  The namespace accepts pids (PIDNS_ADDING) until its init exits.
 */
static struct nsm_pid_namespace *
nsm_create_pid_namespace(struct nsm_world *w,
			 struct nsm_user_namespace *user_ns,
			 struct nsm_pid_namespace *parent_pid_ns)
{
	unsigned int level = parent_pid_ns ? parent_pid_ns->level + 1 : 0;
	struct nsm_pid_namespace *ns;
	int err;

	if (parent_pid_ns && !nsm_in_userns(parent_pid_ns->user_ns, user_ns))
		return ERR_PTR(-EINVAL);
	if (level > NSM_MAX_LEVEL)
		return ERR_PTR(-ENOSPC);
	if (w->nr_namespaces >= nsm_max_namespaces)
		return ERR_PTR(-ENOSPC);

	ns = nsm_alloc(w, NSM_OBJ_PID_NS, sizeof(*ns));
	if (!ns)
		return ERR_PTR(-ENOMEM);
	idr_init(&ns->idr);
	err = nsm_ns_alloc_inum(w, &ns->ns, &nsm_pidns_operations);
	if (err) {
		idr_destroy(&ns->idr);
		nsm_free(w, NSM_OBJ_PID_NS, ns, sizeof(*ns));
		return ERR_PTR(err);
	}
	ns->level = level;
	ns->parent = parent_pid_ns ? nsm_get_pid_ns(parent_pid_ns) : NULL;
	ns->user_ns = nsm_get_user_ns(user_ns);
	ns->pid_allocated = NSM_PIDNS_ADDING;
	return ns;
}

/**
 * nsm_create_init_pid_ns - the world's initial pid namespace (level 0)
 * @w: the world
 * @user_ns: its owner
 *
 * models: init_pid_ns
 */
struct nsm_pid_namespace *nsm_create_init_pid_ns(struct nsm_world *w,
					struct nsm_user_namespace *user_ns)
{
	return nsm_create_pid_namespace(w, user_ns, NULL);
}

/**
 * nsm_task_active_pid_ns - the pid namespace a task lives in
 * @tsk: the task
 *
 * models: task_active_pid_ns(): the namespace of the task's innermost
 * number, which never changes (unlike pid_ns_for_children).
 */
struct nsm_pid_namespace *nsm_task_active_pid_ns(struct nsm_task *tsk)
{
	struct nsm_pid *pid = tsk->thread_pid;

	return pid ? pid->numbers[pid->level].ns : NULL;
}

/**
 * nsm_copy_pid_ns - share or create the pid namespace for children
 * @flags: clone or unshare flags
 * @me: the task calling clone() or unshare()
 * @user_ns: the user namespace that will own a new namespace
 * @old_ns: the current pid_ns_for_children
 *
 * models: copy_pid_ns(): a task whose children already go to another pid
 * namespace (after unshare(CLONE_NEWPID)) cannot make yet another one
 * until it forks: EINVAL.
 */
struct nsm_pid_namespace *nsm_copy_pid_ns(u64 flags, struct nsm_task *me,
					  struct nsm_user_namespace *user_ns,
					  struct nsm_pid_namespace *old_ns)
{
	if (!(flags & CLONE_NEWPID))
		return nsm_get_pid_ns(old_ns);
	if (nsm_task_active_pid_ns(me) != old_ns)
		return ERR_PTR(-EINVAL);
	return nsm_create_pid_namespace(old_ns->ns.world, user_ns, old_ns);
}

/**
 * nsm_alloc_pid - give a new task a number in @ns and every ancestor
 * @w: the world
 * @ns: the new task's pid namespace (its parent's pid_ns_for_children)
 *
 * models: alloc_pid() without set_tid.  Numbers are taken innermost first;
 * each namespace counts cyclically from 1 up to pid_max and then wraps to
 * RESERVED_PIDS.  The numbers are reserved (NULL in the idr) until
 * nsm_attach_pid() makes them visible.  A namespace whose init has exited
 * no longer takes tasks: ENOMEM, as the kernel has always reported.  A
 * full namespace gives EAGAIN.
 */
struct nsm_pid *nsm_alloc_pid(struct nsm_world *w, struct nsm_pid_namespace *ns)
{
	struct nsm_pid_namespace *tmp;
	struct nsm_pid *pid;
	size_t size = struct_size(pid, numbers, ns->level + 1);
	int i, nr, retval;

	pid = nsm_alloc(w, NSM_OBJ_PID, size);
	if (!pid)
		return ERR_PTR(-ENOMEM);
	pid->level = ns->level;

	tmp = ns;
	for (i = ns->level; i >= 0; i--) {
		int pid_min = 1;

		/* After wrapping, init's number and the daemons' stay free. */
		if (idr_get_cursor(&tmp->idr) > NSM_RESERVED_PIDS)
			pid_min = NSM_RESERVED_PIDS;
		if (nsm_should_fail(w))
			nr = -ENOMEM;
		else
			nr = idr_alloc_cyclic(&tmp->idr, NULL, pid_min,
					      NSM_PID_MAX, GFP_KERNEL_ACCOUNT);
		if (nr < 0) {
			retval = (nr == -ENOSPC) ? -EAGAIN : nr;
			goto out_free;
		}
		pid->numbers[i].nr = nr;
		pid->numbers[i].ns = tmp;
		tmp = tmp->parent;
	}

	retval = -ENOMEM;
	if (!(ns->pid_allocated & NSM_PIDNS_ADDING))
		goto out_free;

	nsm_get_pid_ns(ns);
	refcount_set(&pid->count, 1);
	for (i = ns->level; i >= 0; i--)
		pid->numbers[i].ns->pid_allocated++;
	return pid;

out_free:
	while (++i <= ns->level)
		idr_remove(&pid->numbers[i].ns->idr, pid->numbers[i].nr);
	/* A namespace whose first pid failed starts again from 1. */
	if (ns->pid_allocated == NSM_PIDNS_ADDING)
		idr_set_cursor(&ns->idr, 0);
	nsm_free(w, NSM_OBJ_PID, pid, size);
	return ERR_PTR(retval);
}

/**
 * nsm_attach_pid - make a new task findable by its numbers
 * @task: the task, fully built
 * @pid: its pid from nsm_alloc_pid()
 *
 * models: the idr_replace() half of alloc_pid() and attach_pid(), and the
 * part of copy_process() that makes pid 1 its namespace's child reaper.
 */
void nsm_attach_pid(struct nsm_task *task, struct nsm_pid *pid)
{
	unsigned int i;

	task->thread_pid = pid;
	for (i = 0; i <= pid->level; i++)
		idr_replace(&pid->numbers[i].ns->idr, task, pid->numbers[i].nr);
	if (pid->numbers[pid->level].nr == 1)
		pid->numbers[pid->level].ns->child_reaper = task;
}

/* models: put_pid(): the pid holds its innermost namespace */
static void nsm_put_pid(struct nsm_world *w, struct nsm_pid *pid)
{
	struct nsm_pid_namespace *ns = pid->numbers[pid->level].ns;

	if (!refcount_dec_and_test(&pid->count))
		return;
	nsm_free(w, NSM_OBJ_PID, pid, struct_size(pid, numbers, pid->level + 1));
	nsm_put_pid_ns(ns);
}

/**
 * nsm_free_pid - release a task's numbers in every namespace
 * @w: the world
 * @pid: the pid
 *
 * models: free_pid() followed by the final put_pid().  If the only pid of
 * a namespace that still accepts tasks goes away (its init's fork failed)
 * the namespace takes no more tasks, as in the kernel.
 */
void nsm_free_pid(struct nsm_world *w, struct nsm_pid *pid)
{
	unsigned int i;

	for (i = 0; i <= pid->level; i++) {
		struct nsm_pid_namespace *ns = pid->numbers[i].ns;

		if (--ns->pid_allocated == NSM_PIDNS_ADDING)
			ns->pid_allocated = 0;
		idr_remove(&ns->idr, pid->numbers[i].nr);
	}
	nsm_put_pid(w, pid);
}

/* models: disable_pid_allocation() */
void nsm_disable_pid_allocation(struct nsm_pid_namespace *ns)
{
	ns->pid_allocated &= ~NSM_PIDNS_ADDING;
}

/**
 * nsm_zap_pid_ns_processes - the init of a pid namespace is exiting
 * @pid_ns: its namespace
 * @reaper: the exiting init
 *
 * models: zap_pid_ns_processes(): no new task may enter, and every other
 * task with a number in the namespace (nested namespaces included) is
 * killed.  Model tasks die at once, so there is nothing to wait for.
 */
void nsm_zap_pid_ns_processes(struct nsm_pid_namespace *pid_ns,
			      struct nsm_task *reaper)
{
	struct nsm_task *task;
	int nr = 1;

	nsm_disable_pid_allocation(pid_ns);
	while ((task = idr_get_next(&pid_ns->idr, &nr))) {
		if (task != reaper)
			nsm_do_exit(task);
		nr++;
		cond_resched();
	}
}

static struct nsm_ns_common *nsm_pidns_get(struct nsm_task *task)
{
	struct nsm_pid_namespace *ns = nsm_task_active_pid_ns(task);

	return ns ? &nsm_get_pid_ns(ns)->ns : NULL;
}

/*
 * models: pidns_for_children_get(): until the namespace has had an init,
 * /proc/PID/ns/pid_for_children cannot be opened (ENOENT).
 */
static struct nsm_ns_common *nsm_pidns_for_children_get(struct nsm_task *task)
{
	struct nsm_pid_namespace *ns = task->nsproxy->pid_ns_for_children;

	if (!ns->child_reaper && !ns->reaper_exited)
		return NULL;
	return &nsm_get_pid_ns(ns)->ns;
}

static void nsm_pidns_put(struct nsm_ns_common *ns)
{
	nsm_put_pid_ns(to_pid_ns(ns));
}

/*
 * models: pidns_install(): CAP_SYS_ADMIN over the target's owner and in the
 * caller's (new) user namespace (EPERM), and the target must be the
 * caller's active pid namespace or one of its descendants (EINVAL), so
 * that no task escapes its pid namespace.  Only the children move.
 */
static int nsm_pidns_install(struct nsm_nsset *nsset, struct nsm_ns_common *ns)
{
	struct nsm_nsproxy *nsproxy = nsset->nsproxy;
	struct nsm_pid_namespace *active = nsm_task_active_pid_ns(nsset->task);
	struct nsm_pid_namespace *ancestor, *new = to_pid_ns(ns);
	const struct nsm_cred *me = nsset->task->cred;

	if (!nsm_ns_capable(me, new->user_ns, CAP_SYS_ADMIN) ||
	    !nsm_ns_capable(me, nsset->cred->user_ns, CAP_SYS_ADMIN))
		return -EPERM;

	if (new->level < active->level)
		return -EINVAL;
	ancestor = new;
	while (ancestor->level > active->level)
		ancestor = ancestor->parent;
	if (ancestor != active)
		return -EINVAL;

	nsm_put_pid_ns(nsproxy->pid_ns_for_children);
	nsproxy->pid_ns_for_children = nsm_get_pid_ns(new);
	return 0;
}

static struct nsm_user_namespace *nsm_pidns_owner(struct nsm_ns_common *ns)
{
	return to_pid_ns(ns)->user_ns;
}

/* for NS_INFO: the parent namespace, not referenced (pidns_get_parent()) */
static struct nsm_ns_common *nsm_pidns_get_parent(struct nsm_ns_common *ns)
{
	struct nsm_pid_namespace *parent = to_pid_ns(ns)->parent;

	return parent ? &parent->ns : NULL;
}

/* models: pidns_operations */
const struct nsm_proc_ns_operations nsm_pidns_operations = {
	.name		= "pid",
	.type		= CLONE_NEWPID,
	.kind		= NSM_NS_PID,
	.get		= nsm_pidns_get,
	.put		= nsm_pidns_put,
	.install	= nsm_pidns_install,
	.owner		= nsm_pidns_owner,
	.get_parent	= nsm_pidns_get_parent,
};

/* models: pidns_for_children_operations */
const struct nsm_proc_ns_operations nsm_pidns_for_children_operations = {
	.name		= "pid_for_children",
	.type		= CLONE_NEWPID,
	.kind		= NSM_NS_PID_FOR_CHILDREN,
	.get		= nsm_pidns_for_children_get,
	.put		= nsm_pidns_put,
	.install	= nsm_pidns_install,
	.owner		= nsm_pidns_owner,
	.get_parent	= nsm_pidns_get_parent,
};
