// SPDX-License-Identifier: GPL-2.0
/*
 * nsmbench: the model's mount namespace operations against the real
 * kernel's, side by side in one boot.
 *
 * For each tree shape and size the same mount tree is built twice: with
 * real mounts in a private mount namespace, and with the model's ioctls in
 * a world of /dev/nsmodel.  Both trees are checked to hold the same number
 * of mounts.  Then the same operation is timed on both sides, alternating
 * which side goes first, after warm-up runs that are thrown away:
 *
 *  copy      a task's unshare(CLONE_NEWNS) (or CLONE_NEWUSER | CLONE_NEWNS):
 *            real: in a forked child of the tree's owner; model:
 *            NSM_IOC_UNSHARE of a task cloned (untimed) just before.
 *  teardown  the exit of that task, until the copy's memory is really
 *            freed: real: exit, reap, and the RCU-deferred frees seen in
 *            mnt_cache; model: NSM_IOC_EXIT, which frees synchronously.
 *  memory    what the copy adds to slab, per-cpu and vmalloc memory
 *            (/proc/slabinfo, /proc/meminfo), per copied mount: the same
 *            measure on both sides, real object sizes, not requests.
 *  mountinfo reading the whole mount table.
 *  propagate a mount on a shared mount with P peers in P namespaces, and
 *            its umount.
 *  rbind     an rbind of N mounts onto a shared mount with a peer in
 *            another namespace, and its lazy umount.
 *  setns     setns() between two mount namespaces.
 *
 * Each measurement reports the median and its 95% confidence interval
 * (distribution-free, from order statistics); ratios are taken pair by
 * pair (model over real of the same repetition) and summarised the same
 * way.  Guest code under TCG runs many times slower than on metal, and the
 * host is shared: only the ratios mean anything.
 *
 * Output is CSV on stdout, one row per measurement:
 *	section,shape,n,backend,metric,median,lo95,hi95,reps,unit
 * scripts/bench turns it into Markdown tables and plots.
 *
 * Exit status: 0 done, 2 usage, 3 environment (no device, no privilege,
 * trees that differ).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "../selftests/nsm_helpers.h"

#define EXIT_USAGE	2
#define EXIT_ENV	3

enum shape { FLAT, DEEP, BALANCED, SHARED, SLAVE, USERNS, NR_SHAPES };
static const char *const shape_name[NR_SHAPES] = {
	"flat", "deep", "balanced", "shared", "slave", "userns"
};

#define BASE		"/nsmbench"	/* the tree's tmpfs, in both backends */
#define SRC		"/nsmsrc"	/* the bind source: a mount of its own */
#define FANOUT		4
#define MAXREPS		256

static int reps = 15;
static int warmup = 2;
static int deep_cap = 1000;
static long mountinfo_cap = 10000;	/* largest tree whose table is read */
/*
 * Without --sizes or --full, only the flat tree is built at sizes above
 * this: a copy of 100,000 mounts takes the TCG guest tens of seconds on
 * each side, 17 times over, some 12 minutes per shape.
 */
#define SMALL_MAX	10000
static int slabinfo_fd = -1;
static int meminfo_fd = -1;
static int dev_dirfd = -1;	/* /dev and /proc stay reachable after */
static int proc_dirfd = -1;	/* real_setup() detached their mounts */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "nsmbench: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_ENV);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The 95% confidence interval of the median of @n sorted values, free of
 * any assumption about their distribution: the k-th smallest and the k-th
 * largest value, for the largest k with P(Binomial(n, 1/2) < k) <= 2.5%.
 * With n = 15 that is the 4th and the 12th value (96.5%).  Below n = 6 no
 * such k exists and the interval is the whole range.
 */
static void median_ci(const double *v, int n, double *med, double *lo,
		      double *hi)
{
	double p = ldexp(1.0, -n), cdf = 0.0, c = 1.0;
	int k = 0, j;

	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	/* cdf = P(X <= j); k = number of j with P(X <= j) <= 0.025 */
	for (j = 0; j < n; j++) {
		cdf += c * p;
		if (cdf > 0.025)
			break;
		k = j + 1;
		c = c * (n - j) / (j + 1);
	}
	if (k < 1)
		k = 1;
	*lo = v[k - 1];
	*hi = v[n - k];
}

static void report(const char *section, const char *shape, long n,
		   const char *backend, const char *metric, double *v, int nv,
		   const char *unit)
{
	double med, lo, hi;

	if (nv <= 0)
		return;
	qsort(v, nv, sizeof(*v), cmp_double);
	median_ci(v, nv, &med, &lo, &hi);
	printf("%s,%s,%ld,%s,%s,%.9g,%.9g,%.9g,%d,%s\n", section, shape, n,
	       backend, metric, med, lo, hi, nv, unit);
	fflush(stdout);
}

static void report1(const char *section, const char *shape, long n,
		    const char *backend, const char *metric, double v,
		    const char *unit)
{
	report(section, shape, n, backend, metric, &v, 1, unit);
}

/*
 * Where the wall time goes, on stderr (scripts/bench keeps only the CSV
 * rows): set-up, the measured loop and what it timed, the clean-up.
 */
static void phase(const char *what, const char *shape, long n, double s)
{
	fprintf(stderr, "nsmbench: %s/%ld: %s %.1f s\n", shape, n, what, s);
}

/* model over real, repetition by repetition, into @out */
static void ratios(const double *model, const double *real, int n,
		   double *out)
{
	int i;

	for (i = 0; i < n; i++)
		out[i] = model[i] / real[i];
}

/* ---- one interface, two backends ---- */

