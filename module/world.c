// SPDX-License-Identifier: GPL-2.0
/*
 * nsmodel: worlds, object accounting and fault injection.
 *
 * A world is what one open() of /dev/nsmodel gets: a private universe with
 * its own init task, initial namespaces, root mount and id spaces.  The
 * kernel has exactly one such universe; the model can have many, and none
 * sees another.
 *
 * Every model object is allocated through nsm_alloc() and freed through
 * nsm_free(), so that the module knows at every moment how many objects of
 * each type are alive, module-wide and per world, and how many bytes they
 * hold.  The same choke point injects allocation failures on request, so
 * that every error path of the model can be driven from a test.
 */
#include <linux/slab.h>
#include <linux/atomic.h>
#include <linux/percpu_counter.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <kunit/visibility.h>

#include "nsmodel.h"

/*
 * The module-wide totals are per-cpu counters: every allocation of every
 * world updates them, and atomics would bounce one cache line between all
 * CPUs that allocate.  Each CPU's share is folded in only when it passes
 * NSM_GLOBAL_BATCH (never, in practice); NSM_IOC_COUNTERS sums all shares,
 * which is exact whenever no allocation runs at the same time.
 */
#define NSM_GLOBAL_BATCH	(S32_MAX / 2)
static struct percpu_counter nsm_global_count[NSM_OBJ_MAX];
static struct percpu_counter nsm_global_bytes;

int __init nsm_accounting_init(void)
{
	int i, err;

	err = percpu_counter_init(&nsm_global_bytes, 0, GFP_KERNEL);
	for (i = 0; !err && i < NSM_OBJ_MAX; i++)
		err = percpu_counter_init(&nsm_global_count[i], 0, GFP_KERNEL);
	if (err) {
		while (i-- > 0)
			percpu_counter_destroy(&nsm_global_count[i]);
		percpu_counter_destroy(&nsm_global_bytes);
	}
	return err;
}

void nsm_accounting_exit(void)
{
	int i;

	for (i = 0; i < NSM_OBJ_MAX; i++)
		percpu_counter_destroy(&nsm_global_count[i]);
	percpu_counter_destroy(&nsm_global_bytes);
}
static atomic64_t nsm_next_world_id = ATOMIC64_INIT(0);

/**
 * nsm_account - record that objects of a type were created or freed
 * @w: the world they belong to
 * @type: which counter
 * @delta: +1 for a new object, -1 for a freed one
 * @bytes: memory the change adds (negative when freeing)
 */
void nsm_account(struct nsm_world *w, enum nsm_obj_type type, long delta,
		 long bytes)
{
	atomic_long_add(delta, &w->count[type]);
	atomic_long_add(bytes, &w->bytes);
	percpu_counter_add_batch(&nsm_global_count[type], delta,
				 NSM_GLOBAL_BATCH);
	percpu_counter_add_batch(&nsm_global_bytes, bytes, NSM_GLOBAL_BATCH);
}

/**
 * nsm_should_fail - count one allocation and decide whether it fails
 * @w: the world allocating
 *
 * Every allocation site of the model calls this exactly once (nsm_alloc()
 * does it for kzalloc-style allocations; ida and idr users call it before
 * allocating an id).  Returns true when this is the allocation that
 * NSM_IOC_FAULT asked to fail; injection is then switched off, as with
 * fail-nth, so one request injects exactly one failure.
 */
bool nsm_should_fail(struct nsm_world *w)
{
	w->nr_allocs++;
	if (w->fail_nth && w->nr_allocs == w->fail_nth) {
		w->fail_nth = 0;
		return true;
	}
	return false;
}

/**
 * nsm_world_may_grow - may the world's objects hold @bytes more?
 * @w: the world
 * @bytes: what an allocation adds
 *
 * The per-world memory bound, the module parameter world_bytes_max (0 for
 * none): past it an allocation fails as if the memory were gone (ENOMEM),
 * so one world cannot take what memcg does not bound.  A dying world's
 * teardown is never refused.
 */
bool nsm_world_may_grow(struct nsm_world *w, long bytes)
{
	unsigned long max = READ_ONCE(nsm_world_bytes_max);
	long held = atomic_long_read(&w->bytes);

	if (!max || w->dead || bytes <= 0)
		return true;
	return (unsigned long)bytes <= max && held <= (long)(max - bytes);
}

/**
 * nsm_alloc - allocate and count a zeroed model object
 * @w: the world that will own it
 * @type: its counter
 * @size: its size in bytes
 *
 * Charged to the caller's memory cgroup, as user-triggered kernel memory
 * must be, and to the world's own bound (nsm_world_may_grow()).  Returns
 * NULL on (real or injected) failure.
 */
