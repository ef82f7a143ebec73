// SPDX-License-Identifier: GPL-2.0
/*
 * hardening_test: what a hostile or unlucky caller can do to the ioctls.
 *
 * An ioctl that fails with EFAULT has done nothing: its output fields are
 * probed for writing before the operation, input-only structs are never
 * written back (so a read-only argument is fine for them), and a new fd is
 * installed only once its number has reached the caller.  Each test checks
 * the caller's fds, the world's counters and the init task's mountinfo
 * before and after.
 */
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <linux/userfaultfd.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "core_helpers.h"

/* What a failed call must leave alone: fds, world objects, mounts. */
struct state {
	int nr_fds;
	__u64 counts[NSM_OBJ_SLOTS];
	char *mountinfo;
	char hostname[NSM_HOSTNAME_MAX + 1];
};

static int nr_fds(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return n - 1;	/* the DIR's own fd */
}

static void take_state(int fd, struct state *s)
{
	s->mountinfo = nsm_mountinfo(fd, INIT);
	world_counts(fd, s->counts);
	strcpy(s->hostname, ti(fd, INIT).hostname);
	s->nr_fds = nr_fds();
}

/* 1 if @fd's world and this process look as they did in @a */
static int same_state(int fd, struct state *a)
{
	struct state b;
	int same;

	take_state(fd, &b);
	same = a->nr_fds == b.nr_fds && counts_differ(a->counts, b.counts) < 0 &&
	       a->mountinfo && b.mountinfo &&
	       !strcmp(a->mountinfo, b.mountinfo) &&
	       !strcmp(a->hostname, b.hostname);
	if (!same)
		fprintf(stderr, "# state changed: fds %d -> %d, type %d, mounts\n%s-> %s",
			a->nr_fds, b.nr_fds, counts_differ(a->counts, b.counts),
			a->mountinfo, b.mountinfo);
	free(a->mountinfo);
	free(b.mountinfo);
	return same;
}

/* The ioctl with its argument copied into a read-only page. */
static long ioctl_ro(int fd, unsigned long cmd, const void *arg, size_t size)
{
	long page = sysconf(_SC_PAGESIZE), ret;
	char *map = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (map == MAP_FAILED)
		return -ENOMEM;
	memcpy(map + page - size, arg, size);
	if (mprotect(map, page, PROT_READ))
		ret = -errno;
	else
		ret = nsm_ioc(fd, cmd, map + page - size);
	munmap(map, page);
	return ret;
}

#define IOCTL_RO(fd, cmd, a)	ioctl_ro(fd, cmd, &(a), sizeof(a))

/* Every ioctl with output fields: EFAULT, and nothing happened. */
TEST_F(core, readonly_output_ioctls_do_nothing)
{
	struct nsm_version v = { .size = sizeof(v) };
	struct nsm_counters c = { .size = sizeof(c) };
	struct nsm_fault_args f = { .size = sizeof(f), .fail_nth = 1 };
	struct nsm_clone_args cl = { .size = sizeof(cl), .parent = INIT,
				     .flags = CLONE_NEWNS | CLONE_NEWUTS };
	struct nsm_task_info t = { .size = sizeof(t), .task = INIT };
	struct nsm_ns_open_args o = { .size = sizeof(o), .task = INIT,
				      .kind = NSM_NS_MNT };
	struct nsm_path_args st = { .size = sizeof(st), .task = INIT,
				    .path = (uintptr_t)"/" };
	struct nsm_mountinfo_args mi = { .size = sizeof(mi), .task = INIT };
	struct state s;

	take_state(self->fd, &s);
	EXPECT_EQ(-EFAULT, IOCTL_RO(self->fd, NSM_IOC_VERSION, v));
	EXPECT_EQ(-EFAULT, IOCTL_RO(self->fd, NSM_IOC_COUNTERS, c));
	EXPECT_EQ(-EFAULT, IOCTL_RO(self->fd, NSM_IOC_FAULT, f));
	EXPECT_EQ(-EFAULT, IOCTL_RO(self->fd, NSM_IOC_CLONE, cl));
	EXPECT_EQ(-EFAULT, IOCTL_RO(self->fd, NSM_IOC_TASK_INFO, t));
	EXPECT_EQ(-EFAULT, IOCTL_RO(self->fd, NSM_IOC_NS_OPEN, o));
	EXPECT_EQ(-EFAULT, IOCTL_RO(self->fd, NSM_IOC_STAT, st));
	EXPECT_EQ(-EFAULT, IOCTL_RO(self->fd, NSM_IOC_MOUNTINFO, mi));
	EXPECT_TRUE(same_state(self->fd, &s));
	/* the failed FAULT armed nothing: the next allocation succeeds */
	EXPECT_LT(0, nsm_clone(self->fd, INIT, 0));
	EXPECT_EQ(2, nsm_world_count(self->fd, NSM_OBJ_TASK));
}

