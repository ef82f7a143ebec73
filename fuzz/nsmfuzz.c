// SPDX-License-Identifier: GPL-2.0
/*
 * nsmfuzz: a seeded, reproducible ioctl fuzzer for /dev/nsmodel.
 *
 * Each thread owns a few worlds and drives them with random sequences of
 * valid and hostile requests over every ioctl: random flags, task ids,
 * namespace handle fds (their own, other worlds', closed ones, fds that are
 * not handles), paths (long, empty, unterminated, with "..", embedded NULs),
 * argument sizes, bad, unmapped and kernel pointers, and read-only
 * argument structs.  After every step it checks what user space can see:
 *
 *  - a failure's errno is in the documented set (and is exactly the one the
 *    ABI promises where it promises one: ENOTTY, E2BIG, EINVAL, EFAULT);
 *  - a failed request left the world's counters exactly as they were
 *    (every error path unwinds);
 *  - no counter is ever negative, no output field looks like a kernel
 *    pointer, and no handle of one world is accepted by another;
 *  - with one thread: the module's counters are the sum of the live
 *    worlds', and closing a world (and its handles) takes exactly that
 *    world's objects out of them, down to zero at the end.
 *
 * A single-threaded run is a pure function of --seed and --ops, so a
 * failure prints the command line that replays it.  With --threads N the
 * threads race each other in the module (for lockdep and KASAN); each
 * thread's sequence is still seeded, but their interleaving is not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <linux/nsmodel.h>

/*
 * The highest ioctl number of the ABI: those above it must be ENOTTY.
 * (The gap 0x1b-0x1e, kept for fsopen and its kin, is below it: its
 * numbers are never made, as the real ones are not.)
 */
#define LAST_NR		_IOC_NR(NSM_IOC_PROFILE)

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif
#ifndef MNT_FORCE
#define MNT_FORCE	0x00000001
#define MNT_DETACH	0x00000002
#define MNT_EXPIRE	0x00000004
#endif
#ifndef UMOUNT_NOFOLLOW
#define UMOUNT_NOFOLLOW	0x00000008
#endif

#define MAX_WORLDS	4
#define MAX_TASKS	48
#define MAX_HANDLES	16
#define MAX_ORPHANS	32
#define PATH_BUF	9000
#define PAGE		4096
#define HIST		24

static const char usage_text[] =
"usage: nsmfuzz [--seed N] [--ops N] [--threads N] [--shared] [--worlds N]\n"
"               [--fault-pct N] [--failslab PCT] [--tap] [--verbose]\n"
"               [--no-kmsg] [--max-mounts N]\n"
"\n"
"Random valid and hostile requests to /dev/nsmodel, checking after each\n"
"step the invariants user space can see.  A failure prints its seed and\n"
"the command that replays it; the exit status is then 1.\n"
"\n"
"  --seed N       first seed (default: from the clock); thread T uses N+T\n"
"  --ops N        requests per thread (default 100000)\n"
"  --threads N    threads, each with its own worlds (default 1)\n"
"  --shared       all threads drive the same worlds (no exact checks)\n"
"  --worlds N     worlds per thread, 1-4 (default 2)\n"
"  --fault-pct N  percent of steps that arm the module's fault injection\n"
"                 (NSM_IOC_FAULT) first (default 2)\n"
"  --tap          print the result as a one-test TAP stream\n"
"  --verbose      print every request and its result\n"
"  --no-kmsg      do not watch /dev/kmsg for kernel reports after each\n"
"                 request (by default a report fails the run at once)\n"
"  --failslab PCT also fail PCT percent of the fuzzing threads' kmalloc\n"
"                 allocations in the kernel (CONFIG_FAILSLAB, debugfs)\n"
"  --max-mounts N a world grows (chains of up to 64 mounts, stacks, peer\n"
"                 groups of up to 1,000) until it has N mounts (10000)\n";

static __u64 opt_seed;
static __u64 opt_ops = 100000;
static int opt_threads = 1;
static int opt_worlds = 2;
static int opt_fault_pct = 2;
static int opt_max_mounts = 10000;	/* do_grow stops there */
static bool opt_shared, opt_tap, opt_verbose;
static bool exact;		/* one thread, own worlds: exact checks */

static atomic_int failed;
static atomic_ullong total_ops;
static atomic_ullong nr_ok, nr_err;
static atomic_ullong errno_hist[256];
static int monitor_fd = -1;
static int kmsg_fd = -1;
static bool opt_no_kmsg;
static int opt_failslab;		/* percent, 0: off */

static void make_it_fail(int on);
static int null_fd = -1;

/* ---- random numbers: splitmix64, one state per thread ---- */

struct rng {
	__u64 s;
};

