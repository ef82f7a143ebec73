// SPDX-License-Identifier: GPL-2.0
/*
 * stress_test: four threads at once, on one world and on separate worlds.
 *
 * Each thread mixes every kind of operation (clone, unshare, setns, exit,
 * mount, bind, umount, propagation changes, mountinfo reads, namespace
 * handles opened, used and closed), mostly valid ones so that the model's
 * real paths run, against tasks and paths the other threads are changing
 * at the same time.  Every failure must carry an errno the ABI documents;
 * at the end the worlds close and every counter of the module is back
 * where it was.  On the debug kernel lockdep, KASAN and kmemleak watch.
 *
 * NSM_STRESS_OPS sets the operations per thread (default 2000);
 * NSM_STRESS_MODE=one or =separate runs only that mode (the soak runs
 * boot once per mode).
 *
 * Recursive binds of shared mounts multiply trees across every peer
 * namespace, as in the kernel, and mounts pile up out of every task's
 * reach (see reseed_world()), so left alone a long run spends its time
 * copying and freeing trees of tens of thousands of mounts (mount_max,
 * 100,000, is per namespace) instead of racing operations.  So when a
 * world holds more than NSM_STRESS_MOUNTS mounts (default 1000), one of
 * its threads starts it afresh while the others go on.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nsm_helpers.h"

#define NR_THREADS	4
#define MAX_TASKS	64

struct shared {
	int fd[NR_THREADS];		/* the world of each thread */
	pthread_mutex_t lock;		/* protects tasks[] below */
	__u32 tasks[NR_THREADS][MAX_TASKS];
	int ntasks[NR_THREADS];
	atomic_long ok, failed, bad;
	atomic_int bad_errno, bad_op;
	atomic_long max_mounts;		/* most mounts alive in one world */
	atomic_long clears;		/* worlds started afresh past the cap */
	atomic_int clearing[NR_THREADS];	/* a thread reseeds that world */
	long ops;
	long mount_cap;			/* NSM_STRESS_MOUNTS */
};

struct worker {
	struct shared *s;
	int idx;			/* which world (tasks[idx]) */
	bool progress;			/* report progress (the first worker) */
	double t0;			/* when the workers started */
	unsigned long long rng;
};