/* A struct whose output field lies in the read-only page, the rest not. */
TEST_F(core, readonly_fd_field_installs_no_fd)
{
	long page = sysconf(_SC_PAGESIZE);
	struct nsm_ns_open_args *o;
	struct state s;
	long count = nsm_ns_count(self->fd, INIT, NSM_NS_UTS);
	char *map;

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	o = (void *)(map + page - offsetof(struct nsm_ns_open_args, fd));
	memset(o, 0, sizeof(*o));
	o->size = sizeof(*o);
	o->task = INIT;
	o->kind = NSM_NS_UTS;
	ASSERT_EQ(0, mprotect(map + page, page, PROT_READ));
	take_state(self->fd, &s);
	EXPECT_EQ(-EFAULT, nsm_ioc(self->fd, NSM_IOC_NS_OPEN, o));
	EXPECT_TRUE(same_state(self->fd, &s));
	EXPECT_EQ(count, nsm_ns_count(self->fd, INIT, NSM_NS_UTS));
	munmap(map, 2 * page);
}

/* Input-only ioctls never write their struct: a read-only one works. */
TEST_F(core, readonly_input_ioctls_succeed)
{
	struct nsm_unshare_args u = { .size = sizeof(u),
				      .flags = CLONE_NEWUTS };
	struct nsm_setns_args sn = { .size = sizeof(sn), .fd = -1,
				     .target = INIT, .nstype = CLONE_NEWUTS };
	struct nsm_task_args e = { .size = sizeof(e) };
	struct nsm_hostname_args h = { .size = sizeof(h), .task = INIT,
				       .name = (uintptr_t)"ro", .len = 2 };
	struct nsm_path_args p = { .size = sizeof(p), .task = INIT,
				   .path = (uintptr_t)"/ro" };
	struct nsm_mount_args m = { .size = sizeof(m), .task = INIT,
				    .source = (uintptr_t)"none",
				    .target = (uintptr_t)"/ro",
				    .fstype = (uintptr_t)"tmpfs" };
	char buf[64];
	struct nsm_getcwd_args g = { .size = sizeof(g), .task = INIT,
				     .buf = (uintptr_t)buf,
				     .len = sizeof(buf) };
	long child = nsm_clone(self->fd, INIT, 0);

	ASSERT_LT(0, child);
	u.task = sn.task = e.task = child;
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_UNSHARE, u));
	EXPECT_NE(nsm_ns_id(self->fd, INIT, NSM_NS_UTS),
		  nsm_ns_id(self->fd, child, NSM_NS_UTS));
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_SETNS, sn));
	EXPECT_EQ(nsm_ns_id(self->fd, INIT, NSM_NS_UTS),
		  nsm_ns_id(self->fd, child, NSM_NS_UTS));
	e.uid = 0;
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_SETUID, e));
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_EXIT, e));
	EXPECT_EQ(1, nsm_world_count(self->fd, NSM_OBJ_TASK));
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_SETHOSTNAME, h));
	EXPECT_STREQ("ro", ti(self->fd, INIT).hostname);
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_MKDIR, p));
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/ro", NULL));
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_MOUNT, m));
	EXPECT_EQ(2, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_CHDIR, p));
	EXPECT_EQ(4, IOCTL_RO(self->fd, NSM_IOC_GETCWD, g));
	EXPECT_STREQ("/ro", buf);
	p.path = (uintptr_t)"/";
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_CHDIR, p));
	p.path = (uintptr_t)"/ro";
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_UMOUNT, p));
	EXPECT_EQ(1, nsm_nr_mounts(self->fd, INIT));
	EXPECT_EQ(0, IOCTL_RO(self->fd, NSM_IOC_CHROOT, p));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, "/ro", NULL));
}