static __u64 rnd(struct rng *r)
{
	__u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __u64 below(struct rng *r, __u64 n)
{
	return n ? rnd(r) % n : 0;
}

static bool pct(struct rng *r, int p)
{
	return (int)below(r, 100) < p;
}

/* ---- per-thread state ---- */

struct fworld {
	int fd;				/* -1: slot free */
	uint32_t tasks[MAX_TASKS];
	int ntasks;
	int handles[MAX_HANDLES];
	int nhandles;
	bool init_dead;			/* the world's init exited */
};

struct ctx {
	int tid;
	struct rng r;
	__u64 seed;
	__u64 op;
	struct fworld *w;		/* MAX_WORLDS of them, maybe shared */
	int orphans[MAX_ORPHANS];	/* handles whose world fd is closed */
	int norphans;
	int closed_fd;			/* an fd number recently closed */
	uint32_t dead_task;		/* a task id that exited */
	char *mem;			/* pages: rw, PROT_NONE, unmapped, read-only */
	char path[PATH_BUF];
	char path2[PATH_BUF];
	char fstype[300];
	char data[300];			/* mount options */
	__u64 deepest;			/* most allocations seen in armed steps */
	char what[160];			/* the current request, for reports */
	char hist[HIST][160];		/* the last requests and their results */
	long hist_ret[HIST];
	__u64 hist_op[HIST];
	unsigned int nhist;
	int fault_armed;		/* steps left with injection armed */
	struct fworld *fault_w;		/* the world it is armed in */
	bool partial_ok;		/* the request may fail half done */
};

static struct fworld shared_worlds[MAX_WORLDS];
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(struct ctx *c, const char *fmt, ...)
{
	char msg[512];
	unsigned int i;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	flockfile(stdout);
	printf("# nsmfuzz: FAIL thread %d seed %llu op %llu: %s: %s\n",
	       c->tid, c->seed, c->op, c->what, msg);
	for (i = c->nhist > HIST ? c->nhist - HIST : 0; i < c->nhist; i++)
		printf("# nsmfuzz:   op %llu: %s = %ld\n", c->hist_op[i % HIST],
		       c->hist[i % HIST], c->hist_ret[i % HIST]);
	if (opt_threads == 1)
		printf("# nsmfuzz: replay: nsmfuzz --seed %llu --ops %llu"
		       " --worlds %d --fault-pct %d\n", c->seed, c->op + 1,
		       opt_worlds, opt_fault_pct);
	else
		printf("# nsmfuzz: seeds %llu..%llu with %d threads%s (interleaving not reproducible)\n",
		       opt_seed, opt_seed + opt_threads - 1, opt_threads,
		       opt_shared ? " --shared" : "");
	fflush(stdout);
	funlockfile(stdout);
	atomic_fetch_add(&failed, 1);
}

/* ---- what the ABI allows ---- */

static bool errno_documented(int e)
{
	switch (e) {
	case EINVAL: case EFAULT: case E2BIG: case ENAMETOOLONG: case ESRCH:
	case ENOSPC: case ENOMEM: case EPERM: case EBADF: case ENOENT:
	case ENOTDIR: case EEXIST: case EBUSY: case EUSERS: case ELOOP:
	case EXDEV: case EACCES: case ENODEV: case EAGAIN: case EMFILE:
	case ENFILE: case ENOTEMPTY: case EROFS: case ENOTBLK: case ENOTTY:
	case ERANGE: case EISDIR:
		return true;
	default:
		return false;
	}
}

static bool looks_like_kernel_pointer(__u64 v)
{
	return v >= 0xffff800000000000ULL;
}

static long xioctl(int fd, unsigned long cmd, void *arg)
{
	long ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

static void note_result(struct ctx *c, long ret)
{
	unsigned int h = c->nhist++ % HIST;

	memcpy(c->hist[h], c->what, sizeof(c->what));
	c->hist_ret[h] = ret;
	c->hist_op[h] = c->op;
	if (ret >= 0) {
		atomic_fetch_add(&nr_ok, 1);
	} else {
		atomic_fetch_add(&nr_err, 1);
		if (-ret < 256)
			atomic_fetch_add(&errno_hist[-ret], 1);
	}
	if (opt_verbose)
		printf("# [%d] %llu %s = %ld%s%s\n", c->tid, c->op,
		       c->what, ret, ret < 0 ? " " : "",
		       ret < 0 ? strerror((int)-ret) : "");
}

/* Check a result against the documented errnos (and one exact one). */
static void check_ret(struct ctx *c, long ret, int want)
{
	note_result(c, ret);
	/* Shared worlds: another thread may have closed (and reused) the fd. */
	if (want && opt_shared && (ret == -EBADF || ret == -ENOTTY))
		want = 0;
	/* FAILSLAB: the argument buffer's allocation may fail first. */
	if (want && opt_failslab && ret == -ENOMEM)
		want = 0;
	if (want && ret != -want) {
		fail(c, "returned %ld (%s), the ABI says -%s", ret,
		     ret < 0 ? strerror((int)-ret) : "success", strerror(want));
		return;
	}
	if (ret < 0 && !errno_documented((int)-ret))
		fail(c, "undocumented errno %ld (%s)", -ret, strerror((int)-ret));
}

static int get_counters(int fd, struct nsm_counters *k)
{
	int tries = 0;

	do {
		memset(k, 0, sizeof(*k));
		k->size = sizeof(*k);
		if (ioctl(fd, NSM_IOC_COUNTERS, k) == 0)
			return 0;
		/* under --failslab the ioctl's own buffer may fail: again */
	} while (errno == ENOMEM && ++tries < 1000);
	return -errno;
}

static void check_counters_sane(struct ctx *c, const struct nsm_counters *k)
{
	int i;

	if (k->nr_types != NSM_OBJ_MAX)
		fail(c, "counters: nr_types %u", k->nr_types);
	for (i = 0; i < NSM_OBJ_SLOTS; i++) {
		if ((long long)k->world[i] < 0 || (long long)k->global[i] < 0)
			fail(c, "counters: type %d negative (world %lld, global %lld)",
			     i, (long long)k->world[i], (long long)k->global[i]);
		if (k->world[i] > k->global[i])
			fail(c, "counters: type %d world %llu > global %llu",
			     i, k->world[i], k->global[i]);
		if (i >= NSM_OBJ_MAX && (k->world[i] || k->global[i]))
			fail(c, "counters: unused slot %d is not zero", i);
	}
	if ((long long)k->world_bytes < 0 || k->world_bytes > k->global_bytes)
		fail(c, "counters: bytes world %lld global %lld",
		     (long long)k->world_bytes, (long long)k->global_bytes);
}

static bool same_world_counts(const struct nsm_counters *a,
			      const struct nsm_counters *b, int *type)
{
	int i;

	for (i = 0; i < NSM_OBJ_MAX; i++) {
		if (a->world[i] != b->world[i]) {
			*type = i;
			return false;
		}
	}
	*type = NSM_OBJ_MAX;
	return a->world_bytes == b->world_bytes;
}

/*
 * A kernel report (a WARN, a KASAN or lockdep splat) logged during the
 * request just made: the request is then the prime suspect, and the
 * failure carries its seed and history like any other.
 */
static void check_kmsg(struct ctx *c)
{
	static const char *const reports[] = {
		"WARNING:", "BUG:", "KASAN", "Oops", "refcount_t:",
		"list_add corruption", "list_del corruption", "ODEBUG",
		"circular locking", "inconsistent lock", "general protection",
		"UBSAN", "recursive locking",
	};
	char rec[2048];
	ssize_t n;
	size_t i;

	if (kmsg_fd < 0)
		return;
	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten: go on */
		if (n <= 0)
			return;
		rec[n] = '\0';
		for (i = 0; i < sizeof(reports) / sizeof(reports[0]); i++) {
			char *msg = strchr(rec, ';');

			if (msg && strstr(msg, reports[i])) {
				msg[strcspn(msg, "\n")] = '\0';
				fail(c, "kernel log:%s", msg + 1);
				break;
			}
		}
	}
}

/* ---- choosing arguments ---- */

static struct fworld *pick_world(struct ctx *c)
{
	int i, n = (int)below(&c->r, (__u64)opt_worlds);

	for (i = 0; i < opt_worlds; i++) {
		struct fworld *w = &c->w[(n + i) % opt_worlds];

		if (w->fd >= 0)
			return w;
	}
	return NULL;
}

static uint32_t pick_task(struct ctx *c, struct fworld *w)
{
	__u64 k = below(&c->r, 100);

	if (k < 70 && w->ntasks)
		return w->tasks[below(&c->r, (__u64)w->ntasks)];
	if (k < 82)
		return NSM_INIT_TASK;
	if (k < 86)
		return 0;
	if (k < 90)
		return c->dead_task;
	if (k < 95)
		return (uint32_t)below(&c->r, 200);
	return (uint32_t)rnd(&c->r);
}

/* With --shared, the bookkeeping of the worlds is shared too. */
static void state_lock(void)
{
	if (opt_shared)
		pthread_mutex_lock(&shared_lock);
}

static void state_unlock(void)
{
	if (opt_shared)
		pthread_mutex_unlock(&shared_lock);
}

static void add_task(struct fworld *w, uint32_t id)
{
	state_lock();
	if (w->ntasks < MAX_TASKS)
		w->tasks[w->ntasks++] = id;
	state_unlock();
}

static void drop_task(struct fworld *w, uint32_t id)
{
	int i;

	state_lock();
	for (i = 0; i < w->ntasks; i++) {
		if (w->tasks[i] == id) {
			w->tasks[i] = w->tasks[--w->ntasks];
			break;
		}
	}
	state_unlock();
}

/* A pointer that must not work: NULL-ish, kernel, PROT_NONE, unmapped. */
static __u64 bad_pointer(struct ctx *c)
{
	switch (below(&c->r, 6)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 0xffffffff81000000ULL;
	case 3: return (uintptr_t)(c->mem + PAGE + below(&c->r, PAGE));
	case 4: return (uintptr_t)(c->mem + 2 * PAGE + below(&c->r, PAGE));
	default: return 0x00007ffffffff000ULL + below(&c->r, PAGE);
	}
}

/* A string of @len non-NUL bytes ending at the PROT_NONE page: no NUL. */
static __u64 unterminated(struct ctx *c, size_t len)
{
	char *p = c->mem + PAGE - len;

	memset(p, 'u', len);
	return (uintptr_t)p;
}

static const char *const components[] = {
	"a", "b", "c", "mnt", "x", "..", ".", "", "tmp", "a/b", "d0", "d1",
};

/*
 * A path argument: mostly short plausible paths (so that mounts and
 * directories do pile up), sometimes hostile ones.
 */
static __u64 gen_path(struct ctx *c, char *buf)
{
	__u64 k = below(&c->r, 100);
	size_t len, i;
	int n;

	if (k < 3)
		return bad_pointer(c);
	if (k < 6)
		return unterminated(c, 1 + below(&c->r, 200));
	if (k < 8) {
		/* Right at the limits: NSM_PATH_MAX - 1, NSM_PATH_MAX, more. */
		static const size_t lens[] = { 254, 255, 256, 4094, 4095, 4096,
					       4097, 8191 };

		len = lens[below(&c->r, 8)];
		for (i = 0; i < len; i++)
			buf[i] = (i % 64 == 0) ? '/' : 'a' + (char)(i % 23 % 26);
		buf[len] = '\0';
		return (uintptr_t)buf;
	}
	if (k < 10) {
		/* A long chain of "..". */
		len = 0;
		n = 1 + (int)below(&c->r, 1200);
		while (n-- && len + 4 < PATH_BUF) {
			memcpy(buf + len, "../", 3);
			len += 3;
		}
		buf[len] = '\0';
		return (uintptr_t)buf;
	}
	if (k < 12) {
		buf[0] = '\0';
		return (uintptr_t)buf;
	}
	len = 0;
	if (pct(&c->r, 70))
		buf[len++] = '/';
	n = (int)below(&c->r, 4);
	for (i = 0; i <= (size_t)n; i++) {
		const char *s = components[below(&c->r, sizeof(components) /
						     sizeof(components[0]))];

		memcpy(buf + len, s, strlen(s));
		len += strlen(s);
		if (i < (size_t)n || pct(&c->r, 10))
			buf[len++] = '/';
	}
	buf[len] = '\0';
	if (len > 2 && pct(&c->r, 5))
		buf[below(&c->r, len)] = '\0';	/* an embedded NUL */
	return (uintptr_t)buf;
}

static __u64 gen_clone_flags(struct ctx *c)
{
	static const __u64 bits[] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID,
		CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_NEWUSER,
		CLONE_FS, CLONE_SYSVSEM,
	};
	__u64 f = 0;
	size_t i;

	if (pct(&c->r, 4))
		return rnd(&c->r);
	if (pct(&c->r, 4))
		return 1ULL << below(&c->r, 64);
	if (pct(&c->r, 25))
		return 0;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (pct(&c->r, bits[i] == CLONE_FS ? 10 : 18))
			f |= bits[i];
	return f;
}

static __u64 gen_ns_type(struct ctx *c)
{
	static const __u64 kinds[] = {
		0, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID,
		CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_NEWUSER,
	};

	if (pct(&c->r, 5))
		return rnd(&c->r);
	if (pct(&c->r, 20))
		return gen_clone_flags(c);
	return kinds[below(&c->r, 9)];
}