void *nsm_alloc(struct nsm_world *w, enum nsm_obj_type type, size_t size)
{
	void *p;

	if (nsm_should_fail(w) || !nsm_world_may_grow(w, size))
		return NULL;
	p = kzalloc(size, GFP_KERNEL_ACCOUNT);
	if (p)
		nsm_account(w, type, 1, size);
	return p;
}

/**
 * nsm_cache_alloc - allocate and count a zeroed object from a slab cache
 * @w: the world that will own it
 * @type: its counter
 * @cache: the cache (created with SLAB_ACCOUNT, for the memory cgroup)
 *
 * As nsm_alloc(), for objects numerous enough to have a cache of their
 * own; the world's bytes grow by the cache's object size.
 */
void *nsm_cache_alloc(struct nsm_world *w, enum nsm_obj_type type,
		      struct kmem_cache *cache)
{
	void *p;

	if (nsm_should_fail(w))
		return NULL;
	p = kmem_cache_zalloc(cache, GFP_KERNEL_ACCOUNT);
	if (p)
		nsm_account(w, type, 1, kmem_cache_size(cache));
	return p;
}

/**
 * nsm_cache_free - free and uncount an object from nsm_cache_alloc()
 * @w: its world
 * @type: the counter it was allocated under
 * @cache: the cache it came from
 * @p: the object, or NULL
 */
void nsm_cache_free(struct nsm_world *w, enum nsm_obj_type type,
		    struct kmem_cache *cache, void *p)
{
	if (!p)
		return;
	nsm_account(w, type, -1, -(long)kmem_cache_size(cache));
	kmem_cache_free(cache, p);
}

/**
 * nsm_free - free and uncount an object from nsm_alloc()
 * @w: its world
 * @type: the counter it was allocated under
 * @p: the object, or NULL
 * @size: the size it was allocated with
 */
void nsm_free(struct nsm_world *w, enum nsm_obj_type type, void *p,
	      size_t size)
{
	if (!p)
		return;
	nsm_account(w, type, -1, -(long)size);
	kfree(p);
}

/**
 * nsm_find_task - look a task up by its id
 * @w: the world, locked
 * @id: the task id from user space
 *
 * Returns the task or NULL; callers turn NULL into ESRCH, as a syscall on a
 * pid that does not exist would.
 */
struct nsm_task *nsm_find_task(struct nsm_world *w, u32 id)
{
	if (!id || id > INT_MAX)
		return NULL;
	return idr_find(&w->tasks, id);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_find_task);

/**
 * nsm_ns_alloc_inum - give a new namespace its inode-like id
 * @w: the world
 * @ns: the namespace's common part, to be initialised
 * @ops: its kind
 *
 * Ids come from one per-world ida offset like proc_alloc_inum(), so they
 * look like the numbers /proc/PID/ns shows.  Also sets the refcount to 1
 * and enforces the per-world namespace limit (ENOSPC, as ucounts would).
 */
int nsm_ns_alloc_inum(struct nsm_world *w, struct nsm_ns_common *ns,
		      const struct nsm_proc_ns_operations *ops)
{
	int i;

	if (w->nr_namespaces >= nsm_max_namespaces)
		return -ENOSPC;
	if (nsm_should_fail(w))
		return -ENOMEM;
	i = ida_alloc_max(&w->ns_inums, UINT_MAX - 0xF0000000U,
			  GFP_KERNEL_ACCOUNT);
	if (i < 0)
		return i;
	ns->inum = 0xF0000000U + i;
	ns->ops = ops;
	ns->world = w;
	refcount_set(&ns->count, 1);
	w->nr_namespaces++;
	return 0;
}

/**
 * nsm_ns_free_inum - release a namespace's id when it is freed
 * @ns: the namespace
 */
void nsm_ns_free_inum(struct nsm_ns_common *ns)
{
	struct nsm_world *w = ns->world;

	ida_free(&w->ns_inums, ns->inum - 0xF0000000U);
	w->nr_namespaces--;
}

/**
 * nsm_world_create - make a new, empty world
 *
 * The caller (dev.c) then populates it with the init task.  Returns NULL on
 * allocation failure.
 */
struct nsm_world *nsm_world_create(void)
{
	struct nsm_world *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return NULL;
	mutex_init(&w->lock);
	kref_init(&w->kref);
	w->id = atomic64_inc_return(&nsm_next_world_id);
	w->profile = nsm_profile_auto();
	idr_init(&w->tasks);
	ida_init(&w->ns_inums);
	ida_init(&w->mnt_ids);
	ida_init(&w->group_ids);
	ida_init(&w->anon_devs);
	nsm_mount_hash_init(w);
	nsm_account(w, NSM_OBJ_WORLD, 1, sizeof(*w));
	return w;
}