/* getcwd into a buffer that runs into a PROT_NONE page */
TEST_F(core, getcwd_buffer_straddles_prot_none)
{
	long page = sysconf(_SC_PAGESIZE);
	struct state s;
	char *map;

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + page, page, PROT_NONE));
	ASSERT_EQ(0, nsm_mkdir(self->fd, INIT, "/abc"));
	ASSERT_EQ(0, nsm_chdir(self->fd, INIT, "/abc"));
	take_state(self->fd, &s);
	EXPECT_EQ(-EFAULT, nsm_getcwd(self->fd, INIT, map + page - 3, 100));
	EXPECT_TRUE(same_state(self->fd, &s));
	EXPECT_EQ(5, nsm_getcwd(self->fd, INIT, map + page - 5, 5));
	munmap(map, 2 * page);
}

/* Every __reserved and __pad field must be 0, so it can mean something later. */
TEST_F(core, reserved_fields_einval)
{
	struct nsm_clone_args cl = { .size = sizeof(cl), .parent = INIT,
				     .__reserved = 1 };
	struct nsm_task_args e = { .size = sizeof(e), .__reserved = 1 };
	struct nsm_hostname_args h = { .size = sizeof(h), .task = INIT,
				       .name = (uintptr_t)"x", .len = 1,
				       .__reserved = 1 };
	struct nsm_task_info t = { .size = sizeof(t), .task = INIT };
	struct nsm_mountinfo_args mi = { .size = sizeof(mi), .task = INIT,
					 .__reserved = 1 };
	char buf[64];
	struct nsm_getcwd_args g = { .size = sizeof(g), .task = INIT,
				     .buf = (uintptr_t)buf, .len = sizeof(buf),
				     .__reserved = 1 };
	long child = nsm_clone(self->fd, INIT, 0);
	struct state s;
	unsigned int i;

	ASSERT_LT(0, child);
	e.task = child;
	take_state(self->fd, &s);
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_CLONE, &cl));
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_EXIT, &e));
	e.uid = 1000;
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_SETUID, &e));
	EXPECT_EQ(0U, ti(self->fd, child).uid);
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_SETHOSTNAME, &h));
	for (i = 0; i < sizeof(t.__pad); i++) {
		memset(t.__pad, 0, sizeof(t.__pad));
		t.__pad[i] = 1;
		EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_TASK_INFO, &t));
	}
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &mi));
	EXPECT_EQ(-EINVAL, nsm_ioc(self->fd, NSM_IOC_GETCWD, &g));
	EXPECT_TRUE(same_state(self->fd, &s));
	/* and with them 0, each works */
	e.__reserved = 0;
	EXPECT_EQ(0, nsm_ioc(self->fd, NSM_IOC_SETUID, &e));
	EXPECT_EQ(1000U, ti(self->fd, child).uid);
	memset(t.__pad, 0, sizeof(t.__pad));
	EXPECT_EQ(0, nsm_ioc(self->fd, NSM_IOC_TASK_INFO, &t));
	mi.__reserved = 0;
	EXPECT_LE(0, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &mi));
	EXPECT_EQ(0, close(mi.fd));
}