struct backend {
	const char *name;
	int fd;			/* model: the world */
	__u32 task;		/* model: the task that builds the tree */
	int (*mkdir)(struct backend *b, const char *path);
	int (*mount)(struct backend *b, const char *src, const char *dst,
		     const char *type, unsigned long flags);
	int (*umount)(struct backend *b, const char *path);
	int (*chdir)(struct backend *b, const char *path);
};

/* mkdir -p, as the model's NSM_IOC_MKDIR */
static int real_mkdir(struct backend *b __attribute__((unused)), const char *path)
{
	char buf[256];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -errno : 0;
}

static int real_mount(struct backend *b __attribute__((unused)), const char *src, const char *dst,
		      const char *type, unsigned long flags)
{
	return mount(src, dst, type, flags, NULL) ? -errno : 0;
}

static int real_umount(struct backend *b __attribute__((unused)), const char *path)
{
	return umount2(path, 0) ? -errno : 0;
}

static int real_chdir(struct backend *b __attribute__((unused)), const char *path)
{
	return chdir(path) ? -errno : 0;
}

static int model_mkdir(struct backend *b, const char *path)
{
	long r = nsm_mkdir(b->fd, b->task, path);

	return r == -EEXIST ? 0 : (int)r;
}

static int model_mount(struct backend *b, const char *src, const char *dst,
		       const char *type, unsigned long flags)
{
	return (int)nsm_mount(b->fd, b->task, src, dst, type, flags, NULL);
}

static int model_umount(struct backend *b, const char *path)
{
	return (int)nsm_umount(b->fd, b->task, path, 0);
}

static int model_chdir(struct backend *b, const char *path)
{
	return (int)nsm_chdir(b->fd, b->task, path);
}

static struct backend real_backend = {
	.name = "real", .mkdir = real_mkdir, .mount = real_mount,
	.umount = real_umount, .chdir = real_chdir,
};

static struct backend model_backend = {
	.name = "model", .mkdir = model_mkdir, .mount = model_mount,
	.umount = model_umount, .chdir = model_chdir,
};

static void must(int err, const char *what, const char *path)
{
	if (err)
		die("%s %s: %s", what, path, strerror(-err));
}


/*
 * The common start of every tree: BASE, a fresh tmpfs, holding "s" with
 * "a" (the chain's mount point) and c0..c3 (the balanced tree's), and
 * SRC, a tmpfs of its own with nothing mounted below it.  Binds come from
 * SRC where the shape allows: binding from a mount with many children
 * makes the kernel (and the model) check all of them on every bind
 * (has_locked_children()), which would make building a flat tree
 * quadratic on both sides.
 */
static void build_base(struct backend *b)
{
	char path[64];
	int i;

	must(b->mkdir(b, BASE), "mkdir", BASE);
	must(b->mount(b, "none", BASE, "tmpfs", 0), "mount", BASE);
	must(b->mkdir(b, SRC), "mkdir", SRC);
	must(b->mount(b, "none", SRC, "tmpfs", 0), "mount", SRC);
	must(b->mkdir(b, SRC "/a"), "mkdir", SRC "/a");
	must(b->mkdir(b, BASE "/s/a"), "mkdir", BASE "/s/a");
	for (i = 0; i < FANOUT; i++) {
		snprintf(path, sizeof(path), BASE "/s/c%d", i);
		must(b->mkdir(b, path), "mkdir", path);
	}
}

/* @n binds of SRC at @dir/d0..d(n-1), each its own peer group if @share */
static void build_flat(struct backend *b, const char *dir, long n, bool share)
{
	char path[256];
	long i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/d%ld", dir, i);
		must(b->mkdir(b, path), "mkdir", path);
		must(b->mount(b, SRC, path, NULL, MS_BIND), "bind", path);
		if (share)
			must(b->mount(b, NULL, path, NULL, MS_SHARED), "share",
			     path);
	}
}

/* make every flat mount a slave of its peer (now its master) elsewhere */
static void enslave_flat(struct backend *b, long n)
{
	char path[256];
	long i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), BASE "/d%ld", i);
		must(b->mount(b, NULL, path, NULL, MS_SLAVE), "slave", path);
	}
}

/*
 * Build @n mounts in the given shape.  Returns the number of mounts made
 * (the deep chain stops at deep_cap).  Shapes whose mounts have peers or
 * masters in another namespace get them in a second step, once that
 * namespace exists (enslave_flat()).
 */
static long build_tree(struct backend *b, enum shape shape, long n)
{
	char path[256];
	long i, made = 0;
	char **queue;
	long head = 0, tail = 0;

	build_base(b);
	switch (shape) {
	case FLAT:
		build_flat(b, BASE, n, false);
		return n;
	case SHARED:
	case SLAVE:
	case USERNS:
		build_flat(b, BASE, n, true);
		return n;
	case DEEP:
		/* each link is mounted on "a" of the one before, via cwd */
		must(b->mkdir(b, BASE "/x"), "mkdir", BASE "/x");
		must(b->chdir(b, BASE), "chdir", BASE);
		for (i = 0; i < n && i < deep_cap; i++) {
			const char *at = i ? "a" : "x";

			must(b->mount(b, SRC, at, NULL, MS_BIND), "bind", at);
			must(b->chdir(b, at), "chdir", at);
		}
		must(b->chdir(b, "/"), "chdir", "/");
		return i;
	case BALANCED:
		queue = calloc(n + 1, sizeof(*queue));
		if (!queue)
			die("out of memory");
		must(b->mkdir(b, BASE "/t"), "mkdir", BASE "/t");
		queue[tail++] = strdup(BASE "/t");
		while (made < n && head < tail) {
			char *p = queue[head++];

			must(b->mount(b, BASE "/s", p, NULL, MS_BIND), "bind", p);
			made++;
			for (i = 0; i < FANOUT && tail < n; i++) {
				snprintf(path, sizeof(path), "%s/c%ld", p, i);
				queue[tail++] = strdup(path);
			}
		}
		for (i = 0; i < tail; i++)
			free(queue[i]);
		free(queue);
		return made;
	default:
		return 0;
	}
}

