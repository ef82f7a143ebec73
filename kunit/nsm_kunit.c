// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel KUnit tests: the shared part of nsmodel_kunit.ko.
 *
 * nsmodel_kunit.ko tests the model's logic from inside the kernel, where
 * a selftest through /dev/nsmodel would be clumsy: it calls the model's
 * functions directly (exported to it only, with EXPORT_SYMBOL_IF_KUNIT()
 * in the EXPORTED_FOR_KUNIT_TESTING namespace, on kernels built with
 * KUnit) on trees built in a world of each test's own.  The suites:
 *
 *   nsmodel-walk       namespace_kunit.c  next_mnt(), skip_mnt_tree()
 *   nsmodel-namespace  namespace_kunit.c  copy_tree(), copy_mnt_ns()
 *   nsmodel-pnode      pnode_kunit.c      change_mnt_propagation(),
 *                                         get_dominating_id(), propagate_mnt()
 *   nsmodel-mountinfo  mountinfo_kunit.c  the mountinfo lines
 *
 * They run when the module is loaded (nsmodel.ko must be loaded first) and
 * report KTAP in the kernel log and in /sys/kernel/debug/kunit/SUITE/results;
 * scripts/guest-debug-tests runs them on the debug kernel.
 *
 * This file: the per-test world (made by the suites' init hook, checked
 * for leaks and ended by their exit hook) and the helpers that build trees
 * with the model's own operations.
 */
#include <linux/module.h>
#include <linux/err.h>
#include <uapi/linux/mount.h>

#include "nsm_kunit.h"

/**
 * nsmk_init - the suites' init hook: a world of the test's own
 * @test: the test case
 */
int nsmk_init(struct kunit *test)
{
	struct nsmk *k;
	u64 bytes;

	k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	k->test = test;
	nsm_global_counts(k->global0, &bytes);
	k->w = nsm_world_open();
	if (IS_ERR(k->w))
		return PTR_ERR(k->w);
	/* the init task is the world's first, id 1 */
	k->init = nsm_find_task(k->w, 1);
	if (!k->init) {
		nsm_world_close(k->w);
		return -ESRCH;
	}
	test->priv = k;
	return 0;
}

/**
 * nsmk_exit - the suites' exit hook: end the world, check for leaks
 * @test: the test case
 *
 * Every task exits (so every namespace, mount, superblock and dentry the
 * test left attached goes); then no object may be left in the world, and
 * the module's counters must be back to what they were before the test.
 */
void nsmk_exit(struct kunit *test)
{
	struct nsmk *k = test->priv;
	u64 count[NSM_OBJ_MAX], global[NSM_OBJ_MAX], bytes;
	int i;

	if (!k)
		return;
	if (k->locked)
		nsmk_unlock(k);
	/* close it as the fd's release would, keeping it to look at */
	nsm_world_get(k->w);
	nsm_world_close(k->w);
	nsm_world_counts(k->w, count, &bytes);
	for (i = 0; i < NSM_OBJ_MAX; i++) {
		if (i == NSM_OBJ_WORLD)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, count[i], 0ULL,
				    "world leaks objects of type %d", i);
	}
	KUNIT_EXPECT_EQ_MSG(test, bytes, (u64)sizeof(struct nsm_world),
			    "world holds bytes besides itself");
	/* the last reference: the world itself goes */
	nsm_world_put(k->w);
	nsm_global_counts(global, &bytes);
	for (i = 0; i < NSM_OBJ_MAX; i++)
		KUNIT_EXPECT_EQ_MSG(test, global[i], k->global0[i],
				    "module counter of type %d", i);
	test->priv = NULL;
}

void nsmk_lock(struct nsmk *k)
{
	mutex_lock(&k->w->lock);
	k->locked = true;
}

void nsmk_unlock(struct nsmk *k)
{
	k->locked = false;
	mutex_unlock(&k->w->lock);
}

/*
 * Where @path lands in @task's view, with @flags as nsm_path_lookup()'s.
 * The references are dropped at once: the mount stays alive on its tree
 * and the dentry with its superblock while the test holds the world lock
 * and unmounts nothing.
 */
static int nsmk_lookup(struct nsm_task *task, const char *path,
		       unsigned int flags, struct nsm_path *where)
{
	int err;

	err = nsm_path_lookup(task, path, flags, where);
	if (!err)
		nsm_path_put(where);
	return err;
}

/**
 * nsmk_mkdir - mkdir -p @path in @task's view
 * @k: the test's world, locked
 * @task: the task
 * @path: the directory
 */
int nsmk_mkdir(struct nsmk *k, struct nsm_task *task, const char *path)
{
	struct nsm_path p;

	return nsmk_lookup(task, path, NSM_LOOKUP_CREATE, &p);
}

/**
 * nsmk_do_mount - mount(2) at @path (created first)
 * @k: the test's world, locked
 * @task: the mounter
 * @source: the source (a path for MS_BIND)
 * @path: the target
 * @type: the fs type, "tmpfs" for a new mount
 * @flags: MS_* flags
 *
 * Returns the mount now on top of @path (no reference) or an ERR_PTR.
 */
struct nsm_mount *nsmk_do_mount(struct nsmk *k, struct nsm_task *task,
				const char *source, const char *path,
				const char *type, unsigned long flags)
{
	struct nsm_path p;
	int err;

	err = nsm_path_lookup(task, path, NSM_LOOKUP_CREATE, &p);
	if (err)
		return ERR_PTR(err);
	err = nsm_path_mount(task, source, &p, type, flags, NULL);
	nsm_path_put(&p);
	if (err)
		return ERR_PTR(err);
	return nsmk_mnt(k, task, path);
}

