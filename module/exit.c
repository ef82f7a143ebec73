// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: task exit.
 *
 * Models the namespace-related parts of kernel/exit.c: do_exit() lets go
 * of the fs_struct and the nsproxy, exit_notify() hands the children to the
 * child reaper of the task's pid namespace, and the exit of a pid
 * namespace's init kills every other task in it (zap_pid_ns_processes()).
 * A model task is reaped at once: no zombies, no wait(); the last
 * references (pid, cred) go with the task.  Subreapers and thread groups
 * are not modelled.
 */
#include <kunit/visibility.h>

#include "nsmodel.h"

/*
 * models: forget_original_parent() and find_child_reaper(): the init of a
 * pid namespace takes every task in it down with it; anyone else's
 * children go to that init.
 */
static void nsm_forget_original_parent(struct nsm_task *father)
{
	struct nsm_pid_namespace *pid_ns = nsm_task_active_pid_ns(father);
	struct nsm_task *reaper = pid_ns->child_reaper;
	struct nsm_task *p, *n;

	if (reaper == father) {
		nsm_zap_pid_ns_processes(pid_ns, father);
		/* every task of the namespace is gone, children included */
		reaper = NULL;
	}
	list_for_each_entry_safe(p, n, &father->children, sibling) {
		if (WARN_ON_ONCE(!reaper)) {
			list_del_init(&p->sibling);
			p->real_parent = NULL;
			p->parent_id = 0;
			continue;
		}
		p->real_parent = reaper;
		p->parent_id = reaper->id;
		list_move_tail(&p->sibling, &reaper->children);
	}
}

/* models: release_task(), at once: the pid numbers, the cred, the task */
static void nsm_release_task(struct nsm_task *p)
{
	struct nsm_world *w = p->world;
	struct nsm_pid_namespace *pid_ns = nsm_task_active_pid_ns(p);

	if (pid_ns->child_reaper == p) {
		pid_ns->child_reaper = NULL;
		pid_ns->reaper_exited = true;
	}
	list_del_init(&p->sibling);
	nsm_free_pid(w, p->thread_pid);
	p->thread_pid = NULL;
	nsm_put_cred(p->cred);
	idr_remove(&w->tasks, p->id);
	w->nr_tasks--;
	nsm_free(w, NSM_OBJ_TASK, p, sizeof(*p));
}

/**
 * nsm_do_exit - a task exits
 * @tsk: the task
 *
 * models: do_exit(): exit_fs(), exit_task_namespaces(), exit_notify(),
 * then the release the parent's wait() would cause.  A task whose nsproxy
 * is already gone is in the middle of exiting and is left alone.
 */
void nsm_do_exit(struct nsm_task *tsk)
{
	if (!tsk->nsproxy)
		return;
	nsm_exit_fs(tsk);
	nsm_exit_task_namespaces(tsk);
	nsm_forget_original_parent(tsk);
	nsm_release_task(tsk);
}

/**
 * nsm_ioctl_exit - NSM_IOC_EXIT: a task exits
 * @w: the world, locked
 * @args: the task
 *
 * The exit of the init of a pid namespace (task 1 included: it is the init
 * of the world's first pid namespace) ends every task in that namespace.
 */
long nsm_ioctl_exit(struct nsm_world *w, struct nsm_task_args *args)
{
	struct nsm_task *task = nsm_find_task(w, args->task);

	if (!task)
		return -ESRCH;
	if (args->__reserved)
		return -EINVAL;
	nsm_do_exit(task);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_ioctl_exit);

/**
 * nsm_exit_all_tasks - the world is closing: every task exits
 * @w: the world, locked
 */
void nsm_exit_all_tasks(struct nsm_world *w)
{
	struct nsm_task *t;
	int id = 0;

	while ((t = idr_get_next(&w->tasks, &id))) {
		nsm_do_exit(t);
		id = 0;
		/* a world of many tasks and mounts: the close only yields */
		cond_resched();
	}
}