/* each of the flags path_mount() turns into MNT_* flags, at random */
static __u64 gen_mnt_flag_mix(struct ctx *c)
{
	static const __u64 mnt[] = {
		MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME,
		MS_NODIRATIME, MS_RELATIME, MS_STRICTATIME, MS_NOSYMFOLLOW,
		MS_SYNCHRONOUS, MS_LAZYTIME,
	};
	__u64 f = 0;
	unsigned int i;

	for (i = 0; i < sizeof(mnt) / sizeof(mnt[0]); i++)
		if (pct(&c->r, 30))
			f |= mnt[i];
	return f;
}

static __u64 gen_mount_flags(struct ctx *c)
{
	static const __u64 base[] = {
		0, MS_BIND, MS_BIND | MS_REC, MS_MOVE, MS_SHARED, MS_SLAVE,
		MS_PRIVATE, MS_UNBINDABLE, MS_REMOUNT, MS_REMOUNT | MS_BIND,
		MS_SHARED | MS_SLAVE, MS_BIND | MS_MOVE, MS_RDONLY,
	};
	static const __u64 opts[] = {
		MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME,
		MS_SILENT, MS_REC,
	};
	__u64 f;

	if (pct(&c->r, 4))
		return rnd(&c->r);
	if (pct(&c->r, 3))
		return 1ULL << below(&c->r, 64);
	f = base[below(&c->r, sizeof(base) / sizeof(base[0]))];
	if (pct(&c->r, 25))
		f |= opts[below(&c->r, sizeof(opts) / sizeof(opts[0]))];
	/* remounts: any combination of the per-mount and atime flags */
	if ((f & MS_REMOUNT) || pct(&c->r, 10)) {
		if (!(f & MS_REMOUNT) && pct(&c->r, 50))
			f |= MS_REMOUNT | (pct(&c->r, 50) ? MS_BIND : 0);
		f |= gen_mnt_flag_mix(c);
	}
	return f;
}

static __u64 gen_fstype(struct ctx *c)
{
	static const char *const types[] = {
		"tmpfs", "tmpfs", "tmpfs", "proc", "", "bogus", "ramfs",
	};

	if (pct(&c->r, 4))
		return bad_pointer(c);
	if (pct(&c->r, 3))
		return unterminated(c, 1 + below(&c->r, 300));
	if (pct(&c->r, 3)) {
		memset(c->fstype, 't', sizeof(c->fstype) - 1);
		c->fstype[sizeof(c->fstype) - 1] = '\0';
		return (uintptr_t)c->fstype;
	}
	if (pct(&c->r, 10))
		return 0;
	return (uintptr_t)types[below(&c->r, sizeof(types) / sizeof(types[0]))];
}

/*
 * An fd for setns or NS_INFO: one of this world's handles, another
 * world's, an orphan, a world fd, /dev/null, a closed fd, or junk.
 * *foreign says whether it is a handle of a world other than @w.
 */
static int pick_fd(struct ctx *c, struct fworld *w, bool *foreign)
{
	struct fworld *o;
	__u64 k = below(&c->r, 100);

	*foreign = false;
	if (k < 45 && w->nhandles)
		return w->handles[below(&c->r, (__u64)w->nhandles)];
	if (k < 60) {
		o = pick_world(c);
		if (o && o != w && o->nhandles) {
			*foreign = true;
			return o->handles[below(&c->r, (__u64)o->nhandles)];
		}
	}
	if (k < 68 && c->norphans) {
		*foreign = true;
		return c->orphans[below(&c->r, (__u64)c->norphans)];
	}
	if (k < 74)
		return w->fd;
	if (k < 78)
		return null_fd;
	if (k < 84)
		return c->closed_fd;
	if (k < 90)
		return -1;
	if (k < 95)
		return -(int)below(&c->r, 100) - 2;
	return (int)below(&c->r, 100000);
}

/*
 * The argument block: usually right, sometimes a struct size below
 * version 0, past the page limit, with a non-zero tail, placed across the
 * PROT_NONE page, or wholly in a read-only one.  Returns the pointer to
 * pass and sets *want to the errno the ABI promises for that shape (0:
 * whatever the handler says).
 */
static void *shape_args(struct ctx *c, void *args, size_t size, size_t ver0,
			int *want)
{
	static __thread unsigned char big[2 * PAGE];
	__u64 k = below(&c->r, 100);
	uint32_t *sz = args;

	*want = 0;
	if (k < 90)
		return args;
	if (k < 92) {
		*sz = (uint32_t)below(&c->r, ver0);
		*want = EINVAL;
		return args;
	}
	if (k < 94) {
		/* Larger than we know, zero tail: accepted as ours. */
		memset(big, 0, size + 64);
		memcpy(big, args, size);
		*(uint32_t *)big = (uint32_t)(size + 8 * (1 + below(&c->r, 7)));
		return big;
	}
	if (k < 95) {
		memset(big, 0, size + 64);
		memcpy(big, args, size);
		*(uint32_t *)big = (uint32_t)(size + 64);
		big[size + below(&c->r, 64)] = 0x5a;
		*want = E2BIG;
		return big;
	}
	if (k < 96) {
		*sz = PAGE + 1 + (uint32_t)below(&c->r, 1u << 20);
		*want = E2BIG;
		return args;
	}
	if (k < 98) {
		*want = EFAULT;
		return (void *)(uintptr_t)bad_pointer(c);
	}
	/* The size field readable, the rest of the struct in PROT_NONE. */
	if (k < 99) {
		size_t off = 4 + (size_t)below(&c->r, size - 4);
		unsigned char *p = (unsigned char *)c->mem + PAGE - off;

		memcpy(p, args, off);
		*want = EFAULT;
		return p;
	}
	/*
	 * The whole struct in a read-only page: input-only ioctls work,
	 * those with outputs fail with EFAULT having done nothing (which
	 * the counter check after every failed step sees).
	 */
	{
		unsigned char *p = (unsigned char *)c->mem + 4 * PAGE - size;

		mprotect(c->mem + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE);
		memcpy(p, args, size);
		mprotect(c->mem + 3 * PAGE, PAGE, PROT_READ);
		return p;
	}
}

/* Every u64 the model wrote back must not look like a kernel pointer. */
static void check_no_pointers(struct ctx *c, const void *p, size_t size)
{
	const unsigned char *b = p;
	size_t i;
	__u64 v;

	for (i = 0; i + 8 <= size; i += 8) {
		memcpy(&v, b + i, 8);
		if (looks_like_kernel_pointer(v))
			fail(c, "output offset %zu holds %#llx"
			     ", a kernel pointer?", i, v);
	}
}

static void add_handle(struct ctx *c, struct fworld *w, int fd)
{
	state_lock();
	if (w->nhandles == MAX_HANDLES) {
		int i = (int)below(&c->r, MAX_HANDLES);

		close(w->handles[i]);
		c->closed_fd = w->handles[i];
		w->handles[i] = fd;
	} else {
		w->handles[w->nhandles++] = fd;
	}
	state_unlock();
}

/* ---- worlds ---- */