/**
 * nsmk_mount - mount a new tmpfs on @path (created if missing)
 * @k: the test's world, locked
 * @task: the mounter
 * @source: the source name mountinfo shows
 * @path: where
 *
 * Returns the new mount (its tree holds it, no reference for the caller)
 * or an ERR_PTR.
 */
struct nsm_mount *nsmk_mount(struct nsmk *k, struct nsm_task *task,
			     const char *source, const char *path)
{
	return nsmk_do_mount(k, task, source, path, "tmpfs", 0);
}

/**
 * nsmk_bind - mount --bind (--rbind with @rec) @src on @dst
 * @k: the test's world, locked
 * @task: the mounter
 * @src: the source path
 * @dst: where (created if missing)
 * @rec: recursive
 */
struct nsm_mount *nsmk_bind(struct nsmk *k, struct nsm_task *task,
			    const char *src, const char *dst, bool rec)
{
	return nsmk_do_mount(k, task, src, dst, NULL,
			     MS_BIND | (rec ? MS_REC : 0));
}

/**
 * nsmk_make - mount --make-{shared,slave,private,unbindable} @path
 * @k: the test's world, locked
 * @task: the caller
 * @path: the mount's root
 * @ms_flags: MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE, maybe MS_REC
 */
int nsmk_make(struct nsmk *k, struct nsm_task *task, const char *path,
	      int ms_flags)
{
	struct nsm_path p;
	int err;

	err = nsm_path_lookup(task, path, 0, &p);
	if (err)
		return err;
	err = nsm_path_mount(task, NULL, &p, NULL, ms_flags, NULL);
	nsm_path_put(&p);
	return err;
}

/**
 * nsmk_mnt - the mount @path lands on in @task's view (the topmost one)
 * @k: the test's world, locked
 * @task: the task
 * @path: the path
 *
 * Returns the mount (no reference) or an ERR_PTR.
 */
struct nsm_mount *nsmk_mnt(struct nsmk *k, struct nsm_task *task,
			   const char *path)
{
	struct nsm_path p;
	int err = nsmk_lookup(task, path, 0, &p);

	return err ? ERR_PTR(err) : p.mnt;
}

/**
 * nsmk_dentry - the dentry @path lands on in @task's view
 * @k: the test's world, locked
 * @task: the task
 * @path: the path
 *
 * Returns the dentry (alive while its superblock is) or an ERR_PTR.
 */
struct nsm_dentry *nsmk_dentry(struct nsmk *k, struct nsm_task *task,
			       const char *path)
{
	struct nsm_path p;
	int err = nsmk_lookup(task, path, 0, &p);

	return err ? ERR_PTR(err) : p.dentry;
}

/**
 * nsmk_clone - @parent clones a child with @flags (CLONE_NEW*, CLONE_FS)
 * @k: the test's world, locked
 * @parent: the parent
 * @flags: clone3() flags
 *
 * Returns the child or an ERR_PTR.
 */
struct nsm_task *nsmk_clone(struct nsmk *k, struct nsm_task *parent,
			    u64 flags)
{
	struct nsm_clone_args args = {
		.size = sizeof(args),
		.parent = parent->id,
		.flags = flags,
	};
	long ret;

	ret = nsm_ioctl_clone(k->w, &args);
	if (ret < 0)
		return ERR_PTR(ret);
	return nsm_find_task(k->w, args.child);
}

/**
 * nsmk_exit_task - @task exits
 * @k: the test's world, locked
 * @task: the task
 */
void nsmk_exit_task(struct nsmk *k, struct nsm_task *task)
{
	struct nsm_task_args args = {
		.size = sizeof(args),
		.task = task->id,
	};

	KUNIT_EXPECT_EQ(k->test, nsm_ioctl_exit(k->w, &args), 0L);
}

/* the number of mounts in the tree of @root, @root included */
unsigned int nsmk_count_tree(struct nsm_mount *root)
{
	unsigned int n = 0;
	struct nsm_mount *p;

	for (p = root; p; p = nsm_next_mnt(p, root))
		n++;
	return n;
}

/**
 * nsmk_sprintf - a formatted string that lives as long as the test
 * @test: the test
 * @fmt: printf format
 *
 * Returns the string, or "" when it cannot be allocated (and the test
 * fails).
 */
char *nsmk_sprintf(struct kunit *test, const char *fmt, ...)
{
	va_list args;
	char *s;
	int len;

	va_start(args, fmt);
	len = vsnprintf(NULL, 0, fmt, args);
	va_end(args);
	s = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	if (!s) {
		KUNIT_FAIL(test, "no memory for a string");
		return "";
	}
	va_start(args, fmt);
	vsnprintf(s, len + 1, fmt, args);
	va_end(args);
	return s;
}

/* the number of entries on the list at @head */
unsigned int nsmk_list_len(struct list_head *head)
{
	struct list_head *p;
	unsigned int n = 0;

	list_for_each(p, head)
		n++;
	return n;
}

/* the number of mounts in the peer group of @m, @m included */
unsigned int nsmk_count_peers(struct nsm_mount *m)
{
	return nsmk_list_len(&m->mnt_share) + 1;
}

/* the world's live-object counters */
void nsmk_world_counts(struct nsmk *k, u64 *count)
{
	u64 bytes;

	nsm_world_counts(k->w, count, &bytes);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nsmodel: KUnit tests of the model's in-module logic");
MODULE_AUTHOR("nsmodel developers");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
