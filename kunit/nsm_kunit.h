/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmodel KUnit tests: what every test file shares (kunit/nsm_kunit.c).
 *
 * Each test case runs in a world of its own, made in the kernel with
 * nsm_world_open() by the suite's init hook (nsmk_init()) and ended by its
 * exit hook (nsmk_exit()), which then checks that the world's live-object
 * counters are all zero and the module's are back where they were: a test
 * that leaks fails, whatever it checked itself.
 *
 * A test builds the trees it needs with the model's own operations, as a
 * task of the world would (nsmk_mount(), nsmk_bind(), nsmk_make(), ...),
 * then calls the function under test directly and looks at the structures.
 *
 * The test body holds world->lock (nsmk_lock()) while it touches the
 * world, as the model's ioctls do.  KUNIT_ASSERT_*() must not be used while
 * the lock is held: a failed assertion ends the test's thread at once, and
 * a thread must not die holding a mutex.  Use KUNIT_EXPECT_*() and
 * nsmk_bad() (fail, then jump to the unlock) instead.
 */
#ifndef _NSM_KUNIT_H
#define _NSM_KUNIT_H

#include <kunit/test.h>

#include "nsmodel.h"
#include "mount.h"

/* one test's world */
struct nsmk {
	struct kunit *test;
	struct nsm_world *w;
	struct nsm_task *init;		/* the world's init task */
	u64 global0[NSM_OBJ_MAX];	/* the module's counters before */
	bool locked;
};

/* the test's world, from test->priv */
static inline struct nsmk *nsmk(struct kunit *test)
{
	return test->priv;
}

int nsmk_init(struct kunit *test);
void nsmk_exit(struct kunit *test);
void nsmk_lock(struct nsmk *k);
void nsmk_unlock(struct nsmk *k);

/*
 * True (and the test failed) when @cond is: the test cannot go on and
 * jumps to its unlock, as an assertion for code holding the world lock:
 *	if (nsmk_bad(k, IS_ERR(m)))
 *		goto out;
 */
#define nsmk_bad(k, cond) ({						\
	bool __bad = !!(cond);						\
									\
	if (__bad)							\
		KUNIT_FAIL((k)->test, "cannot go on: %s", #cond);	\
	__bad;								\
})

/* the model's operations on @task's view, as mount(8) and mkdir(1) */
int nsmk_mkdir(struct nsmk *k, struct nsm_task *task, const char *path);
struct nsm_mount *nsmk_do_mount(struct nsmk *k, struct nsm_task *task,
				const char *source, const char *path,
				const char *type, unsigned long flags);
struct nsm_mount *nsmk_mount(struct nsmk *k, struct nsm_task *task,
			     const char *source, const char *path);
struct nsm_mount *nsmk_bind(struct nsmk *k, struct nsm_task *task,
			    const char *src, const char *dst, bool rec);
int nsmk_make(struct nsmk *k, struct nsm_task *task, const char *path,
	      int ms_flags);
struct nsm_mount *nsmk_mnt(struct nsmk *k, struct nsm_task *task,
			   const char *path);
struct nsm_dentry *nsmk_dentry(struct nsmk *k, struct nsm_task *task,
			       const char *path);
struct nsm_task *nsmk_clone(struct nsmk *k, struct nsm_task *parent,
			    u64 flags);
void nsmk_exit_task(struct nsmk *k, struct nsm_task *task);

__printf(2, 3)
char *nsmk_sprintf(struct kunit *test, const char *fmt, ...);

/* counting */
unsigned int nsmk_count_tree(struct nsm_mount *root);
unsigned int nsmk_list_len(struct list_head *head);
unsigned int nsmk_count_peers(struct nsm_mount *m);
void nsmk_world_counts(struct nsmk *k, u64 *count);

#endif /* _NSM_KUNIT_H */