static void nsm_world_release(struct kref *kref)
{
	struct nsm_world *w = container_of(kref, struct nsm_world, kref);
	int i;

	/*
	 * Every object has been freed by now: the tasks exited when the world
	 * fd closed and the last handle dropped the last namespace.  A count
	 * left over is a leak in the model, which the selftests must catch.
	 */
	nsm_nsfs_kern_unmount(w);
	for (i = 0; i < NSM_OBJ_MAX; i++) {
		if (i == NSM_OBJ_WORLD)
			continue;
		WARN_ONCE(atomic_long_read(&w->count[i]),
			  "nsmodel: world %llu leaks %ld objects of type %d\n",
			  w->id, atomic_long_read(&w->count[i]), i);
	}
	nsm_mount_hash_destroy(w);
	idr_destroy(&w->tasks);
	ida_destroy(&w->ns_inums);
	ida_destroy(&w->mnt_ids);
	ida_destroy(&w->group_ids);
	ida_destroy(&w->anon_devs);
	mutex_destroy(&w->lock);
	nsm_account(w, NSM_OBJ_WORLD, -1, -(long)sizeof(*w));
	kfree(w);
}

/**
 * nsm_world_open - a new world with its init task, as open() makes one
 *
 * The in-kernel way to get a world without a file: dev.c's open() uses it,
 * and so do the KUnit tests (kunit/), which build trees in a world of
 * their own.  The caller holds the one reference; end the world with
 * nsm_world_close().  Returns the world or an ERR_PTR (-ENOMEM, or the
 * errno of the init task's creation).
 */
struct nsm_world *nsm_world_open(void)
{
	struct nsm_world *w;
	int err;

	w = nsm_world_create();
	if (!w)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&w->lock);
	err = nsm_create_init_task(w);
	mutex_unlock(&w->lock);
	if (err) {
		nsm_world_put(w);
		return ERR_PTR(err);
	}
	return w;
}
EXPORT_SYMBOL_IF_KUNIT(nsm_world_open);

/**
 * nsm_world_close - end a world from nsm_world_open(), as close() does
 * @w: the world; the caller's reference is dropped
 *
 * Every task exits; the world is freed when its last reference goes
 * (handles may still hold some).
 */
void nsm_world_close(struct nsm_world *w)
{
	nsm_world_kill(w);
	nsm_world_put(w);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_world_close);

void nsm_world_get(struct nsm_world *w)
{
	kref_get(&w->kref);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_world_get);

void nsm_world_put(struct nsm_world *w)
{
	kref_put(&w->kref, nsm_world_release);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_world_put);

/*
 * The world's hold on its initial namespaces (see struct nsm_world), let go
 * once no task is left: the nsproxy first, since the initial mount tree's
 * superblocks and every namespace in it hold the initial user namespace.
 */
static void nsm_put_init_namespaces(struct nsm_world *w)
{
	struct nsm_nsproxy *nsproxy = w->init_nsproxy;
	struct nsm_user_namespace *user_ns = w->init_user_ns;

	w->init_nsproxy = NULL;
	if (nsproxy)
		nsm_put_nsproxy(nsproxy);
	w->init_user_ns = NULL;
	nsm_put_user_ns(user_ns);
}

/**
 * nsm_world_kill - the world fd is closing: every task exits
 * @w: the world
 *
 * Then the world lets go of its initial namespaces.  Namespaces pinned by
 * open handles survive until those close.
 */
void nsm_world_kill(struct nsm_world *w)
{
	mutex_lock(&w->lock);
	w->dead = true;
	w->fail_nth = 0;
	nsm_exit_all_tasks(w);
	nsm_put_init_namespaces(w);
	mutex_unlock(&w->lock);
}

void nsm_global_counts(u64 *count, u64 *bytes)
{
	int i;

	for (i = 0; i < NSM_OBJ_MAX; i++)
		count[i] = percpu_counter_sum(&nsm_global_count[i]);
	*bytes = percpu_counter_sum(&nsm_global_bytes);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_global_counts);

void nsm_world_counts(struct nsm_world *w, u64 *count, u64 *bytes)
{
	int i;

	for (i = 0; i < NSM_OBJ_MAX; i++)
		count[i] = atomic_long_read(&w->count[i]);
	*bytes = atomic_long_read(&w->bytes);
}
EXPORT_SYMBOL_IF_KUNIT(nsm_world_counts);