static int open_world(struct ctx *c, struct fworld *w)
{
	w->fd = open("/dev/" NSM_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	w->ntasks = 0;
	w->nhandles = 0;
	w->init_dead = false;
	if (w->fd < 0) {
		snprintf(c->what, sizeof(c->what), "open /dev/nsmodel");
		if (errno == ENOMEM || errno == EMFILE)
			return -1;
		fail(c, "open: %s", strerror(errno));
		return -1;
	}
	w->tasks[w->ntasks++] = NSM_INIT_TASK;	/* (caller holds the state lock) */
	return 0;
}

/*
 * Close a world: maybe keep some of its handles open (orphans, which must
 * go on answering NS_INFO and be refused by every other world).  In exact
 * mode, check that the module-wide counters drop by exactly the world's.
 */
static void close_world(struct ctx *c, struct fworld *w, bool keep_orphans)
{
	struct nsm_counters before, after;
	bool check = exact && c->norphans == 0;
	int i, kept = 0;

	if (w->fd < 0)
		return;
	snprintf(c->what, sizeof(c->what), "close world fd %d", w->fd);
	if (check && get_counters(w->fd, &before) < 0) {
		fail(c, "COUNTERS: %s", strerror(errno));
		check = false;
	}
	for (i = 0; i < w->nhandles; i++) {
		if (keep_orphans && c->norphans < MAX_ORPHANS && pct(&c->r, 50)) {
			c->orphans[c->norphans++] = w->handles[i];
			kept++;
		} else {
			close(w->handles[i]);
			c->closed_fd = w->handles[i];
		}
	}
	w->nhandles = 0;
	close(w->fd);
	c->closed_fd = w->fd;
	w->fd = -1;
	if (!check || kept)
		return;
	if (get_counters(monitor_fd, &after) < 0) {
		fail(c, "COUNTERS on the monitor world: %s", strerror(errno));
		return;
	}
	for (i = 0; i < NSM_OBJ_MAX; i++) {
		if (after.global[i] != before.global[i] - before.world[i])
			fail(c, "type %d: %llu live before, world had %llu"
			     ", %llu after close", i, before.global[i],
			     before.world[i], after.global[i]);
	}
	if (after.global_bytes != before.global_bytes - before.world_bytes)
		fail(c, "bytes: %llu before, world had %llu, %llu"
		     " after close", before.global_bytes, before.world_bytes,
		     after.global_bytes);
}

static void drop_orphans(struct ctx *c)
{
	while (c->norphans) {
		c->norphans--;
		close(c->orphans[c->norphans]);
		c->closed_fd = c->orphans[c->norphans];
	}
}

/* Exact mode: the module holds the monitor's and our worlds, nothing else. */
static void check_global_sum(struct ctx *c)
{
	struct nsm_counters mon, k;
	__u64 sum[NSM_OBJ_MAX], bytes;
	int i, j;

	if (!exact || c->norphans)
		return;
	snprintf(c->what, sizeof(c->what), "sum of the worlds' counters");
	if (get_counters(monitor_fd, &mon) < 0)
		return fail(c, "COUNTERS: %s", strerror(errno));
	for (i = 0; i < NSM_OBJ_MAX; i++)
		sum[i] = mon.world[i];
	bytes = mon.world_bytes;
	for (j = 0; j < opt_worlds; j++) {
		if (c->w[j].fd < 0)
			continue;
		if (get_counters(c->w[j].fd, &k) < 0)
			return fail(c, "COUNTERS: %s", strerror(errno));
		for (i = 0; i < NSM_OBJ_MAX; i++)
			sum[i] += k.world[i];
		bytes += k.world_bytes;
	}
	for (i = 0; i < NSM_OBJ_MAX; i++)
		if (sum[i] != mon.global[i])
			fail(c, "type %d: the worlds hold %llu, the module counts %llu",
			     i, sum[i], mon.global[i]);
	if (bytes != mon.global_bytes)
		fail(c, "bytes: the worlds hold %llu, the module counts %llu",
		     bytes, mon.global_bytes);
}

/* ---- the requests ---- */

/*
 * The generic ioctls that fs/ioctl.c's do_vfs_ioctl() answers itself, for
 * any file, before the driver is asked (6.1 and 6.12): what they return
 * is the VFS's, not the module's ABI.
 */
#ifndef FS_IOC_GETFSUUID
#define FS_IOC_GETFSUUID	_IOC(_IOC_READ, 0x15, 0, 17)
#endif
#ifndef FS_IOC_GETFSSYSFSPATH
#define FS_IOC_GETFSSYSFSPATH	_IOC(_IOC_READ, 0x15, 1, 129)
#endif

static bool vfs_handles(unsigned long cmd)
{
	switch (cmd) {
	case FIOCLEX: case FIONCLEX: case FIONBIO: case FIOASYNC:
	case FIOQSIZE: case FIFREEZE: case FITHAW: case FS_IOC_FIEMAP:
	case FIGETBSZ: case FICLONE: case FICLONERANGE: case FIDEDUPERANGE:
	case FS_IOC_GETFLAGS: case FS_IOC_SETFLAGS: case FS_IOC_FSGETXATTR:
	case FS_IOC_FSSETXATTR: case FS_IOC_GETFSUUID:
	case FS_IOC_GETFSSYSFSPATH:
		return true;
	}
	return false;
}

static long do_raw(struct ctx *c, struct fworld *w)
{
	unsigned char buf[PAGE];
	unsigned long cmd;
	__u64 k = below(&c->r, 4);
	void *arg = buf;
	int fd = w->fd;
	long ret;

	memset(buf, 0, sizeof(buf));
	*(uint32_t *)buf = (uint32_t)below(&c->r, 1024);
	if (k == 0)
		cmd = _IO(NSM_IOC_MAGIC, LAST_NR + 1 +
			  below(&c->r, 0xff - LAST_NR));
	else if (k == 1)
		cmd = _IOC(1 + below(&c->r, 3), NSM_IOC_MAGIC,
			   below(&c->r, LAST_NR + 1), below(&c->r, 1u << 14));
	else if (k == 2)
		cmd = _IO(below(&c->r, 256), below(&c->r, 256));
	else
		cmd = (unsigned long)rnd(&c->r) & 0xffffffffUL;
	if (cmd == _IO(NSM_IOC_MAGIC, _IOC_NR(cmd)) && _IOC_NR(cmd) <= LAST_NR)
		cmd |= _IOC(_IOC_WRITE, 0, 0, 8);	/* never a real one */
	if (cmd == FIFREEZE)
		cmd = FITHAW;	/* never freeze the filesystem under /dev */
	if (pct(&c->r, 20))
		arg = (void *)(uintptr_t)bad_pointer(c);
	if (pct(&c->r, 20) && w->nhandles)
		fd = w->handles[below(&c->r, (__u64)w->nhandles)];
	snprintf(c->what, sizeof(c->what), "ioctl(fd %d, %#lx)", fd, cmd);
	ret = xioctl(fd, cmd, arg);
	if (vfs_handles(cmd)) {
		/* FIONBIO gives 0, FIGETBSZ EFAULT, ...: the VFS's answers */
		note_result(c, ret);
		return ret;
	}
	check_ret(c, ret, ENOTTY);
	return ret;
}

static long do_clone(struct ctx *c, struct fworld *w)
{
	struct nsm_clone_args a = { .size = sizeof(a) };
	void *p;
	int want;
	long ret;

	a.parent = pick_task(c, w);
	a.flags = gen_clone_flags(c);
	if (pct(&c->r, 3))
		a.__reserved = (uint32_t)rnd(&c->r);
	p = shape_args(c, &a, sizeof(a), NSM_CLONE_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "CLONE(parent %u, flags %#llx)",
		 a.parent, a.flags);
	ret = xioctl(w->fd, NSM_IOC_CLONE, p);
	check_ret(c, ret, want);
	if (ret >= 0) {
		uint32_t child = ret;

		if (p == (void *)&a && a.child != child)
			fail(c, "returned %ld but child is %u", ret, a.child);
		if (!child)
			fail(c, "child id 0");
		add_task(w, child);
	}
	return ret;
}

static long do_unshare(struct ctx *c, struct fworld *w)
{
	struct nsm_unshare_args a = { .size = sizeof(a) };
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	a.flags = gen_clone_flags(c);
	p = shape_args(c, &a, sizeof(a), NSM_UNSHARE_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "UNSHARE(task %u, flags %#llx)",
		 a.task, a.flags);
	ret = xioctl(w->fd, NSM_IOC_UNSHARE, p);
	check_ret(c, ret, want);
	return ret;
}

static long do_setns(struct ctx *c, struct fworld *w)
{
	struct nsm_setns_args a = { .size = sizeof(a) };
	bool foreign = false;
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	if (pct(&c->r, 35)) {
		a.fd = -1;
		a.target = pick_task(c, w);
	} else {
		a.fd = pick_fd(c, w, &foreign);
		a.target = pct(&c->r, 90) ? 0 : (uint32_t)rnd(&c->r);
	}
	a.nstype = gen_ns_type(c);
	p = shape_args(c, &a, sizeof(a), NSM_SETNS_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what),
		 "SETNS(task %u, fd %d%s, target %u, nstype %#llx)",
		 a.task, a.fd, foreign ? " (another world's)" : "", a.target,
		 a.nstype);
	ret = xioctl(w->fd, NSM_IOC_SETNS, p);
	check_ret(c, ret, want);
	if (foreign && !want && !opt_shared) {
		if (ret >= 0)
			fail(c, "a handle of another world was accepted");
		else if (ret != -EINVAL && ret != -EBADF && ret != -ESRCH &&
			 ret != -ENOMEM && ret != -EFAULT && ret != -E2BIG)
			fail(c, "another world's handle gave %s, not EINVAL",
			     strerror((int)-ret));
	}
	return ret;
}

static long do_exit(struct ctx *c, struct fworld *w)
{
	struct nsm_task_args a = { .size = sizeof(a) };
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	/*
	 * When init goes, its pid namespace goes with it and the world
	 * refuses most requests: rarely.
	 */
	if (a.task == NSM_INIT_TASK && !pct(&c->r, 1))
		a.task = w->ntasks > 1 ? w->tasks[1 + below(&c->r, (__u64)w->ntasks - 1)] :
			 c->dead_task;
	p = shape_args(c, &a, sizeof(a), NSM_TASK_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "EXIT(task %u)", a.task);
	ret = xioctl(w->fd, NSM_IOC_EXIT, p);
	check_ret(c, ret, want);
	if (ret >= 0) {
		drop_task(w, a.task);
		c->dead_task = a.task;
		if (a.task == NSM_INIT_TASK)
			w->init_dead = true;
	}
	return ret;
}

static long do_setuid(struct ctx *c, struct fworld *w)
{
	static const uint32_t uids[] = { 0, 1, 1000, 65534, 65535, 0xffffffff };
	struct nsm_task_args a = { .size = sizeof(a) };
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	a.uid = pct(&c->r, 90) ? uids[below(&c->r, 6)] : (uint32_t)rnd(&c->r);
	if (pct(&c->r, 3))
		a.__reserved = (uint32_t)rnd(&c->r) | 1;	/* EINVAL */
	p = shape_args(c, &a, sizeof(a), NSM_TASK_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "SETUID(task %u, uid %u)", a.task,
		 a.uid);
	ret = xioctl(w->fd, NSM_IOC_SETUID, p);
	check_ret(c, ret, want);
	return ret;
}

