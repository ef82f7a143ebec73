// SPDX-License-Identifier: GPL-2.0
/*
 * nsmbench: the model's copy_mnt_ns against the real kernel's, side by side.
 *
 * For each tree shape and size, the same mount tree is built twice in one
 * boot: with real bind mounts of one tmpfs inside a private mount namespace,
 * and with the model's ioctls in a world of /dev/nsmodel.  Then the real
 * unshare(CLONE_NEWNS) of a child and the model's clone(CLONE_NEWNS) are
 * timed alternately, and so are the teardowns (the real child's exit, the
 * model task's exit that frees its namespace).  Only ratios taken this way
 * mean anything: guest code under TCG runs many times slower than on metal.
 *
 * Output is CSV on stdout, one row per measurement:
 *	section,shape,n,backend,metric,median,min,max,unit
 * scripts/bench turns it into the Markdown table and the plot.
 *
 * Exit status: 0 done, 2 usage, 3 environment (no device, no privilege).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
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

enum shape { FLAT, DEEP, BALANCED, SHARED, NR_SHAPES };
static const char *const shape_name[NR_SHAPES] = {
	"flat", "deep", "balanced", "shared"
};

#define BASE		"/nsmbench"	/* the tree's tmpfs, in both backends */
#define FANOUT		4

static int reps = 5;
static int deep_cap = 1000;
/*
 * The real kernel builds N sibling mounts under one parent in quadratic
 * time (measured on a 6.18 host, no VM: 10,000 binds in 3.7 s, 40,000 in
 * 187 s; under TCG a flat 100,000 did not finish in 25 minutes), so flat
 * and shared trees stop here unless asked.  A balanced tree of 100,000
 * builds in 1.1 s on the same host and is not capped.
 */
static long flat_cap = 10000;
static int slabinfo_fd = -1;
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

static void report(const char *section, const char *shape, long n,
		   const char *backend, const char *metric, double *v, int nv,
		   const char *unit)
{
	double med;

	if (nv <= 0)
		return;
	qsort(v, nv, sizeof(*v), cmp_double);
	med = nv % 2 ? v[nv / 2] : (v[nv / 2 - 1] + v[nv / 2]) / 2;
	printf("%s,%s,%ld,%s,%s,%.9g,%.9g,%.9g,%s\n", section, shape, n,
	       backend, metric, med, v[0], v[nv - 1], unit);
	fflush(stdout);
}

