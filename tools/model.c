// SPDX-License-Identifier: GPL-2.0
/*
 * The model backend: one open() of /dev/nsmodel is one world; scenario
 * tasks are model task ids; every command is one ioctl of
 * include/uapi/linux/nsmodel.h with the kernel's own CLONE_* / MS_* / MNT_*
 * values.  Paths are resolved by the module, and a task's cwd (for "expect
 * cwd", "show cwd" and the relative paths of "expect mounted") is what the
 * module's NSM_IOC_GETCWD says, as the kernel backend's tasks ask getcwd(2):
 * the kernel's answer after copy_mnt_ns, lazy umounts, chroots, CLONE_FS
 * sharing and setns, "(unreachable)/..." included.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <linux/sched.h>
#include <linux/nsmodel.h>

#include "failslab.h"
#include "nsmctl.h"

/*
 * A descriptor a task holds: an fd of this process (a mount handle of
 * the device).  All tasks' descriptors live in nsmctl, which issues every
 * ioctl; a clone dup()s the parent's into the child's table, as fork
 * shares open files, and exit closes the task's, so the last close of a
 * handle comes when the kernel's would.
 */
struct mfd {
	char *name;		/* without the '%' */
	int fd;
};

struct mtask {
	char *name;
	unsigned int id;
	struct mfd *fds;
	int nr_fds;
};

struct backend {
	int fd;
	struct mtask *t;
	int nr;
};

const char *model_device(void)
{
	const char *d = getenv("NSMCTL_DEVICE");

	return d && *d ? d : "/dev/" NSM_DEVICE_NAME;
}

static struct mtask *find(struct backend *b, const char *name)
{
	for (int i = 0; i < b->nr; i++)
		if (b->t[i].name && !strcmp(b->t[i].name, name))
			return &b->t[i];
	return NULL;
}

static struct mtask *add(struct backend *b, const char *name, unsigned int id)
{
	struct mtask *t;

	b->t = xrealloc(b->t, (b->nr + 1) * sizeof(*b->t));
	t = &b->t[b->nr++];
	t->name = xstrdup(name);
	t->id = id;
	t->fds = NULL;
	t->nr_fds = 0;
	return t;
}

static struct mfd *fd_find(struct mtask *t, const char *name)
{
	for (int i = 0; i < t->nr_fds; i++)
		if (!strcmp(t->fds[i].name, name))
			return &t->fds[i];
	return NULL;
}

static void fd_add(struct mtask *t, const char *name, int fd)
{
	t->fds = xrealloc(t->fds, (t->nr_fds + 1) * sizeof(*t->fds));
	t->fds[t->nr_fds].name = xstrdup(name);
	t->fds[t->nr_fds++].fd = fd;
}

static void fd_del(struct mtask *t, struct mfd *f)
{
	close(f->fd);
	free(f->name);
	*f = t->fds[--t->nr_fds];
}

static void fds_close(struct mtask *t)
{
	while (t->nr_fds)
		fd_del(t, &t->fds[0]);
	free(t->fds);
	t->fds = NULL;
}

static int io(struct backend *b, unsigned long req, void *arg)
{
	int r, err, tries = 0;
	long before;

	do {
		before = nsm_fs_begin();
		r = ioctl(b->fd, req, arg);
		err = r < 0 ? errno : 0;
	} while (nsm_fs_end(before, err, &tries));
	return err;
}

/*
 * A view of task @t.  The module answers ESRCH for a task it ended on
 * its own (the init of its pid namespace exited, and zap_pid_ns_processes()
 * killed the rest): the task died, as the kernel backend finds its
 * process gone.  So, as there, the first view says R_DEAD and the task
 * is forgotten: it is "no such task" from then on.
 */
static int view_io(struct backend *b, struct mtask *t, unsigned long req,
		   void *arg)
{
	int r = io(b, req, arg);

	if (r == ESRCH) {
		fds_close(t);
		free(t->name);
		t->name = NULL;
		return R_DEAD;
	}
	return r;
}

/* ---- profiles ---------------------------------------------------------- */