static long do_hostname(struct ctx *c, struct fworld *w)
{
	static const uint32_t lens[] = { 0, 1, 7, 63, 64, 65, 4096, 100000 };
	struct nsm_hostname_args a = { .size = sizeof(a) };
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	a.len = pct(&c->r, 90) ? lens[below(&c->r, 8)] : (uint32_t)rnd(&c->r);
	if (pct(&c->r, 85)) {
		size_t n = a.len < sizeof(c->path2) ? a.len : sizeof(c->path2);

		memset(c->path2, 'h', n);
		if (n > 3 && pct(&c->r, 10))
			c->path2[1] = '\0';
		a.name = (uintptr_t)c->path2;
	} else if (pct(&c->r, 50)) {
		a.name = unterminated(c, 1 + below(&c->r, 80));
	} else {
		a.name = bad_pointer(c);
	}
	p = shape_args(c, &a, sizeof(a), NSM_HOSTNAME_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "SETHOSTNAME(task %u, len %u)",
		 a.task, a.len);
	ret = xioctl(w->fd, NSM_IOC_SETHOSTNAME, p);
	check_ret(c, ret, want);
	return ret;
}

static long do_task_info(struct ctx *c, struct fworld *w)
{
	struct nsm_task_info a;
	void *p;
	int want;
	long ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.task = pick_task(c, w);
	if (pct(&c->r, 3))
		a.__pad[below(&c->r, sizeof(a.__pad))] = 1;	/* EINVAL */
	p = shape_args(c, &a, sizeof(a), NSM_TASK_INFO_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "TASK_INFO(task %u)", a.task);
	ret = xioctl(w->fd, NSM_IOC_TASK_INFO, p);
	check_ret(c, ret, want);
	if (ret >= 0 && p == (void *)&a) {
		int i;

		check_no_pointers(c, &a, sizeof(a));
		if (!memchr(a.hostname, 0, sizeof(a.hostname)))
			fail(c, "hostname not NUL-terminated");
		for (i = 0; i < NSM_NS_KIND_MAX; i++)
			if ((int32_t)a.ns_count[i] < 0)
				fail(c, "ns_count[%d] = %d", i, (int32_t)a.ns_count[i]);
		if (a.level > NSM_MAX_LEVEL)
			fail(c, "level %u", a.level);
	}
	return ret;
}

static long do_ns_open(struct ctx *c, struct fworld *w)
{
	struct nsm_ns_open_args a = { .size = sizeof(a) };
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	a.kind = pct(&c->r, 92) ? (uint32_t)below(&c->r, NSM_NS_KIND_MAX) :
		 (uint32_t)rnd(&c->r);
	/* open(2) of a path, where NSM_IOC_NS_BIND may have put a file */
	if (pct(&c->r, 30)) {
		a.path = gen_path(c, c->path);
		if (pct(&c->r, 90))
			a.kind = 0;
	}
	if (pct(&c->r, 3))
		a.__reserved = (uint32_t)rnd(&c->r);
	p = shape_args(c, &a, sizeof(a), NSM_NS_OPEN_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "NS_OPEN(task %u, kind %u%s)",
		 a.task, a.kind, a.path ? ", path" : "");
	ret = xioctl(w->fd, NSM_IOC_NS_OPEN, p);
	check_ret(c, ret, want);
	if (ret >= 0) {
		if (p == (void *)&a && a.fd != ret)
			fail(c, "returned %ld but fd is %d", ret, a.fd);
		add_handle(c, w, (int)ret);
	}
	return ret;
}

/* mount --bind /proc/TARGET/ns/KIND PATH */
static long do_ns_bind(struct ctx *c, struct fworld *w)
{
	struct nsm_ns_bind_args a = { .size = sizeof(a) };
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	a.target = pick_task(c, w);
	a.kind = pct(&c->r, 95) ? (uint32_t)below(&c->r, NSM_NS_KIND_MAX) :
		 (uint32_t)rnd(&c->r);
	a.path = gen_path(c, c->path);
	if (pct(&c->r, 4))
		a.flags = (uint32_t)rnd(&c->r);
	if (pct(&c->r, 2))
		a.__reserved = (uint32_t)rnd(&c->r);
	p = shape_args(c, &a, sizeof(a), NSM_NS_BIND_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what),
		 "NS_BIND(task %u, target %u, kind %u, \"%.40s\", flags %#x)",
		 a.task, a.target, a.kind,
		 (a.path == (uintptr_t)c->path) ? c->path : "<hostile>",
		 a.flags);
	ret = xioctl(w->fd, NSM_IOC_NS_BIND, p);
	check_ret(c, ret, want);
	if (ret >= 0 && p == (void *)&a)
		check_no_pointers(c, &a, sizeof(a));
	return ret;
}

static long do_ns_info(struct ctx *c, struct fworld *w)
{
	struct nsm_ns_info a;
	bool foreign;
	int fd, want;
	void *p;
	long ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	fd = pick_fd(c, w, &foreign);
	p = shape_args(c, &a, sizeof(a), NSM_NS_INFO_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "NS_INFO(fd %d)", fd);
	ret = xioctl(fd, NSM_IOC_NS_INFO, p);
	/* On a world fd, /dev/null or junk: ENOTTY, EBADF; never success. */
	check_ret(c, ret, 0);
	if (ret >= 0 && p == (void *)&a) {
		check_no_pointers(c, &a, sizeof(a));
		if (a.kind >= NSM_NS_KIND_MAX)
			fail(c, "kind %u", a.kind);
		if ((int32_t)a.count <= 0)
			fail(c, "a handle holds a namespace with count %d",
			     (int32_t)a.count);
		if (!a.ns_id)
			fail(c, "ns_id 0");
	}
	return ret;
}

static long do_path_op(struct ctx *c, struct fworld *w)
{
	static const struct { unsigned long cmd; const char *name; } ops[] = {
		{ NSM_IOC_MKDIR, "MKDIR" }, { NSM_IOC_MKDIR, "MKDIR" },
		{ NSM_IOC_CHDIR, "CHDIR" }, { NSM_IOC_CHROOT, "CHROOT" },
		{ NSM_IOC_UMOUNT, "UMOUNT" }, { NSM_IOC_STAT, "STAT" },
		{ NSM_IOC_STAT, "STAT" }, { NSM_IOC_TOUCH, "TOUCH" },
		{ NSM_IOC_UNLINK, "UNLINK" }, { NSM_IOC_RMDIR, "RMDIR" },
	};
	static const uint32_t uflags[] = {
		0, MNT_DETACH, MNT_FORCE, MNT_EXPIRE, UMOUNT_NOFOLLOW,
		MNT_DETACH | MNT_EXPIRE,
	};
	struct nsm_path_args a;
	int i = (int)below(&c->r, sizeof(ops) / sizeof(ops[0]));
	void *p;
	int want;
	long ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.task = pick_task(c, w);
	a.path = gen_path(c, c->path);
	if (ops[i].cmd == NSM_IOC_UMOUNT)
		a.flags = pct(&c->r, 95) ? uflags[below(&c->r, 6)] : (uint32_t)rnd(&c->r);
	else if (pct(&c->r, 5))
		a.flags = (uint32_t)rnd(&c->r);
	if (pct(&c->r, 3))
		a.mnt_id = (uint32_t)rnd(&c->r);	/* ignored input */
	p = shape_args(c, &a, sizeof(a), NSM_PATH_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "%s(task %u, \"%.40s\"%s, flags %#x)",
		 ops[i].name, a.task,
		 (a.path == (uintptr_t)c->path) ? c->path : "<hostile>",
		 (a.path == (uintptr_t)c->path && strlen(c->path) > 40) ? "..." : "",
		 a.flags);
	ret = xioctl(w->fd, ops[i].cmd, p);
	check_ret(c, ret, want);
	if (ret >= 0 && p == (void *)&a)
		check_no_pointers(c, &a, sizeof(a));
	/*
	 * MKDIR is "mkdir -p": the directories made before a failure stay,
	 * as with the mkdir(1) loop it models, so its failures may count.
	 */
	c->partial_ok = ops[i].cmd == NSM_IOC_MKDIR;
	return ret;
}

/*
 * Mount data: a few options from the ones tmpfs and the VFS really take
 * (shmem_fs_parameters, vfs_parse_sb_flag()), in any order, with small
 * nr_inodes and sizes so that the limits are reached, and now and then a
 * bad value or an unknown key.
 */
static __u64 gen_tmpfs_options(struct ctx *c)
{
	static const char *const dict[] = {
		"size=1m", "size=50%", "size=0", "size=4k", "nr_blocks=10",
		"nr_inodes=1", "nr_inodes=2", "nr_inodes=3", "nr_inodes=8",
		"nr_inodes=0", "nr_inodes=1k", "mode=0700", "mode=1777",
		"mode=755", "uid=0", "gid=0", "uid=1000", "gid=1000",
		"inode32", "inode64", "huge=never", "huge=always",
		"huge=within_size", "huge=advise", "huge=deny", "huge=force",
		"mpol=default", "noswap", "ro", "rw", "sync", "async",
		"dirsync", "lazytime", "nolazytime", "mand", "nomand",
		"nr_inodes=", "size=1q", "huge=sometimes", "bogus", "mode=",
		"uid=-1", "nr_inodes=18014398509481984",
	};
	size_t len = 0, n = 1 + (size_t)below(&c->r, 4), i;
	const char *o;

	for (i = 0; i < n; i++) {
		o = dict[below(&c->r, sizeof(dict) / sizeof(dict[0]))];
		if (len + strlen(o) + 2 >= sizeof(c->data))
			break;
		if (len)
			c->data[len++] = ',';
		memcpy(c->data + len, o, strlen(o));
		len += strlen(o);
	}
	c->data[len] = '\0';
	return (uintptr_t)c->data;
}

