// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: may one task inspect another?
 *
 * Models __ptrace_may_access() of kernel/ptrace.c and the commoncap part
 * of its LSM hook, cap_ptrace_access_check() (security/commoncap.c), as
 * far as the model's credentials go: the only caller is setns() on a
 * pidfd (validate_nsset() asks PTRACE_MODE_READ_REALCREDS), the only LSM
 * is commoncap (Yama and AppArmor let an unconfined reader through).
 *
 * The "mm" of a model task is its dumpable flag (task->dumpable): a fork
 * copies it, commit_creds() may lower it, and no task ever execs, so the
 * user namespace of every mm is the world's initial one, as for the
 * processes of nsmctl's kernel backend, which fork and never exec.
 */
#include <linux/ptrace.h>
#include <linux/sched/coredump.h>

#include "nsmodel.h"

/* models: task_still_dumpable(), mm->user_ns being the initial namespace */
static bool nsm_task_still_dumpable(const struct nsm_cred *cred,
				    const struct nsm_task *task)
{
	if (task->dumpable == SUID_DUMP_USER)
		return true;
	return nsm_ns_capable(cred, task->world->init_user_ns, CAP_SYS_PTRACE);
}

/* models: cap_ptrace_access_check() */
static bool nsm_cap_ptrace_access_check(const struct nsm_cred *cred,
					const struct nsm_cred *tcred,
					unsigned int mode)
{
	u64 caller_caps = (mode & PTRACE_MODE_FSCREDS) ? cred->cap_effective :
							  cred->cap_permitted;

	if (cred->user_ns == tcred->user_ns &&
	    !(tcred->cap_permitted & ~caller_caps))
		return true;
	return nsm_ns_capable(cred, tcred->user_ns, CAP_SYS_PTRACE);
}

/**
 * nsm_ptrace_may_access - may @me inspect @task?
 * @me: the caller (the kernel's "current")
 * @task: the target
 * @mode: PTRACE_MODE_READ or _ATTACH, with _FSCREDS or _REALCREDS
 *
 * models: ptrace_may_access(): the caller itself always; else its real
 * (or fs) uid and gid must be the target's real, effective and saved ones,
 * or it needs CAP_SYS_PTRACE over the target's user namespace; a target
 * that is no longer dumpable needs CAP_SYS_PTRACE over its mm's user
 * namespace too; then the LSM (commoncap) check.  The model's gids never
 * change, so the saved and fs gids are the effective one.
 */
bool nsm_ptrace_may_access(const struct nsm_task *me,
			   const struct nsm_task *task, unsigned int mode)
{
	const struct nsm_cred *cred = me->cred, *tcred = task->cred;
	u32 caller_uid, caller_gid;

	if (task == me)		/* same_thread_group() */
		return true;
	if (mode & PTRACE_MODE_FSCREDS) {
		caller_uid = cred->fsuid;
		caller_gid = cred->egid;
	} else {
		caller_uid = cred->uid;
		caller_gid = cred->gid;
	}
	if (!(caller_uid == tcred->euid && caller_uid == tcred->suid &&
	      caller_uid == tcred->uid && caller_gid == tcred->egid &&
	      caller_gid == tcred->gid) &&
	    !nsm_ns_capable(cred, tcred->user_ns, CAP_SYS_PTRACE))
		return false;
	if (!nsm_task_still_dumpable(cred, task))
		return false;
	return nsm_cap_ptrace_access_check(cred, tcred, mode);
}