/* @depth mounts, each on a 255-character directory inside the previous */
static int deep_chain(int fd, int depth)
{
	char name[256];
	int i;

	memset(name, 'a', 255);
	name[255] = '\0';
	name[7] = ' ';		/* escaped as \040 in mountinfo */
	for (i = 0; i < depth; i++)
		if (nsm_mkdir(fd, INIT, name) || nsm_tmpfs(fd, INIT, name) ||
		    nsm_chdir(fd, INIT, name))
			return -1;
	return 0;
}

/*
 * MOUNTINFO holds its snapshot whole, so it is bounded by the module
 * parameter mountinfo_max: past it ENOMEM (and no allocation warning,
 * which vm-run would catch), below it the exact text.
 */
TEST_F(core, mountinfo_bounded)
{
	long old = set_param("mountinfo_max", 1 << 20);
	char *mi;

	ASSERT_LT(0, old);
	ASSERT_EQ(0, deep_chain(self->fd, 100));
	/* about 100 * 100 / 2 lines' worth of 256-byte names: 1.3 MB */
	errno = 0;
	EXPECT_EQ(NULL, nsm_mountinfo(self->fd, INIT));
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_MOUNTINFO));
	set_param("mountinfo_max", old);
	mi = nsm_mountinfo(self->fd, INIT);
	ASSERT_NE(NULL, mi);
	EXPECT_LT(1 << 20, strlen(mi));
	EXPECT_NE(NULL, strstr(mi, "/aaaaaaa\\040aaa"));
	free(mi);
	EXPECT_EQ(101, nsm_nr_mounts(self->fd, INIT));
}

/* The default bound (64 MiB): a chain of 800 would make 80 MB. */
TEST_F_TIMEOUT(core, mountinfo_default_bound, 300)
{
	ASSERT_EQ(0, deep_chain(self->fd, 800));
	errno = 0;
	EXPECT_EQ(NULL, nsm_mountinfo(self->fd, INIT));
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_MOUNTINFO));
}

/* Drop CAP_SYS_ADMIN from this process's effective set. */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[0].effective &= ~(1U << T_CAP_SYS_ADMIN);
	return syscall(SYS_capset, &hdr, data);
}

/* Without CAP_SYS_ADMIN, COUNTERS shows the caller's world only. */
TEST_F(core, counters_world_only_without_sys_admin)
{
	int other = nsm_open(), status;
	pid_t pid;

	ASSERT_LE(0, other);
	ASSERT_LT(0, nsm_clone(other, INIT, CLONE_NEWNS));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nsm_counters c;
		int i, bad = 0;

		if (drop_sys_admin() || nsm_counters(self->fd, &c))
			_exit(2);
		for (i = 0; i < NSM_OBJ_SLOTS; i++)
			bad |= c.global[i] != 0;
		bad |= c.global_bytes != 0;
		bad |= c.world[NSM_OBJ_TASK] != 1 || !c.world_bytes;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(other);
}

struct stuck {
	int fd;
	char *page;
	long ret;
};

static void *mkdir_on_page(void *arg)
{
	struct stuck *st = arg;

	st->ret = nsm_mkdir(st->fd, INIT, st->page);
	return NULL;
}

/*
 * User memory is read before the world lock is taken: one thread's MKDIR
 * faults on a userfaultfd page nobody serves yet, and meanwhile a forked
 * child's COUNTERS and MKDIR on the same world go through.  Once the page
 * is served (zeros: an empty path) the MKDIR fails with ENOENT.
 */