static long do_mount(struct ctx *c, struct fworld *w)
{
	struct nsm_mount_args a = { .size = sizeof(a) };
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	a.flags = gen_mount_flags(c);
	a.target = gen_path(c, c->path);
	a.source = pct(&c->r, 30) ? (uintptr_t)"none" : gen_path(c, c->path2);
	a.fstype = (a.flags & (MS_BIND | MS_MOVE | MS_SHARED | MS_SLAVE |
			       MS_PRIVATE | MS_UNBINDABLE)) && pct(&c->r, 80) ?
		   0 : gen_fstype(c);
	a.data = pct(&c->r, 85) ? 0 :
		 pct(&c->r, 80) ? gen_tmpfs_options(c) :
		 pct(&c->r, 50) ? (uintptr_t)(pct(&c->r, 50) ? "ro" : "rw,bogus") :
		 bad_pointer(c);
	p = shape_args(c, &a, sizeof(a), NSM_MOUNT_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what),
		 "MOUNT(task %u, src %.20s, dst %.30s, flags %#llx)",
		 a.task, a.source == (uintptr_t)c->path2 ? c->path2 : "?",
		 a.target == (uintptr_t)c->path ? c->path : "<hostile>", a.flags);
	ret = xioctl(w->fd, NSM_IOC_MOUNT, p);
	check_ret(c, ret, want);
	return ret;
}

static long do_mountinfo(struct ctx *c, struct fworld *w)
{
	struct nsm_mountinfo_args a = { .size = sizeof(a) };
	static __thread char buf[8192 + 1];
	void *p;
	int want;
	long ret;
	ssize_t n;

	a.task = pick_task(c, w);
	if (pct(&c->r, 3))
		a.__reserved = (uint32_t)rnd(&c->r) | 1;	/* EINVAL */
	p = shape_args(c, &a, sizeof(a), NSM_MOUNTINFO_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "MOUNTINFO(task %u)", a.task);
	ret = xioctl(w->fd, NSM_IOC_MOUNTINFO, p);
	check_ret(c, ret, want);
	if (ret < 0)
		return ret;
	if (p == (void *)&a && a.fd != ret)
		fail(c, "returned %ld but fd is %d", ret, a.fd);
	if (pct(&c->r, 10)) {
		n = read((int)ret, (void *)(uintptr_t)bad_pointer(c), 100);
		/* 0: nothing to read (a root lazily unmounted shows no mounts) */
		if (n > 0 || (n < 0 && errno != EFAULT && errno != EINVAL))
			fail(c, "read of mountinfo into a bad buffer: %zd (%s)",
			     n, n < 0 ? strerror(errno) : "success");
	}
	do {
		size_t want_n = 1 + below(&c->r, 8192);

		n = read((int)ret, buf, want_n);
		if (n < 0) {
			if (errno != ENOMEM)
				fail(c, "read of mountinfo: %s", strerror(errno));
			break;
		}
		buf[n] = '\0';
		if (strstr(buf, "ffff8") || strstr(buf, "ffffffff"))
			fail(c, "mountinfo shows a kernel pointer? \"%.60s\"", buf);
	} while (n > 0 && pct(&c->r, 80));
	if (pct(&c->r, 10) && w->nhandles < MAX_HANDLES) {
		/* Keep it open for a while; closing the world must cope. */
		add_handle(c, w, (int)ret);
	} else {
		close((int)ret);
		c->closed_fd = (int)ret;
	}
	return ret;
}

static long do_getcwd(struct ctx *c, struct fworld *w)
{
	static __thread char buf[8192];
	struct nsm_getcwd_args a = { .size = sizeof(a) };
	__u64 k = below(&c->r, 10);
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	a.buf = (uintptr_t)buf;
	/* mostly room enough; else a few bytes, none, or a bad buffer */
	a.len = k < 6 ? sizeof(buf) : k < 8 ? (uint32_t)below(&c->r, 64) :
		k < 9 ? 0 : (uint32_t)rnd(&c->r);
	if (pct(&c->r, 5))
		a.buf = bad_pointer(c);
	if (pct(&c->r, 3))
		a.__reserved = (uint32_t)rnd(&c->r) | 1;
	p = shape_args(c, &a, sizeof(a), NSM_GETCWD_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "GETCWD(task %u, len %u%s)", a.task,
		 a.len, a.buf == (uintptr_t)buf ? "" : ", <hostile>");
	memset(buf, 0x5a, sizeof(buf));
	ret = xioctl(w->fd, NSM_IOC_GETCWD, p);
	check_ret(c, ret, want);
	if (ret < 0 || p != (void *)&a || a.buf != (uintptr_t)buf)
		return ret;
	/* the length with its NUL, within the buffer, a path or unreachable */
	if (ret < 2 || ret > a.len || ret > 4096 || buf[ret - 1] ||
	    strlen(buf) != (size_t)ret - 1)
		fail(c, "returned %ld but the buffer holds \"%.40s\"", ret, buf);
	else if (buf[0] != '/' && strncmp(buf, "(unreachable)/", 14))
		fail(c, "a cwd that is no path: \"%.40s\"", buf);
	return ret;
}

/*
 * PIVOT_ROOT: two paths from the generator, or "." and "." (the container
 * idiom), or a fresh tmpfs mounted on a generated path and that path
 * twice, so that some pass every check and really move the root of a
 * world under the rest of the load.
 */
static long grow_path_op(struct ctx *c, struct fworld *w, unsigned long cmd,
			 uint32_t task, const char *path)
{
	struct nsm_path_args a = { .size = sizeof(a), .task = task,
				   .path = (uintptr_t)path };
	long ret;

	snprintf(c->what, sizeof(c->what), "GROW %s(task %u, %.60s)",
		 cmd == NSM_IOC_MKDIR ? "MKDIR" : "PATH", task, path);
	ret = xioctl(w->fd, cmd, &a);
	check_ret(c, ret, 0);
	return ret;
}

static long grow_mount(struct ctx *c, struct fworld *w, uint32_t task,
		       const char *src, const char *dst, __u64 flags)
{
	struct nsm_mount_args a = { .size = sizeof(a), .task = task,
				    .source = (uintptr_t)src,
				    .target = (uintptr_t)dst, .flags = flags };
	long ret;

	if (!(flags & (MS_BIND | MS_SHARED)))
		a.fstype = (uintptr_t)"tmpfs";
	snprintf(c->what, sizeof(c->what), "GROW MOUNT(task %u, %.30s, %.60s, %#llx)",
		 task, src, dst, flags);
	ret = xioctl(w->fd, NSM_IOC_MOUNT, &a);
	check_ret(c, ret, 0);
	return ret;
}

/*
 * Now and then a world grows big in one step, up to --max-mounts mounts:
 * a chain of up to 64 mounts each on a directory of the one before, a
 * stack of up to 200 mounts on one directory, or a peer group of up to
 * 1,000 binds of a shared mount, then a mount inside it that propagates
 * to all of them.  Every call is checked; the first failure (often a
 * limit: ENOSPC, ENOMEM) ends the growth.
 */
static long do_grow(struct ctx *c, struct fworld *w)
{
	char *p = c->path, *q = c->path2;
	struct nsm_counters k;
	uint32_t task;
	long ret = 0;
	int n, i, id = (int)below(&c->r, 1000);
	size_t len;

	if (below(&c->r, 20) || get_counters(w->fd, &k) < 0 ||
	    k.world[NSM_OBJ_MOUNT] >= (__u64)opt_max_mounts)
		return 0;
	task = pick_task(c, w);
	switch (below(&c->r, 3)) {
	case 0:		/* a chain */
		len = (size_t)snprintf(p, PATH_BUF, "/gc%d", id);
		n = 1 + (int)below(&c->r, 64);
		for (i = 0; i < n && ret >= 0; i++) {
			ret = grow_path_op(c, w, NSM_IOC_MKDIR, task, p);
			if (ret >= 0 || ret == -EEXIST)
				ret = grow_mount(c, w, task, "none", p, 0);
			len += (size_t)snprintf(p + len, PATH_BUF - len, "/c");
		}
		break;
	case 1:		/* a stack */
		snprintf(p, PATH_BUF, "/gs%d", id);
		n = 1 + (int)below(&c->r, 200);
		ret = grow_path_op(c, w, NSM_IOC_MKDIR, task, p);
		for (i = 0; i < n && (ret >= 0 || ret == -EEXIST); i++)
			ret = grow_mount(c, w, task, "none", p, 0);
		break;
	default:	/* a peer group */
		snprintf(p, PATH_BUF, "/gp%d", id);
		n = 1 + (int)below(&c->r, 1000);
		ret = grow_path_op(c, w, NSM_IOC_MKDIR, task, p);
		if (ret >= 0 || ret == -EEXIST)
			ret = grow_mount(c, w, task, "none", p, 0);
		if (ret >= 0)
			ret = grow_mount(c, w, task, NULL, p, MS_SHARED);
		for (i = 0; i < n && ret >= 0; i++) {
			snprintf(q, PATH_BUF, "/gp%d-%d", id, i);
			ret = grow_path_op(c, w, NSM_IOC_MKDIR, task, q);
			if (ret >= 0)
				ret = grow_mount(c, w, task, p, q, MS_BIND);
		}
		if (ret >= 0) {
			snprintf(q, PATH_BUF, "/gp%d/x", id);
			ret = grow_path_op(c, w, NSM_IOC_MKDIR, task, q);
			if (ret >= 0 || ret == -EEXIST)
				ret = grow_mount(c, w, task, "none", q, 0);
		}
		break;
	}
	return ret < 0 ? ret : 0;
}