const struct profile profiles[] = {
	{ "auto", NSM_PROFILE_AUTO, 0 },
	{ "6.1", NSM_PROFILE_6_1, 6 << 16 | 1 },
	{ "6.12", NSM_PROFILE_6_12, 6 << 16 | 12 },
	{ "6.18", NSM_PROFILE_6_18, 6 << 16 | 18 },
	/* expectations see MAJOR.MINOR only: 2.4 */
	{ "2.4.19", NSM_PROFILE_2_4_19, 2 << 16 | 4 },
	{ NULL, 0, 0 },
};

/* the profile every new model world takes (auto: leave the default) */
const struct profile *model_profile = &profiles[0];

const struct profile *profile_by_name(const char *name)
{
	for (const struct profile *p = profiles; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* The version expectations are read for under @p: auto is the kernel's. */
int profile_version(const struct profile *p)
{
	return p->version ? p->version : running_kernel_version();
}

static int m_set_profile(struct backend *b, char *err, size_t len)
{
	struct nsm_profile_args a = {
		.size = sizeof(a),
		.flags = NSM_PROFILE_SET,
		.profile = model_profile->id,
	};

	if (model_profile->id == NSM_PROFILE_AUTO)
		return 0;
	if (ioctl(b->fd, NSM_IOC_PROFILE, &a) == 0)
		return 0;
	snprintf(err, len, "cannot set profile %s: %s%s", model_profile->name,
		 strerror(errno),
		 errno == ENOTTY ? " (the module predates profiles)" : "");
	return errno;
}

static int m_open(struct backend **bp, char *err, size_t len)
{
	struct backend *b = xcalloc(1, sizeof(*b));
	int e, tries = 0;
	long before;

	do {
		before = nsm_fs_begin();
		b->fd = open(model_device(), O_RDWR | O_CLOEXEC);
		e = b->fd < 0 ? errno : 0;
	} while (nsm_fs_end(before, e, &tries));
	if (b->fd < 0) {
		snprintf(err, len, "cannot open %s: %s", model_device(),
			 strerror(e));
		free(b);
		return e;
	}
	e = m_set_profile(b, err, len);
	if (e) {
		close(b->fd);
		free(b);
		return e;
	}
	add(b, "init", NSM_INIT_TASK);
	*bp = b;
	return 0;
}

static void m_close(struct backend *b)
{
	if (!b)
		return;
	for (int i = 0; i < b->nr; i++)
		fds_close(&b->t[i]);
	close(b->fd);
	for (int i = 0; i < b->nr; i++)
		free(b->t[i].name);
	free(b->t);
	free(b);
}

static int path_op(struct backend *b, unsigned long req, struct mtask *t,
		   const char *path, unsigned int flags)
{
	struct nsm_path_args a = {
		.size = sizeof(a), .task = t->id,
		.path = (uintptr_t)path, .flags = flags,
	};

	return io(b, req, &a);
}

/*
 * "mkdir" is mkdir(2) of each prefix, as the kernel backend does it, and
 * NSM_IOC_MKDIR makes every missing component of its path at once: so a
 * path that is too long for one call has its longest prefix shorter than
 * PATH_MAX made first, then the whole path is refused (ENAMETOOLONG).
 */
static int mkdir_op(struct backend *b, struct mtask *t, const char *path)
{
	size_t cut = 0;
	char *prefix;
	int r;

	if (strlen(path) >= NSM_PATH_MAX) {
		for (size_t i = 1; i < NSM_PATH_MAX; i++)
			if (path[i] == '/')
				cut = i;
	}
	if (cut) {
		prefix = strndup(path, cut);
		if (!prefix)
			return R_INTERNAL;
		r = path_op(b, NSM_IOC_MKDIR, t, prefix, 0);
		free(prefix);
		if (r)
			return r;
	}
	return path_op(b, NSM_IOC_MKDIR, t, path, 0);
}

static int mount_op(struct backend *b, struct mtask *t, const char *src,
		    const char *dst, const char *type, unsigned long flags,
		    const char *data)
{
	struct nsm_mount_args a = {
		.size = sizeof(a), .task = t->id,
		.source = (uintptr_t)src, .target = (uintptr_t)dst,
		.fstype = (uintptr_t)type, .flags = flags,
		.data = (uintptr_t)data,
	};

	return io(b, NSM_IOC_MOUNT, &a);
}

/* setns TASK @PATH KIND: open the file bound there, setns on it, close */
static int setns_path(struct backend *b, struct mtask *t, const struct cmd *c)
{
	struct nsm_ns_open_args o = {
		.size = sizeof(o), .task = t->id, .path = (uintptr_t)c->a1,
	};
	struct nsm_setns_args a = {
		.size = sizeof(a), .task = t->id, .nstype = c->flags,
	};
	int r = io(b, NSM_IOC_NS_OPEN, &o);

	if (r)
		return r;
	a.fd = o.fd;
	r = io(b, NSM_IOC_SETNS, &a);
	close(o.fd);
	return r;
}

/* the descriptor TASK holds as NAME; -1 for one a failed call left unbound */
static int fd_of(struct mtask *t, const char *name)
{
	struct mfd *f = fd_find(t, name);

	return f ? f->fd : -1;
}

static int fsconfig_op(struct backend *b, struct mtask *t, int fd,
		       unsigned int cmd, const char *key, const char *val)
{
	struct nsm_fsconfig_args a = {
		.size = sizeof(a), .task = t->id, .fd = fd, .cmd = cmd,
		.key = (uintptr_t)key, .value = (uintptr_t)val,
	};

	return io(b, NSM_IOC_FSCONFIG, &a);
}

static int fsmount_op(struct backend *b, struct mtask *t, int fs_fd,
		      unsigned long attrs, int *fd)
{
	struct nsm_fsmount_args a = {
		.size = sizeof(a), .task = t->id, .fs_fd = fs_fd,
		.flags = NSMCTL_FSMOUNT_CLOEXEC, .attr_flags = attrs,
	};
	int r = io(b, NSM_IOC_FSMOUNT, &a);

	*fd = a.fd;
	return r;
}

/* fsmount TASK %FD FSTYPE SOURCE [OPTIONS]: the calls of fsmount_steps() */
static int fsmount_new(struct backend *b, struct mtask *t,
		       const struct cmd *c, int *fd)
{
	struct nsm_fsopen_args o = {
		.size = sizeof(o), .task = t->id,
		.fs_name = (uintptr_t)c->a2, .flags = NSMCTL_FSOPEN_CLOEXEC,
	};
	struct fsmount_step *st;
	int r, nr;

	r = io(b, NSM_IOC_FSOPEN, &o);
	if (r)
		return r;
	nr = fsmount_steps(c, &st);
	for (int i = 0; i < nr && !r; i++)
		r = fsconfig_op(b, t, o.fd, st[i].cmd, st[i].key, st[i].val);
	if (!r)
		r = fsmount_op(b, t, o.fd, 0, fd);
	fsmount_steps_free(st, nr);
	close(o.fd);
	return r;
}

static int m_act(struct backend *b, const struct cmd *c)
{
	struct mtask *t = find(b, c->task), *t2;
	int r, fd = -1;

	if (!t)
		return R_NOTASK;
	switch (c->op) {
	case OP_CLONE: {
		struct nsm_clone_args a = {
			.size = sizeof(a), .parent = t->id, .flags = c->flags,
		};

		r = io(b, NSM_IOC_CLONE, &a);
		if (!r) {
			int pi = t - b->t;
			struct mtask *child = add(b, c->task2, a.child);

			/* add() may move the table: the parent by index */
			t = &b->t[pi];
			for (int i = 0; i < t->nr_fds; i++) {
				int fd = fcntl(t->fds[i].fd, F_DUPFD_CLOEXEC, 3);

				if (fd < 0)
					return R_INTERNAL;
				fd_add(child, t->fds[i].name, fd);
			}
		}
		return r;
	}
	case OP_UNSHARE: {
		struct nsm_unshare_args a = {
			.size = sizeof(a), .task = t->id, .flags = c->flags,
		};

		return io(b, NSM_IOC_UNSHARE, &a);
	}
	case OP_SETNS: {
		struct nsm_setns_args a = {
			.size = sizeof(a), .task = t->id, .fd = -1,
			.nstype = c->flags,
		};

		if (!c->task2)
			return setns_path(b, t, c);
		t2 = find(b, c->task2);
		if (!t2)
			return R_NOTASK;
		a.target = t2->id;
		return io(b, NSM_IOC_SETNS, &a);
	}
	case OP_EXIT:
	case OP_SETUID: {
		struct nsm_task_args a = {
			.size = sizeof(a), .task = t->id, .uid = c->uid,
		};

		r = io(b, c->op == OP_EXIT ? NSM_IOC_EXIT : NSM_IOC_SETUID, &a);
		if (!r && c->op == OP_EXIT) {
			fds_close(t);
			free(t->name);
			t->name = NULL;
		}
		return r;
	}
	case OP_OPEN_TREE: {
		struct nsm_open_tree_args a = {
			.size = sizeof(a), .task = t->id, .dfd = AT_FDCWD,
			.flags = c->flags | O_CLOEXEC,
			.path = (uintptr_t)c->a2,
		};

		r = io(b, NSM_IOC_OPEN_TREE, &a);
		if (!r)
			fd_add(t, c->a1, a.fd);
		return r;
	}
	case OP_MOVE_MOUNT: {
		struct nsm_move_mount_args a = {
			.size = sizeof(a), .task = t->id,
			.from_dfd = AT_FDCWD, .to_dfd = AT_FDCWD,
			.from_path = (uintptr_t)c->a1,
			.to_path = (uintptr_t)c->a2, .flags = c->flags,
		};
		struct mfd *f;

		/*
		 * A name that a failed open_tree left unbound goes as fd -1,
		 * for the call to refuse (EBADF), as the kernel's does.
		 */
		if (c->a1[0] == '%') {
			f = fd_find(t, c->a1 + 1);
			a.from_dfd = f ? f->fd : -1;
			a.from_path = (uintptr_t)"";
			a.flags |= NSMCTL_MOVE_MOUNT_F_EMPTY_PATH;
		}
		if (c->a2[0] == '%') {
			f = fd_find(t, c->a2 + 1);
			a.to_dfd = f ? f->fd : -1;
			a.to_path = (uintptr_t)"";
			a.flags |= NSMCTL_MOVE_MOUNT_T_EMPTY_PATH;
		}
		return io(b, NSM_IOC_MOVE_MOUNT, &a);
	}
	case OP_FSOPEN: {
		struct nsm_fsopen_args a = {
			.size = sizeof(a), .task = t->id,
			.fs_name = (uintptr_t)c->a2,
			.flags = NSMCTL_FSOPEN_CLOEXEC,
		};

		r = io(b, NSM_IOC_FSOPEN, &a);
		if (!r)
			fd_add(t, c->a1, a.fd);
		return r;
	}
	case OP_FSCONFIG:
		return fsconfig_op(b, t, fd_of(t, c->a1), c->sub, c->a2, c->a3);
	case OP_FSMOUNT:
		if (c->a2[0] == '%')
			r = fsmount_op(b, t, fd_of(t, c->a2 + 1), c->flags, &fd);
		else
			r = fsmount_new(b, t, c, &fd);
		if (!r)
			fd_add(t, c->a1, fd);
		return r;
	case OP_FSPICK: {
		struct nsm_fspick_args a = {
			.size = sizeof(a), .task = t->id, .dfd = AT_FDCWD,
			.flags = NSMCTL_FSPICK_CLOEXEC,
			.path = (uintptr_t)c->a2,
		};

		if (c->a2[0] == '%') {
			a.dfd = fd_of(t, c->a2 + 1);
			a.path = (uintptr_t)"";
			a.flags |= NSMCTL_FSPICK_EMPTY_PATH;
		}
		r = io(b, NSM_IOC_FSPICK, &a);
		if (!r)
			fd_add(t, c->a1, a.fd);
		return r;
	}
	case OP_CLOSE: {
		struct mfd *f = fd_find(t, c->a1);

		if (!f)
			return close(-1) ? errno : 0;
		fd_del(t, f);
		return 0;
	}
	case OP_HOSTNAME: {
		struct nsm_hostname_args a = {
			.size = sizeof(a), .task = t->id,
			.name = (uintptr_t)c->a1, .len = strlen(c->a1),
		};

		return io(b, NSM_IOC_SETHOSTNAME, &a);
	}
	case OP_MKDIR:
		return mkdir_op(b, t, c->a1);
	case OP_CHROOT:
		return path_op(b, NSM_IOC_CHROOT, t, c->a1, 0);
	case OP_CHDIR:
		return path_op(b, NSM_IOC_CHDIR, t, c->a1, 0);
	case OP_NSBIND: {
		struct nsm_ns_bind_args a = {
			.size = sizeof(a), .task = t->id, .kind = c->kind,
			.path = (uintptr_t)c->a1,
		};

		t2 = find(b, c->task2);
		if (!t2)
			return R_NOTASK;
		a.target = t2->id;
		return io(b, NSM_IOC_NS_BIND, &a);
	}
	case OP_TOUCH:
		return path_op(b, NSM_IOC_TOUCH, t, c->a1, 0);
	case OP_UNLINK:
		return path_op(b, NSM_IOC_UNLINK, t, c->a1, 0);
	case OP_RMDIR:
		return path_op(b, NSM_IOC_RMDIR, t, c->a1, 0);
	case OP_UMOUNT:
		return path_op(b, NSM_IOC_UMOUNT, t, c->a1,
			       c->rec ? MNT_DETACH : 0);
	case OP_MOUNT:
		return mount_op(b, t, c->a2, c->a3, c->a1, c->flags, c->data);
	case OP_BIND:
		return mount_op(b, t, c->a1, c->a2, NULL,
				MS_BIND | (c->rec ? MS_REC : 0), NULL);
	case OP_MOVE:
		return mount_op(b, t, c->a1, c->a2, NULL, MS_MOVE, NULL);
	case OP_REMOUNT:
		return mount_op(b, t, NULL, c->a1, NULL, MS_REMOUNT |
				(c->rec ? MS_BIND : 0) | c->flags, c->data);
	case OP_PIVOT_ROOT: {
		struct nsm_pivot_root_args a = {
			.size = sizeof(a), .task = t->id,
			.new_root = (uintptr_t)c->a1, .put_old = (uintptr_t)c->a2,
		};

		return io(b, NSM_IOC_PIVOT_ROOT, &a);
	}
	case OP_SETATTR: {
		struct mount_attr attr = {
			.attr_set = c->attr_set, .attr_clr = c->attr_clr,
			.propagation = c->attr_prop,
		};
		struct nsm_mount_setattr_args a = {
			.size = sizeof(a), .task = t->id, .dfd = AT_FDCWD,
			.flags = c->rec ? AT_RECURSIVE : 0,
			.path = (uintptr_t)c->a1, .uattr = (uintptr_t)&attr,
			.usize = sizeof(attr),
		};

		/* a descriptor: "" and AT_EMPTY_PATH; unbound: -1 (EBADF) */
		if (c->a1[0] == '%') {
			struct mfd *f = fd_find(t, c->a1 + 1);

			a.dfd = f ? f->fd : -1;
			a.path = (uintptr_t)"";
			a.flags |= AT_EMPTY_PATH;
		}
		return io(b, NSM_IOC_MOUNT_SETATTR, &a);
	}
	case OP_MAKE: {
		static const unsigned long ms[] = {
			[PROP_SHARED] = MS_SHARED, [PROP_SLAVE] = MS_SLAVE,
			[PROP_PRIVATE] = MS_PRIVATE,
			[PROP_UNBINDABLE] = MS_UNBINDABLE,
		};

		return mount_op(b, t, NULL, c->a1, NULL,
				ms[c->sub] | (c->rec ? MS_REC : 0), NULL);
	}
	default:
		return R_INTERNAL;
	}
}

/* NSM_IOC_MOUNTINFO of @a, read whole into *@text */
static int mountinfo_io(struct backend *b, struct mtask *t,
			struct nsm_mountinfo_args *a, char **text)
{
	struct sbuf s = { 0 };
	char buf[4096];
	ssize_t n;
	int r;

	a->task = t->id;
	r = view_io(b, t, NSM_IOC_MOUNTINFO, a);
	if (r)
		return r;
	for (;;) {
		int tries = 0;
		long before;

		do {
			before = nsm_fs_begin();
			n = read(a->fd, buf, sizeof(buf) - 1);
			r = n < 0 ? errno : 0;
		} while (nsm_fs_end(before, r, &tries));
		if (n <= 0)
			break;
		buf[n] = 0;
		sb_add(&s, buf);
	}
	close(a->fd);
	if (r) {
		free(s.s);
		return r;
	}
	*text = sb_take(&s);
	return 0;
}

static int m_mountinfo(struct backend *b, const char *task, char **text)
{
	struct mtask *t = find(b, task);
	struct nsm_mountinfo_args a = { .size = sizeof(a) };

	if (!t)
		return R_NOTASK;
	return mountinfo_io(b, t, &a, text);
}

/*
 * The model lists the tree behind the handle (covered mounts too); the
 * view keeps what a walk of it reaches, as the kernel backend's walk
 * finds it (fdtree.c).
 */
static int m_fd_tree(struct backend *b, const char *task, const char *fd,
		     char **text)
{
	struct mtask *t = find(b, task);
	struct nsm_mountinfo_args a = { .size = sizeof(a),
					.flags = NSM_MOUNTINFO_HANDLE };
	char *list;
	int r;

	if (!t)
		return R_NOTASK;
	a.handle = fd_of(t, fd);
	r = mountinfo_io(b, t, &a, &list);
	if (r)
		return r;
	*text = fdtree_from_mountinfo(list);
	free(list);
	return *text ? 0 : R_INTERNAL;
}

static int m_stat(struct backend *b, const char *task, const char *path,
		  unsigned int *mode)
{
	struct mtask *t = find(b, task);
	struct nsm_path_args a = {
		.size = sizeof(a), .path = (uintptr_t)path,
	};
	int r;

	if (!t)
		return R_NOTASK;
	a.task = t->id;
	r = io(b, NSM_IOC_STAT, &a);
	if (!r && mode)
		*mode = a.mode;
	return r;
}

static int m_cwd(struct backend *b, const char *task, char *buf, size_t len)
{
	struct mtask *t = find(b, task);
	struct nsm_getcwd_args a = { .size = sizeof(a) };
	char path[NSM_PATH_MAX];
	int r;

	if (!t)
		return R_NOTASK;
	a.task = t->id;
	a.buf = (uintptr_t)path;
	a.len = sizeof(path);
	r = view_io(b, t, NSM_IOC_GETCWD, &a);
	if (!r)
		snprintf(buf, len, "%s", path);
	return r;
}

static int task_info(struct backend *b, const char *task,
		     struct nsm_task_info *ti)
{
	struct mtask *t = find(b, task);

	if (!t)
		return R_NOTASK;
	memset(ti, 0, sizeof(*ti));
	ti->size = sizeof(*ti);
	ti->task = t->id;
	return view_io(b, t, NSM_IOC_TASK_INFO, ti);
}

static int m_ns_ids(struct backend *b, const char *task,
		    unsigned long long ids[NS_NR])
{
	struct nsm_task_info ti;
	int r = task_info(b, task, &ti);

	if (r)
		return r;
	/* enum ns_kind is in the order of enum nsm_ns_kind */
	for (int k = 0; k < NS_NR; k++)
		ids[k] = ti.ns_id[k];
	return 0;
}

static int m_ns_rel(struct backend *b, const char *task, int kind,
		    unsigned long long *owner, unsigned long long *parent)
{
	struct mtask *t = find(b, task);
	struct nsm_ns_open_args o = { .size = sizeof(o), .kind = kind };
	struct nsm_ns_info ni = { .size = sizeof(ni) };
	int r;

	if (!t)
		return R_NOTASK;
	o.task = t->id;
	r = view_io(b, t, NSM_IOC_NS_OPEN, &o);
	if (r)
		return r;
	r = ioctl(o.fd, NSM_IOC_NS_INFO, &ni) < 0 ? errno : 0;
	close(o.fd);
	if (r)
		return r;
	*owner = ni.owner_id;
	*parent = ni.parent_id;
	return 0;
}

static int m_fs_mnt(struct backend *b, const char *task, int *root, int *pwd)
{
	struct nsm_task_info ti;
	int r = task_info(b, task, &ti);

	if (r)
		return r;
	*root = ti.root_mnt_id;
	*pwd = ti.pwd_mnt_id;
	return 0;
}

static int m_nspid(struct backend *b, const char *task, unsigned int *pids,
		   int max, int *nr)
{
	struct nsm_task_info ti;
	int r = task_info(b, task, &ti);

	if (r)
		return r;
	*nr = 0;
	for (unsigned int i = 0; i <= ti.level && i <= NSM_MAX_LEVEL && *nr < max; i++)
		pids[(*nr)++] = ti.nspid[i];
	return 0;
}

static int m_hostname(struct backend *b, const char *task, char *buf,
		      size_t len)
{
	struct nsm_task_info ti;
	int r = task_info(b, task, &ti);

	if (r)
		return r;
	ti.hostname[NSM_HOSTNAME_MAX] = 0;
	snprintf(buf, len, "%s", ti.hostname);
	return 0;
}

const struct backend_ops model_backend = {
	.name = "model",
	.open = m_open,
	.close = m_close,
	.act = m_act,
	.mountinfo = m_mountinfo,
	.fd_tree = m_fd_tree,
	.stat = m_stat,
	.cwd = m_cwd,
	.ns_ids = m_ns_ids,
	.nspid = m_nspid,
	.hostname = m_hostname,
	.ns_rel = m_ns_rel,
	.fs_mnt = m_fs_mnt,
};

/* ---- for "nsmctl version" and "nsmctl counters" ----------------------- */

static const char *const obj_names[NSM_OBJ_MAX] = {
	"world", "task", "nsproxy", "fs_struct", "cred", "pid", "mnt_ns",
	"uts_ns", "ipc_ns", "pid_ns", "net_ns", "cgroup_ns", "time_ns",
	"user_ns", "mount", "super", "dentry", "ns_handle", "mountinfo",
	"other", "mnt_handle", "fs_context",
};

int model_version(FILE *f)
{
	struct nsm_version v = { .size = sizeof(v) };
	struct nsm_profile_args pa = { .size = sizeof(pa) };
	int fd = open(model_device(), O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "nsmctl: cannot open %s: %s\n", model_device(),
			strerror(errno));
		return NSMCTL_EXIT_ENV;
	}
	if (ioctl(fd, NSM_IOC_VERSION, &v) < 0) {
		fprintf(stderr, "nsmctl: NSM_IOC_VERSION: %s\n", strerror(errno));
		close(fd);
		return NSMCTL_EXIT_ENV;
	}
	v.release[sizeof(v.release) - 1] = 0;
	v.build[sizeof(v.build) - 1] = 0;
	fprintf(f, "abi %u\nobject types %u\nnamespace kinds %u\nrelease %s\n"
		"build %s\nnsmctl abi %u\n", v.abi_version, v.nr_obj_types,
		v.nr_ns_kinds, v.release, v.build, NSM_ABI_VERSION);
	if (ioctl(fd, NSM_IOC_PROFILE, &pa) == 0) {
		pa.name[sizeof(pa.name) - 1] = 0;
		fprintf(f, "profile %s (features 0x%llx)\n", pa.name,
			(unsigned long long)pa.features);
	}
	close(fd);
	return 0;
}

int model_counters(FILE *f, int json)
{
	struct nsm_counters c = { .size = sizeof(c) };
	int fd = open(model_device(), O_RDWR | O_CLOEXEC);
	unsigned int n;

	if (fd < 0) {
		fprintf(stderr, "nsmctl: cannot open %s: %s\n", model_device(),
			strerror(errno));
		return NSMCTL_EXIT_ENV;
	}
	if (ioctl(fd, NSM_IOC_COUNTERS, &c) < 0) {
		fprintf(stderr, "nsmctl: NSM_IOC_COUNTERS: %s\n", strerror(errno));
		close(fd);
		return NSMCTL_EXIT_ENV;
	}
	close(fd);
	n = c.nr_types < NSM_OBJ_SLOTS ? c.nr_types : NSM_OBJ_SLOTS;
	/* this world (the one just opened to ask) is counted in "global" */
	if (json) {
		fprintf(f, "{\"counters\": [");
		for (unsigned int i = 0; i < n; i++)
			fprintf(f, "%s\n  {\"type\": \"%s\", \"global\": %llu, "
				"\"world\": %llu}", i ? "," : "",
				i < NSM_OBJ_MAX ? obj_names[i] : "?",
				(unsigned long long)c.global[i],
				(unsigned long long)c.world[i]);
		fprintf(f, "\n], \"global_bytes\": %llu, \"world_bytes\": %llu}\n",
			(unsigned long long)c.global_bytes,
			(unsigned long long)c.world_bytes);
	} else {
		fprintf(f, "%-12s %12s %12s\n", "TYPE", "GLOBAL", "WORLD");
		for (unsigned int i = 0; i < n; i++)
			fprintf(f, "%-12s %12llu %12llu\n",
				i < NSM_OBJ_MAX ? obj_names[i] : "?",
				(unsigned long long)c.global[i],
				(unsigned long long)c.world[i]);
		fprintf(f, "%-12s %12llu %12llu\n", "bytes",
			(unsigned long long)c.global_bytes,
			(unsigned long long)c.world_bytes);
	}
	return 0;
}