static unsigned long long next_rand(struct worker *w)
{
	unsigned long long z = (w->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rand_below(struct worker *w, unsigned int n)
{
	return (unsigned int)(next_rand(w) % n);
}

static bool documented(long e)
{
	switch (e) {
	case EINVAL: case ESRCH: case ENOSPC: case ENOMEM: case EPERM:
	case EBADF: case ENOENT: case ENOTDIR: case EEXIST: case EBUSY:
	case EUSERS: case ELOOP: case EXDEV: case EACCES: case ENAMETOOLONG:
	case EROFS:	/* umount of one's root without MNT_DETACH: r/o */
	case EAGAIN:	/* MNT_EXPIRE */
		return true;
	}
	return false;
}

static __u32 pick_task(struct worker *w)
{
	struct shared *s = w->s;
	__u32 t = NSM_INIT_TASK;

	pthread_mutex_lock(&s->lock);
	if (s->ntasks[w->idx])
		t = s->tasks[w->idx][rand_below(w, (unsigned int)s->ntasks[w->idx])];
	pthread_mutex_unlock(&s->lock);
	return t;
}

/* Returns false when the table is full (the caller ends the task). */
static bool add_task(struct worker *w, __u32 id)
{
	struct shared *s = w->s;
	bool added = false;

	pthread_mutex_lock(&s->lock);
	if (s->ntasks[w->idx] < MAX_TASKS) {
		s->tasks[w->idx][s->ntasks[w->idx]++] = id;
		added = true;
	}
	pthread_mutex_unlock(&s->lock);
	return added;
}

/* Take a task out of the table (it is about to exit); 0 if none. */
static __u32 take_task(struct worker *w)
{
	struct shared *s = w->s;
	__u32 t = 0;
	int i, n;

	pthread_mutex_lock(&s->lock);
	n = s->ntasks[w->idx];
	if (n > 1) {
		i = 1 + (int)rand_below(w, (unsigned int)n - 1);
		t = s->tasks[w->idx][i];
		s->tasks[w->idx][i] = s->tasks[w->idx][--s->ntasks[w->idx]];
	}
	pthread_mutex_unlock(&s->lock);
	return t;
}

static const char *const paths[] = {
	"/a", "/b", "/a/x", "/b/y", "/c", "/a/x/z", "x", "..",
};

static const unsigned long long clone_flags[] = {
	0, 0, CLONE_NEWNS, CLONE_NEWUTS | CLONE_NEWIPC, CLONE_NEWPID,
	CLONE_NEWNET | CLONE_NEWCGROUP, CLONE_NEWUSER, CLONE_NEWUSER | CLONE_NEWNS,
	CLONE_NEWTIME, CLONE_FS, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS,
};

static const unsigned long long prop_flags[] = {
	MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE, MS_SHARED | MS_REC,
	MS_PRIVATE | MS_REC,
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Start the world of @w afresh: a new seed task, a CLONE_NEWNS child of
 * the world's init task (which the workers never touch, so its namespace
 * stays as the world made it), takes the place of every task in the
 * table, and those tasks exit, their namespaces with them (not the
 * world's initial ones: the world holds those until it closes, and
 * nothing here changes them).  Unmounting
 * cannot do this: a task that joins a mount namespace by setns gets as
 * root whatever is stacked on that namespace's root, and what lies
 * beneath is out of its reach, as in the kernel, yet still copied by each
 * CLONE_NEWNS.  The other threads go on meanwhile; the tasks they picked
 * may be gone (ESRCH), and exits race with their operations.
 */
static void reseed_world(struct worker *w, int fd)
{
	struct shared *s = w->s;
	__u32 old[MAX_TASKS];
	long seed;
	int i, n;

	seed = nsm_clone(fd, NSM_INIT_TASK, CLONE_NEWNS);
	if (seed <= 0)
		return;		/* ENOMEM, EAGAIN: the next check tries again */
	pthread_mutex_lock(&s->lock);
	n = s->ntasks[w->idx];
	memcpy(old, s->tasks[w->idx], sizeof(old[0]) * (size_t)n);
	s->tasks[w->idx][0] = (__u32)seed;
	s->ntasks[w->idx] = 1;
	pthread_mutex_unlock(&s->lock);
	for (i = 0; i < n; i++)
		nsm_exit(fd, old[i]);
	atomic_fetch_add(&s->clears, 1);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *s = w->s;
	int fd = s->fd[w->idx];
	long i, ret = 0;

	for (i = 0; i < s->ops; i++) {
		unsigned int op = rand_below(w, 15);
		__u32 t = pick_task(w);
		const char *p = paths[rand_below(w, 8)];
		const char *q = paths[rand_below(w, 8)];
		char *mi;

		switch (op) {
		case 0:
		case 1:
			ret = nsm_clone(fd, t, clone_flags[rand_below(w, 11)]);
			/* At most MAX_TASKS live tasks per world: bounded work. */
			if (ret > 0 && !add_task(w, (__u32)ret))
				ret = nsm_exit(fd, (__u32)ret);
			break;
		case 2:
		case 14:
			t = take_task(w);
			ret = t ? nsm_exit(fd, t) : 0;
			break;
		case 3:
			ret = nsm_unshare(fd, t, clone_flags[rand_below(w, 11)]);
			break;
		case 4:
			ret = nsm_setns_task(fd, t, pick_task(w),
					     clone_flags[rand_below(w, 11)] & ~(unsigned long long)CLONE_FS);
			break;
		case 5: {
			long h = nsm_ns_open(fd, t, rand_below(w, NSM_NS_KIND_MAX));

			ret = h;
			if (h >= 0) {
				ret = nsm_setns_fd(fd, pick_task(w), (int)h, 0);
				close((int)h);
			}
			break;
		}
		case 6:
			ret = nsm_mkdir(fd, t, p);
			break;
		case 7:
			ret = nsm_tmpfs(fd, t, p);
			break;
		case 8:
			/* Recursive binds double trees: not too often. */
			ret = rand_below(w, 8) ? nsm_bind(fd, t, q, p) :
			      nsm_rbind(fd, t, q, p);
			break;
		case 9:
			ret = nsm_umount(fd, t, p, rand_below(w, 3) ? 0 : MNT_DETACH);
			break;
		case 10:
			ret = nsm_make(fd, t, p, prop_flags[rand_below(w, 6)]);
			break;
		case 11:
			ret = nsm_mount(fd, t, q, p, NULL, MS_MOVE, NULL);
			break;
		case 12:
			mi = nsm_mountinfo(fd, t);
			ret = mi ? 0 : -errno;
			free(mi);
			break;
		case 13:
			ret = rand_below(w, 2) ? nsm_chdir(fd, t, p) :
			      nsm_sethostname(fd, t, "stress");
			break;
		}
		/*
		 * Now and then a task unmounts what it reaches, lazily, while
		 * the others work in the same trees.
		 */
		if (i % 64 == 63) {
			nsm_umount(fd, t, "/a", MNT_DETACH);
			nsm_umount(fd, t, "/b", MNT_DETACH);
			nsm_umount(fd, t, "/c", MNT_DETACH);
		}
		/* Progress of long runs: a line per 10,000 operations. */
		if (w->progress && i % 10000 == 9999)
			fprintf(stderr, "# stress: %ld operations per thread in %.0f s, at most %ld mounts in a world, %ld fresh starts\n",
				i + 1, now_s() - w->t0, (long)atomic_load(&s->max_mounts),
				(long)atomic_load(&s->clears));
		/* How big the trees get, and a cap on it (see the top). */
		if (i % 16 == 15) {
			/* detached mounts still pinned count too */
			long m = nsm_world_count(fd, NSM_OBJ_MOUNT);

			if (m > atomic_load(&s->max_mounts))
				atomic_store(&s->max_mounts, m);
			if (m > s->mount_cap &&
			    !atomic_exchange(&s->clearing[w->idx], 1)) {
				reseed_world(w, fd);
				atomic_store(&s->clearing[w->idx], 0);
			}
		}
		if (ret >= 0) {
			atomic_fetch_add(&s->ok, 1);
		} else if (documented(-ret)) {
			atomic_fetch_add(&s->failed, 1);
		} else {
			atomic_fetch_add(&s->bad, 1);
			atomic_store(&s->bad_errno, (int)-ret);
			atomic_store(&s->bad_op, (int)op);
		}
	}
	return NULL;
}

static long env_long(const char *name, long dflt)
{
	const char *e = getenv(name);

	return e && atol(e) > 0 ? atol(e) : dflt;
}

/* Is this mode wanted (NSM_STRESS_MODE unset, or naming it)? */
static bool mode_wanted(bool separate)
{
	const char *e = getenv("NSM_STRESS_MODE");

	return !e || !*e || !strcmp(e, separate ? "separate" : "one");
}

/* Run four workers; @separate: each in its own world, else all in one. */
static void run(struct __test_metadata *_metadata, bool separate)
{
	struct nsm_counters before;
	struct worker w[NR_THREADS];
	pthread_t th[NR_THREADS];
	struct shared *s;
	int mon, i, type;
	double t0, secs;
	long probe;

	if (!mode_wanted(separate))
		SKIP(return, "NSM_STRESS_MODE=%s", getenv("NSM_STRESS_MODE"));
	s = calloc(1, sizeof(*s));
	ASSERT_NE(NULL, s);
	pthread_mutex_init(&s->lock, NULL);
	s->ops = env_long("NSM_STRESS_OPS", 2000);
	s->mount_cap = env_long("NSM_STRESS_MOUNTS", 1000);
	mon = nsm_open();
	ASSERT_LE(0, mon);
	ASSERT_EQ(0, nsm_snapshot(mon, &before));
	probe = nsm_clone(mon, NSM_INIT_TASK, 0);
	ASSERT_LT(0, probe) {
		TH_LOG("CLONE: %s", strerror((int)-probe));
	}
	ASSERT_EQ(0, nsm_exit(mon, (__u32)probe));

	for (i = 0; i < NR_THREADS; i++) {
		s->fd[i] = (separate || i == 0) ? nsm_open() : s->fd[0];
		ASSERT_LE(0, s->fd[i]);
	}
	for (i = 0; i < NR_THREADS; i++) {
		w[i].s = s;
		w[i].idx = separate ? i : 0;
		w[i].rng = 0x5eed0000ULL + (unsigned long long)i;
	}
	/* Each world's first seed (see reseed_world()). */
	for (i = 0; i < NR_THREADS; i++) {
		long seed;

		if (!separate && i)
			break;
		seed = nsm_clone(s->fd[i], NSM_INIT_TASK, CLONE_NEWNS);
		ASSERT_LT(0, seed);
		s->tasks[i][0] = (__u32)seed;
		s->ntasks[i] = 1;
	}
	t0 = now_s();
	for (i = 0; i < NR_THREADS; i++) {
		w[i].t0 = t0;
		w[i].progress = i == 0;
	}
	for (i = 0; i < NR_THREADS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, worker_main, &w[i]));
	for (i = 0; i < NR_THREADS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	secs = now_s() - t0;

	TH_LOG("%d threads x %ld ops%s: %ld succeeded, %ld failed as allowed, in %.0f s (%.0f ops/s), at most %ld mounts in a world, started afresh %ld times past %ld",
	       NR_THREADS, s->ops, separate ? " (separate worlds)" : " (one world)",
	       (long)s->ok, (long)s->failed, secs,
	       secs > 0 ? NR_THREADS * s->ops / secs : 0.0,
	       (long)s->max_mounts, (long)s->clears, s->mount_cap);
	EXPECT_EQ(0, s->bad) {
		TH_LOG("%ld undocumented errnos, the last %d (%s) from op %d",
		       (long)s->bad, (int)s->bad_errno, strerror(s->bad_errno),
		       (int)s->bad_op);
	}
	/* The model did work, not only refuse. */
	EXPECT_LT(0, s->ok);

	for (i = 0; i < NR_THREADS; i++)
		if (separate || i == 0)
			close(s->fd[i]);
	type = nsm_unbalanced(mon, &before);
	EXPECT_EQ(-1, type) {
		TH_LOG("object type %d still alive after the worlds closed", type);
	}
	close(mon);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* No state of its own: the fixture is there for the longer timeout. */
FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

/*
 * On the debug kernel 4 x 5,000 operations take minutes, and the soak's
 * 4 x 100,000 hours: the runner's own time limit is the real bound.
 */
TEST_F_TIMEOUT(stress, four_threads_one_world, 6 * 3600)
{
	run(_metadata, false);
}

TEST_F_TIMEOUT(stress, four_threads_separate_worlds, 6 * 3600)
{
	run(_metadata, true);
}

TEST_HARNESS_MAIN