static long do_pivot_root(struct ctx *c, struct fworld *w)
{
	struct nsm_pivot_root_args a = { .size = sizeof(a) };
	__u64 k = below(&c->r, 10);
	void *p;
	int want;
	long ret;

	a.task = pick_task(c, w);
	if (k < 2) {
		a.new_root = (uintptr_t)".";
		a.put_old = (uintptr_t)".";
	} else if (k < 5) {
		struct nsm_mount_args m = {
			.size = sizeof(m), .task = a.task,
			.source = (uintptr_t)"none", .fstype = (uintptr_t)"tmpfs",
		};

		a.new_root = a.put_old = m.target = gen_path(c, c->path);
		/* the mount stays whatever the pivot does */
		c->partial_ok = xioctl(w->fd, NSM_IOC_MOUNT, &m) == 0;
	} else {
		a.new_root = gen_path(c, c->path);
		a.put_old = gen_path(c, c->path2);
	}
	p = shape_args(c, &a, sizeof(a), NSM_PIVOT_ROOT_ARGS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what),
		 "PIVOT_ROOT(task %u, \"%.30s\", \"%.30s\")", a.task,
		 k < 2 ? "." : a.new_root == (uintptr_t)c->path ? c->path :
		 "<hostile>",
		 k < 2 ? "." : a.put_old == (uintptr_t)c->path ? c->path :
		 a.put_old == (uintptr_t)c->path2 ? c->path2 : "<hostile>");
	ret = xioctl(w->fd, NSM_IOC_PIVOT_ROOT, p);
	check_ret(c, ret, want);
	return ret;
}

static long do_counters(struct ctx *c, struct fworld *w)
{
	struct nsm_counters k;
	void *p;
	int want;
	long ret;

	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	p = shape_args(c, &k, sizeof(k), NSM_COUNTERS_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "COUNTERS");
	ret = xioctl(w->fd, NSM_IOC_COUNTERS, p);
	check_ret(c, ret, want);
	if (ret >= 0 && p == (void *)&k)
		check_counters_sane(c, &k);
	return ret;
}

static long do_version(struct ctx *c, struct fworld *w)
{
	struct nsm_version v;
	void *p;
	int want;
	long ret;

	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	p = shape_args(c, &v, sizeof(v), NSM_VERSION_SIZE_VER0, &want);
	snprintf(c->what, sizeof(c->what), "VERSION");
	ret = xioctl(w->fd, NSM_IOC_VERSION, p);
	check_ret(c, ret, want);
	if (ret >= 0 && p == (void *)&v && v.abi_version != NSM_ABI_VERSION)
		fail(c, "abi_version %u", v.abi_version);
	return ret;
}

static void do_fault(struct ctx *c, struct fworld *w)
{
	struct nsm_fault_args a = { .size = sizeof(a) };

	/*
	 * Half the time one of the first allocations (a world's set-up, the
	 * argument copies), else any up to the deepest that armed steps
	 * have made so far (the copy of a big tree makes thousands).
	 */
	a.fail_nth = 1 + (uint32_t)below(&c->r, pct(&c->r, 50) || c->deepest < 12 ?
					 12 : c->deepest);
	snprintf(c->what, sizeof(c->what), "FAULT(%u)", a.fail_nth);
	check_ret(c, xioctl(w->fd, NSM_IOC_FAULT, &a), 0);
	c->fault_armed = 1 + (int)below(&c->r, 3);
	c->fault_w = w;
}

static void disarm_fault(struct ctx *c, struct fworld *w)
{
	struct nsm_fault_args a = { .size = sizeof(a) };

	snprintf(c->what, sizeof(c->what), "FAULT(0)");
	check_ret(c, xioctl(w->fd, NSM_IOC_FAULT, &a), 0);
	/* how deep the armed steps went: the next FAULT may go as deep */
	if (a.nr_allocs > c->deepest && a.nr_allocs < UINT32_MAX)
		c->deepest = a.nr_allocs;
}

typedef long (*op_fn)(struct ctx *c, struct fworld *w);

static const struct {
	op_fn fn;
	int weight;
	bool counted;	/* a failure must leave the counters as they were */
} ops[] = {
	{ do_clone, 14, true },
	{ do_unshare, 8, true },
	{ do_setns, 9, true },
	{ do_exit, 8, true },
	{ do_setuid, 3, true },
	{ do_hostname, 3, true },
	{ do_task_info, 5, true },
	{ do_ns_open, 7, true },
	{ do_ns_bind, 5, true },
	{ do_ns_info, 4, false },	/* may target another world */
	{ do_path_op, 14, true },
	{ do_mount, 14, true },
	{ do_mountinfo, 4, true },
	{ do_getcwd, 4, true },
	{ do_pivot_root, 3, true },
	{ do_counters, 2, true },
	{ do_version, 1, true },
	{ do_raw, 2, true },
	{ do_grow, 1, false },	/* many calls, each checked */
};

static void one_step(struct ctx *c)
{
	struct nsm_counters before, after;
	struct fworld *w;
	int i, total = 0, k, type;
	bool check;
	long ret;

	state_lock();
	/* Now and then a world ends, keeping some handles, and a new one begins. */
	for (i = 0; i < opt_worlds; i++) {
		w = &c->w[i];
		if (w->fd >= 0 && (below(&c->r, 400) == 0 ||
				   (w->init_dead && pct(&c->r, 10)))) {
			/* Closing the world ends its fault injection too. */
			if (c->fault_w == w)
				c->fault_armed = 0;
			close_world(c, w, !opt_shared);
		}
		if (w->fd < 0)
			open_world(c, w);
	}
	if (c->norphans && below(&c->r, 200) == 0)
		drop_orphans(c);
	w = pick_world(c);
	state_unlock();
	if (!w)
		return;

	for (i = 0; i < (int)(sizeof(ops) / sizeof(ops[0])); i++)
		total += ops[i].weight;
	k = (int)below(&c->r, (__u64)total);
	for (i = 0; k >= ops[i].weight; i++)
		k -= ops[i].weight;

	if (!c->fault_armed && pct(&c->r, opt_fault_pct))
		do_fault(c, w);

	check = exact && ops[i].counted;
	if (check && get_counters(w->fd, &before) < 0) {
		snprintf(c->what, sizeof(c->what), "COUNTERS before");
		fail(c, "%s", strerror(errno));
		check = false;
	}
	c->partial_ok = false;
	ret = ops[i].fn(c, w);
	if (check && !c->partial_ok) {
		if (get_counters(w->fd, &after) < 0) {
			fail(c, "COUNTERS after: %s", strerror(errno));
		} else {
			check_counters_sane(c, &after);
			/* MOUNTINFO and NS_OPEN that fail make no fd. */
			if (ret < 0 && !same_world_counts(&before, &after, &type))
				fail(c, "failed with %s but changed the world's counters (type %d: %llu -> %llu)",
				     strerror((int)-ret), type,
				     type < NSM_OBJ_MAX ? before.world[type] : before.world_bytes,
				     type < NSM_OBJ_MAX ? after.world[type] : after.world_bytes);
		}
	}
	check_kmsg(c);
	if (c->fault_armed && --c->fault_armed == 0 && c->fault_w->fd >= 0)
		disarm_fault(c, c->fault_w);
	/* Keep the tables small: past the limit, tasks exit. */
	if (w->ntasks >= MAX_TASKS - 2)
		w->ntasks = MAX_TASKS / 2;
	c->op++;
}

static __u64 now_ms(void);
static __u64 start_ms;

/* A long run's tenths, as thread 0 reaches them: a soak shows it moves. */
static void progress(__u64 n)
{
	double sec = (now_ms() - start_ms) / 1000.0;

	printf("# nsmfuzz: thread 0 at %llu of %llu ops, %.0f s (%.0f/s)\n",
	       (unsigned long long)n, (unsigned long long)opt_ops, sec,
	       sec > 0 ? n / sec : 0.0);
	fflush(stdout);
}