TEST_F(core, user_fault_holds_no_lock)
{
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_zeropage zp = { .mode = 0 };
	struct stuck st = { .fd = self->fd };
	struct pollfd pfd;
	pthread_t thr;
	int uffd, status = 0, i;
	pid_t pid, done = 0;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	st.page = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st.page);
	reg.range.start = (uintptr_t)st.page;
	reg.range.len = page;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	ASSERT_EQ(0, pthread_create(&thr, NULL, mkdir_on_page, &st));
	pfd.fd = uffd;
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, 10000));	/* the caller has faulted */

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nsm_counters c;

		_exit(nsm_counters(self->fd, &c) ||
		      nsm_mkdir(self->fd, INIT, "/meanwhile") ? 1 : 0);
	}
	for (i = 0; i < 100 && !done; i++) {
		done = waitpid(pid, &status, WNOHANG);
		if (!done)
			usleep(100000);
	}
	EXPECT_EQ(pid, done);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}

	/* let the caller go: an empty path */
	zp.range.start = (uintptr_t)st.page;
	zp.range.len = page;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zp));
	ASSERT_EQ(0, pthread_join(thr, NULL));
	EXPECT_EQ(-ENOENT, st.ret);
	EXPECT_EQ(0, nsm_stat(self->fd, INIT, "/meanwhile", NULL));
	close(uffd);
	munmap(st.page, page);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* a mount in a child process, killed after @delay seconds (0: never) */
static int mount_killed(int fd, const char *target, double delay,
			double *died_after)
{
	int status;
	double t0;
	pid_t pid;

	t0 = now_s();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(nsm_tmpfs(fd, INIT, target) ? 1 : 0);
	if (delay > 0) {
		usleep(delay * 1e6);
		kill(pid, SIGKILL);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	*died_after = now_s() - t0;
	return status;
}

#define NR_PEERS 10000

/*
 * A mount on a shared mount with 10,000 peers makes 10,000 copies in one
 * call; its lazy umount removes them in one call, and closing the world
 * frees 10,000 more.  None of these may stall a CPU (vm-run and
 * guest-debug-tests look for soft-lockup, RCU-stall and hung-task
 * reports), and the propagating mount stops for SIGKILL: the killed
 * caller dies long before the call would have ended, and leaves either
 * nothing or everything (it may have finished first).
 */
TEST_F_TIMEOUT(core, propagation_to_10000_peers_killable, 1800)
{
	char name[32];
	double full, died;
	long base, n;
	int i, status, fd;

	fd = nsm_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, nsm_tmpfs_at(fd, INIT, "/s"));
	ASSERT_EQ(0, nsm_mount(fd, INIT, NULL, "/s", NULL, MS_SHARED, NULL));
	ASSERT_EQ(0, nsm_mkdir(fd, INIT, "/s/x"));
	ASSERT_EQ(0, nsm_mkdir(fd, INIT, "/p"));
	for (i = 1; i < NR_PEERS; i++) {
		snprintf(name, sizeof(name), "/p/%d", i);
		ASSERT_EQ(0, nsm_mkdir(fd, INIT, name));
		ASSERT_EQ(0, nsm_bind(fd, INIT, "/s", name)) TH_LOG("%s", name);
	}
	base = nsm_world_count(fd, NSM_OBJ_MOUNT);

	/* the whole propagation, timed */
	status = mount_killed(fd, "/s/x", 0, &full);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(base + NR_PEERS, nsm_world_count(fd, NSM_OBJ_MOUNT));
	TH_LOG("a mount propagated to %d peers: %.3f s", NR_PEERS, full);
	EXPECT_EQ(0, nsm_umount(fd, INIT, "/s/x", MNT_DETACH));
	EXPECT_EQ(base, nsm_world_count(fd, NSM_OBJ_MOUNT));

	/* killed a quarter of the way in */
	status = mount_killed(fd, "/s/x", full / 4, &died);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	TH_LOG("killed after %.3f s, dead after %.3f s", full / 4, died);
	EXPECT_GT(full * 3 / 4, died);
	n = nsm_world_count(fd, NSM_OBJ_MOUNT);
	EXPECT_TRUE(n == base || n == base + NR_PEERS) TH_LOG("%ld mounts", n);
	if (n != base)
		EXPECT_EQ(0, nsm_umount(fd, INIT, "/s/x", MNT_DETACH));

	/* and once more, left in place for the close */
	status = mount_killed(fd, "/s/x", 0, &died);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, close(fd));
}

