// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel backend: the oracle.  Every scenario task is a real process
 * that performs the scenario's system calls itself.
 *
 *   runner (nsmctl, in the caller's namespaces)
 *     `- world: setns() into the runner's own set of net, ipc, uts and
 *        cgroup namespaces (made once per runner), unshare(NEWNS|NEWPID),
 *        / made MS_REC|MS_PRIVATE, a fresh tmpfs made the root with
 *        pivot_root(), the old root detached (under an initramfs, the
 *        guest's mounts on the rootfs too), hostname "nsmodel"
 *          `- task "init" (pid 1 of the world's pid namespace)
 *               `- tasks cloned by the scenario, with clone3(flags)
 *
 * Each task owns one end of an AF_UNIX SOCK_SEQPACKET pair; the runner owns
 * the other.  A command is one message, the answer one message (0 or the
 * errno).  "clone" sends the parent task a fresh socket pair end with
 * SCM_RIGHTS: the parent calls clone3() and the child adopts that socket and
 * says hello; the runner learns the child's pid (in its own pid namespace)
 * from SCM_CREDENTIALS.  setns is done with a pidfd of the target (opened by
 * the runner, passed with SCM_RIGHTS) and the kind mask, as setns(2) allows
 * since 5.8.  Views (mountinfo, ns ids, NSpid) are read by the runner from
 * /proc/PID; path probes, getcwd and uname are done by the task itself
 * (getcwd and uname in one round trip, kept until the next action).
 *
 * A NEWUSER child (or a task after unshare(NEWUSER)) gets "deny" in
 * setgroups and "0 <uid> 1" / "0 <gid> 1" in uid_map / gid_map before it
 * runs any other command: a helper forked by the runner enters the user
 * namespace the new one was created in (the only place the kernel accepts
 * the write from, besides the namespace itself) and writes the maps, with
 * the creator's effective ids as that namespace sees them.
 *
 * Nothing is left behind: the scratch tmpfs exists only in the world's
 * mount namespace, which dies with its last task; closing the world kills
 * its pid 1, and with it every task.  Every wait is a poll() with a
 * timeout, so a hung or dead task is a failed command, never a hung runner.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <dirent.h>
#include <ftw.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/nsfs.h>
#include <linux/sched.h>

#include "nsmctl.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_fsopen
#define SYS_fsopen 430
#endif
#ifndef SYS_fsconfig
#define SYS_fsconfig 431
#endif
#ifndef SYS_fsmount
#define SYS_fsmount 432
#endif
#ifndef SYS_fspick
#define SYS_fspick 433
#endif

int kernel_timeout_ms = 10000;

enum kop {
	K_HELLO, K_CLONE, K_UNSHARE, K_SETNS, K_EXIT, K_SETUID, K_HOSTNAME,
	K_MKDIR, K_MOUNT, K_UMOUNT, K_CHROOT, K_CHDIR, K_STAT,
	K_TOUCH, K_UNLINK, K_RMDIR, K_NSBIND, K_SETNS_PATH,
	K_PIVOT_ROOT, K_OPEN_TREE, K_MOVE_MOUNT, K_CLOSE, K_SETATTR, K_VIEW,
	K_FSOPEN, K_FSCONFIG, K_FSMOUNT, K_FSPICK,
};

/* K_FSCONFIG: which of s1 (the key) and s2 (the value) are given */
#define K_FSCONFIG_KEY		0x1
#define K_FSCONFIG_VALUE	0x2

/*
 * A command to a task.  The strings go whole, whatever their length (the
 * system call, not the runner, decides what is too long): on the wire a
 * struct kwire, then each string with its NUL; the receiver points s1..s4
 * into its copy ("" for none).
 */
struct kmsg {
	int op;
	unsigned int uid;
	unsigned long flags;
	int fd1, fd2;		/* descriptors of the task (move_mount, close) */
	unsigned long long v[3];	/* K_SETATTR: struct mount_attr */
	const char *s1, *s2, *s3, *s4;
};

struct kwire {
	int op;
	unsigned int uid;
	unsigned long flags;
	int fd1, fd2;
	unsigned long long v[3];
	size_t len[4];		/* of s1..s4, their NULs included */
};

/*
 * The reply: an errno and a short answer (getcwd's fits one page).  Only
 * the used part of out goes on the wire, up to its NUL.
 */
#define KSTR 4096
#define KHOST 65		/* a nodename and its NUL */

struct krep {
	int err;
	unsigned int mode;	/* K_STAT: st_mode */
	int fd;			/* K_OPEN_TREE, K_FS*: the new descriptor */
	int host_err;		/* K_VIEW: uname(2)'s errno, host its answer */
	char host[KHOST];
	char out[KSTR];
};

/*
 * A descriptor a task holds: its number in that task's own fd table.  A
 * clone copies the parent's (fork gives the child the same numbers, on
 * the same open files), exit drops them with the process.
 */
struct kfd {
	char *name;		/* without the '%' */
	int fd;
};

/*
 * A task's getcwd and hostname as one K_VIEW round trip read them, kept
 * until the next action: "show T cwd" and "show T hostname" after the same
 * action cost one message to the task, not two.
 */
struct kview {
	int valid;
	int cwd_err, host_err;
	char cwd[KSTR];
	char host[KHOST];
};

struct ktask {
	char *name;
	pid_t pid;		/* in the runner's pid namespace */
	int sock;		/* the runner's end */
	int pidfd;
	int alive;
	struct kfd *fds;
	int nr_fds;
	struct kview *view;
};

struct backend {
	pid_t world;		/* the process that owns the namespaces */
	struct ktask *t;
	int nr;
	int base_level;		/* NSpid fields above the world's pid ns */
};

/* ---- messages --------------------------------------------------------- */

static int send_fd(int sock, const void *buf, size_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *cm;

		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* Receive one message; *fd gets a passed fd (or -1), *pid the sender. */
static ssize_t recv_msg(int sock, void *buf, size_t len, int *fd, pid_t *pid)
{
	char cbuf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	if (fd)
		*fd = -1;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return n;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET)
			continue;
		if (cm->cmsg_type == SCM_RIGHTS) {
			int got;

			memcpy(&got, CMSG_DATA(cm), sizeof(int));
			if (fd)
				*fd = got;
			else
				close(got);
		} else if (cm->cmsg_type == SCM_CREDENTIALS && pid) {
			struct ucred uc;

			memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
			*pid = uc.pid;
		}
	}
	return n;
}

/* Send @m (and @fd, if >= 0) as one message; 0 or -1 with errno. */
static int send_kmsg(int sock, const struct kmsg *m, int fd)
{
	const char *str[4] = { m->s1, m->s2, m->s3, m->s4 };
	struct kwire h = {
		.op = m->op, .uid = m->uid, .flags = m->flags,
		.fd1 = m->fd1, .fd2 = m->fd2,
		.v = { m->v[0], m->v[1], m->v[2] },
	};
	size_t total = sizeof(h);
	char *buf, *p;
	int r;

	for (int i = 0; i < 4; i++) {
		h.len[i] = strlen(str[i] ? str[i] : "") + 1;
		total += h.len[i];
	}
	buf = xmalloc(total);
	memcpy(buf, &h, sizeof(h));
	p = buf + sizeof(h);
	for (int i = 0; i < 4; i++) {
		memcpy(p, str[i] ? str[i] : "", h.len[i]);
		p += h.len[i];
	}
	/* a datagram must fit the send buffer: make room (we are root) */
	if (total > 65536)
		setsockopt(sock, SOL_SOCKET, SO_SNDBUFFORCE,
			   &(int){ (int)(2 * total + 65536) }, sizeof(int));
	r = send_fd(sock, buf, total, fd);
	free(buf);
	return r;
}

/*
 * Receive one command into *@buf (grown to its size) and unpack it into
 * @m; the message length, 0 at hang-up, or -1.
 */
static ssize_t recv_kmsg(int sock, char **buf, size_t *cap, struct kmsg *m,
			 int *fd)
{
	const char **str[4] = { &m->s1, &m->s2, &m->s3, &m->s4 };
	struct kwire h;
	ssize_t n;
	char *p;

	/* the length first, without taking the message (or its fd) */
	do
		n = recv(sock, NULL, 0, MSG_PEEK | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n;
	if ((size_t)n > *cap) {
		*buf = xrealloc(*buf, n);
		*cap = n;
	}
	n = recv_msg(sock, *buf, *cap, fd, NULL);
	if (n < (ssize_t)sizeof(h))
		return n <= 0 ? n : -1;
	memcpy(&h, *buf, sizeof(h));
	m->op = h.op;
	m->uid = h.uid;
	m->flags = h.flags;
	m->fd1 = h.fd1;
	m->fd2 = h.fd2;
	memcpy(m->v, h.v, sizeof(m->v));
	p = *buf + sizeof(h);
	for (int i = 0; i < 4; i++) {
		if (h.len[i] < 1 || h.len[i] > (size_t)(*buf + n - p) ||
		    p[h.len[i] - 1])
			return -1;
		*str[i] = p;
		p += h.len[i];
	}
	return n;
}

/* Wait for fd to be readable; 0, R_TIMEOUT or R_DEAD (hang-up only). */
static int wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return R_TIMEOUT;
	if (r < 0)
		return R_INTERNAL;
	return 0;
}

/* ---- the task side ---------------------------------------------------- */

static int task_sock;

/* mkdir(2) of each prefix of @path, then a check that it is a directory */
static int mkdir_p(const char *path)
{
	char *buf = xstrdup(path);

	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = 0;
			if (buf[0] && mkdir(buf, 0755) && errno != EEXIST) {
				int e = errno;

				free(buf);
				return e;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	free(buf);
	/* the last component must be a directory now */
	{
		struct stat st;

		if (stat(path, &st))
			return errno;
		if (!S_ISDIR(st.st_mode))
			return EEXIST;
	}
	return 0;
}

/*
 * mount --bind /proc/PID/ns/KIND PATH, where @nsdir is the runner's fd of
 * /proc/PID/ns (the world has no /proc of its own): the source is looked
 * up from there as the cwd, the absolute target from the task's root;
 * the cwd is put back afterwards.
 */
static int nsbind(int nsdir, const char *kind, const char *path)
{
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), r;

	if (cwd < 0 || nsdir < 0)
		return cwd < 0 ? errno : EBADF;
	if (fchdir(nsdir)) {
		r = errno;
		close(cwd);
		return r;
	}
	r = mount(kind, path, NULL, MS_BIND, NULL) ? errno : 0;
	if (fchdir(cwd))
		r = r ? r : errno;
	close(cwd);
	return r;
}

static int do_clone(unsigned long flags, int newsock)
{
	struct clone_args ca = {
		.flags = flags,
		.exit_signal = SIGCHLD,
	};
	long pid = syscall(SYS_clone3, &ca, sizeof(ca));

	if (pid < 0) {
		int e = errno;

		close(newsock);
		return e;
	}
	if (pid == 0) {
		/* the child: adopt the new socket and say hello */
		struct krep hello = { .err = 0 };

		close(task_sock);
		task_sock = newsock;
		send_fd(task_sock, &hello, sizeof(hello), -1);
		return -1;	/* no answer from the child */
	}
	close(newsock);
	return 0;
}

static int pivot_root(const char *new_root, const char *put_old)
{
	return syscall(SYS_pivot_root, new_root, put_old);
}

/* mount_setattr(2), whatever the attributes: the kernel checks them */
static int do_setattr(int dfd, const char *path, unsigned int flags,
		      const unsigned long long v[3])
{
	struct mount_attr attr = {
		.attr_set = v[0], .attr_clr = v[1], .propagation = v[2],
	};

	return syscall(SYS_mount_setattr, dfd, path, flags, &attr,
		       sizeof(attr)) ? errno : 0;
}

static int task_do(struct kmsg *m, int fd, struct krep *rep)
{
	int r = 0;

	switch (m->op) {
	case K_CLONE:
		r = do_clone(m->flags, fd);
		fd = -1;
		break;
	case K_UNSHARE:
		r = unshare(m->flags) ? errno : 0;
		break;
	case K_SETNS:
		r = setns(fd, m->flags) ? errno : 0;
		break;
	case K_EXIT:
		_exit(0);
	case K_SETUID:
		r = setresuid(m->uid, m->uid, m->uid) ? errno : 0;
		break;
	case K_HOSTNAME:
		/* for nsmctl's own tests of the timeout: hang on purpose */
		if (getenv("NSMCTL_TEST_HANG") &&
		    !strcmp(getenv("NSMCTL_TEST_HANG"), m->s1))
			for (;;)
				pause();
		r = sethostname(m->s1, strlen(m->s1)) ? errno : 0;
		break;
	case K_MKDIR:
		r = mkdir_p(m->s1);
		break;
	case K_MOUNT:
		r = mount(m->s1[0] ? m->s1 : NULL, m->s2,
			  m->s3[0] ? m->s3 : NULL, m->flags,
			  m->s4[0] ? m->s4 : NULL) ? errno : 0;
		break;
	case K_UMOUNT:
		r = umount2(m->s1, m->flags) ? errno : 0;
		break;
	case K_CHROOT:
		r = chroot(m->s1) ? errno : 0;
		break;
	case K_CHDIR:
		r = chdir(m->s1) ? errno : 0;
		break;
	case K_PIVOT_ROOT:
		r = pivot_root(m->s1, m->s2) ? errno : 0;
		break;
	case K_SETATTR:
		r = do_setattr(m->fd1, m->s1, m->flags, m->v);
		break;
	case K_STAT: {
		struct stat st;

		r = stat(m->s1, &st) ? errno : 0;
		rep->mode = r ? 0 : st.st_mode;
		break;
	}
	case K_TOUCH: {
		/* as touch(1) opens: O_CREAT without O_EXCL or O_TRUNC */
		int f = open(m->s1, O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC,
			     0666);

		r = f < 0 ? errno : 0;
		if (f >= 0)
			close(f);
		break;
	}
	case K_UNLINK:
		r = unlink(m->s1) ? errno : 0;
		break;
	case K_NSBIND:
		r = nsbind(fd, m->s1, m->s2);
		break;
	case K_SETNS_PATH: {
		int nsfd = open(m->s1, O_RDONLY | O_CLOEXEC);

		r = nsfd < 0 ? errno : setns(nsfd, m->flags) ? errno : 0;
		if (nsfd >= 0)
			close(nsfd);
		break;
	}
	case K_RMDIR:
		r = rmdir(m->s1) ? errno : 0;
		break;
	case K_OPEN_TREE:
		rep->fd = syscall(SYS_open_tree, AT_FDCWD, m->s1, m->flags);
		r = rep->fd < 0 ? errno : 0;
		break;
	case K_MOVE_MOUNT:
		/* a descriptor with "" and *_EMPTY_PATH, or a path */
		r = syscall(SYS_move_mount, m->fd1, m->s1, m->fd2, m->s2,
			    m->flags) ? errno : 0;
		break;
	case K_CLOSE:
		r = close(m->fd1) ? errno : 0;
		break;
	case K_FSOPEN:
		rep->fd = syscall(SYS_fsopen, m->s1, NSMCTL_FSOPEN_CLOEXEC);
		r = rep->fd < 0 ? errno : 0;
		break;
	case K_FSCONFIG:
		r = syscall(SYS_fsconfig, m->fd1, (unsigned int)m->flags,
			    m->v[0] & K_FSCONFIG_KEY ? m->s1 : NULL,
			    m->v[0] & K_FSCONFIG_VALUE ? m->s2 : NULL, 0) ?
		    errno : 0;
		break;
	case K_FSMOUNT:
		rep->fd = syscall(SYS_fsmount, m->fd1, NSMCTL_FSMOUNT_CLOEXEC,
				  (unsigned int)m->flags);
		r = rep->fd < 0 ? errno : 0;
		break;
	case K_FSPICK:
		rep->fd = syscall(SYS_fspick, m->fd1, m->s1, m->flags);
		r = rep->fd < 0 ? errno : 0;
		break;
	case K_VIEW: {
		/*
		 * getcwd's answer in out, its errno in err; uname's in host.
		 * The getcwd system call itself: glibc's getcwd() turns an
		 * "(unreachable)/..." answer into ENOENT.
		 */
		struct utsname u;

		r = syscall(SYS_getcwd, rep->out, sizeof(rep->out)) < 0 ?
		    errno : 0;
		rep->host_err = uname(&u) ? errno : 0;
		if (!rep->host_err)
			snprintf(rep->host, sizeof(rep->host), "%s", u.nodename);
		break;
	}
	default:
		r = EINVAL;
	}
	if (fd >= 0)
		close(fd);
	return r;
}

static __attribute__((noreturn)) void task_loop(void)
{
	static struct kmsg m;
	static struct krep rep;
	static char *buf;
	static size_t cap;

	for (;;) {
		int fd, r;
		ssize_t n = recv_kmsg(task_sock, &buf, &cap, &m, &fd);

		if (n <= 0)
			_exit(0);	/* the runner is gone */
		memset(&rep, 0, sizeof(rep));
		r = task_do(&m, fd, &rep);
		if (r < 0)
			continue;	/* a new child, which answers nothing */
		rep.err = r;
		rep.out[sizeof(rep.out) - 1] = 0;
		send_fd(task_sock, &rep, offsetof(struct krep, out) +
			strlen(rep.out) + 1, -1);
	}
}

/* ---- the world -------------------------------------------------------- */

/*
 * Lazily detach every mount on the namespace's root (the initramfs'
 * rootfs, our root for now) but the tmpfs just moved onto its "/": the
 * guest's /dev, /proc, /sys, /tmp.  Then the hidden root holds nothing
 * but the world's "/", as the model's does, and what is seen once "/" is
 * gone (umount -l /, then setns into the namespace) agrees.
 */
static int detach_rootfs_mounts(char *err, size_t len)
{
	char *text, point[KSTR];
	struct mnt *m;
	int nr, r, root = -1;

	r = sb_read_file("/proc/self/mountinfo", &text);
	if (r) {
		snprintf(err, len, "read mountinfo: %s", strerror(r));
		return -1;
	}
	r = mountinfo_parse(text, &m, &nr);
	free(text);
	if (r) {
		snprintf(err, len, "cannot parse mountinfo");
		return -1;
	}
	/* the namespace's root is its own parent */
	for (int i = 0; i < nr; i++)
		if (m[i].id == m[i].parent)
			root = m[i].id;
	for (int i = 0; i < nr && !r; i++) {
		if (m[i].parent != root || m[i].id == root ||
		    !strcmp(m[i].point, "/"))
			continue;
		path_unescape(m[i].point, point, sizeof(point));
		if (umount2(point, MNT_DETACH)) {
			snprintf(err, len, "detach %.200s: %s", point,
				 strerror(errno));
			r = -1;
		}
	}
	mountinfo_free(m, nr);
	return r;
}

/* Make a fresh tmpfs the root of this (new, private) mount namespace. */
static int make_scratch_root(char *err, size_t len)
{
	static const char *const dirs[] = { "/tmp", "/mnt", "/run", "/dev", "/proc" };
	const char *d = NULL;
	struct stat st;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		snprintf(err, len, "make / rprivate: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!stat(dirs[i], &st) && S_ISDIR(st.st_mode)) {
			d = dirs[i];
			break;
		}
	if (!d) {
		snprintf(err, len, "no directory to mount the scratch root on");
		return -1;
	}
	if (mount("tmpfs", d, "tmpfs", 0, "mode=755")) {
		snprintf(err, len, "mount tmpfs on %s: %s", d, strerror(errno));
		return -1;
	}
	if (chdir(d) || mkdir(".oldroot", 0700)) {
		snprintf(err, len, "prepare %s: %s", d, strerror(errno));
		return -1;
	}
	if (pivot_root(".", ".oldroot")) {
		if (errno != EINVAL) {
			snprintf(err, len, "pivot_root: %s", strerror(errno));
			return -1;
		}
		/*
		 * The root is the initramfs' rootfs, which has no parent and
		 * cannot be pivoted away.  Do what switch_root does first:
		 * move this tmpfs over "/" and chroot into it; then pivot
		 * from it onto a second tmpfs.  The guest's mounts on the
		 * rootfs go before the chroot, while their paths still
		 * resolve.
		 */
		if (mount(".", "/", NULL, MS_MOVE, NULL)) {
			snprintf(err, len, "switch_root fallback: %s",
				 strerror(errno));
			return -1;
		}
		if (detach_rootfs_mounts(err, len))
			return -1;
		if (chroot(".") ||
		    chdir("/") || mkdir("/scratch", 0755) ||
		    mount("tmpfs", "/scratch", "tmpfs", 0, "mode=755") ||
		    chdir("/scratch") || mkdir(".oldroot", 0700)) {
			snprintf(err, len, "switch_root fallback: %s",
				 strerror(errno));
			return -1;
		}
		if (pivot_root(".", ".oldroot")) {
			snprintf(err, len, "pivot_root (after switch_root): %s",
				 strerror(errno));
			return -1;
		}
	}
	if (chdir("/") || chroot(".") || umount2("/.oldroot", MNT_DETACH) ||
	    rmdir("/.oldroot")) {
		snprintf(err, len, "detach the old root: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The world's net, ipc, uts and cgroup namespaces: made once per runner,
 * kept open here and entered by every world.  A new network namespace is
 * the dearest part of a world (every pernet subsystem sets itself up and,
 * later, tears itself down), and no scenario command changes anything in
 * these four but the hostname, which each world sets again.  A scenario's
 * own NEW* flags still make new ones, as always.
 */
static const struct {
	const char *name;
	int flag;
} world_shared[] = {
	{ "net", CLONE_NEWNET }, { "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS }, { "cgroup", CLONE_NEWCGROUP },
};
#define NR_SHARED (int)(sizeof(world_shared) / sizeof(world_shared[0]))
static int shared_fd[NR_SHARED] = { -1, -1, -1, -1 };

/* Make them (once): a helper unshares them, we open its ns files. */
static int make_shared_ns(char *err, size_t len)
{
	int p[2], e = 0, flags = 0;
	pid_t h;

	if (shared_fd[0] >= 0)
		return 0;
	for (int i = 0; i < NR_SHARED; i++)
		flags |= world_shared[i].flag;
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(err, len, "pipe: %s", strerror(errno));
		return R_INTERNAL;
	}
	fflush(NULL);
	h = fork();
	if (h < 0) {
		snprintf(err, len, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return R_INTERNAL;
	}
	if (h == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		e = unshare(flags) ? errno : 0;
		if (write(p[1], &e, sizeof(e)) != sizeof(e))
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &e, sizeof(e)) != sizeof(e))
		e = EIO;
	close(p[0]);
	for (int i = 0; i < NR_SHARED && !e; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", h,
			 world_shared[i].name);
		shared_fd[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (shared_fd[i] < 0)
			e = errno;
	}
	kill(h, SIGKILL);
	while (waitpid(h, NULL, 0) < 0 && errno == EINTR)
		;
	if (e) {
		snprintf(err, len, "the world's shared namespaces: %s",
			 strerror(e));
		for (int i = 0; i < NR_SHARED; i++) {
			if (shared_fd[i] >= 0)
				close(shared_fd[i]);
			shared_fd[i] = -1;
		}
		return e;
	}
	return 0;
}

static __attribute__((noreturn)) void world_main(int sock, pid_t runner)
{
	struct krep rep = { 0 };
	pid_t init;
	int status;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != runner)
		_exit(1);
	for (int i = 0; i < NR_SHARED; i++)
		if (setns(shared_fd[i], world_shared[i].flag)) {
			rep.err = errno;
			snprintf(rep.out, sizeof(rep.out), "setns %s: %s",
				 world_shared[i].name, strerror(errno));
			goto fail;
		}
	/* nothing of the runner's but the socket goes on to the tasks */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != sock)
			close(fd);
	if (unshare(CLONE_NEWNS | CLONE_NEWPID)) {
		rep.err = errno;
		snprintf(rep.out, sizeof(rep.out), "unshare: %s", strerror(errno));
		goto fail;
	}
	if (make_scratch_root(rep.out, sizeof(rep.out))) {
		rep.err = errno ? errno : EIO;
		goto fail;
	}
	if (sethostname("nsmodel", 7)) {
		rep.err = errno;
		snprintf(rep.out, sizeof(rep.out), "sethostname: %s", strerror(errno));
		goto fail;
	}
	init = fork();
	if (init < 0) {
		rep.err = errno;
		snprintf(rep.out, sizeof(rep.out), "fork: %s", strerror(errno));
		goto fail;
	}
	if (init == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGCHLD, SIG_IGN);	/* exited tasks are reaped */
		task_sock = sock;
		send_fd(sock, &rep, sizeof(rep), -1);	/* hello */
		task_loop();
	}
	close(sock);
	while (waitpid(init, &status, 0) < 0 && errno == EINTR)
		;
	_exit(0);
fail:
	send_fd(sock, &rep, sizeof(rep), -1);
	_exit(1);
}

/* ---- the runner side -------------------------------------------------- */

static struct ktask *find(struct backend *b, const char *name)
{
	for (int i = 0; i < b->nr; i++)
		if (!strcmp(b->t[i].name, name) && b->t[i].alive)
			return &b->t[i];
	return NULL;
}

/* Has t's process exited (its pidfd is readable)? */
static int gone(struct ktask *t)
{
	struct pollfd p = { .fd = t->pidfd, .events = POLLIN };

	return t->pidfd >= 0 && poll(&p, 1, 0) > 0;
}

/* The task for a view read by the runner from /proc. */
static int viewed(struct backend *b, const char *name, struct ktask **t)
{
	*t = find(b, name);
	if (!*t)
		return R_NOTASK;
	if (gone(*t)) {
		(*t)->alive = 0;
		return R_DEAD;
	}
	return 0;
}

/* Wait for a hello on sock; the sender's pid, or R_*. */
static int wait_hello(int sock, pid_t *pid, struct krep *rep)
{
	int r = wait_readable(sock, kernel_timeout_ms);
	ssize_t n;

	if (r)
		return r;
	*pid = 0;
	n = recv_msg(sock, rep, sizeof(*rep), NULL, pid);
	if (n <= 0)
		return R_DEAD;
	return 0;
}

static void add_task(struct backend *b, const char *name, pid_t pid, int sock)
{
	struct ktask *t;

	b->t = xrealloc(b->t, (b->nr + 1) * sizeof(*b->t));
	t = &b->t[b->nr++];
	t->name = xstrdup(name);
	t->pid = pid;
	t->sock = sock;
	t->pidfd = syscall(SYS_pidfd_open, pid, 0);
	t->alive = 1;
	t->fds = NULL;
	t->nr_fds = 0;
	t->view = NULL;
}

static struct kfd *fd_find(struct ktask *t, const char *name)
{
	for (int i = 0; i < t->nr_fds; i++)
		if (!strcmp(t->fds[i].name, name))
			return &t->fds[i];
	return NULL;
}

static void fd_add(struct ktask *t, const char *name, int fd)
{
	t->fds = xrealloc(t->fds, (t->nr_fds + 1) * sizeof(*t->fds));
	t->fds[t->nr_fds].name = xstrdup(name);
	t->fds[t->nr_fds++].fd = fd;
}

static void fds_forget(struct ktask *t)
{
	for (int i = 0; i < t->nr_fds; i++)
		free(t->fds[i].name);
	free(t->fds);
	t->fds = NULL;
	t->nr_fds = 0;
}

/* FROM or TO of move_mount: a descriptor ("%NAME") or a path */
static void mm_side(struct ktask *t, const char *arg, int *fd,
		   const char **path, unsigned long *flags, unsigned long empty)
{
	struct kfd *f;

	if (arg[0] != '%') {
		*fd = AT_FDCWD;
		*path = arg;
		return;
	}
	/* unbound (its open_tree failed): -1, for the kernel to refuse */
	f = fd_find(t, arg + 1);
	*fd = f ? f->fd : -1;
	*path = "";
	*flags |= empty;
}

static int status_field(pid_t pid, const char *field, char *val, size_t len)
{
	char path[64], *text, *p;
	size_t fl = strlen(field);
	int r;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	r = sb_read_file(path, &text);
	if (r)
		return r;
	for (p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, field, fl) && p[fl] == ':') {
			char *e = strchr(p, '\n');

			p += fl + 1;
			while (*p == '\t' || *p == ' ')
				p++;
			if (e)
				*e = 0;
			snprintf(val, len, "%s", p);
			free(text);
			return 0;
		}
	}
	free(text);
	return ENOENT;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		r = errno;
	close(fd);
	return r;
}

/*
 * Give PID (just made a new user namespace) the maps "0 <euid> 1" and
 * "0 <egid> 1", written from the user namespace USERNS_FD (the one the new
 * one was created in) by a helper process.
 */
static int write_maps(pid_t pid, int userns_fd)
{
	pid_t h = fork();
	int status;

	if (h < 0)
		return R_INTERNAL;
	if (h == 0) {
		char path[64], val[128], map[64];
		unsigned int euid, egid, x;

		struct stat a, b;

		/* not needed (and EINVAL) when it is our own */
		if (fstat(userns_fd, &a) || stat("/proc/self/ns/user", &b))
			_exit(9);
		if ((a.st_ino != b.st_ino || a.st_dev != b.st_dev) &&
		    setns(userns_fd, CLONE_NEWUSER))
			_exit(10);
		if (status_field(pid, "Uid", val, sizeof(val)) ||
		    sscanf(val, "%u %u", &x, &euid) != 2 ||
		    status_field(pid, "Gid", val, sizeof(val)) ||
		    sscanf(val, "%u %u", &x, &egid) != 2)
			_exit(11);
		snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
		if (write_str(path, "deny"))
			_exit(12);
		snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
		snprintf(map, sizeof(map), "0 %u 1", euid);
		if (write_str(path, map))
			_exit(13);
		snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
		snprintf(map, sizeof(map), "0 %u 1", egid);
		if (write_str(path, map))
			_exit(14);
		_exit(0);
	}
	while (waitpid(h, &status, 0) < 0)
		if (errno != EINTR)
			return R_INTERNAL;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "nsmctl: writing the id maps of pid %d failed "
			"(step %d)\n", pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return R_INTERNAL;
	}
	return 0;
}

static int open_userns(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* Send one command to t (with fd), wait for the answer. */
static int call(struct backend *b, struct ktask *t, struct kmsg *m, int fd,
		struct krep *rep)
{
	ssize_t n;
	int r;

	(void)b;
	if (send_kmsg(t->sock, m, fd))
		return errno == EPIPE || errno == ECONNRESET ? R_DEAD : R_INTERNAL;
	r = wait_readable(t->sock, kernel_timeout_ms);
	if (r)
		return r;
	n = recv_msg(t->sock, rep, sizeof(*rep), NULL, NULL);
	if (n <= 0) {
		t->alive = 0;
		return R_DEAD;
	}
	return rep->err;
}

static int k_clone(struct backend *b, struct ktask *t, const struct cmd *c)
{
	static struct kmsg m;
	static struct krep rep;
	int sv[2], userns = -1, r;
	pid_t pid = 0;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return R_INTERNAL;
	setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
	if (c->flags & CLONE_NEWUSER)
		userns = open_userns(t->pid);
	memset(&m, 0, sizeof(m));
	m.op = K_CLONE;
	m.flags = c->flags;
	r = call(b, t, &m, sv[1], &rep);
	close(sv[1]);
	if (r) {
		close(sv[0]);
		if (userns >= 0)
			close(userns);
		return r;
	}
	r = wait_hello(sv[0], &pid, &rep);
	if (!r && !pid)
		r = R_INTERNAL;
	if (!r && (c->flags & CLONE_NEWUSER))
		r = userns < 0 ? R_INTERNAL : write_maps(pid, userns);
	if (userns >= 0)
		close(userns);
	if (r) {
		close(sv[0]);
		if (pid > 0) {
			int pfd = syscall(SYS_pidfd_open, pid, 0);

			if (pfd >= 0) {
				syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0);
				close(pfd);
			}
		}
		return r;
	}
	add_task(b, c->task2, pid, sv[0]);
	/* add_task() may move the table: the parent again, by name */
	t = find(b, c->task);
	for (int i = 0; t && i < t->nr_fds; i++)
		fd_add(&b->t[b->nr - 1], t->fds[i].name, t->fds[i].fd);
	return 0;
}

/* the descriptor TASK holds as NAME; -1 for one a failed call left unbound */
static int kfd_of(struct ktask *t, const char *name)
{
	struct kfd *f = fd_find(t, name);

	return f ? f->fd : -1;
}

static int k_fsconfig(struct backend *b, struct ktask *t, int fd,
		      unsigned int cmd, const char *key, const char *val)
{
	struct kmsg m = { .op = K_FSCONFIG, .fd1 = fd, .flags = cmd };
	struct krep rep;

	m.s1 = key;
	m.s2 = val;
	m.v[0] = (key ? K_FSCONFIG_KEY : 0) | (val ? K_FSCONFIG_VALUE : 0);
	return call(b, t, &m, -1, &rep);
}

static int k_fsmount(struct backend *b, struct ktask *t, int fs_fd,
		     unsigned long attrs, int *fd)
{
	struct kmsg m = { .op = K_FSMOUNT, .fd1 = fs_fd, .flags = attrs };
	struct krep rep;
	int r = call(b, t, &m, -1, &rep);

	*fd = rep.fd;
	return r;
}

/*
 * fsmount TASK %FD FSTYPE SOURCE [OPTIONS]: the task's fsopen, the
 * fsconfig calls of fsmount_steps(), its fsmount and the close of the
 * context, each a system call of its own, stopping at the first error.
 */
static int k_fsmount_new(struct backend *b, struct ktask *t,
			 const struct cmd *c, int *fd)
{
	struct kmsg m = { .op = K_FSOPEN, .s1 = c->a2 };
	struct fsmount_step *st;
	struct krep rep;
	int r, nr, ctx;

	r = call(b, t, &m, -1, &rep);
	if (r)
		return r;
	ctx = rep.fd;
	nr = fsmount_steps(c, &st);
	for (int i = 0; i < nr && !r; i++)
		r = k_fsconfig(b, t, ctx, st[i].cmd, st[i].key, st[i].val);
	fsmount_steps_free(st, nr);
	if (!r)
		r = k_fsmount(b, t, ctx, 0, fd);
	m = (struct kmsg){ .op = K_CLOSE, .fd1 = ctx };
	if (call(b, t, &m, -1, &rep) && !r)
		r = R_INTERNAL;
	return r;
}

static int k_act(struct backend *b, const struct cmd *c)
{
	static struct kmsg m;
	static struct krep rep;
	struct ktask *t = find(b, c->task), *t2;
	int fd = -1, r, userns = -1;

	/* an action may change any task's views */
	for (int i = 0; i < b->nr; i++)
		if (b->t[i].view)
			b->t[i].view->valid = 0;
	if (!t)
		return R_NOTASK;
	memset(&m, 0, sizeof(m));
	switch (c->op) {
	case OP_CLONE:
		return k_clone(b, t, c);
	case OP_UNSHARE:
		m.op = K_UNSHARE;
		m.flags = c->flags;
		if (c->flags & CLONE_NEWUSER)
			userns = open_userns(t->pid);
		r = call(b, t, &m, -1, &rep);
		if (!r && (c->flags & CLONE_NEWUSER))
			r = userns < 0 ? R_INTERNAL : write_maps(t->pid, userns);
		if (userns >= 0)
			close(userns);
		return r;
	case OP_SETNS:
		if (!c->task2) {
			m.op = K_SETNS_PATH;
			m.flags = c->flags;
			m.s1 = c->a1;
			break;
		}
		t2 = find(b, c->task2);
		if (!t2)
			return R_NOTASK;
		m.op = K_SETNS;
		m.flags = c->flags;
		fd = t2->pidfd;
		if (fd < 0)
			return R_INTERNAL;
		break;
	case OP_EXIT: {
		struct pollfd p = { .fd = t->pidfd, .events = POLLIN };

		m.op = K_EXIT;
		if (send_kmsg(t->sock, &m, -1))
			return R_DEAD;
		/* the pidfd is readable once the task has exited */
		r = poll(&p, 1, kernel_timeout_ms);
		if (r <= 0)
			return R_TIMEOUT;
		t->alive = 0;
		close(t->sock);
		close(t->pidfd);
		t->sock = t->pidfd = -1;
		fds_forget(t);
		return 0;
	}
	case OP_OPEN_TREE:
		m.op = K_OPEN_TREE;
		m.flags = c->flags;
		m.s1 = c->a2;
		r = call(b, t, &m, -1, &rep);
		if (!r)
			fd_add(t, c->a1, rep.fd);
		return r;
	case OP_MOVE_MOUNT:
		m.op = K_MOVE_MOUNT;
		m.flags = c->flags;
		mm_side(t, c->a1, &m.fd1, &m.s1, &m.flags,
			NSMCTL_MOVE_MOUNT_F_EMPTY_PATH);
		mm_side(t, c->a2, &m.fd2, &m.s2, &m.flags,
			NSMCTL_MOVE_MOUNT_T_EMPTY_PATH);
		break;
	case OP_FSOPEN:
	case OP_FSPICK:
		m.op = c->op == OP_FSOPEN ? K_FSOPEN : K_FSPICK;
		m.s1 = c->a2;
		m.fd1 = AT_FDCWD;
		m.flags = NSMCTL_FSPICK_CLOEXEC;
		if (c->op == OP_FSPICK && c->a2[0] == '%')
			mm_side(t, c->a2, &m.fd1, &m.s1, &m.flags,
				NSMCTL_FSPICK_EMPTY_PATH);
		r = call(b, t, &m, -1, &rep);
		if (!r)
			fd_add(t, c->a1, rep.fd);
		return r;
	case OP_FSCONFIG:
		return k_fsconfig(b, t, kfd_of(t, c->a1), c->sub, c->a2, c->a3);
	case OP_FSMOUNT:
		if (c->a2[0] == '%')
			r = k_fsmount(b, t, kfd_of(t, c->a2 + 1), c->flags, &fd);
		else
			r = k_fsmount_new(b, t, c, &fd);
		if (!r)
			fd_add(t, c->a1, fd);
		return r;
	case OP_CLOSE: {
		struct kfd *f = fd_find(t, c->a1);

		m.op = K_CLOSE;
		m.fd1 = f ? f->fd : -1;
		r = call(b, t, &m, -1, &rep);
		if (f) {
			free(f->name);
			*f = t->fds[--t->nr_fds];
		}
		return r;
	}
	case OP_SETUID:
		m.op = K_SETUID;
		m.uid = c->uid;
		break;
	case OP_HOSTNAME:
		m.op = K_HOSTNAME;
		m.s1 = c->a1;
		break;
	case OP_NSBIND: {
		char dir[64];

		t2 = find(b, c->task2);
		if (!t2)
			return R_NOTASK;
		snprintf(dir, sizeof(dir), "/proc/%d/ns", t2->pid);
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return R_INTERNAL;
		m.op = K_NSBIND;
		m.s1 = ns_kind_names[c->kind];
		m.s2 = c->a1;
		r = call(b, t, &m, fd, &rep);
		close(fd);
		return r;
	}
	case OP_MKDIR:
	case OP_CHROOT:
	case OP_CHDIR:
	case OP_TOUCH:
	case OP_UNLINK:
	case OP_RMDIR:
		m.op = c->op == OP_MKDIR ? K_MKDIR :
		       c->op == OP_CHROOT ? K_CHROOT :
		       c->op == OP_TOUCH ? K_TOUCH :
		       c->op == OP_UNLINK ? K_UNLINK :
		       c->op == OP_RMDIR ? K_RMDIR : K_CHDIR;
		m.s1 = c->a1;
		break;
	case OP_MOUNT:
		m.op = K_MOUNT;
		m.flags = c->flags;
		m.s1 = c->a2;
		m.s2 = c->a3;
		m.s3 = c->a1;
		m.s4 = c->data;
		break;
	case OP_BIND:
	case OP_MOVE:
		m.op = K_MOUNT;
		m.flags = c->op == OP_MOVE ? MS_MOVE :
			  MS_BIND | (c->rec ? MS_REC : 0);
		m.s1 = c->a1;
		m.s2 = c->a2;
		break;
	case OP_REMOUNT:
		/* mount(NULL, PATH, NULL, MS_REMOUNT[|MS_BIND]|flags, data) */
		m.op = K_MOUNT;
		m.flags = MS_REMOUNT | (c->rec ? MS_BIND : 0) | c->flags;
		m.s2 = c->a1;
		m.s4 = c->data;
		break;
	case OP_PIVOT_ROOT:
		m.op = K_PIVOT_ROOT;
		m.s1 = c->a1;
		m.s2 = c->a2;
		break;
	case OP_SETATTR:
		m.op = K_SETATTR;
		m.flags = c->rec ? AT_RECURSIVE : 0;
		m.v[0] = c->attr_set;
		m.v[1] = c->attr_clr;
		m.v[2] = c->attr_prop;
		/* a descriptor: "" and AT_EMPTY_PATH */
		mm_side(t, c->a1, &m.fd1, &m.s1, &m.flags, AT_EMPTY_PATH);
		break;
	case OP_UMOUNT:
		m.op = K_UMOUNT;
		m.flags = c->rec ? MNT_DETACH : 0;
		m.s1 = c->a1;
		break;
	case OP_MAKE: {
		static const unsigned long ms[] = {
			[PROP_SHARED] = MS_SHARED, [PROP_SLAVE] = MS_SLAVE,
			[PROP_PRIVATE] = MS_PRIVATE,
			[PROP_UNBINDABLE] = MS_UNBINDABLE,
		};

		m.op = K_MOUNT;
		m.flags = ms[c->sub] | (c->rec ? MS_REC : 0);
		m.s1 = "none";
		m.s2 = c->a1;
		break;
	}
	default:
		return R_INTERNAL;
	}
	return call(b, t, &m, fd, &rep);
}

static int k_mountinfo(struct backend *b, const char *task, char **text)
{
	struct ktask *t;
	char path[64];
	int r = viewed(b, task, &t);

	if (r)
		return r;
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", t->pid);
	r = sb_read_file(path, text);
	return r == ENOENT || r == ESRCH ? R_DEAD : r;
}

/*
 * The tree behind the task's descriptor NAME, as a walk from it finds it
 * (fdtree.c).  The runner walks a copy of the task's fd (pidfd_getfd(2):
 * the same open file, so closing the copy dissolves nothing); a name
 * whose open_tree failed holds no fd: EBADF, as the model says.
 */
static int k_fd_tree(struct backend *b, const char *task, const char *name,
		     char **text)
{
	struct ktask *t;
	struct kfd *f;
	int fd, r = viewed(b, task, &t);

	if (r)
		return r;
	f = fd_find(t, name);
	if (!f)
		return EBADF;
	fd = syscall(SYS_pidfd_getfd, t->pidfd, f->fd, 0);
	if (fd < 0)
		return errno == ESRCH ? R_DEAD : errno;
	r = fdtree_walk(fd, text);
	close(fd);
	return r;
}

/* stat(2) by the task itself: its root, cwd and mounts decide */
static int k_stat(struct backend *b, const char *task, const char *path,
		  unsigned int *mode)
{
	static struct kmsg m;
	static struct krep rep;
	struct ktask *t = find(b, task);
	int r;

	if (!t)
		return R_NOTASK;
	memset(&m, 0, sizeof(m));
	m.op = K_STAT;
	m.s1 = path;
	r = call(b, t, &m, -1, &rep);
	if (!r && mode)
		*mode = rep.mode;
	return r;
}

/* The task's K_VIEW answers, asked for once after each action. */
static int k_view(struct backend *b, const char *task, struct kview **vp)
{
	static struct kmsg m;
	static struct krep rep;
	struct ktask *t = find(b, task);
	struct kview *v;
	int r;

	if (!t)
		return R_NOTASK;
	if (!t->view)
		t->view = xcalloc(1, sizeof(*t->view));
	v = t->view;
	if (!v->valid) {
		memset(&m, 0, sizeof(m));
		m.op = K_VIEW;
		r = call(b, t, &m, -1, &rep);
		if (r < 0)
			return r;
		v->cwd_err = r;
		v->host_err = rep.host_err;
		snprintf(v->cwd, sizeof(v->cwd), "%s", r ? "" : rep.out);
		snprintf(v->host, sizeof(v->host), "%s",
			 rep.host_err ? "" : rep.host);
		v->valid = 1;
	}
	*vp = v;
	return 0;
}

static int k_cwd(struct backend *b, const char *task, char *buf, size_t len)
{
	struct kview *v;
	int r = k_view(b, task, &v);

	if (r)
		return r;
	if (!v->cwd_err)
		snprintf(buf, len, "%s", v->cwd);
	return v->cwd_err;
}

static int k_hostname(struct backend *b, const char *task, char *buf,
		      size_t len)
{
	struct kview *v;
	int r = k_view(b, task, &v);

	if (r)
		return r;
	if (!v->host_err)
		snprintf(buf, len, "%s", v->host);
	return v->host_err;
}

static int k_ns_ids(struct backend *b, const char *task,
		    unsigned long long ids[NS_NR])
{
	struct ktask *t;
	int r = viewed(b, task, &t);

	if (r)
		return r;
	for (int k = 0; k < NS_NR; k++) {
		char path[96];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", t->pid,
			 ns_kind_names[k]);
		ids[k] = stat(path, &st) ? 0 : st.st_ino;
	}
	return gone(t) ? R_DEAD : 0;
}

/*
 * The inode number of the namespace nsfs' ioctl REQ gives for @fd, or 0
 * when it gives none (EPERM: outside the runner's view; EINVAL: no parent
 * for this kind).
 */
unsigned long long ns_ioctl_ino(int fd, unsigned long req)
{
	unsigned long long ino = 0;
	struct stat st;
	int r = ioctl(fd, req);

	if (r < 0)
		return 0;
	if (!fstat(r, &st))
		ino = st.st_ino;
	close(r);
	return ino;
}

static int k_ns_rel(struct backend *b, const char *task, int kind,
		    unsigned long long *owner, unsigned long long *parent)
{
	struct ktask *t;
	char path[96];
	int fd, r = viewed(b, task, &t);

	if (r)
		return r;
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", t->pid,
		 ns_kind_names[kind]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gone(t) ? R_DEAD : errno;
	*owner = ns_ioctl_ino(fd, NS_GET_USERNS);
	*parent = ns_ioctl_ino(fd, NS_GET_PARENT);
	close(fd);
	return gone(t) ? R_DEAD : 0;
}

/* The mount of /proc/PID/LINK (root, cwd): statx() follows the magic link. */
static int proc_link_mnt(pid_t pid, const char *link, int *id)
{
	struct statx stx;
	char path[96];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, link);
	if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx))
		return errno;
	if (!(stx.stx_mask & STATX_MNT_ID))
		return EOPNOTSUPP;
	*id = stx.stx_mnt_id;
	return 0;
}

static int k_fs_mnt(struct backend *b, const char *task, int *root, int *pwd)
{
	struct ktask *t;
	int r = viewed(b, task, &t);

	if (r)
		return r;
	r = proc_link_mnt(t->pid, "root", root);
	if (!r)
		r = proc_link_mnt(t->pid, "cwd", pwd);
	if (gone(t))
		return R_DEAD;
	return r;
}

static int nspid_fields(pid_t pid, unsigned int *pids, int max, int *nr)
{
	char val[512], *p, *end;
	int r = status_field(pid, "NSpid", val, sizeof(val));

	if (r)
		return r;
	*nr = 0;
	for (p = val; *p && *nr < max; p = end) {
		unsigned long v = strtoul(p, &end, 10);

		if (end == p)
			break;
		pids[(*nr)++] = v;
	}
	return 0;
}

static int k_nspid(struct backend *b, const char *task, unsigned int *pids,
		   int max, int *nr)
{
	struct ktask *t;
	unsigned int all[64];
	int n, r = viewed(b, task, &t);

	if (r)
		return r;
	r = nspid_fields(t->pid, all, 64, &n);
	if (r)
		return r == ENOENT || r == ESRCH ? R_DEAD : r;
	*nr = 0;
	for (int i = b->base_level; i < n && *nr < max; i++)
		pids[(*nr)++] = all[i];
	return 0;
}

/*
 * The hidden root of a world (what a task lands on after "umount -l /"
 * and a setns into its own namespace) is a copy of the root mount of the
 * runner's mount namespace: its files are the machine's.  When the
 * runner itself runs on that root, as in the test VM (an initramfs,
 * never switched away from), what one scenario writes there (a mkdir
 * after such a setns) would still be there for the next scenario, while
 * each model world starts with an empty one.  So in that case the names
 * that appeared at the top of "/" while a world lived are removed when it
 * closes: the state the next world starts from is the one the first
 * started from.  Anywhere else (a root stacked on the namespace's root,
 * as on a booted machine) the hidden root is out of the runner's reach
 * and nothing is touched.
 */
static char **root_names;	/* "/"'s entries before the first world */
static int nr_root_names = -1;	/* -1: not looked at yet; -2: not ours */

/* Is the runner's "/" the root mount of its namespace, a rootfs? */
static int root_is_ns_rootfs(void)
{
	char *text = NULL, *line, *save = NULL;
	int yes = 0;

	if (sb_read_file("/proc/self/mountinfo", &text))
		return 0;
	/* the last mount on "/" is the one "/" names */
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned int id, parent;
		char mp[8], fstype[16];
		const char *dash = strstr(line, " - ");

		if (sscanf(line, "%u %u %*s %*s %7s", &id, &parent, mp) != 3 ||
		    strcmp(mp, "/") || !dash)
			continue;
		yes = sscanf(dash, " - %15s", fstype) == 1 &&
		      id == parent && !strcmp(fstype, "rootfs");
	}
	free(text);
	return yes;
}

static int root_name_known(const char *name)
{
	for (int i = 0; i < nr_root_names; i++)
		if (!strcmp(root_names[i], name))
			return 1;
	return 0;
}

static void root_names_take(void)
{
	DIR *d;
	struct dirent *e;

	if (nr_root_names != -1)
		return;
	nr_root_names = -2;
	if (!root_is_ns_rootfs() || !(d = opendir("/")))
		return;
	nr_root_names = 0;
	while ((e = readdir(d))) {
		root_names = xrealloc(root_names,
				      (nr_root_names + 1) * sizeof(*root_names));
		root_names[nr_root_names++] = xstrdup(e->d_name);
	}
	closedir(d);
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/* Remove what appeared at the top of "/" since root_names_take(). */
static void root_names_sweep(void)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *e;

	if (nr_root_names < 0 || !(d = opendir("/")))
		return;
	while ((e = readdir(d))) {
		if (root_name_known(e->d_name))
			continue;
		snprintf(path, sizeof(path), "/%s", e->d_name);
		nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	}
	closedir(d);
}

static void k_close(struct backend *b)
{
	if (!b)
		return;
	/*
	 * Kill pid 1 of the world (by pidfd, never by a pid that may have been
	 * reused), which takes every task with it; let the world process reap
	 * it and exit, so nothing is left for our own init to reap.
	 */
	if (b->nr > 0 && b->t[0].pidfd >= 0) {
		struct pollfd p = { .fd = b->t[0].pidfd, .events = POLLIN };

		syscall(SYS_pidfd_send_signal, b->t[0].pidfd, SIGKILL, NULL, 0);
		poll(&p, 1, 2000);
	}
	if (b->world > 0) {
		/* it exits once it has reaped pid 1: wait up to 2 s for that */
		int wfd = b->nr ? syscall(SYS_pidfd_open, b->world, 0) : -1;

		if (wfd >= 0) {
			struct pollfd p = { .fd = wfd, .events = POLLIN };

			while (poll(&p, 1, 2000) < 0 && errno == EINTR)
				;
			close(wfd);
		}
		if (waitpid(b->world, NULL, WNOHANG) == 0) {
			kill(b->world, SIGKILL);
			while (waitpid(b->world, NULL, 0) < 0 && errno == EINTR)
				;
		}
	}
	for (int i = 0; i < b->nr; i++) {
		if (b->t[i].sock >= 0)
			close(b->t[i].sock);
		if (b->t[i].pidfd >= 0)
			close(b->t[i].pidfd);
		fds_forget(&b->t[i]);
		free(b->t[i].name);
		free(b->t[i].view);
	}
	free(b->t);
	free(b);
	root_names_sweep();
}

static int k_open(struct backend **bp, char *err, size_t len)
{
	struct backend *b = xcalloc(1, sizeof(*b));
	struct krep rep = { 0 };
	pid_t runner = getpid(), pid = 0;
	unsigned int pids[64];
	int sv[2], r, n;

	if (geteuid() != 0) {
		snprintf(err, len, "the kernel backend needs root");
		free(b);
		return EPERM;
	}
	root_names_take();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		snprintf(err, len, "socketpair: %s", strerror(errno));
		free(b);
		return R_INTERNAL;
	}
	r = make_shared_ns(err, len);
	if (r) {
		close(sv[0]);
		close(sv[1]);
		free(b);
		return r;
	}
	setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
	fflush(NULL);
	b->world = fork();
	if (b->world < 0) {
		snprintf(err, len, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		free(b);
		return R_INTERNAL;
	}
	if (b->world == 0)
		world_main(sv[1], runner);
	close(sv[1]);
	r = wait_hello(sv[0], &pid, &rep);
	if (!r && rep.err)
		r = rep.err;
	if (r) {
		snprintf(err, len, "cannot create the world: %s",
			 rep.out[0] ? rep.out : r == R_TIMEOUT ? "timeout" :
			 "it died");
		close(sv[0]);
		k_close(b);
		return r;
	}
	add_task(b, "init", pid, sv[0]);
	if (nspid_fields(pid, pids, 64, &n) || n < 1) {
		snprintf(err, len, "cannot read NSpid of pid %d", pid);
		k_close(b);
		return R_INTERNAL;
	}
	b->base_level = n - 1;
	*bp = b;
	return 0;
}

const struct backend_ops kernel_backend = {
	.name = "kernel",
	.open = k_open,
	.close = k_close,
	.act = k_act,
	.mountinfo = k_mountinfo,
	.fd_tree = k_fd_tree,
	.stat = k_stat,
	.cwd = k_cwd,
	.ns_ids = k_ns_ids,
	.nspid = k_nspid,
	.hostname = k_hostname,
	.ns_rel = k_ns_rel,
	.fs_mnt = k_fs_mnt,
};