static void *thread_main(void *arg)
{
	struct ctx *c = arg;
	struct fworld own[MAX_WORLDS];
	__u64 n;
	int i;

	c->mem = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->mem == MAP_FAILED) {
		perror("nsmfuzz: mmap");
		atomic_fetch_add(&failed, 1);
		return NULL;
	}
	mprotect(c->mem + PAGE, PAGE, PROT_NONE);
	munmap(c->mem + 2 * PAGE, PAGE);
	c->closed_fd = 1000 + c->tid;
	c->dead_task = 2;
	if (opt_failslab)
		make_it_fail(1);

	if (opt_shared) {
		c->w = shared_worlds;
	} else {
		for (i = 0; i < MAX_WORLDS; i++)
			own[i].fd = -1;
		c->w = own;
	}
	for (n = 0; n < opt_ops && !atomic_load(&failed); n++) {
		one_step(c);
		if (exact && n % 97 == 0)
			check_global_sum(c);
		if (c->tid == 0 && opt_ops >= 100000 && n &&
		    n % (opt_ops / 10) == 0)
			progress(n);
	}
	if (opt_failslab)
		make_it_fail(0);
	atomic_fetch_add(&total_ops, c->op);
	if (!opt_shared) {
		drop_orphans(c);
		if (c->fault_armed && c->fault_w->fd >= 0)
			disarm_fault(c, c->fault_w);
		for (i = 0; i < opt_worlds; i++)
			close_world(c, &c->w[i], false);
	}
	return NULL;
}

/* ---- kernel fault injection (CONFIG_FAILSLAB) ---- */

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* This thread's allocations may fail (task-filter), or no longer. */
static void make_it_fail(int on)
{
	write_file("/proc/thread-self/make-it-fail", on ? "1" : "0");
}

/*
 * Fail opt_failslab percent of the fuzzing threads' slab allocations, and
 * nothing else's: the task filter keeps the rest of the system (and the
 * main thread) out.  When the kernel was booted with "slub_debug=A,kmalloc-*"
 * (scripts/vm-run does so on the debug kernel), the cache filter also
 * keeps every cache but kmalloc's out, kmemleak's own among them, so that
 * it goes on watching.
 */
static int failslab_setup(bool on)
{
	static const char *const knobs[][2] = {
		{ "interval", "1" }, { "times", "-1" }, { "space", "0" },
		{ "verbose", "0" }, { "task-filter", "Y" },
		{ "ignore-gfp-wait", "N" },
	};
	char path[256], pctbuf[16], cmdline[4096] = "";
	bool cache_filter;
	size_t i;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, cmdline, sizeof(cmdline) - 1) < 0)
			cmdline[0] = '\0';
		close(fd);
	}
	cache_filter = strstr(cmdline, "slub_debug=A") != NULL;
	if (on) {
		for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
			snprintf(path, sizeof(path), "/sys/kernel/debug/failslab/%s",
				 knobs[i][0]);
			if (write_file(path, knobs[i][1]))
				return -1;
		}
		if (write_file("/sys/kernel/debug/failslab/cache-filter",
			       cache_filter ? "Y" : "N"))
			return -1;
		printf("# nsmfuzz: failslab %d%% of this process's %s allocations\n",
		       opt_failslab, cache_filter ? "kmalloc" : "slab");
	}
	snprintf(pctbuf, sizeof(pctbuf), "%d", on ? opt_failslab : 0);
	return write_file("/sys/kernel/debug/failslab/probability", pctbuf);
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000 + (__u64)ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 't' },
		{ "worlds", required_argument, NULL, 'w' },
		{ "fault-pct", required_argument, NULL, 'f' },
		{ "shared", no_argument, NULL, 'S' },
		{ "tap", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-kmsg", no_argument, NULL, 'K' },
		{ "failslab", required_argument, NULL, 'F' },
		{ "max-mounts", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nsm_counters base, end;
	pthread_t th[64];
	struct ctx *ctxs;
	__u64 t0, ms;
	bool seeded = false;
	int o, i, bad = 0;

	while ((o = getopt_long(argc, argv, "s:n:t:w:f:STvKF:M:h", lopts, NULL)) != -1) {
		switch (o) {
		case 's': opt_seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 'n': opt_ops = strtoull(optarg, NULL, 0); break;
		case 't': opt_threads = atoi(optarg); break;
		case 'w': opt_worlds = atoi(optarg); break;
		case 'f': opt_fault_pct = atoi(optarg); break;
		case 'S': opt_shared = true; break;
		case 'T': opt_tap = true; break;
		case 'v': opt_verbose = true; break;
		case 'K': opt_no_kmsg = true; break;
		case 'F': opt_failslab = atoi(optarg); break;
		case 'M': opt_max_mounts = atoi(optarg); break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind < argc || opt_threads < 1 || opt_threads > 64 ||
	    opt_worlds < 1 || opt_worlds > MAX_WORLDS || opt_fault_pct < 0 ||
	    opt_fault_pct > 100) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (!seeded)
		opt_seed = (__u64)time(NULL) ^ ((__u64)getpid() << 20);
	exact = opt_threads == 1 && !opt_shared;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (opt_tap)
		printf("TAP version 13\n1..1\n");
	printf("# nsmfuzz: seed %llu, %llu ops x %d thread%s%s, %d world%s each, fault %d%%, failslab %d%%\n",
	       opt_seed, opt_ops, opt_threads, opt_threads > 1 ? "s" : "",
	       opt_shared ? " (shared worlds)" : "", opt_worlds,
	       opt_worlds > 1 ? "s" : "", opt_fault_pct, opt_failslab);

	monitor_fd = open("/dev/" NSM_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (!opt_no_kmsg) {
		kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (kmsg_fd >= 0)
			lseek(kmsg_fd, 0, SEEK_END);
	}
	if (monitor_fd < 0 || null_fd < 0) {
		printf("# nsmfuzz: cannot open /dev/nsmodel: %s\n", strerror(errno));
		if (opt_tap)
			printf("not ok 1 nsmfuzz\n");
		return 1;
	}
	if (get_counters(monitor_fd, &base) < 0) {
		printf("# nsmfuzz: COUNTERS: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < MAX_WORLDS; i++)
		shared_worlds[i].fd = -1;
	if (opt_failslab && failslab_setup(true)) {
		printf("# nsmfuzz: cannot set up failslab (debugfs, CONFIG_FAILSLAB?)\n");
		if (opt_tap)
			printf("not ok 1 nsmfuzz\n");
		return 1;
	}

	ctxs = calloc((size_t)opt_threads, sizeof(*ctxs));
	if (!ctxs)
		return 1;
	t0 = now_ms();
	start_ms = t0;
	for (i = 0; i < opt_threads; i++) {
		ctxs[i].tid = i;
		ctxs[i].seed = opt_seed + (__u64)i;
		ctxs[i].r.s = ctxs[i].seed;
		if (pthread_create(&th[i], NULL, thread_main, &ctxs[i])) {
			perror("nsmfuzz: pthread_create");
			return 1;
		}
	}
	for (i = 0; i < opt_threads; i++)
		pthread_join(th[i], NULL);
	if (opt_shared) {
		for (i = 0; i < MAX_WORLDS; i++) {
			ctxs[0].fault_armed = 0;
			close_world(&ctxs[0], &shared_worlds[i], false);
		}
		for (i = 0; i < opt_threads; i++)
			drop_orphans(&ctxs[i]);
	}
	for (i = 0; i < opt_threads; i++) {
		/* handles parked by add_handle in worlds already closed */
		drop_orphans(&ctxs[i]);
	}
	ms = now_ms() - t0;
	if (opt_failslab)
		failslab_setup(false);

	/* Everything we made is gone: the module is back to the monitor. */
	if (get_counters(monitor_fd, &end) < 0) {
		printf("# nsmfuzz: COUNTERS: %s\n", strerror(errno));
		bad = 1;
	} else {
		for (i = 0; i < NSM_OBJ_MAX; i++) {
			if (end.global[i] != base.global[i]) {
				printf("# nsmfuzz: FAIL: type %d: %llu live at the start, %llu at the end\n",
				       i, base.global[i], end.global[i]);
				bad = 1;
			}
		}
		if (end.global_bytes != base.global_bytes) {
			printf("# nsmfuzz: FAIL: %llu bytes at the start, %llu at the end\n",
			       base.global_bytes, end.global_bytes);
			bad = 1;
		}
	}
	if (bad)
		atomic_fetch_add(&failed, 1);

	printf("# nsmfuzz: %llu ops in %.1f s (%.0f/s): %llu succeeded, %llu failed as allowed\n",
	       (unsigned long long)total_ops, ms / 1000.0,
	       ms ? total_ops * 1000.0 / ms : 0.0,
	       (unsigned long long)nr_ok, (unsigned long long)nr_err);
	printf("# nsmfuzz: errnos:");
	for (i = 1; i < 256; i++)
		if (errno_hist[i])
			printf(" %s=%llu", strerrorname_np(i) ? strerrorname_np(i) : "?",
			       (unsigned long long)errno_hist[i]);
	printf("\n");
	if (opt_tap) {
		printf("%sok 1 nsmfuzz seed=%llu ops=%llu threads=%d%s\n",
		       failed ? "not " : "", opt_seed,
		       (unsigned long long)total_ops, opt_threads,
		       opt_shared ? " shared" : "");
		printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
		       failed ? 0 : 1, failed ? 1 : 0);
	} else {
		printf("# nsmfuzz: %s\n", failed ? "FAILED" : "passed");
	}
	return failed ? 1 : 0;
}