static void report1(const char *section, const char *shape, long n,
		    const char *backend, const char *metric, double v,
		    const char *unit)
{
	report(section, shape, n, backend, metric, &v, 1, unit);
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
 * Build @n bind mounts of BASE/s in the given shape under BASE, which is a
 * fresh tmpfs.  BASE/s holds "a" (the chain's mount point) and c0..c3 (the
 * balanced tree's).  Returns the number of mounts actually made (the deep
 * chain stops at deep_cap).
 */
static long build_tree(struct backend *b, enum shape shape, long n)
{
	char path[256];
	long i, made = 0;
	char **queue;
	long head = 0, tail = 0;

	must(b->mkdir(b, BASE), "mkdir", BASE);
	must(b->mount(b, "none", BASE, "tmpfs", 0), "mount", BASE);
	if (shape == SHARED)
		must(b->mount(b, NULL, BASE, NULL, MS_SHARED), "share", BASE);
	must(b->mkdir(b, BASE "/s/a"), "mkdir", BASE "/s/a");
	for (i = 0; i < FANOUT; i++) {
		snprintf(path, sizeof(path), BASE "/s/c%ld", i);
		must(b->mkdir(b, path), "mkdir", path);
	}

	switch (shape) {
	case FLAT:
	case SHARED:
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), BASE "/d%ld", i);
			must(b->mkdir(b, path), "mkdir", path);
			must(b->mount(b, BASE "/s", path, NULL, MS_BIND),
			     "bind", path);
		}
		return n;
	case DEEP:
		/* each link is mounted on "a" of the one before, via cwd */
		must(b->mkdir(b, BASE "/x"), "mkdir", BASE "/x");
		must(b->chdir(b, BASE), "chdir", BASE);
		for (i = 0; i < n && i < deep_cap; i++) {
			const char *at = i ? "a" : "x";

			must(b->mount(b, BASE "/s", at, NULL, MS_BIND), "bind",
			     at);
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

/* ---- real kernel side ---- */

/* Active objects and object size of mnt_cache, from /proc/slabinfo. */
static int mnt_cache_objs(long *active, long *objsize)
{
	char buf[256];
	FILE *f;
	int found = 0;

	if (slabinfo_fd < 0)
		return -1;
	lseek(slabinfo_fd, 0, SEEK_SET);
	f = fdopen(dup(slabinfo_fd), "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f)) {
		if (!strncmp(buf, "mnt_cache ", 10)) {
			long num;

			found = sscanf(buf + 10, "%ld %ld %ld", active, &num,
				       objsize) == 3;
			break;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

/*
 * Time unshare(CLONE_NEWNS) in a child of the tree-holding process, then
 * the child's exit (which drops the copy).  The child reports its own
 * unshare time through a pipe; the parent times exit + reap.
 */
static void real_copy(double *copy, double *teardown, long *slab_delta)
{
	int tochild[2], fromchild[2];
	long a0 = 0, a1 = 0, osz = 0;
	double t, t0;
	pid_t pid;
	char c;

	if (pipe(tochild) || pipe(fromchild))
		die("pipe: %s", strerror(errno));
	mnt_cache_objs(&a0, &osz);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		close(tochild[1]);
		close(fromchild[0]);
		t0 = now();
		if (unshare(CLONE_NEWNS))
			_exit(1);
		t = now() - t0;
		if (write(fromchild[1], &t, sizeof(t)) != sizeof(t))
			_exit(1);
		if (read(tochild[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	if (read(fromchild[0], &t, sizeof(t)) != sizeof(t))
		die("real unshare(CLONE_NEWNS) failed");
	*copy = t;
	if (mnt_cache_objs(&a1, &osz) == 0)
		*slab_delta = (a1 - a0) * osz;
	else
		*slab_delta = -1;
	t0 = now();
	close(tochild[1]);
	waitpid(pid, NULL, 0);
	*teardown = now() - t0;
	close(tochild[0]);
	close(fromchild[0]);
	close(fromchild[1]);
}

/* ---- model side ---- */

static void model_copy(int fd, double *copy, double *teardown,
		       long *bytes_delta)
{
	struct nsm_counters c0, c1;
	double t0;
	long child;

	nsm_counters(fd, &c0);
	t0 = now();
	child = nsm_clone(fd, NSM_INIT_TASK, CLONE_NEWNS);
	*copy = now() - t0;
	if (child < 0)
		die("model clone(CLONE_NEWNS): %s", strerror((int)-child));
	nsm_counters(fd, &c1);
	*bytes_delta = (long)(c1.world_bytes - c0.world_bytes);
	t0 = now();
	if (nsm_exit(fd, (__u32)child) < 0)
		die("model exit failed");
	*teardown = now() - t0;
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

/*
 * One shape and size, in a forked process whose private mount namespace
 * holds the real tree, so that each size starts from nothing.
 */
static void bench_copy(enum shape shape, long n)
{
	double rc[64], rt[64], mc[64], mt[64], v[64];
	long slab = -1, bytes = 0, made_r, made_m, keeper = -1;
	int fd, i, k, r = reps > 64 ? 64 : reps;
	pid_t peer = -1;

	made_r = build_tree(&real_backend, shape, n);
	fd = model_open();
	model_backend.fd = fd;
	model_backend.task = NSM_INIT_TASK;
	made_m = build_tree(&model_backend, shape, n);
	if (made_r != made_m)
		die("trees differ: %ld real, %ld model mounts", made_r, made_m);

	if (shape == SHARED) {
		/* a second namespace holding a peer of every mount */
		peer = fork();
		if (!peer) {
			if (unshare(CLONE_NEWNS))
				_exit(1);
			pause();
			_exit(0);
		}
		keeper = nsm_clone(fd, NSM_INIT_TASK, CLONE_NEWNS);
		if (keeper < 0)
			die("model keeper: %s", strerror((int)-keeper));
		usleep(100000);
	}

	/* alternate the backends so that drift hits both alike */
	for (i = 0; i < r; i++) {
		long s, b;

		real_copy(&rc[i], &rt[i], &s);
		if (s >= 0)
			slab = s;
		model_copy(fd, &mc[i], &mt[i], &b);
		bytes = b;
	}
	for (k = 0; k < r; k++)
		v[k] = mc[k] / rc[k];
	report("copy", shape_name[shape], made_r, "ratio", "model/real", v, r,
	       "x");
	report("copy", shape_name[shape], made_r, "real", "unshare", rc, r,
	       "s");
	report("copy", shape_name[shape], made_r, "model", "clone", mc, r,
	       "s");
	report("teardown", shape_name[shape], made_r, "real", "exit", rt, r,
	       "s");
	report("teardown", shape_name[shape], made_r, "model", "exit", mt, r,
	       "s");
	/* +2: the namespace root and BASE's tmpfs are copied as well */
	report1("memory", shape_name[shape], made_r, "model", "bytes/mount",
		(double)bytes / (made_m + 2), "B");
	if (slab >= 0) {
		long act, osz;

		report1("memory", shape_name[shape], made_r, "real",
			"bytes/mount", (double)slab / (made_r + 2), "B");
		if (mnt_cache_objs(&act, &osz) == 0)
			report1("memory", shape_name[shape], made_r, "real",
				"objsize", (double)osz, "B");
	}

	if (shape == FLAT && n == 10000) {
		double t0, rv[64], mv[64];

		for (i = 0; i < r; i++) {
			t0 = now();
			real_mountinfo_len();
			rv[i] = now() - t0;
			t0 = now();
			model_mountinfo_len(fd);
			mv[i] = now() - t0;
		}
		report("mountinfo", "flat", n, "real", "read", rv, r, "s");
		report("mountinfo", "flat", n, "model", "read", mv, r, "s");
	}
	if (peer > 0) {
		kill(peer, SIGKILL);
		waitpid(peer, NULL, 0);
	}
	close(fd);
}

/* A mount under a shared mount with @p peers, then its umount. */
static void bench_fanout(long p)
{
	struct backend *bs[2] = { &real_backend, &model_backend };
	double mt[2][64], ut[2][64], t0;
	int fd = model_open(), i, k, r = reps > 64 ? 64 : reps;
	char path[64];

	model_backend.fd = fd;
	model_backend.task = NSM_INIT_TASK;
	for (k = 0; k < 2; k++) {
		struct backend *b = bs[k];

		must(b->mkdir(b, BASE), "mkdir", BASE);
		must(b->mount(b, "none", BASE, "tmpfs", 0), "mount", BASE);
		must(b->mkdir(b, BASE "/p/x"), "mkdir", BASE "/p/x");
		must(b->mount(b, "none", BASE "/p", "tmpfs", 0), "mount", "p");
		must(b->mkdir(b, BASE "/p/x"), "mkdir", BASE "/p/x");
		must(b->mount(b, NULL, BASE "/p", NULL, MS_SHARED), "share",
		     "p");
		for (i = 0; i < p; i++) {
			snprintf(path, sizeof(path), BASE "/q%d", i);
			must(b->mkdir(b, path), "mkdir", path);
			must(b->mount(b, BASE "/p", path, NULL, MS_BIND),
			     "bind", path);
		}
	}
	for (i = 0; i < r; i++) {
		for (k = 0; k < 2; k++) {
			struct backend *b = bs[k];

			t0 = now();
			must(b->mount(b, "none", BASE "/p/x", "tmpfs", 0),
			     "mount", "p/x");
			mt[k][i] = now() - t0;
			t0 = now();
			must(b->umount(b, BASE "/p/x"), "umount", "p/x");
			ut[k][i] = now() - t0;
		}
	}
	report("fanout", "peers", p, "real", "mount", mt[0], r, "s");
	report("fanout", "peers", p, "model", "mount", mt[1], r, "s");
	report("fanout", "peers", p, "real", "umount", ut[0], r, "s");
	report("fanout", "peers", p, "model", "umount", ut[1], r, "s");
	close(fd);
}

/* ---- fast paths ---- */

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

/*
 * Enter a private mount namespace and drop every other mount from it, so
 * that the real tree is all that a copy copies, as in a model world.
 */
static void real_setup(void)
{
	static const char *const drop[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug", "/sys", "/dev/pts",
		"/dev", "/proc", "/tmp", "/run",
	};
	FILE *f;
	unsigned int i;

	slabinfo_fd = open("/proc/slabinfo", O_RDONLY);
	dev_dirfd = open("/dev", O_PATH | O_DIRECTORY);
	proc_dirfd = open("/proc", O_PATH | O_DIRECTORY);
	if (dev_dirfd < 0 || proc_dirfd < 0)
		die("open /dev, /proc: %s", strerror(errno));
	f = fopen("/proc/sys/fs/mount-max", "w");
	if (f) {
		fprintf(f, "1000000\n");
		fclose(f);
	}
	f = fopen("/sys/module/nsmodel/parameters/mount_max", "w");
	if (f) {
		fprintf(f, "1000000\n");
		fclose(f);
	}
	if (unshare(CLONE_NEWNS))
		die("unshare(CLONE_NEWNS): %s", strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("make-rprivate: %s", strerror(errno));
	for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		umount2(drop[i], MNT_DETACH);
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
		"Time the model's copy_mnt_ns against the real kernel's.\n\n"
		"Options:\n"
		"  -s, --sizes LIST    tree sizes (default 10,100,1000,10000,100000)\n"
		"  -S, --shapes LIST   flat,deep,balanced,shared (default all)\n"
		"  -r, --reps N        repetitions per measurement (default 5)\n"
		"  -d, --deep-cap N    longest chain built (default 1000)\n"
		"  -f, --flat-cap N    largest flat and shared trees (default 10000:\n"
		"                      the real kernel builds siblings in quadratic time)\n"
		"  -q, --quick         small sizes and few iterations\n"
		"  -h, --help          this text\n\n"
		"Output: CSV rows section,shape,n,backend,metric,median,min,max,unit\n"
		"Exit status: 0 done, 2 usage error, 3 environment error.\n");
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "shapes", required_argument, NULL, 'S' },
		{ "reps", required_argument, NULL, 'r' },
		{ "deep-cap", required_argument, NULL, 'd' },
		{ "flat-cap", required_argument, NULL, 'f' },
		{ "quick", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long sizes[16] = { 10, 100, 1000, 10000, 100000 };
	long nsizes = 5, iters = 20000, peers[] = { 1, 10, 100, 1000 };
	bool want[NR_SHAPES] = { true, true, true, true };
	int c, s, i;

	while ((c = getopt_long(argc, argv, "s:S:r:d:f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			nsizes = parse_sizes(optarg, sizes, 16);
			if (nsizes <= 0)
				usage(stderr, EXIT_USAGE);
			break;
		case 'S':
			for (s = 0; s < NR_SHAPES; s++)
				want[s] = strstr(optarg, shape_name[s]);
			break;
		case 'r':
			reps = atoi(optarg);
			if (reps < 1)
				usage(stderr, EXIT_USAGE);
			break;
		case 'd':
			deep_cap = atoi(optarg);
			break;
		case 'f':
			flat_cap = atol(optarg);
			break;
		case 'q':
			nsizes = 3;
			iters = 2000;
			reps = 3;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, EXIT_USAGE);
		}
	}

	real_setup();
	printf("section,shape,n,backend,metric,median,min,max,unit\n");
	for (s = 0; s < NR_SHAPES; s++) {
		if (!want[s])
			continue;
		for (i = 0; i < nsizes; i++) {
			pid_t pid;
			int st;

			/* a chain longer than deep_cap is the capped one again */
			if (s == DEEP && i && sizes[i - 1] >= deep_cap)
				break;
			if ((s == FLAT || s == SHARED) && sizes[i] > flat_cap) {
				fprintf(stderr,
					"nsmbench: %s/%ld skipped (above --flat-cap %ld)\n",
					shape_name[s], sizes[i], flat_cap);
				continue;
			}
			pid = fork();

			if (pid < 0)
				die("fork: %s", strerror(errno));
			if (!pid) {
				if (unshare(CLONE_NEWNS))
					die("unshare: %s", strerror(errno));
				bench_copy(s, sizes[i]);
				_exit(0);
			}
			waitpid(pid, &st, 0);
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				die("%s/%ld failed", shape_name[s], sizes[i]);
		}
	}
	for (i = 0; i < 4; i++) {
		pid_t pid = fork();

		if (!pid) {
			if (unshare(CLONE_NEWNS))
				die("unshare: %s", strerror(errno));
			bench_fanout(peers[i]);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	bench_fastpath(iters);
	bench_threads(iters / 4);
	return 0;
}