/*
 * 32 nested pid namespaces (the deepest create_pid_namespace() allows),
 * each init with a child of its own, then the exit of task 1: every task
 * of every level goes with it, depth first through each init's exit.
 */
TEST_F(core, exit_of_task_1_over_32_nested_pid_namespaces)
{
	long t = INIT, c;
	int level;

	for (level = 1; level <= 32; level++) {
		c = nsm_clone(self->fd, t, CLONE_NEWPID);
		ASSERT_LT(0, c) TH_LOG("level %d: %ld", level, c);
		ASSERT_LT(0, nsm_clone(self->fd, c, 0));
		t = c;
	}
	EXPECT_EQ(65, nsm_world_count(self->fd, NSM_OBJ_TASK));
	EXPECT_EQ(0, nsm_exit(self->fd, INIT));
	EXPECT_EQ(0, nsm_world_count(self->fd, NSM_OBJ_TASK));
	EXPECT_EQ(0, ti(self->fd, t).task);
}


/*
 * The per-world memory bound, world_bytes_max: a world that would hold
 * more fails its allocation with ENOMEM and is otherwise unharmed; with
 * the bound raised again the same call succeeds.
 */
TEST_F(core, world_bytes_bounded)
{
	struct nsm_counters c;
	long old, ret = 0, d0, max;
	char name[300];
	int i;

	ASSERT_EQ(0, nsm_counters(self->fd, &c));
	d0 = nsm_world_count(self->fd, NSM_OBJ_DENTRY);
	max = c.world_bytes + (256 << 10);
	old = set_param("world_bytes_max", max);
	ASSERT_LT(0, old);
	memset(name, 'b', 200);
	for (i = 0; i < 100000 && !ret; i++) {
		snprintf(name + 200, 20, "%d", i);
		ret = nsm_mkdir(self->fd, INIT, name);
	}
	EXPECT_EQ(-ENOMEM, ret) TH_LOG("after %d directories", i);
	ASSERT_EQ(0, nsm_counters(self->fd, &c));
	EXPECT_GE(max, (long)c.world_bytes);
	/* every mkdir but the last made its directory, the last nothing */
	EXPECT_EQ(d0 + i - 1, nsm_world_count(self->fd, NSM_OBJ_DENTRY));
	EXPECT_EQ(-ENOENT, nsm_stat(self->fd, INIT, name, NULL));
	set_param("world_bytes_max", old);
	EXPECT_EQ(0, nsm_mkdir(self->fd, INIT, name));
}