/* ---- memory, as the slab allocator and /proc/meminfo see it ---- */

static FILE *reopen(int fd)
{
	lseek(fd, 0, SEEK_SET);
	return fdopen(dup(fd), "r");
}

/*
 * Bytes in live slab objects (active objects times their real size, all
 * caches), plus per-cpu and vmalloc memory.  The difference of two calls
 * is what happened in between, whatever it was allocated from.
 */
static double mem_bytes(void)
{
	char buf[512], name[64];
	long act, num, osz;
	double total = 0;
	FILE *f;

	if (slabinfo_fd < 0 || meminfo_fd < 0)
		return -1;
	f = reopen(slabinfo_fd);
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "%63s %ld %ld %ld", name, &act, &num, &osz) == 4)
			total += (double)act * osz;
	fclose(f);
	f = reopen(meminfo_fd);
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		long kb;

		if (sscanf(buf, "Percpu: %ld kB", &kb) == 1 ||
		    sscanf(buf, "VmallocUsed: %ld kB", &kb) == 1)
			total += kb * 1024.0;
	}
	fclose(f);
	return total;
}

/* Active objects, objects per slab and object size of one slab cache. */
static int slab_cache(const char *cache, long *active, long *perslab,
		      long *objsize)
{
	char buf[512], name[64];
	long act, num, osz, per;
	FILE *f;
	int found = 0;

	if (slabinfo_fd < 0)
		return -1;
	f = reopen(slabinfo_fd);
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		if (sscanf(buf, "%63s %ld %ld %ld %ld", name, &act, &num, &osz,
			   &per) == 5 && !strcmp(name, cache)) {
			*active = act;
			*perslab = per;
			*objsize = osz;
			found = 1;
			break;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

static long real_mount_count(void)
{
	char buf[65536];
	long n = 0;
	ssize_t r, i;
	int fd = openat(proc_dirfd, "self/mountinfo", O_RDONLY);

	if (fd < 0)
		die("open mountinfo: %s", strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < r; i++)
			n += buf[i] == '\n';
	close(fd);
	return n;
}

/* ---- the copy: real side ---- */

struct sample {
	double copy, teardown, mem;
	long mounts;		/* mounts in the copy (warm-up runs only) */
	bool freed;		/* teardown saw the memory come back */
};

/*
 * One real copy: a forked child of the tree's owner unshares (timed by
 * itself), reports, and exits when told.  The parent times exit, reap and
 * the deferred frees: the kernel frees each struct mount after an RCU
 * grace period, so the teardown ends when mnt_cache is back to where it
 * was before the copy, give or take the objects SLUB keeps in per-cpu
 * slabs and per-cpu partial lists (which slabinfo counts as active): four
 * slabs per CPU.  Small copies fit in that slack, so for them this is the
 * exit and the reap; waiting stops after 5 seconds (reported).
 */
static void real_copy(unsigned long flags, bool count, struct sample *s)
{
	int tochild[2], fromchild[2];
	long a0 = 0, a1, per = 0, osz, slack;
	double t0, m0, buf[2];
	pid_t pid;
	char c;

	if (pipe(tochild) || pipe(fromchild))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		close(tochild[1]);
		close(fromchild[0]);
		/* the fork's own memory is not the copy's: wait for "go" */
		if (read(tochild[0], &c, 1) != 1)
			_exit(1);
		t0 = now();
		if (unshare(flags))
			_exit(1);
		buf[0] = now() - t0;
		buf[1] = count ? (double)real_mount_count() : 0;
		if (write(fromchild[1], buf, sizeof(buf)) != sizeof(buf))
			_exit(1);
		if (read(tochild[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(tochild[0]);
	close(fromchild[1]);
	slab_cache("mnt_cache", &a0, &per, &osz);
	m0 = mem_bytes();
	c = 0;
	if (write(tochild[1], &c, 1) != 1)
		die("real copy: %s", strerror(errno));
	if (read(fromchild[0], buf, sizeof(buf)) != sizeof(buf))
		die("real unshare(%#lx) failed", flags);
	s->copy = buf[0];
	s->mounts = (long)buf[1];
	s->mem = mem_bytes() - m0;
	t0 = now();
	close(tochild[1]);
	waitpid(pid, NULL, 0);
	slack = 4 * per * sysconf(_SC_NPROCESSORS_ONLN);
	s->freed = false;
	do {
		if (slab_cache("mnt_cache", &a1, &per, &osz) ||
		    a1 <= a0 + slack) {
			s->freed = true;
			break;
		}
		usleep(200);
	} while (now() - t0 < 5);
	s->teardown = now() - t0;
	close(fromchild[0]);
}

/* ---- the copy: model side ---- */

static void model_copy(int fd, unsigned long flags, struct sample *s)
{
	struct nsm_counters c0, c1, c2;
	double t0, m0;
	long task, r;

	task = nsm_clone(fd, NSM_INIT_TASK, 0);
	if (task < 0)
		die("model clone: %s", strerror((int)-task));
	nsm_counters(fd, &c0);
	m0 = mem_bytes();
	t0 = now();
	r = nsm_unshare(fd, (__u32)task, flags);
	s->copy = now() - t0;
	if (r < 0)
		die("model unshare(%#lx): %s", flags, strerror((int)-r));
	s->mem = mem_bytes() - m0;
	nsm_counters(fd, &c1);
	s->mounts = (long)(c1.world[NSM_OBJ_MOUNT] - c0.world[NSM_OBJ_MOUNT]);
	t0 = now();
	if (nsm_exit(fd, (__u32)task) < 0)
		die("model exit failed");
	s->teardown = now() - t0;
	nsm_counters(fd, &c2);
	/* the model frees synchronously: everything is back at once */
	s->freed = c2.world[NSM_OBJ_MOUNT] == c0.world[NSM_OBJ_MOUNT] &&
		   c2.world[NSM_OBJ_MNT_NS] == c0.world[NSM_OBJ_MNT_NS];
}

static int model_open(void)
{
	int fd = openat(dev_dirfd, NSM_DEVICE_NAME, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", NSM_DEV_PATH, strerror(errno));
	return fd;
}

/* Read a model task's mountinfo whole; returns its length. */
static long model_mountinfo_len(int fd)
{
	char *s = nsm_mountinfo(fd, NSM_INIT_TASK);
	long n;

	if (!s)
		die("model mountinfo: %s", strerror(errno));
	n = (long)strlen(s);
	free(s);
	return n;
}

static long real_mountinfo_len(void)
{
	char buf[65536];
	long n = 0;
	ssize_t r;
	int fd = openat(proc_dirfd, "self/mountinfo", O_RDONLY);

	if (fd < 0)
		die("open mountinfo: %s", strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		n += r;
	close(fd);
	return n;
}

/* A real process that holds a copy of the caller's mount namespace. */
static pid_t real_keeper(void)
{
	int ready[2];
	pid_t pid;
	char c = 0;

	if (pipe(ready))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		close(ready[0]);
		if (unshare(CLONE_NEWNS))
			_exit(1);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		die("real keeper failed");
	close(ready[0]);
	return pid;
}

static void real_reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static long model_keeper(int fd)
{
	long k = nsm_clone(fd, NSM_INIT_TASK, CLONE_NEWNS);

	if (k < 0)
		die("model keeper: %s", strerror((int)-k));
	return k;
}

/* A tree built on both sides: the model's world, its size, its peer. */
struct tree {
	int fd;			/* the model's world */
	long made;		/* mounts built, on each side */
	pid_t peer;		/* real: the namespace holding the peers */
};

/*
 * Build the tree of @shape with @n mounts on both sides, in the caller's
 * private mount namespace and in a new world, and check that they match.
 * The peered shapes (shared, slave, userns) get the second namespace with
 * a peer of every mount; making them slaves is enslave_both()'s.
 */
static void tree_build(enum shape shape, long n, struct tree *t)
{
	const char *sh = shape_name[shape];
	long made_m;
	double t0;

	t0 = now();
	t->made = build_tree(&real_backend, shape, n);
	phase("build real", sh, n, now() - t0);
	t->fd = model_open();
	model_backend.fd = t->fd;
	model_backend.task = NSM_INIT_TASK;
	t0 = now();
	made_m = build_tree(&model_backend, shape, n);
	phase("build model", sh, n, now() - t0);
	if (t->made != made_m)
		die("trees differ: %ld real, %ld model mounts", t->made, made_m);
	t->peer = -1;
	if (shape == SHARED || shape == SLAVE || shape == USERNS) {
		/* a second namespace holding a peer of every mount */
		t0 = now();
		t->peer = real_keeper();
		model_keeper(t->fd);
		phase("peers", sh, n, now() - t0);
	}
}

/* the shared flat tree's mounts become slaves of their peers, both sides */
static void enslave_both(long n)
{
	double t0 = now();

	enslave_flat(&real_backend, n);
	enslave_flat(&model_backend, n);
	phase("enslave", "slave", n, now() - t0);
}

static void tree_free(const char *sh, long n, struct tree *t)
{
	double t0 = now();

	real_reap(t->peer);
	close(t->fd);
	phase("model world freed", sh, n, now() - t0);
}

/*
 * Time the copy of the tree @t, built for @shape from @n mounts: warm-up
 * runs first (they check that both copies hold as many mounts), then the
 * measured repetitions, the two sides alternating; then the mountinfo
 * reads of trees up to mountinfo_cap.
 */
static void copy_measure(enum shape shape, long n, struct tree *t)
{
	static double rc[MAXREPS], rt[MAXREPS], rm[MAXREPS];
	static double mc[MAXREPS], mt[MAXREPS], mm[MAXREPS], v[MAXREPS];
	unsigned long flags = CLONE_NEWNS;
	const char *sh = shape_name[shape];
	long made_r = t->made, mounts = 0;
	int fd = t->fd, i, k = 0, notfreed = 0;
	double t0, timed = 0;

	if (shape == USERNS)
		flags |= CLONE_NEWUSER;
	t0 = now();
	/* alternate the order of the backends so that drift hits both */
	for (i = 0; i < warmup + reps && k < MAXREPS; i++) {
		struct sample r, m;
		bool warm = i < warmup;

		if (i % 2) {
			model_copy(fd, flags, &m);
			real_copy(flags, warm, &r);
		} else {
			real_copy(flags, warm, &r);
			model_copy(fd, flags, &m);
		}
		if (warm) {
			if (r.mounts != m.mounts)
				die("%s/%ld: the real copy has %ld mounts, the model's %ld",
				    sh, n, r.mounts, m.mounts);
			mounts = m.mounts;
			continue;
		}
		if (!r.freed || !m.freed)
			notfreed++;
		rc[k] = r.copy;
		rt[k] = r.teardown;
		rm[k] = r.mem / mounts;
		mc[k] = m.copy;
		mt[k] = m.teardown;
		mm[k] = m.mem / mounts;
		timed += r.copy + r.teardown + m.copy + m.teardown;
		k++;
	}
	phase("copies", sh, n, now() - t0);
	phase("copies timed", sh, n, timed);
	report1("copy", sh, made_r, "both", "mounts", (double)mounts, "mounts");
	ratios(mc, rc, k, v);
	report("copy", sh, made_r, "ratio", "model/real", v, k, "x");
	report("copy", sh, made_r, "real", "unshare", rc, k, "s");
	report("copy", sh, made_r, "model", "unshare", mc, k, "s");
	ratios(mt, rt, k, v);
	report("teardown", sh, made_r, "ratio", "model/real", v, k, "x");
	report("teardown", sh, made_r, "real", "exit", rt, k, "s");
	report("teardown", sh, made_r, "model", "exit", mt, k, "s");
	if (notfreed)
		report1("teardown", sh, made_r, "both", "not-freed",
			notfreed, "runs");
	report("memory", sh, made_r, "real", "bytes/mount", rm, k, "B");
	report("memory", sh, made_r, "model", "bytes/mount", mm, k, "B");

	if (made_r <= mountinfo_cap) {
		double rv[MAXREPS], mv[MAXREPS];
		long lr = 0, lm = 0;

		t0 = now();
		for (i = 0; i < warmup + reps && i - warmup < MAXREPS; i++) {
			double a, b;

			t0 = now();
			lr = real_mountinfo_len();
			a = now() - t0;
			t0 = now();
			lm = model_mountinfo_len(fd);
			b = now() - t0;
			if (i >= warmup) {
				rv[i - warmup] = a;
				mv[i - warmup] = b;
			}
		}
		k = i - warmup;
		ratios(mv, rv, k, v);
		report("mountinfo", sh, made_r, "ratio", "model/real", v, k, "x");
		report("mountinfo", sh, made_r, "real", "read", rv, k, "s");
		report("mountinfo", sh, made_r, "model", "read", mv, k, "s");
		report1("mountinfo", sh, made_r, "real", "length", lr, "B");
		report1("mountinfo", sh, made_r, "model", "length", lm, "B");
		phase("mountinfo", sh, n, now() - t0);
	}
}

/*
 * One shape and size, in a forked process whose private mount namespace
 * holds the real tree, so that each size starts from nothing.
 */
static void bench_copy(enum shape shape, long n)
{
	struct tree t;

	tree_build(shape, n, &t);
	if (shape == SLAVE)
		enslave_both(n);
	copy_measure(shape, n, &t);
	tree_free(shape_name[shape], n, &t);
}

static bool want[NR_SHAPES] = { true, true, true, true, true, true };

/*
 * The peered shapes of one size on one tree: shared and userns copy the
 * same tree (flat, every mount with a peer in a second namespace), and
 * slave is that tree once its mounts are made slaves of those peers.
 * Building it once instead of three times is the same tree each shape
 * would have built, copied after the other shapes' copies were freed.
 */
static void bench_copy_peered(long n)
{
	static const enum shape order[] = { SHARED, USERNS, SLAVE };
	struct tree t;
	unsigned int i;

	tree_build(SHARED, n, &t);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!want[order[i]])
			continue;
		if (order[i] == SLAVE)
			enslave_both(n);
		copy_measure(order[i], n, &t);
	}
	tree_free("peered", n, &t);
}

/*
 * Propagation: a shared tmpfs BASE/p with @p peers, one in each of @p
 * namespaces (the caller's and p - 1 copies); a tmpfs mounted on BASE/p/x
 * appears in all of them, and its umount takes all of them away.
 */
static void bench_propagate(long p)
{
	static double t[2][2][MAXREPS], v[MAXREPS];
	struct backend *bs[2] = { &real_backend, &model_backend };
	int fd = model_open(), i, j, k, ready[2];
	pid_t holder;
	double t0;
	char c = 0;

	model_backend.fd = fd;
	model_backend.task = NSM_INIT_TASK;
	for (k = 0; k < 2; k++) {
		struct backend *b = bs[k];

		build_base(b);
		must(b->mkdir(b, BASE "/p"), "mkdir", BASE "/p");
		must(b->mount(b, "none", BASE "/p", "tmpfs", 0), "mount", "p");
		must(b->mkdir(b, BASE "/p/x"), "mkdir", BASE "/p/x");
		must(b->mount(b, NULL, BASE "/p", NULL, MS_SHARED), "share",
		     "p");
	}
	/* one real process holds p - 1 namespaces through their nsfs files */
	t0 = now();
	if (pipe(ready))
		die("pipe: %s", strerror(errno));
	holder = fork();
	if (!holder) {
		close(ready[0]);
		for (i = 0; i < p - 1; i++)
			if (unshare(CLONE_NEWNS) ||
			    openat(proc_dirfd, "self/ns/mnt", O_RDONLY) < 0)
				_exit(1);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		die("real namespaces for propagation failed");
	close(ready[0]);
	phase("peers real", "propagate", p, now() - t0);
	t0 = now();
	for (i = 0; i < p - 1; i++)
		model_keeper(fd);
	phase("peers model", "propagate", p, now() - t0);

	for (i = 0; i < warmup + reps && i - warmup < MAXREPS; i++) {
		for (j = 0; j < 2; j++) {
			struct backend *b = bs[(i + j) % 2];
			int side = (i + j) % 2;
			double t1, t2;

			t0 = now();
			must(b->mount(b, "none", BASE "/p/x", "tmpfs", 0),
			     "mount", "p/x");
			t1 = now();
			must(b->umount(b, BASE "/p/x"), "umount", "p/x");
			t2 = now();
			if (i >= warmup) {
				t[side][0][i - warmup] = t1 - t0;
				t[side][1][i - warmup] = t2 - t1;
			}
		}
	}
	k = i - warmup;
	ratios(t[1][0], t[0][0], k, v);
	report("propagate", "mount", p, "ratio", "model/real", v, k, "x");
	report("propagate", "mount", p, "real", "mount", t[0][0], k, "s");
	report("propagate", "mount", p, "model", "mount", t[1][0], k, "s");
	ratios(t[1][1], t[0][1], k, v);
	report("propagate", "umount", p, "ratio", "model/real", v, k, "x");
	report("propagate", "umount", p, "real", "umount", t[0][1], k, "s");
	report("propagate", "umount", p, "model", "umount", t[1][1], k, "s");
	t0 = now();
	real_reap(holder);
	close(fd);
	phase("peers freed", "propagate", p, now() - t0);
}

/*
 * An rbind of a tree of @n mounts (BASE/r and n binds below it) onto
 * BASE/p/x, where BASE/p is shared with a peer in another namespace: the
 * tree is copied twice, once for the target and once for its peer.  Then
 * the lazy umount of the copy, which propagates to the peer's copy.
 */
static void bench_rbind(long n)
{
	static double t[2][2][MAXREPS], v[MAXREPS];
	struct backend *bs[2] = { &real_backend, &model_backend };
	int fd = model_open(), i, j, k;
	pid_t peer;

	model_backend.fd = fd;
	model_backend.task = NSM_INIT_TASK;
	for (k = 0; k < 2; k++) {
		struct backend *b = bs[k];

		build_base(b);
		must(b->mkdir(b, BASE "/r"), "mkdir", BASE "/r");
		must(b->mount(b, "none", BASE "/r", "tmpfs", 0), "mount", "r");
		build_flat(b, BASE "/r", n, false);
		must(b->mkdir(b, BASE "/p"), "mkdir", BASE "/p");
		must(b->mount(b, "none", BASE "/p", "tmpfs", 0), "mount", "p");
		must(b->mkdir(b, BASE "/p/x"), "mkdir", BASE "/p/x");
		must(b->mount(b, NULL, BASE "/p", NULL, MS_SHARED), "share",
		     "p");
	}
	peer = real_keeper();
	model_keeper(fd);

	for (i = 0; i < warmup + reps && i - warmup < MAXREPS; i++) {
		for (j = 0; j < 2; j++) {
			int side = (i + j) % 2;
			struct backend *b = bs[side];
			double t0 = now(), t1, t2;

			must(b->mount(b, BASE "/r", BASE "/p/x", NULL,
				      MS_BIND | MS_REC), "rbind", "p/x");
			t1 = now();
			if (side)
				must((int)nsm_umount(fd, NSM_INIT_TASK,
						     BASE "/p/x", MNT_DETACH),
				     "umount -l", "p/x");
			else if (umount2(BASE "/p/x", MNT_DETACH))
				die("umount -l p/x: %s", strerror(errno));
			t2 = now();
			if (i >= warmup) {
				t[side][0][i - warmup] = t1 - t0;
				t[side][1][i - warmup] = t2 - t1;
			}
		}
	}
	k = i - warmup;
	ratios(t[1][0], t[0][0], k, v);
	report("rbind", "shared", n, "ratio", "model/real", v, k, "x");
	report("rbind", "shared", n, "real", "rbind", t[0][0], k, "s");
	report("rbind", "shared", n, "model", "rbind", t[1][0], k, "s");
	ratios(t[1][1], t[0][1], k, v);
	report("rbind", "umount-l", n, "ratio", "model/real", v, k, "x");
	report("rbind", "umount-l", n, "real", "umount", t[0][1], k, "s");
	report("rbind", "umount-l", n, "model", "umount", t[1][1], k, "s");
	real_reap(peer);
	close(fd);
}

/*
 * setns() into a mount namespace and back, @iters times per repetition,
 * between the caller's namespace and a copy (trees of a few mounts).
 */
static void bench_setns_mnt(long iters)
{
	static double rt[MAXREPS], mt[MAXREPS], v[MAXREPS];
	int fd = model_open(), nsfd[2], i, k;
	long a, b, j;
	pid_t peer;

	model_backend.fd = fd;
	model_backend.task = NSM_INIT_TASK;
	build_base(&real_backend);
	build_base(&model_backend);
	peer = real_keeper();
	nsfd[0] = openat(proc_dirfd, "self/ns/mnt", O_RDONLY);
	{
		char path[64];

		snprintf(path, sizeof(path), "%d/ns/mnt", (int)peer);
		nsfd[1] = openat(proc_dirfd, path, O_RDONLY);
	}
	if (nsfd[0] < 0 || nsfd[1] < 0)
		die("open ns/mnt: %s", strerror(errno));
	a = model_keeper(fd);
	b = nsm_clone(fd, NSM_INIT_TASK, 0);
	if (b < 0)
		die("model setns task: %s", strerror((int)-b));

	for (i = 0; i < warmup + reps && i - warmup < MAXREPS; i++) {
		double t0, tr, tm;

		t0 = now();
		for (j = 0; j < iters; j++)
			if (setns(nsfd[(j + 1) % 2], CLONE_NEWNS))
				die("setns(CLONE_NEWNS): %s", strerror(errno));
		tr = (now() - t0) / iters;
		t0 = now();
		for (j = 0; j < iters; j++)
			if (nsm_setns_task(fd, (__u32)b,
					   (__u32)(j % 2 ? NSM_INIT_TASK : a),
					   CLONE_NEWNS) < 0)
				die("model setns(CLONE_NEWNS) failed");
		tm = (now() - t0) / iters;
		if (i >= warmup) {
			rt[i - warmup] = tr;
			mt[i - warmup] = tm;
		}
	}
	k = i - warmup;
	ratios(mt, rt, k, v);
	report("setns", "mnt", iters, "ratio", "model/real", v, k, "x");
	report("setns", "mnt", iters, "real", "setns", rt, k, "s");
	report("setns", "mnt", iters, "model", "setns", mt, k, "s");
	close(nsfd[0]);
	close(nsfd[1]);
	real_reap(peer);
	close(fd);
}

/* ---- fast paths (single measurements of @iters operations) ---- */

static void bench_fastpath(long iters)
{
	int fd = model_open(), nsfd[2], i;
	double t0, t;
	long c, a, b;

	t0 = now();
	for (i = 0; i < iters; i++) {
		c = nsm_clone(fd, NSM_INIT_TASK, 0);
		if (c < 0 || nsm_exit(fd, (__u32)c) < 0)
			die("model clone/exit failed");
	}
	t = now() - t0;
	report1("fastpath", "clone+exit", iters, "model", "ops/s", iters / t,
		"ops/s");
	t0 = now();
	for (i = 0; i < iters; i++) {
		pid_t pid = fork();

		if (!pid)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
	t = now() - t0;
	report1("fastpath", "clone+exit", iters, "real", "ops/s", iters / t,
		"ops/s");

	/* setns between two uts namespaces */
	a = nsm_clone(fd, NSM_INIT_TASK, CLONE_NEWUTS);
	b = nsm_clone(fd, NSM_INIT_TASK, 0);
	if (a < 0 || b < 0)
		die("model setup for setns failed");
	t0 = now();
	for (i = 0; i < iters; i++)
		if (nsm_setns_task(fd, (__u32)b, (__u32)(i % 2 ? 1 : a),
				   CLONE_NEWUTS) < 0)
			die("model setns failed");
	t = now() - t0;
	report1("fastpath", "setns-uts", iters, "model", "ops/s", iters / t,
		"ops/s");
	close(fd);

	nsfd[0] = openat(proc_dirfd, "self/ns/uts", O_RDONLY);
	if (unshare(CLONE_NEWUTS))
		die("unshare uts: %s", strerror(errno));
	nsfd[1] = openat(proc_dirfd, "self/ns/uts", O_RDONLY);
	t0 = now();
	for (i = 0; i < iters; i++)
		if (setns(nsfd[i % 2], CLONE_NEWUTS))
			die("setns: %s", strerror(errno));
	t = now() - t0;
	report1("fastpath", "setns-uts", iters, "real", "ops/s", iters / t,
		"ops/s");
	close(nsfd[0]);
	close(nsfd[1]);
}

struct thread_arg {
	int fd;
	long iters;
};

static void *thread_fn(void *p)
{
	struct thread_arg *a = p;
	long i, c;

	for (i = 0; i < a->iters; i++) {
		c = nsm_clone(a->fd, NSM_INIT_TASK, 0);
		if (c < 0 || nsm_exit(a->fd, (__u32)c) < 0)
			die("threaded clone/exit failed");
	}
	return NULL;
}

static void bench_threads(long iters)
{
	static const int nthreads[] = { 1, 2, 4 };
	pthread_t th[4];
	struct thread_arg arg[4];
	int i, k, sep, shared_fd;
	double t0, t;

	for (sep = 0; sep < 2; sep++) {
		for (k = 0; k < 3; k++) {
			int nt = nthreads[k];

			shared_fd = model_open();
			for (i = 0; i < nt; i++) {
				arg[i].fd = sep ? model_open() : shared_fd;
				arg[i].iters = iters;
			}
			t0 = now();
			for (i = 0; i < nt; i++)
				pthread_create(&th[i], NULL, thread_fn, &arg[i]);
			for (i = 0; i < nt; i++)
				pthread_join(th[i], NULL);
			t = now() - t0;
			report1("threads", sep ? "separate-worlds" : "one-world",
				nt, "model", "ops/s", nt * iters / t, "ops/s");
			for (i = 0; i < nt; i++)
				if (sep)
					close(arg[i].fd);
			close(shared_fd);
		}
	}
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

/* mounts in a fresh copy of a fresh model world's namespace */
static long model_base_mounts(void)
{
	struct sample m;
	int fd = model_open();

	model_copy(fd, CLONE_NEWNS, &m);
	close(fd);
	return m.mounts;
}

/*
 * Enter a private mount namespace and drop every other mount from it, so
 * that the real tree is all that a copy copies, as in a model world.  A
 * model world starts with two mounts (a hidden rootfs and the tmpfs "/"
 * on it); the real namespace gets as many as it lacks (tmpfs mounts on
 * /nsmpadK), so that both copies hold the same number of mounts.
 */
static void real_setup(void)
{
	static const char *const drop[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug", "/sys", "/dev/pts",
		"/dev", "/proc", "/tmp", "/run",
	};
	unsigned int i;
	long pad;

	slabinfo_fd = open("/proc/slabinfo", O_RDONLY);
	meminfo_fd = open("/proc/meminfo", O_RDONLY);
	dev_dirfd = open("/dev", O_PATH | O_DIRECTORY);
	proc_dirfd = open("/proc", O_PATH | O_DIRECTORY);
	if (dev_dirfd < 0 || proc_dirfd < 0)
		die("open /dev, /proc: %s", strerror(errno));
	if (slabinfo_fd < 0 || meminfo_fd < 0)
		die("open /proc/slabinfo, /proc/meminfo: %s", strerror(errno));
	write_file("/proc/sys/fs/mount-max", "4000000\n");
	write_file("/sys/module/nsmodel/parameters/mount_max", "4000000\n");
	if (unshare(CLONE_NEWNS))
		die("unshare(CLONE_NEWNS): %s", strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("make-rprivate: %s", strerror(errno));
	for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		umount2(drop[i], MNT_DETACH);
	pad = model_base_mounts() - real_mount_count();
	for (i = 0; (long)i < pad; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/nsmpad%u", i);
		must(real_mkdir(NULL, path), "mkdir", path);
		must(real_mount(NULL, "none", path, "tmpfs", 0), "mount", path);
	}
	if (real_mount_count() != model_base_mounts())
		die("cannot give the real namespace the model's %ld mounts",
		    model_base_mounts());
}

static long parse_sizes(const char *s, long *out, int max)
{
	int n = 0;
	char *end;

	while (*s && n < max) {
		out[n++] = strtol(s, &end, 10);
		if (end == s || out[n - 1] <= 0)
			return -1;
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -1;
	}
	return n;
}

static void usage(FILE *f, int status)
{
	fprintf(f,
		"Usage: nsmbench [options]\n\n"
		"Time the model's mount namespace operations against the real kernel's.\n\n"
		"Options:\n"
		"  -s, --sizes LIST    tree sizes (default 100,1000,10000,100000)\n"
		"  -S, --shapes LIST   flat,deep,balanced,shared,slave,userns (default all)\n"
		"  -o, --ops LIST      propagate,rbind,setns,fastpath,threads (default all;\n"
		"                      \"none\" for none)\n"
		"  -p, --peers LIST    peer counts for propagate (default 1,10,100,1000)\n"
		"  -r, --reps N        measured repetitions (default 15, at most %d)\n"
		"  -w, --warmup N      repetitions thrown away first (default 2)\n"
		"  -d, --deep-cap N    longest chain built (default 1000)\n"
		"  -m, --mountinfo-cap N  largest tree whose mountinfo is read (default 10000)\n"
		"  -f, --full          every shape at every size (default: the flat tree\n"
		"                      only above %d mounts, unless --sizes is given)\n"
		"  -q, --quick         small sizes, 7 repetitions, short fast paths\n"
		"  -h, --help          this text\n\n"
		"Output: CSV rows section,shape,n,backend,metric,median,lo95,hi95,reps,unit\n"
		"Exit status: 0 done, 2 usage error, 3 environment error.\n", MAXREPS,
		SMALL_MAX);
	exit(status);
}

static void run_forked(void (*fn)(long), long arg, const char *what)
{
	double t0 = now();
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		if (unshare(CLONE_NEWNS))
			die("unshare: %s", strerror(errno));
		fn(arg);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("%s/%ld failed", what, arg);
	phase("all", what, arg, now() - t0);
}

static enum shape cur_shape;

static void copy_fn(long n)
{
	bench_copy(cur_shape, n);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "shapes", required_argument, NULL, 'S' },
		{ "ops", required_argument, NULL, 'o' },
		{ "peers", required_argument, NULL, 'p' },
		{ "reps", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "deep-cap", required_argument, NULL, 'd' },
		{ "mountinfo-cap", required_argument, NULL, 'm' },
		{ "full", no_argument, NULL, 'f' },
		{ "quick", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long sizes[16] = { 100, 1000, 10000, 100000 };
	long peers[16] = { 1, 10, 100, 1000 };
	long nsizes = 4, npeers = 4, iters = 20000, setns_iters = 200;
	const char *ops = "propagate,rbind,setns,fastpath,threads";
	bool all_sizes = false;
	int c, s, i;

	while ((c = getopt_long(argc, argv, "s:S:o:p:r:w:d:m:fqh", opts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			nsizes = parse_sizes(optarg, sizes, 16);
			if (nsizes <= 0)
				usage(stderr, EXIT_USAGE);
			all_sizes = true;
			break;
		case 'f':
			all_sizes = true;
			break;
		case 'S':
			for (s = 0; s < NR_SHAPES; s++)
				want[s] = strstr(optarg, shape_name[s]);
			break;
		case 'o':
			ops = optarg;
			break;
		case 'p':
			npeers = parse_sizes(optarg, peers, 16);
			if (npeers <= 0)
				usage(stderr, EXIT_USAGE);
			break;
		case 'r':
			reps = atoi(optarg);
			if (reps < 1 || reps > MAXREPS)
				usage(stderr, EXIT_USAGE);
			break;
		case 'w':
			warmup = atoi(optarg);
			if (warmup < 1)
				usage(stderr, EXIT_USAGE);
			break;
		case 'd':
			deep_cap = atoi(optarg);
			break;
		case 'm':
			mountinfo_cap = atol(optarg);
			break;
		case 'q':
			nsizes = 2;
			npeers = 3;
			iters = 2000;
			reps = 7;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, EXIT_USAGE);
		}
	}

	real_setup();
	printf("section,shape,n,backend,metric,median,lo95,hi95,reps,unit\n");
	for (s = 0; s < NR_SHAPES; s++) {
		bool peered = s == SHARED || s == SLAVE || s == USERNS;

		/* the peered shapes are run together, at the first of them */
		if (peered ? s != SHARED || !(want[SHARED] || want[SLAVE] ||
					      want[USERNS]) : !want[s])
			continue;
		cur_shape = s;
		for (i = 0; i < nsizes; i++) {
			/* a chain longer than deep_cap is the capped one again */
			if (s == DEEP && i && sizes[i - 1] >= deep_cap)
				break;
			if (!all_sizes && s != FLAT && sizes[i] > SMALL_MAX)
				break;
			if (s == SHARED)
				run_forked(bench_copy_peered, sizes[i],
					   "peered");
			else
				run_forked(copy_fn, sizes[i], shape_name[s]);
		}
	}
	if (strstr(ops, "propagate"))
		for (i = 0; i < npeers; i++)
			run_forked(bench_propagate, peers[i], "propagate");
	if (strstr(ops, "rbind"))
		for (i = 0; i < nsizes && sizes[i] <= 10000; i++)
			run_forked(bench_rbind, sizes[i], "rbind");
	if (strstr(ops, "setns"))
		run_forked(bench_setns_mnt, setns_iters, "setns");
	if (strstr(ops, "fastpath"))
		bench_fastpath(iters);
	if (strstr(ops, "threads"))
		bench_threads(iters / 4);
	return 0;
}