/* At most mountinfo_files_max snapshots open per world, then ENFILE. */
TEST_F(core, mountinfo_files_bounded)
{
	struct nsm_mountinfo_args a = { .size = sizeof(a), .task = INIT };
	long old = set_param("mountinfo_files_max", 3);
	int fds[3], i;

	ASSERT_LT(0, old);
	for (i = 0; i < 3; i++) {
		ASSERT_LE(0, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
		fds[i] = a.fd;
	}
	EXPECT_EQ(-ENFILE, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	EXPECT_EQ(3, nsm_world_count(self->fd, NSM_OBJ_MOUNTINFO));
	EXPECT_EQ(0, close(fds[0]));
	EXPECT_LE(0, nsm_ioc(self->fd, NSM_IOC_MOUNTINFO, &a));
	fds[0] = a.fd;
	set_param("mountinfo_files_max", old);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, close(fds[i]));
}

/* read a cgroup file's number, or -1 */
static long cg_read(const char *dir, const char *file)
{
	char path[256], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static int cg_write(const char *dir, const char *file, const char *val)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

/* what the child in the memory cgroup reports */
struct memcg_report {
	long grown, world_grown;	/* memory.current and world_bytes */
	long err, dirs;			/* how the limit stopped it */
	long after_close;		/* memory.current once the world is gone */
	long start;
};

#define CG_ROOT "/sys/fs/cgroup"

/*
 * A world in a memory cgroup: its allocations are charged to the caller's
 * cgroup (GFP_KERNEL_ACCOUNT), so memory.current grows by about the bytes
 * the world says it holds, and the cgroup's limit stops it with ENOMEM
 * (the child may not be OOM-killed: oom_score_adj -1000, so the charge
 * fails instead).  Closing the world gives the memory back.
 */
TEST_F_TIMEOUT(core, memcg_charges_and_limits_a_world, 600)
{
	char cg[128], buf[32];
	struct memcg_report r = { 0 };
	int pfd[2], status;
	pid_t pid;

	if (access(CG_ROOT "/cgroup.controllers", F_OK) &&
	    mount("none", CG_ROOT, "cgroup2", 0, NULL))
		SKIP(return, "no cgroup2: %s", strerror(errno));
	if (cg_write(CG_ROOT, "cgroup.subtree_control", "+memory"))
		SKIP(return, "no memory controller: %s", strerror(errno));
	snprintf(cg, sizeof(cg), CG_ROOT "/nsm-memcg-%d", getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, pipe(pfd));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nsm_counters c0, c1;
		char name[300];
		long limit, ret = 0;
		int fd, i;

		close(pfd[0]);
		snprintf(buf, sizeof(buf), "%d", getpid());
		if (cg_write(cg, "cgroup.procs", buf) ||
		    cg_write("/proc/self", "oom_score_adj", "-1000"))
			_exit(2);
		memset(name, 'm', 200);
		r.start = cg_read(cg, "memory.current");
		fd = nsm_open();
		if (fd < 0 || nsm_counters(fd, &c0))
			_exit(3);
		/* 8,000 directories with long names: several MiB */
		for (i = 0; i < 8000 && !ret; i++) {
			snprintf(name + 200, 20, "%d", i);
			ret = nsm_mkdir(fd, INIT, name);
		}
		if (ret || nsm_counters(fd, &c1))
			_exit(4);
		r.grown = cg_read(cg, "memory.current") - r.start;
		r.world_grown = c1.world_bytes - c0.world_bytes;
		/* then a limit 2 MiB above what it has */
		limit = cg_read(cg, "memory.current") + (2 << 20);
		snprintf(buf, sizeof(buf), "%ld", limit);
		if (cg_write(cg, "memory.max", buf))
			_exit(5);
		for (; i < 1000000 && !ret; i++) {
			snprintf(name + 200, 20, "%d", i);
			ret = nsm_mkdir(fd, INIT, name);
		}
		r.err = ret;
		r.dirs = i;
		close(fd);
		cg_write(cg, "memory.max", "max");
		r.after_close = cg_read(cg, "memory.current");
		_exit(write(pfd[1], &r, sizeof(r)) == sizeof(r) ? 0 : 6);
	}
	close(pfd[1]);
	ASSERT_EQ(sizeof(r), read(pfd[0], &r, sizeof(r)));
	close(pfd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status 0x%x", status);
	TH_LOG("memory.current +%ld for %ld world bytes; limit: %s after %ld directories; %ld left after close (%ld at start)",
	       r.grown, r.world_grown, strerror(-r.err), r.dirs,
	       r.after_close, r.start);
	/*
	 * about the world's bytes: slab rounding (1.7 times on Debian's
	 * 6.1), and on the debug kernels KASAN's redzones and metadata on
	 * every object (3.3 times): no more than 4 times
	 */
	EXPECT_LT(r.world_grown * 9 / 10, r.grown);
	EXPECT_GT(r.world_grown * 4, r.grown);
	EXPECT_EQ(-ENOMEM, r.err);
	/* the world's memory came back (the child's own pages stay) */
	EXPECT_GT(r.start + (1 << 20), r.after_close);
	rmdir(cg);
}

TEST_HARNESS_MAIN
